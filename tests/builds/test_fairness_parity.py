"""fairness.group_outcomes and fairness.fairness_summary equal the notebook's calculate_fairness_metrics.

The notebook prints gender and ethnicity on monthly_listeners; the same function is run here for
every outcome and protected attribute the warehouse is configured with.
"""

import itertools
import json

import numpy as np
import pandas as pd
import pytest
import yaml

from tests import notebook_reference as nb
from tests.conftest import REPO_ROOT, build_from_rows, query_df
from tests.parity import SQL_RTOL
from warehouse.dbt_runner import dbt_target_dir
from warehouse.settings.derived import fairness_attributes

VARS = yaml.safe_load((REPO_ROOT / "dbt_project" / "dbt_project.yml").read_text())["vars"]
CASES = list(itertools.product(VARS["outcomes"], fairness_attributes(VARS)))


def assert_close(actual, expected):
    np.testing.assert_allclose(actual, expected, rtol=SQL_RTOL, atol=0)


@pytest.fixture(scope="module")
def df_engineered(workshop_csv):
    df_engineered, *_ = nb.engineer_features(nb.load(workshop_csv))
    return df_engineered


@pytest.fixture(scope="module")
def group_outcomes(workshop_db):
    import duckdb
    with duckdb.connect(str(workshop_db), read_only=True) as con:
        return query_df(con, "select * from fairness.group_outcomes")


@pytest.fixture(scope="module")
def fairness_summary(workshop_db):
    import duckdb
    with duckdb.connect(str(workshop_db), read_only=True) as con:
        return query_df(con, "select * from fairness.fairness_summary")


def summary_row(fairness_summary, outcome, attribute):
    rows = fairness_summary[(fairness_summary["outcome"] == outcome) & (fairness_summary["attribute"] == attribute)]
    assert len(rows) == 1
    return rows.iloc[0]


def groups_of(group_outcomes, outcome, attribute):
    rows = group_outcomes[(group_outcomes["outcome"] == outcome) & (group_outcomes["attribute"] == attribute)]
    return rows.set_index("group_value")


def test_every_configured_outcome_and_attribute_is_summarised(fairness_summary):
    assert sorted(zip(fairness_summary["outcome"], fairness_summary["attribute"], strict=True)) == sorted(CASES)


def test_notebook_headline_cases_are_covered():
    assert ("monthly_listeners", "gender") in CASES
    assert ("monthly_listeners", "ethnicity") in CASES


@pytest.mark.parametrize(("outcome", "attribute"), CASES)
def test_summary_metrics_equal_notebook(outcome, attribute, df_engineered, fairness_summary):
    expected = nb.calculate_fairness_metrics(df_engineered, attribute, outcome)
    row = summary_row(fairness_summary, outcome, attribute)
    assert_close(row["statistical_parity_difference"], expected["statistical_parity_diff"])
    assert_close(row["success_ratio"], expected["success_ratio"])
    assert_close(row["threshold"], np.percentile(df_engineered[outcome], 75))


@pytest.mark.parametrize(("outcome", "attribute"), CASES)
def test_group_rates_means_and_representation_equal_notebook(outcome, attribute, df_engineered, group_outcomes):
    expected = nb.calculate_fairness_metrics(df_engineered, attribute, outcome)
    groups = groups_of(group_outcomes, outcome, attribute)
    assert sorted(groups.index) == sorted(expected["group_rates"])
    order = sorted(expected["group_rates"])
    assert_close(groups.loc[order, "high_success_rate"], [expected["group_rates"][g] for g in order])
    assert_close(groups.loc[order, "mean_outcome"], [expected["avg_success_by_group"][g] for g in order])
    assert_close(groups.loc[order, "representation_ratio"], [expected["representation_ratio"][g] for g in order])


@pytest.mark.parametrize(("outcome", "attribute"), CASES)
def test_disparate_impact_is_min_over_max_rate(outcome, attribute, df_engineered, fairness_summary):
    rates = nb.calculate_fairness_metrics(df_engineered, attribute, outcome)["group_rates"].values()
    row = summary_row(fairness_summary, outcome, attribute)
    assert_close(row["disparate_impact_ratio"], min(rates) / max(rates))
    assert row["passes_four_fifths"] == (min(rates) / max(rates) >= VARS["four_fifths_threshold"])


@pytest.mark.parametrize(("outcome", "attribute"), CASES)
def test_large_groups_disparate_impact_leaves_small_groups_out(outcome, attribute, df_engineered, fairness_summary):
    rates = nb.calculate_fairness_metrics(df_engineered, attribute, outcome)["group_rates"]
    sizes = df_engineered[attribute].value_counts()
    large = [rate for group, rate in rates.items() if sizes[group] >= VARS["min_group_size"]]
    row = summary_row(fairness_summary, outcome, attribute)
    if len(large) < 2 or max(large) == 0:
        assert np.isnan(row["large_groups_disparate_impact_ratio"])
    else:
        assert_close(row["large_groups_disparate_impact_ratio"], min(large) / max(large))


def test_wilson_interval_of_female_artists(group_outcomes, df_engineered):
    from scipy import stats

    female = groups_of(group_outcomes, "monthly_listeners", "gender").loc["Female"]
    threshold = np.percentile(df_engineered["monthly_listeners"], 75)
    women = df_engineered[df_engineered["gender"] == "Female"]
    k, n = int((women["monthly_listeners"] >= threshold).sum()), len(women)
    z = stats.norm.ppf(0.975)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert_close([female["rate_ci_low"], female["rate_ci_high"]], [centre - half, centre + half])
    assert female["rate_ci_low"] < female["high_success_rate"] < female["rate_ci_high"]


def test_disparity_ratio_is_against_the_largest_group(group_outcomes, df_engineered):
    groups = groups_of(group_outcomes, "monthly_listeners", "ethnicity")
    largest = df_engineered["ethnicity"].value_counts().idxmax()
    assert set(groups["reference_group"]) == {largest}
    assert groups.loc[largest, "is_reference_group"]
    assert groups["is_reference_group"].sum() == 1
    reference_rate = groups.loc[largest, "high_success_rate"]
    assert_close(groups["disparity_ratio"], groups["high_success_rate"] / reference_rate)


def test_small_groups_are_flagged(group_outcomes, df_engineered):
    groups = groups_of(group_outcomes, "monthly_listeners", "ethnicity")
    counts = df_engineered["ethnicity"].value_counts()
    assert_close(groups.loc[counts.index, "n"], counts.to_numpy())
    expected_small = counts.index[counts < VARS["min_group_size"]]
    assert sorted(groups.index[groups["small_group"]]) == sorted(expected_small)
    assert len(expected_small) > 0


def test_statistical_tests_equal_scipy_on_the_notebook_frame(fairness_summary, df_engineered):
    from scipy import stats

    threshold = np.percentile(df_engineered["monthly_listeners"], 75)
    high = df_engineered["monthly_listeners"] >= threshold
    table = np.array([[((df_engineered["gender"] == g) & (high == h)).sum() for h in (False, True)]
                      for g in sorted(df_engineered["gender"].unique())])
    chi2 = stats.chi2_contingency(table, correction=False)
    kruskal = stats.kruskal(*[v["monthly_listeners"] for _, v in df_engineered.groupby("gender")])
    row = summary_row(fairness_summary, "monthly_listeners", "gender")
    assert_close([row["chi_square_statistic"], row["chi_square_p_value"]], [chi2.statistic, chi2.pvalue])
    assert row["chi_square_dof"] == 1
    assert_close([row["kruskal_statistic"], row["kruskal_p_value"]], [kruskal.statistic, kruskal.pvalue])


@pytest.mark.parametrize("table", ["fairness.group_outcomes", "fairness.fairness_summary",
                                   "fairness.attribute_independence_tests", "equity.artist_equity_scores"])
def test_published_tables_hold_no_nan_or_infinity(table, warehouse):
    import pyarrow as pa
    import pyarrow.compute as pc

    # Arrow keeps NULL and NaN apart (pandas would turn NULL into NaN)
    arrow = warehouse.execute(f"select * from {table}").to_arrow_table()
    doubles = [name for name, column in zip(arrow.column_names, arrow.columns, strict=True)
               if pa.types.is_floating(column.type)]
    assert doubles
    for name in doubles:
        column = arrow[name]
        assert not pc.any(pc.is_nan(column)).as_py(), f"{table}.{name} holds NaN"
        assert not pc.any(pc.is_inf(column)).as_py(), f"{table}.{name} holds infinity"


def test_four_fifths_failures_are_a_build_warning(workshop_db, fairness_summary):
    results = json.loads((dbt_target_dir(workshop_db) / "run_results.json").read_text())["results"]
    four_fifths = [r for r in results if "fairness_four_fifths_rule" in r["unique_id"]]
    assert len(four_fifths) == 1
    failing = int((fairness_summary["passes_four_fifths"] == False).sum())  # noqa: E712
    assert failing > 0
    assert four_fifths[0]["status"] == "warn"
    assert four_fifths[0]["failures"] == failing


# Degenerate data: one gender only, nobody has a listener. The notebook divides 0 by 0 here.
DEGENERATE_HEADER = ["artist_id", "artist_name", "gender", "ethnicity", "genre", "country", "monthly_listeners",
                     "total_streams", "album_count", "years_active", "label_type", "award_wins",
                     "spotify_followers", "soundcloud_followers"]
DEGENERATE_ROWS = [
    [i, f"Quiet {i}", "Female", ["White", "Black"][i % 2], "Pop", "USA", 0, 1000 * i, 1 + i % 3, 2 + i,
     ["Major", "Independent"][i % 2], i % 2, 10 * i, 5 * i]
    for i in range(1, 9)
]


@pytest.fixture(scope="module")
def degenerate(tmp_path_factory):
    import duckdb

    folder = tmp_path_factory.mktemp("degenerate")
    csv_path, db_path = build_from_rows(folder, "degenerate", DEGENERATE_HEADER, DEGENERATE_ROWS)
    with duckdb.connect(str(db_path), read_only=True) as con:
        summary = query_df(con, "select * from fairness.fairness_summary")
        equity = query_df(con, "select * from equity.artist_equity_scores")
    df_engineered, *_ = nb.engineer_features(nb.load(csv_path))
    return df_engineered, summary, equity


def test_one_group_is_not_comparable_and_skips_the_tests(degenerate):
    """The notebook's parity difference 0 and ratio 1 compare a group with itself: no verdict, no ratio."""
    _, summary, _ = degenerate
    row = summary_row(summary, "total_streams", "gender")
    assert row["n_groups"] == 1
    assert row["four_fifths_verdict"] == "not_comparable"
    assert row["not_comparable_reason"] == "fewer_than_two_groups"
    assert pd.isna(row["statistical_parity_difference"]) and pd.isna(row["disparate_impact_ratio"])
    assert pd.isna(row["passes_four_fifths"])
    assert row["chi_square_skip_reason"] == "single_group" and np.isnan(row["chi_square_p_value"])
    assert row["kruskal_skip_reason"] == "single_group" and np.isnan(row["kruskal_p_value"])


def test_all_zero_outcome_gives_null_ratios_and_reasons_where_the_notebook_gives_nan(degenerate):
    df_engineered, summary, _ = degenerate
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = nb.calculate_fairness_metrics(df_engineered, "label_type", "monthly_listeners")
    assert np.isnan(expected["success_ratio"])
    row = summary_row(summary, "monthly_listeners", "label_type")
    assert np.isnan(row["success_ratio"]) and row["success_ratio_undefined"]
    assert row["statistical_parity_difference"] == expected["statistical_parity_diff"] == 0
    assert row["chi_square_skip_reason"] == "constant_high_success"
    assert row["kruskal_skip_reason"] == "constant_outcome"


def test_all_zero_listeners_keep_every_equity_score_defined(degenerate):
    df_engineered, _, equity = degenerate
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = nb.create_equity_score(df_engineered)
    assert expected["equity_score"].isna().all()
    assert equity["equity_score"].notna().all()
    assert equity["normalization_undefined"].all()
    assert (equity["visibility_score"] == 1).all()
    assert equity["notebook_equity_score"].isna().all()


def test_every_fairness_and_equity_column_is_described(warehouse):
    undocumented = warehouse.execute(
        "select schema_name || '.' || table_name || '.' || column_name from duckdb_columns() "
        "where schema_name in ('fairness', 'equity') and coalesce(comment, '') = ''").fetchall()
    tables = warehouse.execute(
        "select count(*), count(nullif(comment, '')) from duckdb_tables() where schema_name in ('fairness', 'equity')"
    ).fetchone()
    assert undocumented == []
    assert tables[0] >= 6 and tables[0] == tables[1]


def test_an_attribute_with_artists_outside_every_group_ranks_only_the_grouped(tmp_path):
    """success_tier is null at 0 listeners: the tests leave those artists out, ranks included,
    while the attributes every artist has are ranked among all artists."""
    import duckdb
    from scipy import stats

    rows = [[i, f"Artist {i}", ["Female", "Male"][i % 2], "White", "Pop", "USA",
             [0, 0, 0, 1_000, 6_000_000, 30_000_000, 2_000, 7_000_000, 60_000_000, 3_000][i % 10],
             1000 * i, 1, 2, "Major", 0, 10, 5] for i in range(1, 31)]
    variables = json.dumps({"protected_attributes": ["gender", "success_tier"], "outcomes": ["total_streams"]})
    csv_path, db_path = build_from_rows(tmp_path, "tiers", DEGENERATE_HEADER, rows, "--vars", variables)
    df_engineered, *_ = nb.engineer_features(nb.load(csv_path))
    with duckdb.connect(str(db_path), read_only=True) as con:
        summary = query_df(con, "select * from fairness.fairness_summary")
    assert df_engineered["success_tier"].isna().sum() == 9
    for attribute in ["gender", "success_tier"]:
        groups = [v["total_streams"] for _, v in df_engineered.groupby(attribute, observed=True)]
        kruskal = stats.kruskal(*groups)
        row = summary_row(summary, "total_streams", attribute)
        assert_close([row["kruskal_statistic"], row["kruskal_p_value"]], [kruskal.statistic, kruskal.pvalue])
