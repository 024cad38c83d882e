"""The artists and the design matrix fairness.adjusted_gaps and fairness.gap_decomposition fit, per
attribute: the same rows and the same control columns for both, so a decomposition's pooled model is
the adjusted gap's model restricted to two groups.

The rows: the artists with a value of the attribute whose group has at least var min_group_size of
them (a smaller group's indicator would be fitted on one or two artists, whose HC3 leverage is one);
an artist missing a numeric control is left out. The columns: a constant first, then each control: a
text control as one indicator per level but the first in sorted order, its levels with fewer than
min_group_size artists pooled as one level OTHER_LEVEL first (an indicator of one artist is fitted
exactly and leaves HC3 undefined); a numeric control as it is. A column constant over the rows
(a control with one value) is dropped: it is the constant again.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ml.config import GapConfig

OTHER_LEVEL = "(other)"
MISSING_LEVEL = "(missing)"


@dataclass(frozen=True)
class Design:
    """One attribute's fit: its rows' groups, the control columns and which control each column is of."""

    groups: np.ndarray
    controls: np.ndarray
    column_controls: list[str]

    def with_constant(self) -> np.ndarray:
        return np.column_stack([np.ones(len(self.groups)), self.controls])


def high_success_column(outcome: str) -> str:
    """int_gap_fit_artists' flag of an artist at or above the outcome's high-success threshold."""
    return f"{outcome}__is_high_success"


def fitted_groups(group_sizes: pd.Series, min_group_size: int) -> list[str]:
    return sorted(group_sizes.index[group_sizes >= min_group_size])


@dataclass(frozen=True)
class AttributeGroups:
    """One attribute's controls and groups: each group's size, those large enough to fit, and every group
    but the reference."""

    controls: list[str]
    sizes: pd.Series
    fitted: list[str]
    others: list[str]

    def fitted_others(self) -> list[str]:
        return [group for group in self.others if group in self.fitted]


def attribute_groups(artists: pd.DataFrame, attribute: str, reference: str, config: GapConfig) -> AttributeGroups:
    sizes = artists.loc[artists[attribute].notna(), attribute].astype(str).value_counts()
    return AttributeGroups(list(config.gap_attribute_controls.get(attribute, [])), sizes,
                           fitted_groups(sizes, config.min_group_size),
                           [group for group in sorted(sizes.index) if group != reference])


def fit_rows(artists: pd.DataFrame, attribute: str, controls: list[str], min_group_size: int) -> pd.DataFrame:
    """The artists one attribute's models are fitted on: a value of the attribute in a group of at
    least min_group_size (counted before the numeric controls' missing values are dropped)."""
    with_value = artists.loc[artists[attribute].notna()]
    sizes = with_value[attribute].value_counts()
    rows = with_value.loc[with_value[attribute].isin(fitted_groups(sizes, min_group_size))]
    numeric = [control for control in controls if pd.api.types.is_numeric_dtype(artists[control])]
    return rows.dropna(subset=numeric).reset_index(drop=True)


def control_columns(values: pd.Series, min_group_size: int) -> pd.DataFrame:
    """One control's columns: a number as it is; text as indicators, rare levels pooled, first level dropped."""
    if pd.api.types.is_numeric_dtype(values):
        return values.astype("float64").to_frame()
    text = values.astype("string").fillna(MISSING_LEVEL)
    counts = text.value_counts()
    pooled = text.where(text.map(counts) >= min_group_size, OTHER_LEVEL)
    indicators = pd.get_dummies(pooled.astype(object), prefix=values.name, prefix_sep="=", drop_first=True)
    return indicators.astype("float64")


def gap_design(rows: pd.DataFrame, attribute: str, controls: list[str], min_group_size: int) -> Design:
    blocks = [control_columns(rows[control], min_group_size) for control in controls]
    kept = [(control, block.loc[:, block.nunique() > 1]) for control, block in zip(controls, blocks, strict=True)]
    matrix = np.column_stack([block.to_numpy() for _, block in kept]) if kept else np.empty((len(rows), 0))
    column_controls = [control for control, block in kept for _ in block.columns]
    return Design(groups=rows[attribute].astype(str).to_numpy(), controls=matrix.reshape(len(rows), -1),
                  column_controls=column_controls)


def log_outcome(rows: pd.DataFrame, outcome: str) -> np.ndarray:
    """log(1 + outcome): the scale the gaps are measured on (a count of listeners or streams is long-tailed)."""
    return np.log1p(rows[outcome].to_numpy(dtype="float64"))
