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
class TestResult:
    statistic: float | None = None
    p_value: float | None = None
    dof: int | None = None
    skip_reason: str | None = None


def high_success_table(groups: pd.Series, is_high_success: pd.Series) -> pd.DataFrame:
    """Contingency table: one row per group, columns = counts of not high / high success."""
    table = pd.crosstab(groups, is_high_success.astype(bool))
    return table.reindex(columns=[False, True], fill_value=0)


def chi_square_high_success(groups: pd.Series, is_high_success: pd.Series) -> TestResult:
    """Pearson's chi-square (no Yates correction, so every attribute is tested alike) on group x high success."""
    table = high_success_table(groups, is_high_success)
    if len(table) < 2:
        return TestResult(skip_reason="single_group")
    if (table.sum(axis=0) == 0).any():
        return TestResult(skip_reason="constant_high_success")
    result = stats.chi2_contingency(table.to_numpy(), correction=False)
    return finite_result(result.statistic, result.pvalue, int(result.dof))


def kruskal_wallis_outcome(groups: pd.Series, values: pd.Series) -> TestResult:
    """Kruskal-Wallis H test (tie-corrected) of the outcome across the groups."""
    samples = [group_values.to_numpy(dtype=float) for _, group_values in values.groupby(groups, sort=True)]
    if len(samples) < 2:
        return TestResult(skip_reason="single_group")
    if values.nunique() < 2:
        return TestResult(skip_reason="constant_outcome")
    result = stats.kruskal(*samples)
    return finite_result(result.statistic, result.pvalue, len(samples) - 1)


def finite_result(statistic: float, p_value: float, dof: int) -> TestResult:
    if not (np.isfinite(statistic) and np.isfinite(p_value)):
        return TestResult(dof=dof, skip_reason="undefined_statistic")
    return TestResult(statistic=float(statistic), p_value=float(p_value), dof=dof)


def share_of_expected_below(groups: pd.Series, is_high_success: pd.Series, minimum: float) -> float | None:
    """Share of the chi-square table's expected counts below `minimum` (null when the test is skipped)."""
    table = high_success_table(groups, is_high_success).to_numpy()
    if table.shape[0] < 2 or (table.sum(axis=0) == 0).any():
        return None
    expected = stats.contingency.expected_freq(table)
    return float((expected < minimum).mean())


def attribute_tests(rows: pd.DataFrame) -> dict:
    """Both tests for the rows of one (outcome, attribute)."""
    groups, values, high = rows["group_value"], rows["outcome_value"], rows["is_high_success"]
    chi_square = chi_square_high_success(groups, high)
    kruskal = kruskal_wallis_outcome(groups, values)
    share_below = share_of_expected_below(groups, high, COCHRAN_MIN_EXPECTED)
    return {
        "n": len(rows),
        "n_groups": groups.nunique(),
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
    records = [
        {"outcome": outcome, "attribute": attribute, **attribute_tests(rows)}
        for (outcome, attribute), rows in artist_outcomes.groupby(KEYS, sort=True)
    ]
    result = pd.DataFrame.from_records(records, columns=KEYS + list(RESULT_DTYPES))
    return result.astype({**{key: "string" for key in KEYS}, **RESULT_DTYPES})
