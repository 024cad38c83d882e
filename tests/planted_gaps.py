"""Synthetic artists with planted gaps, as int_gap_fit_artists' rows (ml.adjusted_gaps and
ml.gap_decomposition read them), for tests/unit/ml/test_gap_models_unit.py.

- placed_in_small_genres: women are mostly in the genres with small audiences and succeed exactly as
  men do within a genre: their raw gap is the genres', the controls explain it.
- ethnicity_penalty: artists of ETHNICITY_PENALISED have log(1 + listeners) PENALTY lower than
  others in every genre, ethnicities spread alike over genres: the controls explain none of it.
- no_gap: nothing planted.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

PENALTY = 0.6
ETHNICITY_PENALISED = "Latino"
GENRE_AUDIENCE = {"Pop": 14.0, "Hip-Hop": 13.5, "Rock": 12.5, "Folk": 11.0, "Jazz": 10.5}
OUTCOMES = ["monthly_listeners", "total_streams"]


def artists(n: int, seed: int, *, women_in_small_genres: bool = False, penalty: float = 0.0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    gender = rng.choice(["Female", "Male"], size=n, p=[0.4, 0.6])
    genres = np.array(list(GENRE_AUDIENCE))
    # women: 80% in the two smallest genres when planted; everyone else spread evenly
    small = rng.random(n) < 0.8
    even = rng.choice(genres, size=n)
    placed = np.where(small, rng.choice(genres[-2:], size=n), rng.choice(genres[:-2], size=n))
    genre = np.where((gender == "Female") & women_in_small_genres, placed, even)
    ethnicity = rng.choice(["White", "Black", ETHNICITY_PENALISED, "Asian"], size=n, p=[0.4, 0.25, 0.2, 0.15])
    label_type = rng.choice(["Major", "Independent"], size=n)
    years_active = rng.integers(1, 30, size=n)
    album_count = rng.integers(1, 15, size=n)
    award_wins = rng.poisson(1.5, size=n)
    log_listeners = (np.vectorize(GENRE_AUDIENCE.get)(genre) + 0.03 * years_active + 0.05 * album_count
                     + 0.4 * (label_type == "Major") - penalty * (ethnicity == ETHNICITY_PENALISED)
                     + rng.normal(0, 0.8, size=n))
    listeners = np.round(np.expm1(log_listeners)).astype("int64")
    streams = np.round(listeners * rng.uniform(50, 200, size=n)).astype("int64")
    frame = pd.DataFrame({
        "artist_id": np.arange(1, n + 1), "gender": gender, "ethnicity": ethnicity, "genre": genre,
        "country": rng.choice(["USA", "UK", "Canada"], size=n), "label_type": label_type,
        "years_active": years_active, "album_count": album_count, "award_wins": award_wins,
        "monthly_listeners": listeners, "total_streams": streams, "artist_n": n})
    for outcome in OUTCOMES:
        frame[f"{outcome}__is_high_success"] = frame[outcome] >= np.percentile(frame[outcome], 75)
    return frame


def group_outcomes(frame: pd.DataFrame, attributes: list[str]) -> pd.DataFrame:
    """fairness.group_outcomes' reference columns for these artists: the largest group is the reference."""
    rows = []
    for attribute in attributes:
        sizes = frame[attribute].value_counts()
        largest = sorted(sizes.index[sizes == sizes.max()])[0]
        rows += [{"outcome": outcome, "attribute": attribute, "group_value": group, "n": int(size),
                  "is_reference_group": group == largest} for outcome in OUTCOMES for group, size in sizes.items()]
    return pd.DataFrame(rows)
