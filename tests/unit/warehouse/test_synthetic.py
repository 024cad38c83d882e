"""The benchmark's generator: seeded, the workshop's columns and value sets, planted differences."""

import csv

import duckdb
import numpy as np
import pandas as pd
import pytest

from tests import notebook_reference as nb
from warehouse.ingest.header import SOURCE_COLUMNS
from warehouse.ingest.load import check_input_file, load_raw_artists
from warehouse.synthetic import generate_artists, write_csv

CATEGORIES = ["gender", "ethnicity", "genre", "country", "label_type"]
COUNTS = ["monthly_listeners", "total_streams", "album_count", "years_active", "award_wins",
          "spotify_followers", "soundcloud_followers"]


@pytest.fixture(scope="module")
def artists() -> pd.DataFrame:
    return generate_artists(20_000, seed=7).to_pandas()


@pytest.fixture(scope="module")
def workshop(workshop_csv) -> pd.DataFrame:
    return nb.load(workshop_csv)


def test_same_seed_gives_the_same_table_and_another_seed_does_not():
    first, again, other = generate_artists(500, seed=3), generate_artists(500, seed=3), generate_artists(500, seed=4)
    assert first.equals(again)
    assert not first.equals(other)


def test_the_csv_has_the_workshop_header_and_one_line_per_artist(tmp_path):
    path = write_csv(generate_artists(300, seed=1), tmp_path / "artists.csv")
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == list(SOURCE_COLUMNS)
    assert len(rows) == 301
    assert [int(row[0]) for row in rows[1:]] == list(range(1, 301))


def test_categories_come_from_the_workshop_value_sets(artists, workshop):
    for column in CATEGORIES:
        assert set(artists[column].astype(str)) <= set(workshop[column]), column
        assert artists[column].nunique() >= min(2, workshop[column].nunique())


def test_counts_are_whole_in_range_and_heavy_tailed(artists):
    for column in COUNTS:
        assert pd.api.types.is_integer_dtype(artists[column]), column
        assert artists[column].min() >= 0, column
    # the notebook divides by years_active and bins monthly_listeners from (0, 5M]
    assert artists["years_active"].min() >= 1
    assert artists["monthly_listeners"].min() >= 1
    assert artists["total_streams"].max() > np.iinfo(np.int32).max
    listeners = artists["monthly_listeners"]
    assert listeners.mean() > 3 * listeners.median()
    assert listeners.quantile(0.999) > 100 * listeners.median()


def test_success_follows_years_and_awards(artists):
    log_listeners = np.log(artists["monthly_listeners"])
    assert np.corrcoef(log_listeners, np.log(artists["years_active"]))[0, 1] > 0.1
    assert artists.groupby(artists["award_wins"] > 0)["monthly_listeners"].median().is_monotonic_increasing


def test_planted_gaps_reach_the_notebooks_fairness_metrics(artists):
    df_engineered, *_ = nb.engineer_features(artists.astype({column: str for column in CATEGORIES}))
    gender = nb.calculate_fairness_metrics(df_engineered, "gender", "monthly_listeners")
    assert gender["group_rates"]["Male"] - gender["group_rates"]["Female"] > 0.05
    ethnicity = nb.calculate_fairness_metrics(df_engineered, "ethnicity", "monthly_listeners")
    assert min(ethnicity["group_rates"], key=ethnicity["group_rates"].get) == "Middle Eastern"
    label = nb.calculate_fairness_metrics(df_engineered, "label_type", "monthly_listeners")
    assert label["representation_ratio"]["Major"] > 1.5 > 1 > label["representation_ratio"]["Independent"]


def test_quoted_and_accented_names_load_back_as_written(tmp_path):
    table = generate_artists(2_000, seed=5)
    path = write_csv(table, tmp_path / "artists.csv")
    names = table.column("artist_name").to_pylist()
    assert any("," in name for name in names) and any('"' in name for name in names)
    assert any(not name.isascii() for name in names)
    with duckdb.connect() as con:
        load = load_raw_artists(con, check_input_file(path))
        loaded = con.execute(
            "select artist_name, field_count, quotes_balanced from raw.artists order by line_number"
        ).fetchall()
    assert load.rows_read == 2_000
    assert [name for name, _, _ in loaded] == names
    assert {(count, balanced) for _, count, balanced in loaded} == {(len(SOURCE_COLUMNS), True)}
