"""The notebook's split cell: the feature matrix, train_test_split, StandardScaler, and the rows fitted.

Up to `max_training_rows` training rows the models are fitted on the whole training split, exactly
as the notebook fits them. Above it they are fitted on a seeded sample of the training split
(ml.status.seeded_sample) and cross-validated on a seeded sample of at most `sampled_cv_rows` of
those rows, and still score every artist of both splits.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.model_selection import KFold, train_test_split
from sklearn.preprocessing import StandardScaler

from ml.config import TrainingConfig
from ml.counterfactual import FlipPlan, plan_flips
from ml.estimators import uses_scaled_features
from ml.status import in_file_order, seeded_sample


@dataclass(frozen=True)
class ModelData:
    """One feature set's matrices, split as the notebook splits them.

    fit_rows are the positions (within the training split) the models are fitted on: every
    training row, or the seeded sample when `sampled`. cv_rows are the positions (within fit_rows)
    the CV folds are cut from: all of them, or a seeded sample of a sampled build's.
    """

    feature_set: str
    features: list[str]
    artist_ids: np.ndarray
    train_rows: np.ndarray
    test_rows: np.ndarray
    x_train: np.ndarray
    x_test: np.ndarray
    x_train_scaled: np.ndarray
    x_test_scaled: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray
    fit_rows: np.ndarray
    cv_rows: np.ndarray
    sampled: bool
    cv_folds: int
    random_state: int
    permutation_repeats: int
    permutation_max_rows: int
    flip_plan: FlipPlan

    def inputs(self, model_name: str) -> tuple[np.ndarray, np.ndarray]:
        if uses_scaled_features(model_name):
            return self.x_train_scaled, self.x_test_scaled
        return self.x_train, self.x_test

    def fitted_target(self) -> np.ndarray:
        return self.y_train[self.fit_rows] if self.sampled else self.y_train

    def fit_inputs(self, model_name: str) -> tuple[np.ndarray, np.ndarray]:
        """(x, y) the model is fitted on: the training split, or its sample (a copy of those rows)."""
        x_train, _ = self.inputs(model_name)
        return (x_train[self.fit_rows] if self.sampled else x_train), self.fitted_target()

    def permutation_rows(self) -> int:
        """Test rows each permutation of a feature is scored on (sklearn's max_samples)."""
        return min(self.permutation_max_rows, len(self.test_rows))

    def folds(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """KFold's (fit, held-out) positions within the fitted rows, cut from cv_rows."""
        return [(self.cv_rows[fit], self.cv_rows[held_out])
                for fit, held_out in KFold(n_splits=self.cv_folds).split(self.cv_rows)]


def model_frame(features: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """The feature columns with the notebook's pandas dtypes (int64 counts and codes, float64 ratios).

    The dtypes and the DataFrame (not a bare array) matter: StandardScaler and the linear solvers
    see the same memory layout as in the notebook, which keeps their results identical to the bit.
    A per-year ratio is undefined (null) when years_active = 0; the models get 0 there, since
    scikit-learn's regressors reject missing values and the notebook's infinity is no number.
    """
    frame = features[list(columns)]
    dtypes = {column: "int64" if pd.api.types.is_integer_dtype(frame[column]) else "float64" for column in columns}
    return frame.astype(dtypes).fillna(0.0)


def split_sizes(n_rows: int, test_size: float) -> tuple[int, int]:
    """(n_train, n_test) as train_test_split computes them for a float test_size."""
    n_test = math.ceil(test_size * n_rows)
    return n_rows - n_test, n_test


def cross_validated_rows(n_train: int, config: TrainingConfig) -> int:
    """How many training rows the CV folds are cut from: all of them up to max_training_rows,
    at most sampled_cv_rows of the sample above it."""
    if n_train <= config.ml_max_training_rows:
        return n_train
    return min(config.ml_max_training_rows, config.ml_sampled_cv_rows)


def skip_reason(n_rows: int, y: np.ndarray, config: TrainingConfig) -> str | None:
    """Why the models cannot be trained on this input, or None when they can."""
    n_train, n_test = split_sizes(n_rows, config.test_size)
    if n_train < 1 or n_test < 1:
        return f"too_few_rows: {n_rows} artists cannot be split into a training and a test set"
    cv_rows = cross_validated_rows(n_train, config)
    if cv_rows < config.cv_folds:
        return f"fewer_training_rows_than_cv_folds: {cv_rows} training rows for {config.cv_folds}-fold cross-validation"
    # not np.unique: it sorts, 7 s for 10 million targets
    if np.all(y == y[0]):
        return "constant_target: every artist has the same target value, so there is nothing to predict"
    return None


def prepare_data(features: pd.DataFrame, feature_set: str, config: TrainingConfig) -> ModelData:
    """The notebook's split cell: train_test_split on the rows in file order, then StandardScaler."""
    ordered = in_file_order(features)
    columns = config.features_of(feature_set)
    frame = model_frame(ordered, columns)
    frame_train, frame_test, y_train, y_test = train_test_split(
        frame, ordered[config.model_target].astype("int64"),
        test_size=config.test_size, random_state=config.random_state)
    scaler = StandardScaler()
    x_train_scaled = scaler.fit_transform(frame_train)
    sample = seeded_sample(len(frame_train), config.ml_max_training_rows, config.random_state)
    fit_rows = np.arange(len(frame_train)) if sample is None else sample
    cv_sample = None if sample is None else seeded_sample(
        len(fit_rows), cross_validated_rows(len(frame_train), config), config.random_state)
    return ModelData(
        feature_set=feature_set,
        features=columns,
        artist_ids=ordered["artist_id"].to_numpy(),
        train_rows=frame_train.index.to_numpy(),
        test_rows=frame_test.index.to_numpy(),
        x_train=frame_train.to_numpy(dtype="float64"),
        x_test=frame_test.to_numpy(dtype="float64"),
        x_train_scaled=x_train_scaled,
        x_test_scaled=scaler.transform(frame_test),
        y_train=y_train.to_numpy(),
        y_test=y_test.to_numpy(),
        fit_rows=fit_rows,
        cv_rows=np.arange(len(fit_rows)) if cv_sample is None else cv_sample,
        sampled=sample is not None,
        cv_folds=config.cv_folds,
        random_state=config.random_state,
        permutation_repeats=config.permutation_repeats,
        permutation_max_rows=config.permutation_max_rows,
        flip_plan=plan_flips(frame, len(frame_test), scaler.mean_, scaler.scale_, config.counterfactual_max_rows,
                             config.random_state),
    )
