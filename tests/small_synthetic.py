"""A small synthetic catalogue with planted ties and edges, for the tables that sweep cuts and list lengths.

300 artists whose monthly listeners take few distinct values, so percentiles land on ties, and a
planted top: 7 artists with distinct values, then 6 tied at the 8th to 13th place, so a top 10
cut selects 13. The single most listened-to artist is in the smallest gender group (the largest
group, the reference, then has rate 0 at the 100th percentile). One artist has 0 monthly listeners,
so no success tier (the null group of attribute success_tier, audited here), and by far the most
total streams: the 100th percentile of total_streams selects only an artist without a group.
"""

from __future__ import annotations

import numpy as np

from warehouse.ingest.header import SOURCE_COLUMNS

N_ARTISTS = 300
GENDERS = {"Male": 150, "Female": 120, "Non-binary": 30}
PLANTED_TOP = [906_000_000, 905_000_000, 904_000_000, 903_000_000, 902_000_000, 901_000_000, 900_000_000]
TIED_VALUE, TIED_ARTISTS = 800_000_000, 6
TOP_N_WITH_TIES = 10
NO_TIER_STREAMS = 10**12
PROTECTED_ATTRIBUTES = ["gender", "ethnicity", "label_type", "genre", "country", "success_tier"]
CUTS = [{"percentile": 0}, {"percentile": 50}, {"percentile": 75}, {"percentile": 99.5}, {"percentile": 100},
        {"top_n": TOP_N_WITH_TIES}, {"top_n": 1000}]
# the longest list is shorter than the catalogue, so its last prefix counts (the workshop's 100 exceeds it)
TOP_K = [15, 50, 250]
HEADER = list(SOURCE_COLUMNS)
VARIABLES = {"protected_attributes": PROTECTED_ATTRIBUTES, "fairness_cuts": CUTS, "equity_top_k": TOP_K,
             "train_feature_sets": []}


def monthly_listeners(rng: np.random.Generator, gender: np.ndarray) -> np.ndarray:
    listeners = rng.integers(1, 200, size=N_ARTISTS) * 100_000
    top_artists = [int(np.flatnonzero(gender == "Non-binary")[0])]
    others = [i for i in rng.permutation(N_ARTISTS) if i != top_artists[0]]
    top_artists += others[:len(PLANTED_TOP) - 1 + TIED_ARTISTS]
    listeners[top_artists] = PLANTED_TOP + [TIED_VALUE] * TIED_ARTISTS
    listeners[others[-1]] = 0
    return listeners


def rows(seed: int = 11) -> list[list]:
    rng = np.random.default_rng(seed)
    gender = np.array([name for name, count in GENDERS.items() for _ in range(count)])
    rng.shuffle(gender)
    listeners = monthly_listeners(rng, gender)
    streams = listeners * rng.integers(100, 200, size=N_ARTISTS)
    streams[listeners == 0] = NO_TIER_STREAMS
    table = []
    for i in range(N_ARTISTS):
        table.append([
            i + 1, f"Artist {i + 1}", gender[i], rng.choice(["White", "Black", "Latino", "Asian"]),
            rng.choice(["Pop", "Rock", "Hip-Hop", "Jazz"]), rng.choice(["USA", "UK", "Brazil"]),
            int(listeners[i]), int(streams[i]), int(rng.integers(1, 10)), int(rng.integers(1, 20)),
            rng.choice(["Independent", "Major"]), int(rng.poisson(2)), int(rng.integers(1000, 10**7)),
            int(rng.integers(1000, 100000)),
        ])
    return table

