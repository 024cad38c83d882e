"""A synthetic table with two biases planted on purpose, which the fairness tables must find
(tests/builds/test_planted_bias.py, tests/builds/test_model_fairness.py share one build of it).

- Female artists' success is drawn at half the scale of male artists': a gap in the outcome, which
  the models can follow through gender_encoded.
- Male Latino artists' monthly listeners (the models' target) are raised by a constant that no
  feature carries: the features follow the artist's success before the raise. A model fitting
  gender and ethnicity additively (the linear models; ethnicity is even label-encoded) cannot
  represent one cell of their intersection, so it under-predicts that group.

label_type is dealt out alternately down the listeners ranking, so it is fair by construction.
Three artists get genres of their own (Jazz twice, Folk once): tiny groups whose intervals must be
wide and whose gaps are not significant.
The build names a reference group with a quote in it, to show config values reach SQL as data, and
sets bounded_group_loss_max_mae between the group losses, so that some models keep it and some do not.
"""

from __future__ import annotations

import json

import numpy as np

N_MALE, N_FEMALE = 240, 160
HEADER = ["artist_id", "artist_name", "gender", "ethnicity", "genre", "country", "monthly_listeners",
          "total_streams", "album_count", "years_active", "label_type", "award_wins", "spotify_followers",
          "soundcloud_followers"]
ETHNICITIES = ["White", "Black", "Latino", "Asian"]
QUOTED_COUNTRY = "Côte d'Ivoire"
TINY_GENRES = ["Jazz", "Jazz", "Folk"]
GENRE = HEADER.index("genre")
PLANTED_GROUP = "Male_Latino"
PLANTED_LISTENERS = 20_000_000
BOUNDED_GROUP_LOSS_MAX_MAE = 8_000_000
BUILD_VARS = json.dumps({"fairness_reference_groups": {"country": QUOTED_COUNTRY},
                         "bounded_group_loss_max_mae": BOUNDED_GROUP_LOSS_MAX_MAE})


def planted_rows(seed: int = 7) -> list[list]:
    rng = np.random.default_rng(seed)
    gender = np.array(["Male"] * N_MALE + ["Female"] * N_FEMALE)
    rng.shuffle(gender)
    ethnicity = rng.choice(ETHNICITIES, size=gender.size)
    scale = np.where(gender == "Female", 0.5, 1.0)
    success = np.round(rng.lognormal(mean=15.5, sigma=0.6, size=gender.size) * scale).astype(int) + 1
    planted = np.char.add(np.char.add(gender, "_"), ethnicity) == PLANTED_GROUP
    listeners = success + np.where(planted, PLANTED_LISTENERS, 0)
    label_type = np.empty(gender.size, dtype=object)
    label_type[np.argsort(listeners, kind="stable")] = ["Independent", "Major"] * (gender.size // 2)
    rows = []
    for i in range(gender.size):
        rows.append([
            i + 1, f"Artist {i + 1}", gender[i], ethnicity[i], rng.choice(["Pop", "Rock", "Hip-Hop"]),
            rng.choice(["USA", "UK", QUOTED_COUNTRY]), listeners[i], success[i] * int(rng.integers(100, 200)),
            int(rng.integers(1, 10)), int(rng.integers(1, 20)), label_type[i], int(rng.poisson(2)),
            int(success[i] * rng.uniform(0.5, 1.5)), int(rng.integers(1000, 100000)),
        ])
    for row, genre in zip(rows, TINY_GENRES, strict=False):
        row[GENRE] = genre
    return rows
