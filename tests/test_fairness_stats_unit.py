"""ml.fairness_stats on tiny frames: the tests' numbers, and nulls with a reason where a test is undefined."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from ml.fairness_stats import (
    chi_square_high_success,
    independence_tests,
    kruskal_wallis_outcome,
    share_of_expected_below,
)


def artist_rows(groups, values, high, outcome="monthly_listeners", attribute="gender"):
    return pd.DataFrame({
        "outcome": outcome,
        "attribute": attribute,
        "group_value": groups,
        "outcome_value": np.asarray(values, dtype=float),
        "is_high_success": high,
    })


def test_chi_square_is_pearson_on_the_group_by_high_success_table():
    groups = pd.Series(["a"] * 6 + ["b"] * 6)
    high = pd.Series([True] * 5 + [False] + [True] + [False] * 5)
    result = chi_square_high_success(groups, high)
    expected = stats.chi2_contingency([[1, 5], [5, 1]], correction=False)
    assert result.statistic == pytest.approx(expected.statistic, rel=1e-12)
    assert result.statistic == pytest.approx(12 * (5 * 5 - 1 * 1) ** 2 / (6 * 6 * 6 * 6), rel=1e-12)
    assert result.p_value == pytest.approx(expected.pvalue, rel=1e-12)
    assert result.dof == 1
    assert result.skip_reason is None


def test_kruskal_wallis_matches_scipy_with_ties():
    groups = pd.Series(["x", "x", "x", "y", "y", "z", "z", "z"])
    values = pd.Series([1.0, 2.0, 2.0, 5.0, 6.0, 2.0, 9.0, 9.0])
    result = kruskal_wallis_outcome(groups, values)
    expected = stats.kruskal([1, 2, 2], [5, 6], [2, 9, 9])
    assert result.statistic == pytest.approx(expected.statistic, rel=1e-12)
    assert result.p_value == pytest.approx(expected.pvalue, rel=1e-12)
    assert result.dof == 2


def test_one_group_skips_both_tests():
    rows = artist_rows(["a", "a", "a"], [1, 2, 3], [False, False, True])
    result = independence_tests(rows).iloc[0]
    assert result["chi_square_skip_reason"] == "single_group"
    assert result["kruskal_skip_reason"] == "single_group"
    assert pd.isna(result["chi_square_statistic"]) and pd.isna(result["chi_square_p_value"])
    assert pd.isna(result["kruskal_statistic"]) and pd.isna(result["kruskal_p_value"])


def test_constant_outcome_skips_kruskal_and_all_high_skips_chi_square():
    rows = artist_rows(["a", "a", "b", "b"], [7, 7, 7, 7], [True, True, True, True])
    result = independence_tests(rows).iloc[0]
    assert result["kruskal_skip_reason"] == "constant_outcome"
    assert result["chi_square_skip_reason"] == "constant_high_success"
    assert pd.isna(result["chi_square_expected_below_5_share"])
    assert pd.isna(result["chi_square_approximation_reliable"])


def test_nobody_high_is_an_all_zero_column_and_skips_chi_square_only():
    rows = artist_rows(["a", "a", "b", "b"], [1, 2, 3, 4], [False] * 4)
    result = independence_tests(rows).iloc[0]
    assert result["chi_square_skip_reason"] == "constant_high_success"
    assert pd.isna(result["kruskal_skip_reason"])
    assert result["kruskal_p_value"] == pytest.approx(stats.kruskal([1, 2], [3, 4]).pvalue)


def test_share_of_small_expected_counts():
    groups = pd.Series(["a"] * 20 + ["b"] * 2)
    high = pd.Series([True, False] * 10 + [True, False])
    # expected counts: a -> 10, 10; b -> 1, 1: half of the cells are below 5
    assert share_of_expected_below(groups, high, 5.0) == 0.5


def test_one_row_per_outcome_and_attribute_with_nullable_types():
    rows = pd.concat([
        artist_rows(["a", "b", "a", "b"], [1, 2, 3, 4], [False, False, True, True]),
        artist_rows(["p", "q", "p", "q"], [1, 2, 3, 4], [False, False, True, True], attribute="label_type"),
        artist_rows(["a", "b", "a", "b"], [4, 3, 2, 1], [True, False, False, False], outcome="total_streams"),
    ])
    result = independence_tests(rows)
    assert list(zip(result["outcome"], result["attribute"], strict=True)) == [
        ("monthly_listeners", "gender"), ("monthly_listeners", "label_type"), ("total_streams", "gender"),
    ]
    assert list(result["n"]) == [4, 4, 4]
    assert list(result["n_groups"]) == [2, 2, 2]
    assert str(result["chi_square_dof"].dtype) == "Int64"
    assert str(result["chi_square_p_value"].dtype) == "Float64"


def test_no_rows_gives_an_empty_table_with_the_columns():
    empty = artist_rows([], [], [])
    result = independence_tests(empty)
    assert len(result) == 0
    assert "kruskal_p_value" in result.columns


def test_artists_without_a_group_are_left_out():
    rows = artist_rows(["a", "a", None, "b", "b"], [1, 2, 100, 3, 4], [False, False, True, True, True])
    result = independence_tests(rows).iloc[0]
    assert result["n"] == 4
    assert result["n_groups"] == 2
    assert result["kruskal_p_value"] == pytest.approx(stats.kruskal([1, 2], [3, 4]).pvalue, rel=1e-12)
    expected = stats.chi2_contingency([[2, 0], [0, 2]], correction=False)
    assert result["chi_square_statistic"] == pytest.approx(expected.statistic, rel=1e-12)
