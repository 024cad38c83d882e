"""features.artist_features and label_encodings equal the notebook's engineer_features cell."""

import numpy as np
import pandas as pd
import pytest

from tests import notebook_reference as nb
from tests.parity import SQL_RTOL

RATIO_COLUMNS = [
    "listeners_per_year", "streams_per_year", "albums_per_year", "awards_per_year",
    "spotify_soundcloud_ratio", "followers_to_listeners_ratio", "streams_per_listener",
]
ENCODED_COLUMNS = ["gender_encoded", "ethnicity_encoded", "genre_encoded", "country_encoded", "label_encoded"]


@pytest.fixture(scope="module")
def notebook_features(workshop_csv):
    df_engineered, *_ = nb.engineer_features(nb.load(workshop_csv))
    return df_engineered.set_index("artist_id").sort_index()


@pytest.fixture(scope="module")
def warehouse_features(workshop_db):
    import duckdb
    with duckdb.connect(str(workshop_db), read_only=True) as con:
        return con.execute("select * from features.artist_features").df().set_index("artist_id").sort_index()


def test_every_artist_is_there(notebook_features, warehouse_features):
    assert list(warehouse_features.index) == list(notebook_features.index)
    assert len(warehouse_features) == 40


@pytest.mark.parametrize("column", RATIO_COLUMNS)
def test_ratio_equals_notebook(column, notebook_features, warehouse_features):
    np.testing.assert_allclose(warehouse_features[column], notebook_features[column], rtol=SQL_RTOL, atol=0)


@pytest.mark.parametrize("column", ENCODED_COLUMNS + ["gender_ethnicity", "genre_label"])
def test_encoding_and_interaction_keys_equal_notebook(column, notebook_features, warehouse_features):
    assert list(warehouse_features[column]) == list(notebook_features[column])


def test_success_tier_equals_pd_cut(notebook_features, warehouse_features):
    expected = notebook_features["success_tier"].astype(object).where(notebook_features["success_tier"].notna(), None)
    assert list(warehouse_features["success_tier"]) == list(expected)


def test_label_encodings_table_is_labelencoder_classes(workshop_csv, workshop_db):
    import duckdb
    _, le_gender, le_ethnicity, le_genre, le_country, le_label = nb.engineer_features(nb.load(workshop_csv))
    encoders = {"gender": le_gender, "ethnicity": le_ethnicity, "genre": le_genre,
                "country": le_country, "label_type": le_label}
    with duckdb.connect(str(workshop_db), read_only=True) as con:
        table = con.execute("select attribute, value, code from features.label_encodings").df()
    for attribute, encoder in encoders.items():
        rows = table[table["attribute"] == attribute].sort_values("code")
        assert list(rows["value"]) == list(encoder.classes_)
        assert list(rows["code"]) == list(range(len(encoder.classes_)))


def test_source_columns_are_typed_like_pandas(notebook_features, warehouse_features):
    for column in ["monthly_listeners", "total_streams", "album_count", "years_active",
                   "award_wins", "spotify_followers", "soundcloud_followers"]:
        assert pd.api.types.is_integer_dtype(warehouse_features[column])
        assert list(warehouse_features[column]) == list(notebook_features[column])
