"""A synthetic table with a bias planted on purpose, which the fairness tables must find.

Female artists' monthly listeners are drawn at half the scale of male artists'; label_type is dealt
out alternately down the listeners ranking, so it is fair by construction. Three artists get genres
of their own (Jazz twice, Folk once): tiny groups whose intervals must be wide and whose gaps are not
significant. The build names a reference group with a quote in it, to show config values reach SQL as data.
"""

import json
from pathlib import Path

import numpy as np

from tests.conftest import build_from_rows

N_MALE, N_FEMALE = 240, 160
HEADER = ["artist_id", "artist_name", "gender", "ethnicity", "genre", "country", "monthly_listeners",
          "total_streams", "album_count", "years_active", "label_type", "award_wins", "spotify_followers",
          "soundcloud_followers"]
QUOTED_COUNTRY = "Côte d'Ivoire"
TINY_GENRES = ["Jazz", "Jazz", "Folk"]
GENRE = HEADER.index("genre")


def planted_rows(seed: int = 7) -> list[list]:
    rng = np.random.default_rng(seed)
    gender = np.array(["Male"] * N_MALE + ["Female"] * N_FEMALE)
    rng.shuffle(gender)
    scale = np.where(gender == "Female", 0.5, 1.0)
    listeners = np.round(rng.lognormal(mean=15.5, sigma=0.6, size=gender.size) * scale).astype(int) + 1
    label_type = np.empty(gender.size, dtype=object)
    label_type[np.argsort(listeners, kind="stable")] = ["Independent", "Major"] * (gender.size // 2)
    rows = []
    for i in range(gender.size):
        rows.append([
            i + 1, f"Artist {i + 1}", gender[i],
            rng.choice(["White", "Black", "Latino", "Asian"]), rng.choice(["Pop", "Rock", "Hip-Hop"]),
            rng.choice(["USA", "UK", QUOTED_COUNTRY]), listeners[i], listeners[i] * int(rng.integers(100, 200)),
            int(rng.integers(1, 10)), int(rng.integers(1, 20)), label_type[i], int(rng.poisson(2)),
            int(listeners[i] * rng.uniform(0.5, 1.5)), int(rng.integers(1000, 100000)),
        ])
    for row, genre in zip(rows, TINY_GENRES, strict=False):
        row[GENRE] = genre
    return rows


def build_planted(folder: Path) -> Path:
    variables = json.dumps({"fairness_reference_groups": {"country": QUOTED_COUNTRY}})
    _, db_path = build_from_rows(folder, "planted", HEADER, planted_rows(), "--vars", variables)
    return db_path
