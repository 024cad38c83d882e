"""A catalogue export (warehouse/synthetic_catalogue.py: its own headers, two extra attributes, an
extra measure, undisclosed gender and ethnicity in several spellings, bad measure values) builds from
CSV and Parquet alike; its rows for the extra attribute and the undisclosed groups equal pandas,
Fairlearn and statsmodels computed here from the input file."""

import contextlib
import io
import json
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from fairlearn.metrics import MetricFrame, selection_rate
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

from tests.conftest import query_df
from tests.non_finite import non_finite_values
from tests.parity import SQL_RTOL
from tests.report_page import parse_page
from tests.unit.ml.project_settings import PROJECT_VARS
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


UNDISCLOSED = {"", "prefer not to say", "unknown", "not stated", "n/a", "undisclosed"}


def build(data, folder, variables) -> tuple[duckdb.DuckDBPyConnection, str]:
    """The built warehouse and what the build wrote to stderr."""
    db = folder / "dei.duckdb"
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        assert build_main(["--data", str(data), "--db", str(db), "--report-dir", str(folder / "report"),
                           "--vars", json.dumps(variables)]) == 0
    return duckdb.connect(str(db), read_only=True), stderr.getvalue()


@pytest.fixture(scope="module")
def csv_built(export, tmp_path_factory):
    return build(export[0], tmp_path_factory.mktemp("csv_build"), BUILD_VARS)


@pytest.fixture(scope="module")
def csv_build(csv_built):
    return csv_built[0]


@pytest.fixture(scope="module")
def parquet_build(export, tmp_path_factory):
    return build(export[1], tmp_path_factory.mktemp("parquet_build"), {**CATALOGUE_VARS, "train_feature_sets": []})[0]


@pytest.fixture(scope="module")
def loaded(export) -> pd.DataFrame:
    """The input file's artists as pandas reads them, less the rows whose measure is no count (the
    quarantine's rule), with a blank or undisclosed gender or ethnicity as the group Undisclosed."""
    frame = pd.read_csv(export[0], dtype=str, keep_default_na=False)
    artists = frame[frame["Playlist Adds"].str.match(COUNT)].copy()
    for column in ("Gender", "Ethnicity"):
        hidden = artists[column].str.strip().str.lower().isin(UNDISCLOSED)
        artists[column] = artists[column].where(~hidden, "Undisclosed")
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


def high_success(loaded: pd.DataFrame, outcome: str) -> pd.Series:
    return loaded[outcome] >= np.percentile(loaded[outcome], 75)


@pytest.mark.parametrize("attribute", ["gender", "ethnicity"])
def test_the_undisclosed_group_is_a_flagged_group_never_the_reference(csv_build, loaded, attribute):
    groups = query_df(csv_build, "select group_value, n, high_success_rate, is_undisclosed, is_reference_group "
                                 "from fairness.group_outcomes where outcome = 'playlist_adds' and attribute = ? "
                                 "order by group_value", [attribute])
    expected = loaded.assign(high=high_success(loaded, "playlist_adds")).groupby(attribute.title())["high"].agg(
        ["size", "mean"])
    assert list(groups["group_value"]) == list(expected.index)
    assert list(groups["n"]) == list(expected["size"])
    np.testing.assert_allclose(groups["high_success_rate"], expected["mean"], rtol=SQL_RTOL)
    assert list(groups.loc[groups["is_undisclosed"], "group_value"]) == ["Undisclosed"]
    disclosed = expected.drop(index="Undisclosed")
    assert list(groups.loc[groups["is_reference_group"], "group_value"]) == [disclosed["size"].idxmax()]


@pytest.mark.parametrize("attribute", ["gender", "ethnicity"])
def test_an_undisclosed_artist_takes_the_seeds_default_equity_weight_flagged(csv_build, loaded, attribute):
    seed = pd.read_csv(Path(__file__).parents[2] / "dbt_project" / "seeds" / "equity_weights.csv")
    [default] = seed.loc[(seed["weight_set"] == "unknown_category") & (seed["item"] == "default"), "weight"]
    scores = query_df(csv_build, f"select {attribute}_weight as weight, {attribute}_weight_defaulted as defaulted "
                                 f"from equity.artist_equity_scores where {attribute} = 'Undisclosed'")
    assert len(scores) == (loaded[attribute.title()] == "Undisclosed").sum() > 0
    assert scores["defaulted"].all() and (scores["weight"] == default).all()


def test_an_intersection_flags_every_group_with_an_undisclosed_member(csv_build):
    flags = dict(csv_build.execute("select group_value, is_undisclosed from fairness.group_outcomes "
                                   "where outcome = 'playlist_adds' and attribute = 'gender_ethnicity'").fetchall())
    assert flags["Female_Undisclosed"] and flags["Undisclosed_White"] and flags["Undisclosed_Undisclosed"]
    assert not flags["Female_White"]
    assert {value for value, flagged in flags.items() if flagged} == {
        value for value in flags if "Undisclosed" in value.split("_")}


@pytest.mark.parametrize("attribute", ["gender", "ethnicity"])
def test_attribute_disclosure_equals_pandas_and_statsmodels(csv_build, loaded, attribute):
    [row] = query_df(csv_build, "select * from fairness.attribute_disclosure where outcome = 'playlist_adds' "
                                "and attribute = ?", [attribute]).to_dict("records")
    hidden = loaded[attribute.title()] == "Undisclosed"
    high = high_success(loaded, "playlist_adds")
    k1, n1, k2, n2 = high[hidden].sum(), hidden.sum(), high[~hidden].sum(), (~hidden).sum()
    assert (row["n"], row["undisclosed_n"], row["disclosed_n"]) == (len(loaded), n1, n2)
    assert row["disclosure_rate"] == pytest.approx(n2 / len(loaded), rel=1e-12)
    assert row["rate_difference"] == pytest.approx(k1 / n1 - k2 / n2, rel=1e-9)
    z, p_value = proportions_ztest([k1, k2], [n1, n2])
    assert (row["z_statistic"], row["p_value"]) == (pytest.approx(z, rel=1e-9), pytest.approx(p_value, rel=1e-9))
    low, high_bound = confint_proportions_2indep(k1, n1, k2, n2, compare="diff", method="newcomb")
    assert (row["rate_difference_ci_low"], row["rate_difference_ci_high"]) == (
        pytest.approx(low, rel=1e-9), pytest.approx(high_bound, rel=1e-9))
    assert row["disclosure_warning"] == (n1 / len(loaded) > 0.1)


def test_the_build_prints_one_line_per_attribute_too_few_disclosed(csv_built, csv_build):
    flagged = [attribute for (attribute,) in csv_build.execute(
        "select distinct attribute from fairness.attribute_disclosure where disclosure_warning order by 1").fetchall()]
    lines = [line for line in csv_built[1].splitlines() if line.startswith("warning:")]
    assert flagged == ["ethnicity", "gender_ethnicity"]
    assert [line.split(":")[1].strip() for line in lines] == flagged
    rate = csv_build.execute("select any_value(disclosure_rate) from fairness.attribute_disclosure "
                             "where attribute = 'ethnicity'").fetchone()[0]
    assert f"disclosure rate {rate:.1%}" in lines[0]


def test_no_value_of_the_catalogue_build_is_nan_or_infinite(csv_build):
    assert non_finite_values(csv_build) == {}


# the raw output of Python models, each described as "Internal: <table> is the table to read"
INTERNAL_FITS = {"fairness.adjusted_gap_fits", "fairness.gap_decomposition_terms", "fairness.group_comparison_tests"}


def group_keyed_tables(connection: duckdb.DuckDBPyConnection) -> list[str]:
    """Every table or view an analyst reads that has a group_value column (the report's feed aside)."""
    rows = connection.execute("""
        select distinct table_schema || '.' || table_name from information_schema.columns
        where table_catalog = current_database() and column_name = 'group_value' and table_schema <> 'reporting'
        order by 1""").fetchall()
    return [table for (table,) in rows if table not in INTERNAL_FITS]


def undisclosed_flag_problem(connection: duckdb.DuckDBPyConnection, table: str, expected: set) -> str | None:
    """What is wrong with a table's is_undisclosed column against fairness.group_outcomes', if anything."""
    columns = {name for (name,) in connection.execute(f"select column_name from (describe {table})").fetchall()}
    if "is_undisclosed" not in columns:
        return "no is_undisclosed column"
    return group_flag_problem(connection, table, "group_value", "is_undisclosed", expected)


def group_flag_problem(connection: duckdb.DuckDBPyConnection, table: str, group: str, flag: str,
                       expected: set) -> str | None:
    """The flag of each group as group_outcomes has it; false for an attribute it does not break down
    (ml.counterfactual_flips also flips genre, country and the label)."""
    flagged = set(connection.execute(f"select distinct attribute, {group}, {flag} from {table} "
                                     f"where {group} is not null").fetchall())
    protected = {attribute for attribute, _, _ in expected}
    if not {row for row in flagged if row[0] in protected} <= expected:
        return f"flags differ from group_outcomes: {sorted(flagged - expected)[:3]}"
    if any(is_flagged for attribute, _, is_flagged in flagged if attribute not in protected):
        return "flags a group of an attribute that is not protected"
    # history.group_outcome_changes is empty until a second build
    if flagged and not {("gender", "Undisclosed", True), ("gender", "Female", False)} <= flagged:
        return "lacks gender's Undisclosed or Female row"
    return None


def test_every_table_keyed_by_group_flags_the_undisclosed_groups_as_group_outcomes_does(csv_build):
    expected = set(csv_build.execute("select distinct attribute, group_value, is_undisclosed "
                                     "from fairness.group_outcomes").fetchall())
    tables = group_keyed_tables(csv_build)
    assert {"fairness.threshold_sweep", "ml.counterfactual_flips", "history.group_outcomes_history"} <= set(tables)
    problems = {table: problem for table in tables
                if (problem := undisclosed_flag_problem(csv_build, table, expected)) is not None}
    assert problems == {}
    assert group_flag_problem(csv_build, "ml.counterfactual_flips", "counterfactual_group",
                              "counterfactual_is_undisclosed", expected) is None


def disclosed_rate_ratio(rates: pd.Series) -> float:
    disclosed = rates.drop(index="Undisclosed")
    return disclosed.min() / disclosed.max()


def test_the_sweep_disparate_impact_compares_the_disclosed_groups(csv_build, loaded):
    [ratio] = csv_build.execute("select distinct disparate_impact_ratio from fairness.threshold_sweep "
                                "where outcome = 'playlist_adds' and attribute = 'ethnicity' and cut = 'p75'"
                                ).fetchone()
    rates = loaded.assign(high=high_success(loaded, "playlist_adds")).groupby("Ethnicity")["high"].mean()
    assert ratio == pytest.approx(disclosed_rate_ratio(rates), rel=SQL_RTOL)


def test_the_model_summary_compares_the_disclosed_groups_as_fairlearn_does_without_the_undisclosed(csv_build):
    rows = query_df(csv_build, """
        select predictions.actual, predictions.predicted, features.ethnicity
        from ml.model_predictions as predictions
        inner join features.artist_features as features using (artist_id)
        where predictions.split = 'test' order by artist_id""")
    threshold = csv_build.execute("select any_value(threshold) from ml.prediction_group_metrics").fetchone()[0]
    disclosed = rows[rows["ethnicity"] != "Undisclosed"].reset_index(drop=True)
    # every test row is re-scored (fewer than var counterfactual_max_rows), resampled in artist_id order
    confidence = PROJECT_VARS["rate_interval_confidence"]
    frame = MetricFrame(metrics=selection_rate, y_true=disclosed["actual"] >= threshold,
                        y_pred=disclosed["predicted"] >= threshold, sensitive_features=disclosed["ethnicity"],
                        n_boot=PROJECT_VARS["model_fairness_bootstrap_draws"], ci_quantiles=[
                            (1 - confidence) / 2, (1 + confidence) / 2], random_state=PROJECT_VARS["random_state"])
    [difference, n, low, high] = csv_build.execute(
        "select demographic_parity_difference, gap_interval_n, demographic_parity_difference_ci_low, "
        "demographic_parity_difference_ci_high from ml.prediction_fairness_summary where attribute = 'ethnicity'"
    ).fetchone()
    assert difference == pytest.approx(frame.difference(), rel=SQL_RTOL)
    assert n == len(disclosed)
    assert [low, high] == pytest.approx(list(frame.difference_ci()), rel=SQL_RTOL)


def test_conditional_parity_summary_never_picks_the_undisclosed_group(csv_build):
    picked = csv_build.execute("select cdd_group, epsilon_higher_rate_group, epsilon_lower_rate_group "
                               "from fairness.conditional_parity_summary where attribute = 'gender'").fetchall()
    assert picked and all("Undisclosed" not in row for row in picked)


def test_the_report_lists_the_undisclosed_artists_and_the_warnings(csv_build):
    [db_path] = csv_build.execute("select path from duckdb_databases() where database_name = current_database()"
                                  ).fetchone()
    rows = parse_page(Path(db_path).parent / "report" / "index.html").tables["attribute-disclosure"]
    shown = {(row[0]["text"], row[1]["text"]): (row[2]["text"], row[-1]["text"]) for row in rows if row}
    expected = csv_build.execute("select outcome, attribute, undisclosed_n, disclosure_warning "
                                 "from fairness.attribute_disclosure").fetchall()
    assert shown == {(outcome, attribute): (f"{n:,}", "yes" if warned else "no")
                     for outcome, attribute, n, warned in expected}
