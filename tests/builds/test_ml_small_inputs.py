"""Small inputs end to end: the model steps that cannot run are skipped with a reason in
ml.model_step_log, the SQL layers are still published, and no ml table holds NaN or infinity."""

import duckdb
import pandas as pd
import pytest

from tests.conftest import query_df
from tests.non_finite import non_finite_values
from warehouse.build import DEFAULT_DATA
from warehouse.build import main as build_main

pytestmark = pytest.mark.slow


def build(tmp_path, rows: pd.DataFrame, *extra: str) -> duckdb.DuckDBPyConnection:
    csv = tmp_path / "artists.csv"
    rows.to_csv(csv, index=False)
    db = tmp_path / "dei.duckdb"
    assert build_main(["--data", str(csv), "--db", str(db), "--report-dir", str(tmp_path / "report"), *extra]) == 0
    return duckdb.connect(str(db), read_only=True)


@pytest.fixture(scope="module")
def workshop_rows() -> pd.DataFrame:
    return pd.read_csv(DEFAULT_DATA)


@pytest.fixture(scope="module")
def three_artists(tmp_path_factory, workshop_rows):
    with build(tmp_path_factory.mktemp("three"), workshop_rows.head(3)) as con:
        yield con


@pytest.fixture(scope="module")
def twelve_artists_notebook_only(tmp_path_factory, workshop_rows):
    rows = workshop_rows.head(12).copy()
    rows.loc[0, "years_active"] = 0
    rows.loc[1, "monthly_listeners"] = 0
    with build(tmp_path_factory.mktemp("twelve"), rows, "--feature-sets", "notebook") as con:
        yield con


def test_three_artists_publish_the_sql_layers(three_artists):
    assert three_artists.execute("select count(*) from features.artist_features").fetchone()[0] == 3
    assert three_artists.execute("select count(*) from ml.model_predictions").fetchone()[0] == 0
    assert three_artists.execute("select count(*) from ml.artist_clusters").fetchone()[0] == 0


def test_three_artists_log_why_every_model_step_was_skipped(three_artists):
    log = query_df(three_artists, "select * from ml.model_step_log")
    regression = log[log["step"] == "regression"]
    assert set(regression["status"]) == {"skipped"}
    assert set(regression["reason_code"]) == {"fewer_training_rows_than_cv_folds"}
    assert set(regression["n_rows"]) == {3}
    clusters = log[log["step"] == "clusters"]
    assert list(clusters["reason_code"]) == ["fewer_distinct_artists_than_clusters"]
    elbow = log[log["step"] == "elbow"].set_index("k")
    assert list(elbow.loc[[2, 3], "status"]) == ["trained", "trained"]
    assert set(elbow.loc[4:, "status"]) == {"skipped"}


def test_three_artists_leave_no_nan_or_infinity(three_artists):
    assert non_finite_values(three_artists) == {}


def test_feature_sets_option_trains_only_that_set(twelve_artists_notebook_only):
    fits = query_df(twelve_artists_notebook_only, "select feature_set, status from ml_internal.model_fits")
    assert set(fits["feature_set"]) == {"notebook"}
    assert set(fits["status"]) == {"trained"}


def test_zero_listeners_give_a_null_pct_error_with_a_flag(twelve_artists_notebook_only):
    rows = query_df(twelve_artists_notebook_only, """
        select actual, pct_error, pct_error_undefined from ml.model_predictions where actual = 0
    """)
    assert len(rows) == 5
    assert rows["pct_error"].isna().all() and rows["pct_error_undefined"].all()


def test_folds_too_small_for_r2_give_null_cv_r2_with_a_flag(twelve_artists_notebook_only):
    metrics = query_df(twelve_artists_notebook_only, "select cv_r2_mean, cv_r2_undefined from ml.model_metrics")
    # 8 training rows in 5 folds: two folds hold out a single artist, where R2 is undefined
    assert metrics["cv_r2_mean"].isna().all() and metrics["cv_r2_undefined"].all()


def test_cv_scores_flag_the_folds_too_small_for_r2(twelve_artists_notebook_only):
    folds = query_df(twelve_artists_notebook_only, """
        select cv_fold, held_out_rows, cv_r2_undefined, cv_r2 is null as cv_r2_null from ml.model_cv_scores
    """)
    # KFold splits 8 training rows into folds of 2, 2, 2, 1 and 1: R2 needs two rows
    assert (folds["cv_r2_undefined"] == (folds["held_out_rows"] < 2)).all()
    assert (folds["cv_r2_undefined"] == folds["cv_r2_null"]).all()
    assert set(folds.loc[folds["cv_r2_undefined"], "cv_fold"]) == {3, 4}


def test_twelve_artists_leave_no_nan_or_infinity(twelve_artists_notebook_only):
    assert non_finite_values(twelve_artists_notebook_only) == {}
