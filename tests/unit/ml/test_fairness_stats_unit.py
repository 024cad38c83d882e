"""ml.fairness_stats on tiny data: the tests' numbers equal scipy on the artists' values, and nulls
with a reason where a test is undefined.

The input of ml.fairness_stats is fairness.group_rank_sums (one row per group); these tests build
it from raw arrays as that SQL model does (average ranks, tie term) and compare with scipy run on
the raw arrays.
"""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from ml.fairness_stats import (
    chi_square_high_success,
    high_success_table,
    independence_tests,
    kruskal_wallis_outcome,
    share_of_expected_below,
)


def group_rank_sums(groups, values, high, outcome="monthly_listeners", attribute="gender"):
    """fairness.group_rank_sums of one (outcome, attribute), built from one value per artist."""
    artists = pd.DataFrame({
        "group_value": pd.Series(groups, dtype=object),
        "outcome_value": np.asarray(values, dtype=float),
        "is_high_success": np.asarray(high, dtype=bool),
    }).dropna(subset=["group_value"])
    artists["rank"] = stats.rankdata(artists["outcome_value"])
    ties = artists["outcome_value"].value_counts().to_numpy(dtype=float)
    sums = artists.groupby("group_value").agg(
        n=("rank", "size"), high_success_n=("is_high_success", "sum"), rank_sum=("rank", "sum"),
    ).reset_index()
    return sums.assign(outcome=outcome, attribute=attribute, tie_term=float((ties * ties * ties - ties).sum()))


def test_chi_square_is_pearson_on_the_group_by_high_success_table():
    table = high_success_table([6, 6], [5, 1])
    result = chi_square_high_success(table)
    expected = stats.chi2_contingency([[1, 5], [5, 1]], correction=False)
    assert result.statistic == pytest.approx(expected.statistic, rel=1e-12)
    assert result.statistic == pytest.approx(12 * (5 * 5 - 1 * 1) ** 2 / (6 * 6 * 6 * 6), rel=1e-12)
    assert result.p_value == pytest.approx(expected.pvalue, rel=1e-12)
    assert result.dof == 1
    assert result.skip_reason is None


def test_kruskal_wallis_from_rank_sums_matches_scipy_with_ties():
    sums = group_rank_sums(["x", "x", "x", "y", "y", "z", "z", "z"], [1, 2, 2, 5, 6, 2, 9, 9], [False] * 8)
    result = kruskal_wallis_outcome(sums["n"], sums["rank_sum"], sums["tie_term"].iloc[0])
    expected = stats.kruskal([1, 2, 2], [5, 6], [2, 9, 9])
    assert result.statistic == pytest.approx(expected.statistic, rel=1e-12)
    assert result.p_value == pytest.approx(expected.pvalue, rel=1e-12)
    assert result.dof == 2


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_both_tests_match_scipy_on_random_tied_data(seed):
    rng = np.random.default_rng(seed)
    groups = rng.choice(["a", "b", "c", "d"], size=500, p=[0.5, 0.3, 0.15, 0.05])
    values = rng.integers(0, 40, size=500).astype(float)  # many ties
    high = values >= np.percentile(values, 75)
    result = independence_tests(group_rank_sums(groups, values, high)).iloc[0]
    labels = sorted(set(groups))
    table = [[int(((groups == g) & ~high).sum()), int(((groups == g) & high).sum())] for g in labels]
    chi2 = stats.chi2_contingency(table, correction=False)
    kruskal = stats.kruskal(*[values[groups == g] for g in labels])
    assert result["chi_square_statistic"] == pytest.approx(chi2.statistic, rel=1e-12)
    assert result["chi_square_p_value"] == pytest.approx(chi2.pvalue, rel=1e-12)
    assert result["chi_square_dof"] == chi2.dof
    assert result["kruskal_statistic"] == pytest.approx(kruskal.statistic, rel=1e-12)
    assert result["kruskal_p_value"] == pytest.approx(kruskal.pvalue, rel=1e-12)
    assert result["kruskal_dof"] == 3
    assert result["n"] == 500 and result["n_groups"] == 4


def test_one_group_skips_both_tests():
    result = independence_tests(group_rank_sums(["a", "a", "a"], [1, 2, 3], [False, False, True])).iloc[0]
    assert result["chi_square_skip_reason"] == "single_group"
    assert result["kruskal_skip_reason"] == "single_group"
    assert pd.isna(result["chi_square_statistic"]) and pd.isna(result["chi_square_p_value"])
    assert pd.isna(result["kruskal_statistic"]) and pd.isna(result["kruskal_p_value"])


def test_constant_outcome_skips_kruskal_and_all_high_skips_chi_square():
    sums = group_rank_sums(["a", "a", "b", "b"], [7, 7, 7, 7], [True, True, True, True])
    result = independence_tests(sums).iloc[0]
    assert result["kruskal_skip_reason"] == "constant_outcome"
    assert result["chi_square_skip_reason"] == "constant_high_success"
    assert pd.isna(result["chi_square_expected_below_5_share"])
    assert pd.isna(result["chi_square_approximation_reliable"])


def test_constant_outcome_is_found_exactly_for_millions_of_artists():
    # one tie of 10 million: t^3 - t is above 2^53, computed in doubles as the SQL model does
    t = 10_000_000.0
    assert kruskal_wallis_outcome([4_000_000, 6_000_000], [0.0, 0.0], t * t * t - t).skip_reason == "constant_outcome"


def test_nobody_high_is_an_all_zero_column_and_skips_chi_square_only():
    result = independence_tests(group_rank_sums(["a", "a", "b", "b"], [1, 2, 3, 4], [False] * 4)).iloc[0]
    assert result["chi_square_skip_reason"] == "constant_high_success"
    assert pd.isna(result["kruskal_skip_reason"])
    assert result["kruskal_p_value"] == pytest.approx(stats.kruskal([1, 2], [3, 4]).pvalue, rel=1e-12)


def test_share_of_small_expected_counts():
    # a: 20 artists, 10 high; b: 2 artists, 1 high. Expected counts a -> 10, 10; b -> 1, 1
    assert share_of_expected_below(high_success_table([20, 2], [10, 1]), 5.0) == 0.5


def test_one_row_per_outcome_and_attribute_with_nullable_types():
    sums = pd.concat([
        group_rank_sums(["a", "b", "a", "b"], [1, 2, 3, 4], [False, False, True, True]),
        group_rank_sums(["p", "q", "p", "q"], [1, 2, 3, 4], [False, False, True, True], attribute="label_type"),
        group_rank_sums(["a", "b", "a", "b"], [4, 3, 2, 1], [True, False, False, False], outcome="total_streams"),
    ])
    result = independence_tests(sums.iloc[::-1])
    assert list(zip(result["outcome"], result["attribute"], strict=True)) == [
        ("monthly_listeners", "gender"), ("monthly_listeners", "label_type"), ("total_streams", "gender"),
    ]
    assert list(result["n"]) == [4, 4, 4]
    assert list(result["n_groups"]) == [2, 2, 2]
    assert str(result["chi_square_dof"].dtype) == "Int64"
    assert str(result["chi_square_p_value"].dtype) == "Float64"
    assert str(result["chi_square_skip_reason"].dtype) == "string"


def test_no_rows_gives_an_empty_table_with_the_columns():
    result = independence_tests(group_rank_sums([], [], []))
    assert len(result) == 0
    assert "kruskal_p_value" in result.columns


def test_artists_without_a_group_are_neither_counted_nor_ranked():
    sums = group_rank_sums(["a", "a", None, "b", "b"], [1, 2, 100, 3, 4], [False, False, True, True, True])
    result = independence_tests(sums).iloc[0]
    assert result["n"] == 4
    assert result["n_groups"] == 2
    assert result["kruskal_p_value"] == pytest.approx(stats.kruskal([1, 2], [3, 4]).pvalue, rel=1e-12)
    expected = stats.chi2_contingency([[2, 0], [0, 2]], correction=False)
    assert result["chi_square_statistic"] == pytest.approx(expected.statistic, rel=1e-12)
