"""Each group's high-success count against a comparator's, with the pooled two-proportion z test.

Input: fairness.group_outcomes (one row per outcome x attribute x group, with n, high_success_n and
the attribute's reference group). Output: one row per outcome x attribute x group x comparator,
where the comparator is `reference` (the attribute's reference group; the reference's own row is
left out) or `rest` (every other artist with a value of the attribute), with both sides' counts,
the z statistic and its two-sided p-value, equal to statsmodels' proportions_ztest(count=[k1, k2],
nobs=[n1, n2]). fairness.group_comparisons adds the intervals and the adjusted p-values in SQL; the
test is here because SQL has no normal distribution function.

A test undefined on the data gives nulls and a reason: `empty_comparator` (the attribute has one
group, so there is no rest) or `constant_high_success` (the pooled rate is 0 or 1: nobody or
everybody on both sides reaches the threshold, and the z statistic divides by zero).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

KEYS = ["outcome", "attribute", "group_value", "comparator"]
COUNTS = ["n", "high_success_n", "comparator_n", "comparator_high_success_n"]
RESULT_DTYPES = {
    "outcome": "string",
    "attribute": "string",
    "group_value": "string",
    "comparator": "string",
    "comparator_group": "string",
    **{column: "Int64" for column in COUNTS},
    "z_statistic": "Float64",
    "p_value": "Float64",
    "test_skip_reason": "string",
}


def reference_comparisons(groups: pd.DataFrame) -> pd.DataFrame:
    """Every group but the reference, against the reference group of its (outcome, attribute)."""
    sides = ["outcome", "attribute", "group_value", "n", "high_success_n"]
    references = groups.loc[groups["is_reference_group"], sides]
    references = references.rename(columns={
        "group_value": "comparator_group", "n": "comparator_n", "high_success_n": "comparator_high_success_n"})
    others = groups.loc[~groups["is_reference_group"]]
    return others.merge(references, on=["outcome", "attribute"], how="inner").assign(comparator="reference")


def rest_comparisons(groups: pd.DataFrame) -> pd.DataFrame:
    """Every group against all the other artists with a value of its attribute."""
    totals = groups.groupby(["outcome", "attribute"])[["n", "high_success_n"]].transform("sum")
    return groups.assign(
        comparator="rest",
        comparator_group=None,
        comparator_n=totals["n"] - groups["n"],
        comparator_high_success_n=totals["high_success_n"] - groups["high_success_n"],
    )


def pooled_z_test(k1: np.ndarray, n1: np.ndarray, k2: np.ndarray, n2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """z and two-sided p of the pooled two-proportion test, in proportions_ztest's order of operations."""
    with np.errstate(divide="ignore", invalid="ignore"):
        difference = k1 * 1.0 / n1 - k2 * 1.0 / n2
        pooled = (k1 + k2) * 1.0 / (n1 + n2)
        std_difference = np.sqrt(pooled * (1 - pooled) * (1.0 / n1 + 1.0 / n2))
        z = difference / std_difference
    return z, stats.norm.sf(np.abs(z)) * 2


def skip_reasons(k1: np.ndarray, n1: np.ndarray, k2: np.ndarray, n2: np.ndarray) -> np.ndarray:
    pooled_is_constant = ((k1 + k2) == 0) | ((k1 + k2) == (n1 + n2))
    return np.select([n2 == 0, pooled_is_constant], ["empty_comparator", "constant_high_success"], default=None)


def group_comparison_tests(group_outcomes: pd.DataFrame) -> pd.DataFrame:
    """One row per outcome x attribute x group x comparator with both sides' counts and the z test.

    Expects fairness.group_outcomes' columns outcome, attribute, group_value, n, high_success_n and
    is_reference_group; the artists without a group (null group_value) take no part.
    """
    groups = group_outcomes.loc[group_outcomes["group_value"].notna(),
                                ["outcome", "attribute", "group_value", "n", "high_success_n", "is_reference_group"]]
    groups = groups.astype({"n": "int64", "high_success_n": "int64", "is_reference_group": "bool"})
    comparisons = pd.concat([reference_comparisons(groups), rest_comparisons(groups)], ignore_index=True)
    k1, n1, k2, n2 = (comparisons[column].to_numpy(dtype=np.int64) for column in
                      ["high_success_n", "n", "comparator_high_success_n", "comparator_n"])
    reasons = skip_reasons(k1, n1, k2, n2)
    z, p_value = pooled_z_test(k1, n1, k2, n2)
    tested = pd.isna(reasons)
    comparisons = comparisons.assign(
        z_statistic=np.where(tested, z, np.nan),
        p_value=np.where(tested, p_value, np.nan),
        test_skip_reason=reasons,
    )
    ordered = comparisons.sort_values(KEYS, kind="stable", ignore_index=True)
    return ordered[list(RESULT_DTYPES)].astype(RESULT_DTYPES)


DISCLOSURE_DTYPES = {
    "outcome": "string",
    "attribute": "string",
    **{column: "Int64" for column in ["n", "undisclosed_n", "undisclosed_high_success_n", "disclosed_n",
                                      "disclosed_high_success_n"]},
    "z_statistic": "Float64",
    "p_value": "Float64",
    "test_skip_reason": "string",
}


def disclosure_tests(group_outcomes: pd.DataFrame) -> pd.DataFrame:
    """One row per outcome x attribute: the undisclosed artists (every group flagged is_undisclosed,
    pooled) against the disclosed ones, with the same pooled z test as the groups. The artists without
    a value take no part; an attribute with no undisclosed (or no disclosed) artist is skipped with
    the reason `empty_comparator`."""
    groups = group_outcomes.loc[group_outcomes["group_value"].notna()].astype(
        {"n": "int64", "high_success_n": "int64", "is_undisclosed": "bool"})
    sides = groups.assign(
        undisclosed_n=groups["n"].where(groups["is_undisclosed"], 0),
        undisclosed_high_success_n=groups["high_success_n"].where(groups["is_undisclosed"], 0),
        disclosed_n=groups["n"].where(~groups["is_undisclosed"], 0),
        disclosed_high_success_n=groups["high_success_n"].where(~groups["is_undisclosed"], 0),
    )
    counts = ["n", "undisclosed_n", "undisclosed_high_success_n", "disclosed_n", "disclosed_high_success_n"]
    totals = sides.groupby(["outcome", "attribute"], as_index=False, sort=True)[counts].sum()
    k1, n1, k2, n2 = (totals[column].to_numpy(dtype=np.int64) for column in
                      ["undisclosed_high_success_n", "undisclosed_n", "disclosed_high_success_n", "disclosed_n"])
    reasons = np.where((n1 == 0) | (n2 == 0), "empty_comparator", skip_reasons(k1, n1, k2, n2))
    z, p_value = pooled_z_test(k1, n1, k2, n2)
    tested = pd.isna(reasons)
    totals = totals.assign(z_statistic=np.where(tested, z, np.nan), p_value=np.where(tested, p_value, np.nan),
                           test_skip_reason=reasons)
    return totals[list(DISCLOSURE_DTYPES)].astype(DISCLOSURE_DTYPES)
