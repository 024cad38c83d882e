"""Tests of independence between a protected attribute and an outcome, for fairness.fairness_summary.

Input: one row per (outcome, attribute, group) with the group's size, its high-success count, the
sum of its artists' ranks of the outcome (average ranks among all artists with a group) and the
tie term of those ranks (fairness.group_rank_sums, computed in SQL so that no one row per artist
reaches Python). Output: one row per (outcome, attribute) with a chi-square test on high-success x
group and a Kruskal-Wallis test on the outcome across groups, equal to scipy's chi2_contingency
(correction=False) and kruskal on the artists' values. A test that is undefined on the data (one
group, a constant outcome, a high-success column that is all 0 or all 1) gives a null statistic
and p-value and a reason; these functions never raise on such data.
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


def high_success_table(n, high_success_n) -> np.ndarray:
    """Contingency table: one row per group, columns = counts of not high / high success."""
    n = np.asarray(n, dtype=np.int64)
    high_success_n = np.asarray(high_success_n, dtype=np.int64)
    return np.column_stack([n - high_success_n, high_success_n])


def chi_square_skip_reason(table: np.ndarray) -> str | None:
    if len(table) < 2:
        return "single_group"
    if (table.sum(axis=0) == 0).any():
        return "constant_high_success"
    return None


def chi_square_high_success(table: np.ndarray) -> StatisticResult:
    """Pearson's chi-square (no Yates correction, so every attribute is tested alike) on group x high success."""
    skip_reason = chi_square_skip_reason(table)
    if skip_reason is not None:
        return StatisticResult(skip_reason=skip_reason)
    result = stats.chi2_contingency(table, correction=False)
    return finite_result(result.statistic, result.pvalue, int(result.dof))


def share_of_expected_below(table: np.ndarray, minimum: float) -> float | None:
    """Share of the chi-square table's expected counts below `minimum` (null when the test is skipped)."""
    if chi_square_skip_reason(table) is not None:
        return None
    expected = stats.contingency.expected_freq(table)
    return float((expected < minimum).mean())


def all_values_tied(total_n: float, tie_term: float) -> bool:
    """True when every artist has the same outcome: one tie of size N, whose t^3 - t is N^3 - N.

    Computed as SQL computes tie_term, ((t * t) * t) - t in doubles, so the equality is exact.
    """
    return tie_term == total_n * total_n * total_n - total_n


def kruskal_h(n: np.ndarray, rank_sum: np.ndarray, tie_term: float) -> float:
    """Tie-corrected Kruskal-Wallis H from the groups' sizes and rank sums, in scipy.stats.kruskal's order."""
    total_n = float(n.sum())
    sum_of_squares_by_size = float((rank_sum * rank_sum / n).sum())
    h = 12.0 / (total_n * (total_n + 1)) * sum_of_squares_by_size - 3 * (total_n + 1)
    return h / (1.0 - tie_term / (total_n * total_n * total_n - total_n))


def kruskal_wallis_outcome(n, rank_sum, tie_term: float) -> StatisticResult:
    """Kruskal-Wallis H test (tie-corrected) of the outcome across the groups."""
    n = np.asarray(n, dtype=float)
    rank_sum = np.asarray(rank_sum, dtype=float)
    if len(n) < 2:
        return StatisticResult(skip_reason="single_group")
    if all_values_tied(float(n.sum()), tie_term):
        return StatisticResult(skip_reason="constant_outcome")
    dof = len(n) - 1
    h = kruskal_h(n, rank_sum, tie_term)
    return finite_result(h, stats.chi2.sf(h, dof), dof)


def finite_result(statistic: float, p_value: float, dof: int) -> StatisticResult:
    if not (np.isfinite(statistic) and np.isfinite(p_value)):
        return StatisticResult(dof=dof, skip_reason="undefined_statistic")
    return StatisticResult(statistic=float(statistic), p_value=float(p_value), dof=dof)


def attribute_tests(groups: pd.DataFrame) -> dict:
    """Both tests for one (outcome, attribute), from its rows of group_rank_sums."""
    table = high_success_table(groups["n"], groups["high_success_n"])
    chi_square = chi_square_high_success(table)
    # tie_term is the same on every group row of the (outcome, attribute)
    kruskal = kruskal_wallis_outcome(groups["n"], groups["rank_sum"], float(groups["tie_term"].iloc[0]))
    share_below = share_of_expected_below(table, COCHRAN_MIN_EXPECTED)
    return {
        "n": int(table.sum()),
        "n_groups": len(table),
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


def independence_tests(group_rank_sums: pd.DataFrame) -> pd.DataFrame:
    """One row per (outcome, attribute): chi-square and Kruskal-Wallis results, nulls where undefined.

    Expects the columns of fairness.group_rank_sums: outcome, attribute, group_value, n,
    high_success_n, rank_sum, tie_term (groups without a value already left out).
    """
    ordered = group_rank_sums.sort_values(KEYS + ["group_value"], kind="stable")
    records = [
        {"outcome": outcome, "attribute": attribute, **attribute_tests(groups)}
        for (outcome, attribute), groups in ordered.groupby(KEYS, sort=True)
    ]
    result = pd.DataFrame.from_records(records, columns=KEYS + list(RESULT_DTYPES))
    return result.astype({**{key: "string" for key in KEYS}, **RESULT_DTYPES})
