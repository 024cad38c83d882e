"""Tests of independence between a protected attribute and an outcome, for fairness.fairness_summary.

Input: one row per (outcome, attribute, artist) with the artist's group, outcome value and whether
it reaches the high-success threshold (fairness.artist_attribute_outcomes). Output: one row per
(outcome, attribute) with a chi-square test on high-success x group and a Kruskal-Wallis test on
the outcome across groups. A test that is undefined on the data (one group, a constant outcome, a
high-success column that is all 0 or all 1) gives a null statistic and p-value and a reason; these
functions never raise on such data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

KEYS = ["outcome", "attribute"]
# Cochran's rule: the chi-square approximation is doubtful when more than 20% of the expected
# counts are below 5.
COCHRAN_MIN_EXPECTED = 5.0
COCHRAN_MAX_SHARE_BELOW = 0.2


@dataclass(frozen=True)
class StatisticResult:
    statistic: float | None = None
    p_value: float | None = None
    dof: int | None = None
    skip_reason: str | None = None


def group_codes(groups) -> tuple[np.ndarray, int]:
    """0-based codes of the groups in sorted order (null groups get -1), and the number of groups."""
    codes, uniques = pd.factorize(pd.Series(groups), sort=True)
    return codes, len(uniques)


def high_success_table(groups, is_high_success) -> np.ndarray:
    """Contingency table: one row per group, columns = counts of not high / high success."""
    codes, n_groups = group_codes(groups)
    known = codes >= 0
    high = np.asarray(is_high_success, dtype=bool)[known]
    counts = np.bincount(codes[known], minlength=n_groups)
    high_counts = np.bincount(codes[known], weights=high, minlength=n_groups).astype(np.int64)
    return np.column_stack([counts - high_counts, high_counts])


def chi_square_high_success(groups, is_high_success) -> StatisticResult:
    """Pearson's chi-square (no Yates correction, so every attribute is tested alike) on group x high success."""
    table = high_success_table(groups, is_high_success)
    if len(table) < 2:
        return StatisticResult(skip_reason="single_group")
    if (table.sum(axis=0) == 0).any():
        return StatisticResult(skip_reason="constant_high_success")
    result = stats.chi2_contingency(table, correction=False)
    return finite_result(result.statistic, result.pvalue, int(result.dof))


def outcome_samples(groups, values) -> list[np.ndarray]:
    """The outcome values of each group, groups in sorted order."""
    codes, n_groups = group_codes(groups)
    known = codes >= 0
    codes, values = codes[known], np.asarray(values, dtype=float)[known]
    order = np.argsort(codes, kind="stable")
    boundaries = np.cumsum(np.bincount(codes, minlength=n_groups))[:-1]
    return np.split(values[order], boundaries)


def kruskal_wallis_outcome(groups, values) -> StatisticResult:
    """Kruskal-Wallis H test (tie-corrected) of the outcome across the groups."""
    samples = outcome_samples(groups, values)
    if len(samples) < 2:
        return StatisticResult(skip_reason="single_group")
    if np.unique(np.concatenate(samples)).size < 2:
        return StatisticResult(skip_reason="constant_outcome")
    result = stats.kruskal(*samples)
    return finite_result(result.statistic, result.pvalue, len(samples) - 1)


def finite_result(statistic: float, p_value: float, dof: int) -> StatisticResult:
    if not (np.isfinite(statistic) and np.isfinite(p_value)):
        return StatisticResult(dof=dof, skip_reason="undefined_statistic")
    return StatisticResult(statistic=float(statistic), p_value=float(p_value), dof=dof)


def share_of_expected_below(groups, is_high_success, minimum: float) -> float | None:
    """Share of the chi-square table's expected counts below `minimum` (null when the test is skipped)."""
    table = high_success_table(groups, is_high_success)
    if table.shape[0] < 2 or (table.sum(axis=0) == 0).any():
        return None
    expected = stats.contingency.expected_freq(table)
    return float((expected < minimum).mean())


def attribute_tests(groups: np.ndarray, values: np.ndarray, high: np.ndarray) -> dict:
    """Both tests for the artists of one (outcome, attribute)."""
    # integer codes once: factorizing text is the slow part, and the tests only need the partition
    codes, n_groups = group_codes(groups)
    known = codes >= 0
    codes, values, high = codes[known], values[known], high[known]
    chi_square = chi_square_high_success(codes, high)
    kruskal = kruskal_wallis_outcome(codes, values)
    share_below = share_of_expected_below(codes, high, COCHRAN_MIN_EXPECTED)
    return {
        "n": len(codes),
        "n_groups": n_groups,
        "chi_square_statistic": chi_square.statistic,
        "chi_square_dof": chi_square.dof,
        "chi_square_p_value": chi_square.p_value,
        "chi_square_expected_below_5_share": share_below,
        "chi_square_approximation_reliable": None if share_below is None else share_below <= COCHRAN_MAX_SHARE_BELOW,
        "chi_square_skip_reason": chi_square.skip_reason,
        "kruskal_statistic": kruskal.statistic,
        "kruskal_dof": kruskal.dof,
        "kruskal_p_value": kruskal.p_value,
        "kruskal_skip_reason": kruskal.skip_reason,
    }


RESULT_DTYPES = {
    "n": "Int64",
    "n_groups": "Int64",
    "chi_square_statistic": "Float64",
    "chi_square_dof": "Int64",
    "chi_square_p_value": "Float64",
    "chi_square_expected_below_5_share": "Float64",
    "chi_square_approximation_reliable": "boolean",
    "chi_square_skip_reason": "string",
    "kruskal_statistic": "Float64",
    "kruskal_dof": "Int64",
    "kruskal_p_value": "Float64",
    "kruskal_skip_reason": "string",
}


def independence_tests(artist_outcomes: pd.DataFrame) -> pd.DataFrame:
    """One row per (outcome, attribute): chi-square and Kruskal-Wallis results, nulls where undefined.

    Expects columns outcome, attribute, group_value, outcome_value, is_high_success.
    """
    # positions per (outcome, attribute), then plain arrays: much cheaper than a DataFrame per key
    positions = artist_outcomes.groupby(KEYS, sort=True).indices
    groups = artist_outcomes["group_value"].to_numpy(dtype=object)
    values = artist_outcomes["outcome_value"].to_numpy(dtype=float)
    high = artist_outcomes["is_high_success"].to_numpy(dtype=bool)
    records = [
        {"outcome": outcome, "attribute": attribute, **attribute_tests(groups[rows], values[rows], high[rows])}
        for (outcome, attribute), rows in positions.items()
    ]
    result = pd.DataFrame.from_records(records, columns=KEYS + list(RESULT_DTYPES))
    return result.astype({**{key: "string" for key in KEYS}, **RESULT_DTYPES})
