"""Each group's gap to its attribute's reference group before and after the controls (fairness.adjusted_gaps).

Per outcome x attribute, one OLS over the attribute's fit rows (ml.gap_design) with a constant and an
indicator per group but the reference: without the controls its coefficients are the raw gaps, with
them the adjusted gaps (HC3 standard errors, normal intervals and p-values, ml.gap_regression). Two
responses: log(1 + outcome), and the high-success flag (a linear probability model). A group smaller
than var min_group_size, a singular design, or an artist with leverage one leaves its columns null
with an undefined_reason, never NaN.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from ml.config import GapConfig
from ml.gap_design import Design, attribute_groups, fit_rows, gap_design, high_success_column, log_outcome
from ml.gap_regression import RobustFit, ols_hc3

RESULT_DTYPES = {
    "outcome": "string",
    "attribute": "string",
    "group_value": "string",
    "reference_group": "string",
    "n": "Int64",
    "reference_n": "Int64",
    "fit_rows": "Int64",
    "sampled": "boolean",
    "controls": "string",
    **{column: "Float64" for column in [
        "raw_gap", "adjusted_gap", "adjusted_gap_se", "adjusted_gap_ci_low", "adjusted_gap_ci_high",
        "adjusted_gap_p_value", "adjusted_gap_pct", "raw_rate_gap", "adjusted_rate_gap", "adjusted_rate_gap_se",
        "adjusted_rate_gap_ci_low", "adjusted_rate_gap_ci_high", "adjusted_rate_gap_p_value", "share_explained"]},
    "undefined_reason": "string",
}


def reference_groups(group_outcomes: pd.DataFrame) -> pd.DataFrame:
    """outcome, attribute, reference_group: fairness.group_outcomes' choice (never the undisclosed group)."""
    references = group_outcomes.loc[group_outcomes["is_reference_group"].astype(bool),
                                    ["outcome", "attribute", "group_value"]]
    return references.rename(columns={"group_value": "reference_group"}).reset_index(drop=True)


def group_indicators(design: Design, others: list[str]) -> np.ndarray:
    return (design.groups[:, None] == np.asarray(others, dtype=object)[None, :]).astype("float64")


def model_responses(rows: pd.DataFrame, outcomes: list[str]) -> np.ndarray:
    """Two responses per outcome, as columns in pairs: log(1 + outcome) and the high-success flag (0 or 1)."""
    return np.column_stack([column for outcome in outcomes for column in (
        log_outcome(rows, outcome), rows[high_success_column(outcome)].to_numpy(dtype="float64"))])


def group_reason(fit: RobustFit, constant_high_success: bool) -> str | None:
    """Why a fitted group's adjusted columns are (partly) null; precedence as listed."""
    if not fit.full_rank:
        return "singular_design"
    if fit.leverage_one:
        return "leverage_one"
    if constant_high_success:
        return "constant_high_success"
    return None


def scale_columns(prefix: str, fit: RobustFit, bounds: tuple[np.ndarray, np.ndarray], p_values: np.ndarray,
                  position: int, response: int, known: bool, errors_known: bool) -> dict:
    """One group's adjusted coefficient on one response, its HC3 error, interval and p-value."""
    errors = {f"{prefix}_se": fit.se[position, response], f"{prefix}_ci_low": bounds[0][position, response],
              f"{prefix}_ci_high": bounds[1][position, response], f"{prefix}_p_value": p_values[position, response]}
    if not known:
        return dict.fromkeys([prefix, *errors])
    return {prefix: fit.params[position, response], **(errors if errors_known else dict.fromkeys(errors))}


def fitted_gap_rows(rows: pd.DataFrame, design: Design, outcomes: list[str], others: list[str],
                    config: GapConfig) -> list[dict]:
    """Per outcome and group: the raw and adjusted coefficients, on both responses, of one design."""
    indicators = group_indicators(design, others)
    constant = np.ones((len(rows), 1))
    responses = model_responses(rows, outcomes)
    raw = ols_hc3(np.hstack([constant, indicators]), responses)
    adjusted = ols_hc3(np.hstack([constant, indicators, design.controls]), responses)
    bounds, p_values = adjusted.interval(config.rate_interval_confidence), adjusted.p_values()
    results = []
    for index, outcome in enumerate(outcomes):
        log_response, rate_response = 2 * index, 2 * index + 1
        # a constant high-success flag leaves every residual 0: its HC3 errors are rounding, not estimates
        constant_high_success = bool(np.ptp(responses[:, rate_response]) == 0)
        reason = group_reason(adjusted, constant_high_success)
        known = reason != "singular_design"
        for position, group in enumerate(others, start=1):
            results.append({
                "outcome": outcome, "group_value": group, "undefined_reason": reason,
                "raw_gap": raw.params[position, log_response], "raw_rate_gap": raw.params[position, rate_response],
                **scale_columns("adjusted_gap", adjusted, bounds, p_values, position, log_response, known,
                                errors_known=True),
                **scale_columns("adjusted_rate_gap", adjusted, bounds, p_values, position, rate_response, known,
                                errors_known=not constant_high_success)})
    return results


def attribute_gap_rows(artists: pd.DataFrame, attribute: str, reference: str, outcomes: list[str],
                       config: GapConfig) -> list[dict]:
    """Every outcome x group of the attribute but the reference, fitted or with the reason it is not."""
    groups = attribute_groups(artists, attribute, reference, config)
    reference_fitted = reference in groups.fitted
    unfitted = [group for group in groups.others if not reference_fitted or group not in groups.fitted]
    reason = "small_group" if reference_fitted else "small_reference"
    results = [{"outcome": outcome, "group_value": group, "undefined_reason": reason}
               for outcome in outcomes for group in unfitted]
    rows = fit_rows(artists, attribute, groups.controls, config.min_group_size)
    if reference_fitted:
        design = gap_design(rows, attribute, groups.controls, config.min_group_size)
        results += fitted_gap_rows(rows, design, outcomes, groups.fitted_others(), config)
    shared = {"attribute": attribute, "reference_group": reference,
              "reference_n": int(groups.sizes.get(reference, 0)), "fit_rows": len(rows),
              "controls": ", ".join(groups.controls)}
    return [{**shared, "n": int(groups.sizes[result["group_value"]]), **result} for result in results]


def attribute_references(group_outcomes: pd.DataFrame) -> list[tuple[str, str, list[str]]]:
    """(attribute, reference group, its outcomes): group_outcomes' reference is the attribute's for every outcome."""
    references = reference_groups(group_outcomes)
    return [(attribute, reference, sorted(pair["outcome"]))
            for (attribute, reference), pair in references.groupby(["attribute", "reference_group"], sort=True)]


# the designs are tall and narrow (some 40 columns): BLAS threads gain nothing on them, and on a busy
# machine their spinning made a 20,000 x 35 SVD take 1.4 s instead of 0.05 s
@threadpool_limits.wrap(limits=1, user_api="blas")
def adjusted_gaps(artists: pd.DataFrame, group_outcomes: pd.DataFrame, config: GapConfig) -> pd.DataFrame:
    """One row per outcome x attribute x group but the reference.

    artists: int_gap_fit_artists (the attributes, controls, outcomes, high-success flags and artist_n,
    the artists before sampling); group_outcomes: fairness.group_outcomes (the reference groups).
    """
    rows = [row for attribute, reference, outcomes in attribute_references(group_outcomes)
            for row in attribute_gap_rows(artists, attribute, reference, outcomes, config)]
    table = pd.DataFrame(rows, columns=[column for column in RESULT_DTYPES if column != "sampled"])
    raw, adjusted = table["raw_gap"].astype("float64"), table["adjusted_gap"].astype("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        table["share_explained"] = np.where(raw != 0, 1 - adjusted / raw, np.nan)
    table["adjusted_gap_pct"] = np.expm1(adjusted)
    table["sampled"] = bool(len(artists)) and int(artists["artist_n"].iloc[0]) > len(artists)
    numbers = [column for column, dtype in RESULT_DTYPES.items() if dtype == "Float64"]
    # nulls, never NaN or infinity: an HC3 error over leverage one, a z of 0 / 0
    table[numbers] = table[numbers].astype("float64").where(np.isfinite(table[numbers].astype("float64")))
    ordered = table.sort_values(["outcome", "attribute", "group_value"], kind="stable", ignore_index=True)
    return ordered[list(RESULT_DTYPES)].astype(RESULT_DTYPES)
