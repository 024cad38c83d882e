"""A catalogue export (warehouse/synthetic_catalogue.py: its own headers, two extra attributes, an
extra measure, bad measure values) builds from CSV and Parquet alike; the extra attribute's rows equal
pandas and Fairlearn computed here from the input file."""

import json

import duckdb
import numpy as np
import pandas as pd
import pytest
from fairlearn.metrics import MetricFrame, selection_rate

from tests.conftest import query_df
from tests.parity import SQL_RTOL
from warehouse.build import main as build_main
from warehouse.synthetic import generate_artists, write_csv, write_parquet
from warehouse.synthetic_catalogue import CATALOGUE_VARS, catalogue_export

ROWS = 20_000
# one model on one feature set: the ml tables break down by the extra attributes too, at a test's cost
BUILD_VARS = {**CATALOGUE_VARS, "train_feature_sets": ["notebook"], "model_names": ["Linear Regression"]}
COUNT = r"^\s*[0-9]+\s*$"


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    folder = tmp_path_factory.mktemp("catalogue")
    table = catalogue_export(generate_artists(ROWS, 7), 7)
    return write_csv(table, folder / "catalogue.csv"), write_parquet(table, folder / "catalogue.parquet")


def build(data, folder, variables) -> duckdb.DuckDBPyConnection:
    db = folder / "dei.duckdb"
    assert build_main(["--data", str(data), "--db", str(db), "--report-dir", str(folder / "report"),
                       "--vars", json.dumps(variables)]) == 0
    return duckdb.connect(str(db), read_only=True)


@pytest.fixture(scope="module")
def csv_build(export, tmp_path_factory):
    return build(export[0], tmp_path_factory.mktemp("csv_build"), BUILD_VARS)


@pytest.fixture(scope="module")
def parquet_build(export, tmp_path_factory):
    return build(export[1], tmp_path_factory.mktemp("parquet_build"), {**CATALOGUE_VARS, "train_feature_sets": []})


@pytest.fixture(scope="module")
def loaded(export) -> pd.DataFrame:
    """The input file's artists as pandas reads them, less the rows whose measure is no count or
    whose gender or ethnicity is blank (the quarantine's rules for these columns)."""
    frame = pd.read_csv(export[0], dtype=str, keep_default_na=False)
    valid = (frame["Playlist Adds"].str.match(COUNT) & (frame["Gender"].str.strip() != "")
             & (frame["Ethnicity"].str.strip() != ""))
    artists = frame[valid].copy()
    artists["playlist_adds"] = artists["Playlist Adds"].astype("int64")
    artists["monthly_listeners"] = artists["Monthly Listeners"].astype("int64")
    return artists


def test_no_artist_is_lost_and_bad_measures_are_quarantined_with_their_reason(csv_build, export):
    frame = pd.read_csv(export[0], dtype=str, keep_default_na=False)
    [(read, loaded, quarantined)] = csv_build.execute(
        "select rows_read, artists_loaded, rows_quarantined from audit.load_reconciliation").fetchall()
    assert read == loaded + quarantined == ROWS
    reasons = dict(csv_build.execute(
        "select offending_value, count(*) from audit.quarantined_artists where reason_column = 'playlist_adds' "
        "group by all").fetchall())
    bad = frame.loc[~frame["Playlist Adds"].str.match(COUNT), "Playlist Adds"].value_counts().to_dict()
    assert reasons == bad and len(bad) == 3


@pytest.mark.parametrize("outcome", ["playlist_adds", "monthly_listeners"])
def test_the_extra_attribute_group_outcomes_equal_pandas(csv_build, loaded, outcome):
    groups = query_df(csv_build, "select group_value, n, high_success_rate, mean_outcome from fairness.group_outcomes "
                                 "where outcome = ? and attribute = 'region' order by group_value", [outcome])
    threshold = np.percentile(loaded[outcome], 75)
    expected = loaded.assign(high=loaded[outcome] >= threshold).groupby("Region").agg(
        n=("high", "size"), high_success_rate=("high", "mean"), mean_outcome=(outcome, "mean"))
    assert list(groups["group_value"]) == list(expected.index)
    assert list(groups["n"]) == list(expected["n"])
    np.testing.assert_allclose(groups["high_success_rate"], expected["high_success_rate"], rtol=SQL_RTOL)
    np.testing.assert_allclose(groups["mean_outcome"], expected["mean_outcome"], rtol=SQL_RTOL)


def test_fairlearn_selection_rate_by_region_equals_the_warehouse(csv_build, loaded):
    rates = dict(csv_build.execute("select group_value, high_success_rate from fairness.group_outcomes "
                                   "where outcome = 'playlist_adds' and attribute = 'region'").fetchall())
    selected = (loaded["playlist_adds"] >= np.percentile(loaded["playlist_adds"], 75)).astype(int)
    frame = MetricFrame(metrics=selection_rate, y_true=selected, y_pred=selected,
                        sensitive_features=loaded["Region"])
    for region, rate in frame.by_group.items():
        assert rates[region] == pytest.approx(rate, rel=1e-9)


def test_every_breakdown_covers_the_extra_attributes(csv_build):
    for table in ("fairness.fairness_summary", "fairness.group_comparisons", "fairness.threshold_sweep",
                  "equity.top_k_representation", "ml.prediction_group_metrics", "ml.cluster_composition"):
        attributes = {row[0] for row in csv_build.execute(f"select distinct attribute from {table}").fetchall()}
        assert {"region", "age_bracket"} <= attributes, table


def test_parquet_and_csv_give_the_same_features(csv_build, parquet_build, loaded):
    columns = "artist_id, region, age_bracket, region_encoded, playlist_adds, gender, monthly_listeners"
    from_csv = csv_build.execute(f"select {columns} from features.artist_features order by artist_id").fetchall()
    assert parquet_build.execute(f"select {columns} from features.artist_features order by artist_id").fetchall() \
        == from_csv
    assert len(from_csv) == len(loaded)
