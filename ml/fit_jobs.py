"""One fit as a job: what a model is fitted on, what it predicts, and what it hands back.

Every model is fitted once on the (fitted rows of the) training split and once per CV fold; a
Random Forest is cut into chunks of trees, each its own job, so that both cores stay busy.
A forest's chunk hands back one row of predictions per tree, so that they can be summed in the
forest's order as RandomForestRegressor.predict sums them (bit for bit); on a sampled build the
full fit predicts every artist, and a chunk hands back the sum of its trees instead (one row, not
25 rows of millions).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from sklearn.base import RegressorMixin
from sklearn.exceptions import ConvergenceWarning

from ml.config import TrainingConfig
from ml.counterfactual import flipped_inputs
from ml.estimators import (
    FOREST_TREES,
    importance_method,
    is_forest,
    make_estimator,
    relative_fit_cost,
    uses_scaled_features,
)
from ml.model_data import ModelData
from ml.permutation import permuted_copies
from ml.sklearn_private import fit_forest_trees


@dataclass(frozen=True)
class FitJob:
    """One fit: a model on the whole training split (fold None) or on one CV fold's training rows.

    A forest may be cut into chunks of trees [first_tree, stop_tree).
    """

    feature_set: str
    model_name: str
    fold: int | None
    first_tree: int
    stop_tree: int
    cost: float
    pooled: bool


@dataclass
class FitOutput:
    """What one job hands back: predictions per key (one row per member, or one summed row of
    `members` members), importances, and for the full fit the predictions on permuted test rows."""

    predictions: dict[str, np.ndarray]
    members: int
    converged: bool = True
    importances: list[np.ndarray] = field(default_factory=list)
    permuted_sums: np.ndarray | None = None
    flip_sums: list[np.ndarray] = field(default_factory=list)


def tree_chunks(n_trees: int, chunk_trees: int) -> list[tuple[int, int]]:
    step = max(1, chunk_trees)
    return [(first, min(first + step, n_trees)) for first in range(0, n_trees, step)]


def plan_jobs(data: ModelData, model_name: str, config: TrainingConfig, pool_allowed: bool) -> list[FitJob]:
    """The full fit and the CV fold fits of one model, forests cut into chunks of trees."""
    fold_rows = [(len(fit_rows), len(held_out)) for fit_rows, held_out in data.folds()]
    # the full fit scores every artist and the permuted copies of the test rows
    permuted = data.permutation_rows() * len(data.features) * data.permutation_repeats
    full_fit = (len(data.fit_rows), len(data.train_rows) + len(data.test_rows) + permuted)
    chunks = tree_chunks(FOREST_TREES, config.ml_forest_chunk_trees) if is_forest(model_name) else [(0, 1)]
    # linear fits take a fraction of a second: they stay in this process with its BLAS threads
    pooled = pool_allowed and not uses_scaled_features(model_name)
    jobs = []
    for fold, (rows, scored) in [(None, full_fit), *enumerate(fold_rows)]:
        for first, stop in chunks:
            cost = relative_fit_cost(model_name, rows, stop - first, scored)
            jobs.append(FitJob(data.feature_set, model_name, fold, first, stop, cost, pooled))
    return jobs


def fit_estimator(job: FitJob, x: np.ndarray, y: np.ndarray, random_state: int) -> tuple[RegressorMixin, bool]:
    """The fitted estimator and whether its solver converged.

    The notebook's Lasso(alpha=1.0) on a target in the millions often stops at max_iter; that is
    its setting, so the warning becomes a column (converged) rather than noise in the build log.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        estimator = make_estimator(job.model_name, random_state)
        if is_forest(job.model_name):
            estimator = fit_forest_trees(estimator, job.first_tree, job.stop_tree, x, y)
        else:
            estimator = estimator.fit(x, y)
    return estimator, not any(issubclass(w.category, ConvergenceWarning) for w in caught)


def member_predictions(estimator: RegressorMixin, model_name: str, x: np.ndarray) -> np.ndarray:
    """One row of predictions per tree for a forest (on float32 input, as the forest predicts),
    a single row for any other model."""
    if is_forest(model_name):
        x32 = np.asarray(x, dtype=np.float32)
        return np.stack([tree.predict(x32, check_input=False) for tree in estimator.estimators_])
    return estimator.predict(x)[np.newaxis, :]


def member_sum(estimator: RegressorMixin, model_name: str, x: np.ndarray) -> np.ndarray:
    """The members' predictions summed in their order, one member at a time."""
    if not is_forest(model_name):
        return estimator.predict(x).astype(np.float64)
    x32 = np.asarray(x, dtype=np.float32)
    total = np.zeros(x.shape[0], dtype=np.float64)
    for tree in estimator.estimators_:
        total += tree.predict(x32, check_input=False)
    return total


def member_count(estimator: RegressorMixin, model_name: str) -> int:
    return len(estimator.estimators_) if is_forest(model_name) else 1


def member_importances(estimator: RegressorMixin, model_name: str) -> list[np.ndarray]:
    if is_forest(model_name):
        return [tree.feature_importances_ for tree in estimator.estimators_ if tree.tree_.node_count > 1]
    if importance_method(model_name) == "abs_coef":
        return [np.abs(estimator.coef_)]
    return [estimator.feature_importances_]


def scored(estimator: RegressorMixin, model_name: str, x: np.ndarray, summed: bool) -> np.ndarray:
    if summed:
        return member_sum(estimator, model_name, x)[np.newaxis, :]
    return member_predictions(estimator, model_name, x)


def flip_sums(estimator: RegressorMixin, model_name: str, data: ModelData, x_test: np.ndarray) -> list[np.ndarray]:
    """Per flipped attribute, the members' summed predictions of the re-scored test rows at every
    code: one row per code, one column per row (ml.counterfactual)."""
    plan = data.flip_plan
    x_rows = x_test[plan.rows]
    scaled = uses_scaled_features(model_name)
    return [member_sum(estimator, model_name, flipped_inputs(x_rows, column.position, column.values(scaled)))
            .reshape(len(column.codes), -1) for column in plan.columns]


def execute_job(job: FitJob, data_by_set: Mapping[str, ModelData]) -> FitOutput:
    data = data_by_set[job.feature_set]
    x_fit, y_fit = data.fit_inputs(job.model_name)
    if job.fold is not None:
        fit_rows, held_out = data.folds()[job.fold]
        estimator, converged = fit_estimator(job, x_fit[fit_rows], y_fit[fit_rows], data.random_state)
        held_out_predictions = member_predictions(estimator, job.model_name, x_fit[held_out])
        return FitOutput({"held_out": held_out_predictions}, len(held_out_predictions), converged)
    estimator, converged = fit_estimator(job, x_fit, y_fit, data.random_state)
    x_train, x_test = data.inputs(job.model_name)
    n_scored = data.permutation_rows()
    permuted_sums = np.empty((x_test.shape[1], data.permutation_repeats, n_scored))
    for column, permuted in permuted_copies(x_test, data.permutation_repeats, data.permutation_max_rows,
                                            data.random_state):
        permuted_sums[column] = member_sum(estimator, job.model_name, permuted).reshape(-1, n_scored)
    return FitOutput(
        predictions={
            "train": scored(estimator, job.model_name, x_train, data.sampled),
            "test": scored(estimator, job.model_name, x_test, data.sampled),
        },
        members=member_count(estimator, job.model_name),
        converged=converged,
        importances=member_importances(estimator, job.model_name),
        permuted_sums=permuted_sums,
        flip_sums=flip_sums(estimator, job.model_name, data, x_test),
    )
