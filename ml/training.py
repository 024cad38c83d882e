"""The notebook's modelling cells as pure functions: split, fit, cross-validate, explain.

One call to `train_models` fits each model once per fold (the fit on the whole training split plus
`cv_folds` cross-validation fits) for every feature set, and returns one `FitResult` per model and
feature set with everything later tables need: metrics, cross-validation scores, predictions for
every artist and importances. `fit_results_table` turns them into one Arrow table whose nested
columns the SQL models unnest.

Numbers equal the notebook's sequential scikit-learn code bit for bit: cross-validation is
KFold(cv_folds) without shuffling, a clone per fold and r2_score, which is what cross_val_score
does; a forest cut into chunks of trees keeps every tree's seed (warm_start draws them from the
same generator) and its predictions are summed tree by tree in the forest's order, as
RandomForestRegressor.predict sums them.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
from sklearn.base import RegressorMixin
from sklearn.ensemble._bagging import _generate_indices
from sklearn.exceptions import ConvergenceWarning
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score
from sklearn.model_selection import KFold, train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.utils import check_random_state

from ml.estimators import (
    FOREST_TREES,
    MODEL_NAMES,
    importance_method,
    is_forest,
    make_estimator,
    relative_fit_cost,
    uses_scaled_features,
)
from ml.scheduling import run_jobs

TRAINED = "trained"
SKIPPED = "skipped"


@dataclass(frozen=True)
class TrainingConfig:
    feature_sets: Mapping[str, Sequence[str]]
    train_feature_sets: Sequence[str]
    model_names: Sequence[str]
    target: str = "monthly_listeners"
    test_size: float = 0.3
    cv_folds: int = 5
    random_state: int = 42
    permutation_repeats: int = 5
    permutation_max_rows: int = 5000
    n_jobs: int = 1
    parallel_min_rows: int = 5000
    forest_chunk_trees: int = 25

    def features_of(self, feature_set: str) -> list[str]:
        if feature_set not in self.feature_sets:
            known = ", ".join(self.feature_sets)
            raise ValueError(f"feature set {feature_set!r} is not defined in var feature_sets ({known})")
        return list(self.feature_sets[feature_set])


@dataclass(frozen=True)
class ModelData:
    """One feature set's matrices, split as the notebook splits them."""

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
    cv_folds: int
    random_state: int
    permutation_repeats: int
    permutation_max_rows: int

    def inputs(self, model_name: str) -> tuple[np.ndarray, np.ndarray]:
        if uses_scaled_features(model_name):
            return self.x_train_scaled, self.x_test_scaled
        return self.x_train, self.x_test

    def folds(self) -> list[tuple[np.ndarray, np.ndarray]]:
        return list(KFold(n_splits=self.cv_folds).split(self.x_train))


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
    """What one job hands back: member predictions (one row per tree for a forest, one row for any
    other model), importances, and for the full fit the predictions on permuted test matrices."""

    member_predictions: dict[str, np.ndarray]
    converged: bool = True
    importances: list[np.ndarray] = field(default_factory=list)
    permuted_sums: np.ndarray | None = None


@dataclass(frozen=True)
class FitResult:
    feature_set: str
    model_name: str
    status: str
    reason: str | None
    n_rows: int
    model_order: int = 0
    converged: bool | None = None
    n_train: int = 0
    n_test: int = 0
    rmse: float | None = None
    mae: float | None = None
    r2: float | None = None
    cv_r2_mean: float | None = None
    cv_r2_std: float | None = None
    cv_scores: list[float | None] = field(default_factory=list)
    cv_fold_rows: list[int] = field(default_factory=list)
    predictions: pd.DataFrame | None = None
    importances: pd.DataFrame | None = None


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


def in_file_order(features: pd.DataFrame) -> pd.DataFrame:
    """train_test_split shuffles row positions, so the rows must come in the notebook's order."""
    return features.sort_values("line_number", kind="stable").reset_index(drop=True)


def split_sizes(n_rows: int, test_size: float) -> tuple[int, int]:
    """(n_train, n_test) as train_test_split computes them for a float test_size."""
    n_test = math.ceil(test_size * n_rows)
    return n_rows - n_test, n_test


def skip_reason(n_rows: int, y: np.ndarray, config: TrainingConfig) -> str | None:
    """Why the models cannot be trained on this input, or None when they can."""
    n_train, n_test = split_sizes(n_rows, config.test_size)
    if n_train < 1 or n_test < 1:
        return f"too_few_rows: {n_rows} artists cannot be split into a training and a test set"
    if n_train < config.cv_folds:
        return (f"fewer_training_rows_than_cv_folds: {n_train} training rows for "
                f"{config.cv_folds}-fold cross-validation")
    if np.unique(y).size < 2:
        return "constant_target: every artist has the same target value, so there is nothing to predict"
    return None


def prepare_data(features: pd.DataFrame, feature_set: str, config: TrainingConfig) -> ModelData:
    """The notebook's split cell: train_test_split on the rows in file order, then StandardScaler."""
    ordered = in_file_order(features)
    columns = config.features_of(feature_set)
    frame_train, frame_test, y_train, y_test = train_test_split(
        model_frame(ordered, columns), ordered[config.target].astype("int64"),
        test_size=config.test_size, random_state=config.random_state)
    scaler = StandardScaler()
    x_train_scaled = scaler.fit_transform(frame_train)
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
        cv_folds=config.cv_folds,
        random_state=config.random_state,
        permutation_repeats=config.permutation_repeats,
        permutation_max_rows=config.permutation_max_rows,
    )


def tree_chunks(n_trees: int, chunk_trees: int) -> list[tuple[int, int]]:
    step = max(1, chunk_trees)
    return [(first, min(first + step, n_trees)) for first in range(0, n_trees, step)]


def plan_jobs(data: ModelData, model_name: str, config: TrainingConfig, pool_allowed: bool) -> list[FitJob]:
    """The full fit and the CV fold fits of one model, forests cut into chunks of trees."""
    n_train = len(data.y_train)
    fold_rows = [len(fit_rows) for fit_rows, _ in data.folds()]
    chunks = tree_chunks(FOREST_TREES, config.forest_chunk_trees) if is_forest(model_name) else [(0, 1)]
    # linear fits take a fraction of a second: they stay in this process with its BLAS threads
    pooled = pool_allowed and not uses_scaled_features(model_name)
    jobs = []
    for fold, rows in [(None, n_train), *enumerate(fold_rows)]:
        for first, stop in chunks:
            cost = relative_fit_cost(model_name, rows, stop - first)
            jobs.append(FitJob(data.feature_set, model_name, fold, first, stop, cost, pooled))
    return jobs


def fit_estimator(job: FitJob, x: np.ndarray, y: np.ndarray, random_state: int) -> tuple[RegressorMixin, bool]:
    """The fitted estimator and whether its solver converged.

    The notebook's Lasso(alpha=1.0) on a target in the millions often stops at max_iter; that is
    its setting, so the warning becomes a column (converged) rather than noise in the build log.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        estimator = fitted_estimator(job, x, y, random_state)
    return estimator, not any(issubclass(w.category, ConvergenceWarning) for w in caught)


def fitted_estimator(job: FitJob, x: np.ndarray, y: np.ndarray, random_state: int) -> RegressorMixin:
    estimator = make_estimator(job.model_name, random_state)
    if is_forest(job.model_name):
        # warm_start draws the seeds of the first_tree trees it believes it already has, so the
        # new trees get the seeds they would have had in one fit of the whole forest
        estimator.set_params(warm_start=True, n_estimators=job.stop_tree)
        estimator.estimators_ = [None] * job.first_tree
        estimator.fit(x, y)
        estimator.estimators_ = estimator.estimators_[job.first_tree:]
        return estimator
    return estimator.fit(x, y)


def member_predictions(estimator: RegressorMixin, model_name: str, x: np.ndarray) -> np.ndarray:
    """One row of predictions per tree for a forest (on float32 input, as the forest predicts),
    a single row for any other model."""
    if is_forest(model_name):
        x32 = estimator._validate_X_predict(x)
        return np.stack([tree.predict(x32, check_input=False) for tree in estimator.estimators_])
    return estimator.predict(x)[np.newaxis, :]


def member_sum(estimator: RegressorMixin, model_name: str, x: np.ndarray) -> np.ndarray:
    total = np.zeros(x.shape[0], dtype=np.float64)
    for row in member_predictions(estimator, model_name, x):
        total += row
    return total


def member_importances(estimator: RegressorMixin, model_name: str) -> list[np.ndarray]:
    if is_forest(model_name):
        return [tree.feature_importances_ for tree in estimator.estimators_ if tree.tree_.node_count > 1]
    if importance_method(model_name) == "abs_coef":
        return [np.abs(estimator.coef_)]
    return [estimator.feature_importances_]


def permutation_seed(random_state: int) -> int:
    return check_random_state(random_state).randint(np.iinfo(np.int32).max + 1)


def permutation_rows(n_rows: int, max_rows: int, random_state: int) -> np.ndarray:
    """The test rows permutation importance scores: all of them, or sklearn's seeded sample of
    max_samples = max_rows rows (the same sample for every feature, since each feature's
    generator starts from the same seed)."""
    if max_rows >= n_rows:
        return np.arange(n_rows)
    generator = check_random_state(permutation_seed(random_state))
    return _generate_indices(random_state=generator, bootstrap=False, n_population=n_rows, n_samples=max_rows)


def permuted_copies(x: np.ndarray, repeats: int, max_rows: int,
                    random_state: int) -> Iterator[tuple[int, np.ndarray]]:
    """The permuted matrices sklearn's permutation_importance(n_repeats=repeats,
    max_samples=max_rows) scores, in its order and with its seeds: per column, a copy of the
    (sampled) rows whose column is shuffled again on every repeat. The repeats come stacked in one
    matrix, so that a forest's tree predicts them in one call (60 calls of 5,000 rows per tree
    cost 2.4x more than 12 of 25,000)."""
    seed = permutation_seed(random_state)
    for column in range(x.shape[1]):
        generator = check_random_state(seed)
        if max_rows < x.shape[0]:
            rows = _generate_indices(random_state=generator, bootstrap=False, n_population=x.shape[0],
                                     n_samples=max_rows)
            permuted = x[rows]
        else:
            permuted = x.copy()
        order = np.arange(permuted.shape[0])
        stacked = np.empty((repeats, *permuted.shape))
        for repeat in range(repeats):
            generator.shuffle(order)
            permuted[:, column] = permuted[order, column]
            stacked[repeat] = permuted
        yield column, stacked.reshape(-1, permuted.shape[1])


def execute_job(job: FitJob, data_by_set: Mapping[str, ModelData]) -> FitOutput:
    data = data_by_set[job.feature_set]
    x_train, x_test = data.inputs(job.model_name)
    if job.fold is not None:
        fit_rows, held_out = data.folds()[job.fold]
        estimator, converged = fit_estimator(job, x_train[fit_rows], data.y_train[fit_rows], data.random_state)
        return FitOutput({"held_out": member_predictions(estimator, job.model_name, x_train[held_out])}, converged)
    estimator, converged = fit_estimator(job, x_train, data.y_train, data.random_state)
    n_scored = min(data.permutation_max_rows, x_test.shape[0])
    permuted_sums = np.empty((x_test.shape[1], data.permutation_repeats, n_scored))
    for column, permuted in permuted_copies(x_test, data.permutation_repeats, data.permutation_max_rows,
                                            data.random_state):
        permuted_sums[column] = member_sum(estimator, job.model_name, permuted).reshape(-1, n_scored)
    return FitOutput(
        member_predictions={
            "train": member_predictions(estimator, job.model_name, x_train),
            "test": member_predictions(estimator, job.model_name, x_test),
        },
        converged=converged,
        importances=member_importances(estimator, job.model_name),
        permuted_sums=permuted_sums,
    )


def average_members(outputs: Sequence[FitOutput], key: str) -> np.ndarray:
    """Sum the members' predictions one by one in the forest's order and divide by their number,
    the arithmetic of RandomForestRegressor.predict (for other models: the one prediction)."""
    total = np.zeros(outputs[0].member_predictions[key].shape[1], dtype=np.float64)
    members = 0
    for output in outputs:
        for row in output.member_predictions[key]:
            total += row
            members += 1
    total /= members
    return total


def combined_importances(model_name: str, outputs: Sequence[FitOutput], n_features: int) -> np.ndarray:
    """RandomForestRegressor.feature_importances_'s arithmetic over the chunks' trees."""
    members = [importance for output in outputs for importance in output.importances]
    if not is_forest(model_name):
        return members[0]
    if not members:
        return np.zeros(n_features, dtype=np.float64)
    mean = np.mean(members, axis=0, dtype=np.float64)
    return mean / np.sum(mean)


def permutation_importances(outputs: Sequence[FitOutput], data: ModelData, test_prediction: np.ndarray) -> np.ndarray:
    """Mean decrease of test R2 over the permutation repeats, per feature.

    A forest's chunks each sum their own trees, so its permuted predictions may differ from one
    whole-forest predict in the last bits; every other model gives sklearn's numbers exactly.
    """
    members = sum(output.member_predictions["test"].shape[0] for output in outputs)
    total = np.zeros_like(outputs[0].permuted_sums)
    for output in outputs:
        total += output.permuted_sums
    total /= members
    # sklearn scores the baseline on every test row and the permutations on the sampled rows
    baseline = r2_score(data.y_test, test_prediction)
    y_test = data.y_test[permutation_rows(len(data.y_test), data.permutation_max_rows, data.random_state)]
    scores = np.array([[r2_score(y_test, total[column, repeat]) for repeat in range(total.shape[1])]
                       for column in range(total.shape[0])])
    return np.mean(baseline - scores, axis=1)


def finite_or_none(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


def cv_fold_of_train_rows(data: ModelData) -> np.ndarray:
    fold_of = np.empty(len(data.train_rows), dtype=np.int64)
    for fold, (_, held_out) in enumerate(data.folds()):
        fold_of[held_out] = fold
    return fold_of


def assemble_result(data: ModelData, model_name: str, model_order: int, full: Sequence[FitOutput],
                    folds: Sequence[Sequence[FitOutput]]) -> FitResult:
    train_prediction = average_members(full, "train")
    test_prediction = average_members(full, "test")
    fold_splits = data.folds()
    cv_predicted = np.empty(len(data.train_rows))
    cv_scores = []
    for (_, held_out), outputs in zip(fold_splits, folds, strict=True):
        fold_prediction = average_members(outputs, "held_out")
        cv_predicted[held_out] = fold_prediction
        cv_scores.append(r2_score(data.y_train[held_out], fold_prediction))
    scores = np.array(cv_scores)
    n_train, n_test = len(data.train_rows), len(data.test_rows)
    predictions = pd.DataFrame({
        "artist_id": np.concatenate([data.artist_ids[data.train_rows], data.artist_ids[data.test_rows]]),
        "split": ["train"] * n_train + ["test"] * n_test,
        "cv_fold": pd.array([*cv_fold_of_train_rows(data).tolist(), *[None] * n_test], dtype="Int64"),
        "actual": np.concatenate([data.y_train, data.y_test]).astype("float64"),
        "predicted": np.concatenate([train_prediction, test_prediction]),
        "cv_predicted": np.concatenate([cv_predicted, np.full(n_test, np.nan)]),
    })
    importance = combined_importances(model_name, full, len(data.features))
    permutation = permutation_importances(full, data, test_prediction)
    importances = pd.DataFrame({
        "feature": data.features * 2,
        "method": [importance_method(model_name)] * len(data.features) + ["permutation"] * len(data.features),
        "importance": np.concatenate([importance, permutation]),
    })
    return FitResult(
        feature_set=data.feature_set,
        model_name=model_name,
        status=TRAINED,
        reason=None,
        n_rows=n_train + n_test,
        model_order=model_order,
        converged=all(output.converged for output in [*full, *(o for fold in folds for o in fold)]),
        n_train=n_train,
        n_test=n_test,
        rmse=finite_or_none(np.sqrt(mean_squared_error(data.y_test, test_prediction))),
        mae=finite_or_none(mean_absolute_error(data.y_test, test_prediction)),
        r2=finite_or_none(r2_score(data.y_test, test_prediction)),
        cv_r2_mean=finite_or_none(scores.mean()),
        cv_r2_std=finite_or_none(scores.std()),
        cv_scores=[finite_or_none(score) for score in scores],
        cv_fold_rows=[len(held_out) for _, held_out in fold_splits],
        predictions=predictions,
        importances=importances,
    )


def check_config(config: TrainingConfig) -> None:
    """Fail on a misspelt feature set or model name before any fit starts."""
    for feature_set in config.train_feature_sets:
        config.features_of(feature_set)
    unknown = [name for name in config.model_names if name not in MODEL_NAMES]
    if unknown:
        raise ValueError(f"unknown models in var model_names: {', '.join(unknown)}; known: {', '.join(MODEL_NAMES)}")


def train_models(features: pd.DataFrame, config: TrainingConfig) -> list[FitResult]:
    """Every model of config.model_names on every set of config.train_feature_sets."""
    n_rows = len(features)
    y = features[config.target].to_numpy() if n_rows else np.array([])
    data_by_set: dict[str, ModelData] = {}
    results: dict[tuple[str, str], FitResult] = {}
    check_config(config)
    reason = skip_reason(n_rows, y, config)
    for feature_set in config.train_feature_sets:
        if reason is None:
            data_by_set[feature_set] = prepare_data(features, feature_set, config)
        else:
            for order, model_name in enumerate(config.model_names):
                results[feature_set, model_name] = FitResult(feature_set, model_name, SKIPPED, reason, n_rows, order)
    pool_allowed = config.n_jobs > 1 and n_rows >= config.parallel_min_rows
    jobs = [job for data in data_by_set.values() for model_name in config.model_names
            for job in plan_jobs(data, model_name, config, pool_allowed)]
    outputs = run_jobs(jobs, execute_job, data_by_set, config.n_jobs)
    for data in data_by_set.values():
        for order, model_name in enumerate(config.model_names):
            mine = [(job, output) for job, output in zip(jobs, outputs, strict=True)
                    if job.feature_set == data.feature_set and job.model_name == model_name]
            full = [output for job, output in mine if job.fold is None]
            folds = [[output for job, output in mine if job.fold == fold] for fold in range(config.cv_folds)]
            results[data.feature_set, model_name] = assemble_result(data, model_name, order, full, folds)
    return [results[feature_set, model_name] for feature_set in config.train_feature_sets
            for model_name in config.model_names]


PREDICTION_TYPE = pa.struct([
    ("artist_id", pa.int64()), ("split", pa.string()), ("cv_fold", pa.int64()),
    ("actual", pa.float64()), ("predicted", pa.float64()), ("cv_predicted", pa.float64()),
])
IMPORTANCE_TYPE = pa.struct([("feature", pa.string()), ("method", pa.string()), ("importance", pa.float64())])
CV_SCORE_TYPE = pa.struct([("fold", pa.int64()), ("n_rows", pa.int64()), ("r2", pa.float64())])
FIT_RESULTS_SCHEMA = pa.schema([
    ("feature_set", pa.string()), ("model_name", pa.string()), ("status", pa.string()), ("reason", pa.string()),
    ("n_rows", pa.int64()), ("model_order", pa.int64()), ("scaled_features", pa.bool_()),
    ("converged", pa.bool_()),
    ("n_train", pa.int64()), ("n_test", pa.int64()),
    ("rmse", pa.float64()), ("mae", pa.float64()), ("r2", pa.float64()),
    ("cv_r2_mean", pa.float64()), ("cv_r2_std", pa.float64()),
    ("cv_scores", pa.list_(CV_SCORE_TYPE)), ("predictions", pa.list_(PREDICTION_TYPE)),
    ("importances", pa.list_(IMPORTANCE_TYPE)),
])


def nested(frame: pd.DataFrame | None, struct_type: pa.StructType) -> pa.ListArray:
    """A frame as one list-of-struct value, built column-wise (a list of dicts is slow at 100k rows)."""
    if frame is None or frame.empty:
        return pa.array([[]], type=pa.list_(struct_type))
    arrays = [pa.array(frame[f.name], type=f.type, from_pandas=True) for f in struct_type]
    values = pa.StructArray.from_arrays(arrays, fields=list(struct_type))
    return pa.ListArray.from_arrays(pa.array([0, len(frame)], type=pa.int32()), values)


def fit_results_table(results: Sequence[FitResult]) -> pa.Table:
    """One row per model and feature set; predictions, CV scores and importances as nested lists."""
    def column(name: str) -> list:
        if name == "scaled_features":
            return [uses_scaled_features(result.model_name) for result in results]
        return [getattr(result, name) for result in results]

    cv_frames = [pd.DataFrame({"fold": range(len(r.cv_scores)), "n_rows": r.cv_fold_rows, "r2": r.cv_scores})
                 for r in results]
    list_columns = {
        "cv_scores": (cv_frames, CV_SCORE_TYPE),
        "predictions": (column("predictions"), PREDICTION_TYPE),
        "importances": (column("importances"), IMPORTANCE_TYPE),
    }
    arrays = []
    for f in FIT_RESULTS_SCHEMA:
        if f.name in list_columns:
            frames, struct_type = list_columns[f.name]
            chunks = [nested(frame, struct_type) for frame in frames]
            arrays.append(pa.chunked_array(chunks, type=f.type))
        else:
            arrays.append(pa.chunked_array([pa.array(column(f.name), type=f.type)]))
    return pa.Table.from_arrays(arrays, schema=FIT_RESULTS_SCHEMA)
