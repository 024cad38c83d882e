"""An attribute with fewer than two groups compares nothing: every artist a woman (one gender) in one
country. Its between-group ratios are null with a reason and its verdict is not_comparable, never the
1.0 and pass that a lone group's rate over itself gives, in every table that reports one and on the
report page. The attributes that still have groups (ethnicity, genre, ...) keep their verdicts.

Two builds into one warehouse, so that history.fairness_changes has a previous build to compare
with: the workshop file as it is (no models, fast), then the same 40 artists with one gender and one
country (the notebook's feature set trained, so ml.prediction_fairness_summary has rows)."""

from __future__ import annotations

import json

import duckdb
import pandas as pd
import pytest

from tests.conftest import build_from_rows, query_df
from tests.hostile_files import workshop_records
from tests.report_page import body_rows, parse_page
from warehouse.ingest.header import SOURCE_COLUMNS

SINGLE_GROUP = {"gender": "Female", "country": "USA"}
LONE_ATTRIBUTES = sorted(SINGLE_GROUP)
REASON = "fewer_than_two_groups"
CUT_REASONS = {"selects_everybody", "selects_nobody"}


def catalogue(**overrides: str) -> list[list[str]]:
    return [[{**record, **overrides}[column] for column in SOURCE_COLUMNS] for record in workshop_records()]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("single_group")
    header = list(SOURCE_COLUMNS)
    build_from_rows(folder, "catalogue", header, catalogue(), "--vars", json.dumps({"train_feature_sets": []}))
    _, db = build_from_rows(folder, "catalogue", header, catalogue(**SINGLE_GROUP), "--feature-sets", "notebook")
    return db, folder / "report" / "index.html"


@pytest.fixture(scope="module")
def con(built):
    with duckdb.connect(str(built[0]), read_only=True) as connection:
        yield connection


@pytest.fixture(scope="module")
def page(built):
    return parse_page(built[1])


def lone(con, sql: str) -> pd.DataFrame:
    """The rows of the query for the single-group attributes (the query selects `attribute`)."""
    rows = query_df(con, sql)
    rows = rows[rows["attribute"].isin(LONE_ATTRIBUTES)]
    assert not rows.empty
    return rows


def assert_null(rows: pd.DataFrame, columns: list[str]):
    assert rows[columns].isna().all().all(), rows[columns]


def test_fairness_summary_is_not_comparable_without_ratios(con):
    summary = lone(con, "select * from fairness.fairness_summary")
    assert set(summary["n_groups"]) == {1}
    assert set(summary["four_fifths_verdict"]) == {"not_comparable"}
    assert set(summary["not_comparable_reason"]) == {REASON}
    assert_null(summary, ["statistical_parity_difference", "disparate_impact_ratio", "disparate_impact_ci_low",
                          "disparate_impact_ci_high", "passes_four_fifths", "large_groups_disparate_impact_ratio",
                          "large_groups_pass_four_fifths", "groups_outside_parity_band", "success_ratio"])
    assert summary["disparate_impact_undefined"].all() and summary["success_ratio_undefined"].all()


def test_attributes_with_groups_keep_their_verdict(con):
    summary = query_df(con, "select * from fairness.fairness_summary where n_groups >= 2")
    assert set(summary["attribute"]) == {"ethnicity", "genre", "label_type", "gender_ethnicity"}
    assert summary["not_comparable_reason"].isna().all()
    assert summary["statistical_parity_difference"].notna().all()
    assert set(summary["four_fifths_verdict"].dropna()) <= {"pass", "conclusive_fail", "inconclusive"}


def test_conditional_parity_summary_has_no_disparity_within_strata(con):
    summary = lone(con, "select * from fairness.conditional_parity_summary")
    assert set(summary["n_groups"]) == {1}
    assert_null(summary, ["conditional_demographic_disparity", "differential_fairness_epsilon"])
    assert set(summary["cdd_undefined_reason"]) == set(summary["epsilon_undefined_reason"]) == {REASON}


@pytest.mark.parametrize("table", ["fairness.threshold_sweep", "reporting.disparate_impact_by_cut"])
def test_the_threshold_sweep_has_no_disparate_impact_at_any_cut(con, table):
    sweep = lone(con, f"select * from {table}")
    assert_null(sweep, ["disparate_impact_ratio"])
    # a cut that selects everybody or nobody says so first, for every attribute alike
    assert set(sweep["disparate_impact_undefined_reason"]) - CUT_REASONS == {REASON}
    at_high_success = sweep[sweep["cut"] == "p75"]
    assert set(at_high_success["disparate_impact_undefined_reason"]) == {REASON}


def test_prediction_fairness_summary_compares_no_group_with_itself(con):
    summary = lone(con, "select * from ml.prediction_fairness_summary")
    assert set(summary["n_groups"]) == {1}
    assert set(summary["not_comparable_reason"]) == {REASON}
    compared = [column for column in summary.columns if column.endswith(("_difference", "_ratio"))]
    assert {"mae_ratio", "equalized_odds_difference", "demographic_parity_ratio"} <= set(compared)
    assert_null(summary, compared)
    undefined = [column for column in summary.columns
                 if column.endswith("_undefined") and column.removesuffix("_undefined") in compared]
    assert len(undefined) >= 6 and summary[undefined].all().all()
    others = query_df(con, "select * from ml.prediction_fairness_summary where attribute = 'ethnicity'")
    assert others["not_comparable_reason"].isna().all() and others["mae_ratio"].notna().all()


def test_the_history_keeps_the_verdict_and_flags_the_flip(con):
    history = lone(con, "select * from history.fairness_summary_history")
    latest = history[history["build_number"] == history["build_number"].max()]
    # the verdict is copied; the reason stays in fairness.fairness_summary
    assert set(latest["four_fifths_verdict"]) == {"not_comparable"}
    assert_null(latest, ["disparate_impact_ratio", "statistical_parity_difference", "passes_four_fifths",
                         "groups_outside_parity_band", "success_ratio"])
    changes = lone(con, "select * from history.fairness_changes where baseline = 'previous'")
    assert set(changes["four_fifths_verdict"]) == {"not_comparable"}
    assert "not_comparable" not in set(changes["baseline_four_fifths_verdict"])
    assert changes["verdict_flipped"].all()
    assert_null(changes, ["disparate_impact_ratio", "disparate_impact_change"])


def report_rows(page, table_id: str) -> list[list[str]]:
    """The text of the table's rows for the single-group attributes (the attribute in column 2)."""
    rows = [[cell["text"] for cell in row] for row in body_rows(page, table_id)]
    found = [row for row in rows if row[1] in LONE_ATTRIBUTES]
    assert found
    return found


def test_the_report_says_not_comparable_not_pass(page):
    for table_id, verdict_column in (("fairness-summary", 6), ("fairness-verdicts", 5)):
        for row in report_rows(page, table_id):
            assert row[verdict_column] == "not comparable"
            assert not {"pass", "yes"} & set(row), row
    for row in report_rows(page, "since-last-build"):
        assert row[6] == "not comparable"
    assert "→ not comparable" in page.facts["Verdicts flipped"]["text"]
