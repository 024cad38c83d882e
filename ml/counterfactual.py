"""Counterfactual flips: would the model predict differently if only an artist's group were different?

For every encoded attribute among a model's inputs (gender_encoded, label_encoded, ...), the
re-scored test rows (all of them, or a seeded sample of at most counterfactual_max_rows) are copied
once per code the attribute takes, with only that input set to the code (scaled as the model's
inputs are: the training split's StandardScaler for the linear models, the raw code for trees), and
scored again. The fitting jobs (ml.fit_jobs) score the copies while they hold the fitted estimator;
this module plans the copies and turns the scores into one row per artist and other group, which
ml.counterfactual_flips averages per pair of groups.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ml.status import seeded_sample

# the notebook named label_type's code label_encoded; every other attribute's is <attribute>_encoded
ENCODED_SUFFIX = "_encoded"
ATTRIBUTE_OF_COLUMN = {"label_encoded": "label_type"}


def encoded_attribute(column: str) -> str | None:
    """The attribute a feature column encodes (label_encoded -> label_type), or None for any other input."""
    if column in ATTRIBUTE_OF_COLUMN:
        return ATTRIBUTE_OF_COLUMN[column]
    return column.removesuffix(ENCODED_SUFFIX) if column.endswith(ENCODED_SUFFIX) else None


@dataclass(frozen=True)
class FlipColumn:
    """One encoded attribute among the inputs: its position, every code it takes over all artists,
    and the training split's scaling of that input (mean, scale) for the linear models."""

    attribute: str
    position: int
    codes: np.ndarray
    mean: float
    scale: float

    def values(self, scaled: bool) -> np.ndarray:
        """The codes as the model sees them: (code - mean) / scale, StandardScaler.transform's arithmetic."""
        return (self.codes - self.mean) / self.scale if scaled else self.codes


@dataclass(frozen=True)
class FlipPlan:
    """The test-split positions re-scored and the encoded attributes flipped."""

    rows: np.ndarray
    sampled: bool
    columns: tuple[FlipColumn, ...]


def plan_flips(frame: pd.DataFrame, n_test: int, scaler_mean: np.ndarray, scaler_scale: np.ndarray,
               max_rows: int, random_state: int) -> FlipPlan:
    """Which test rows are re-scored (a seeded sample above max_rows) and which inputs are flipped;
    frame holds every artist's raw inputs, where each attribute's codes are read."""
    sample = seeded_sample(n_test, max_rows, random_state)
    # pandas' unique hashes: np.unique would sort 10 million codes per attribute
    columns = tuple(
        FlipColumn(attribute, position, np.sort(frame[column].unique()), float(scaler_mean[position]),
                   float(scaler_scale[position]))
        for position, column in enumerate(frame.columns) if (attribute := encoded_attribute(column)) is not None)
    return FlipPlan(np.arange(n_test) if sample is None else sample, sample is not None, columns)


def flipped_inputs(x_rows: np.ndarray, position: int, values: np.ndarray) -> np.ndarray:
    """x_rows repeated once per value, with only column `position` set to it: (len(values) * n, k),
    the copies of one value contiguous, so that one predict call scores them all."""
    stacked = np.repeat(x_rows[np.newaxis], len(values), axis=0)
    stacked[:, :, position] = values[:, np.newaxis]
    return stacked.reshape(-1, x_rows.shape[1])


def flip_rows(column: FlipColumn, artist_ids: np.ndarray, own_codes: np.ndarray,
              scores: np.ndarray, sampled: bool) -> pd.DataFrame:
    """One row per re-scored artist and other code of the attribute: the prediction at the
    artist's own code and at the other one. scores holds one row per code (column.codes' order)
    and one column per artist; the prediction at the artist's own code is the original one, scored
    by the same call as the counterfactuals, so that an input the model ignores changes nothing."""
    n_codes, n_rows = scores.shape
    own_codes = own_codes.astype(column.codes.dtype)
    original = scores[np.searchsorted(column.codes, own_codes), np.arange(n_rows)]
    row = np.tile(np.arange(n_rows), n_codes)
    counterfactual_code = np.repeat(column.codes, n_rows)
    other = counterfactual_code != own_codes[row]
    return pd.DataFrame({
        "attribute": column.attribute,
        "artist_id": artist_ids[row[other]].astype("int64"),
        "code": own_codes[row[other]].astype("int64"),
        "counterfactual_code": counterfactual_code[other].astype("int64"),
        "sampled": sampled,
        "predicted": original[row[other]],
        "counterfactual_predicted": scores.ravel()[other],
    })
