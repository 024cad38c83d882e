"""The gap tables computed by the libraries that define them, from artists' rows: statsmodels'
OLS(...).fit(cov_type='HC3') for the adjusted gaps, OaxacaBlinder for the decompositions, AIF360's
generalized_entropy_index for the inequality. The design is built here with pandas from the rule the
tables state (rows: groups of at least min_group_size; columns: a constant, a text control's levels
under min_group_size pooled, one indicator per level but the first, numbers as they are, columns
constant over the rows dropped), not with ml.gap_design."""

from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm
from aif360.sklearn.metrics import generalized_entropy_index
from statsmodels.stats.oaxaca import OaxacaBlinder


def fitted_rows(artists: pd.DataFrame, attribute: str, min_group_size: int) -> pd.DataFrame:
    sizes = artists[attribute].value_counts()
    return artists.loc[artists[attribute].map(sizes) >= min_group_size].reset_index(drop=True)


def controls_frame(rows: pd.DataFrame, controls: list[str], min_group_size: int) -> pd.DataFrame:
    blocks = [pd.DataFrame({"const": np.ones(len(rows))})]
    for control in controls:
        values = rows[control]
        if pd.api.types.is_numeric_dtype(values):
            block = values.astype(float).to_frame()
        else:
            counts = values.value_counts()
            pooled = values.where(values.map(counts) >= min_group_size, "(other)")
            block = pd.get_dummies(pooled, prefix=control, prefix_sep="=", drop_first=True).astype(float)
        blocks.append(block.loc[:, block.nunique() > 1])
    return pd.concat(blocks, axis=1)


def statsmodels_gaps(artists: pd.DataFrame, attribute: str, reference: str, controls: list[str],
                     response: np.ndarray | str, min_group_size: int, confidence: float) -> pd.DataFrame:
    """Per non-reference group: raw and adjusted coefficient, HC3 se, p-value, interval.
    response: a column name of log(1 + it) is fitted, or a flag column fitted as 0/1."""
    rows = fitted_rows(artists, attribute, min_group_size)
    y = rows[response].astype(float)
    y = y if rows[response].dtype == bool else np.log1p(y)
    groups = sorted(set(rows[attribute]) - {reference})
    indicators = pd.DataFrame({group: (rows[attribute] == group).astype(float) for group in groups})
    design = controls_frame(rows, controls, min_group_size)
    raw = sm.OLS(y, pd.concat([design[["const"]], indicators], axis=1)).fit(cov_type="HC3")
    adjusted = sm.OLS(y, pd.concat([design[["const"]], indicators, design.drop(columns="const")], axis=1)).fit(
        cov_type="HC3")
    bounds = adjusted.conf_int(alpha=1 - confidence)
    return pd.DataFrame({"group_value": groups, "raw": raw.params[groups].to_numpy(),
                         "adjusted": adjusted.params[groups].to_numpy(), "se": adjusted.bse[groups].to_numpy(),
                         "p_value": adjusted.pvalues[groups].to_numpy(), "ci_low": bounds.loc[groups, 0].to_numpy(),
                         "ci_high": bounds.loc[groups, 1].to_numpy()})


def statsmodels_decompositions(artists: pd.DataFrame, attribute: str, reference: str, controls: list[str],
                               outcome: str, min_group_size: int) -> pd.DataFrame:
    """Per non-reference group: OaxacaBlinder's twofold (pooled) and threefold parts, the reference
    first (swap=False), and each control's contribution to explained."""
    rows = fitted_rows(artists, attribute, min_group_size)
    design = controls_frame(rows, controls, min_group_size)
    control_of = {column: column.split("=")[0] for column in design.columns if column != "const"}
    results = []
    for group in sorted(set(rows[attribute]) - {reference}):
        pair = rows[attribute].isin([reference, group]).to_numpy()
        exog = design.loc[pair].assign(indicator=(rows.loc[pair, attribute] == group).astype(float).to_numpy())
        model = OaxacaBlinder(np.log1p(rows.loc[pair, outcome].astype(float)).to_numpy(), exog, "indicator",
                              hasconst=True, swap=False)
        unexplained, explained, gap = model.two_fold(two_fold_type="pooled").params
        terms = pd.Series((model.exog_f_mean - model.exog_s_mean) * model.t_params,
                          index=[column for column in exog.columns if column != "indicator"])
        endowments, coefficients, interaction, _ = model.three_fold().params
        contributions = terms.drop("const").groupby(control_of).sum()
        results.append({"group_value": group, "gap": gap, "explained": explained, "unexplained": unexplained,
                        "endowments": endowments, "coefficients": coefficients, "interaction": interaction,
                        **{f"control:{name}": value for name, value in contributions.items()}})
    return pd.DataFrame(results)


def numpy_generalized_entropy(values: np.ndarray, alpha: float) -> float:
    """GE(alpha) of positive values, the textbook formula (what AIF360 computes on values / mean)."""
    ratio = values / values.mean()
    if alpha == 0:
        return float(-np.mean(np.log(ratio)))
    if alpha == 1:
        return float(np.mean(ratio * np.log(ratio)))
    return float(np.mean(ratio**alpha - 1) / (alpha * (alpha - 1)))


def aif360_generalized_entropy(values: np.ndarray, alpha: float) -> float:
    """AIF360's generalized_entropy_index of values / mean; numpy's formula where AIF360 overflows
    (its alpha = 1 form raises the values to their own power)."""
    with np.errstate(over="ignore", invalid="ignore"):
        result = generalized_entropy_index(values / values.mean(), alpha=alpha)
    return float(result) if np.isfinite(result) else numpy_generalized_entropy(values, alpha)
