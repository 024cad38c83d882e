"""A model's jobs put back together: predictions, metrics, CV scores and importances, as the notebook's.

`assemble_result` averages the members' predictions as RandomForestRegressor.predict does (summed
one by one in the forest's order, then divided), scores them with scikit-learn's metrics, and
returns one FitResult. `fit_results_table` is the Arrow table ml_internal.model_fits stores: one row
per model and feature set, its CV scores and importances as nested lists (predictions are written
apart, ml.fit_predictions, since at catalogue scale they are millions of rows per model).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score

from ml.counterfactual import flip_rows
from ml.estimators import importance_method, is_forest, uses_scaled_features
from ml.fit_jobs import FitOutput
from ml.model_data import ModelData
from ml.permutation import permutation_importances
from ml.status import TRAINED


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
    n_fit: int = 0
    n_cv: int = 0
    sampled: bool = False
    rmse: float | None = None
    mae: float | None = None
    r2: float | None = None
    cv_r2_mean: float | None = None
    cv_r2_std: float | None = None
    cv_scores: list[float | None] = field(default_factory=list)
    cv_fold_rows: list[int] = field(default_factory=list)
    predictions: pd.DataFrame | None = None
    importances: pd.DataFrame | None = None
    counterfactuals: pd.DataFrame | None = None


def average_members(outputs: Sequence[FitOutput], key: str) -> np.ndarray:
    """Sum the members' predictions one by one in the forest's order and divide by their number,
    the arithmetic of RandomForestRegressor.predict (for other models: the one prediction)."""
    total = np.zeros(outputs[0].predictions[key].shape[1], dtype=np.float64)
    for output in outputs:
        for row in output.predictions[key]:
            total += row
    total /= sum(output.members for output in outputs)
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


def finite_or_none(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


def cross_validated(data: ModelData, folds: Sequence[Sequence[FitOutput]]) -> tuple[np.ndarray, np.ndarray, list]:
    """(CV fold of each training row, its out-of-fold prediction, the folds' R2); rows the
    folds were not cut from (a sampled build) have neither fold nor prediction."""
    y_fit = data.fitted_target()
    fold_of = np.full(len(data.train_rows), -1, dtype=np.int64)
    cv_predicted = np.full(len(data.train_rows), np.nan)
    scores = []
    for fold, ((_, held_out), outputs) in enumerate(zip(data.folds(), folds, strict=True)):
        prediction = average_members(outputs, "held_out")
        fold_of[data.fit_rows[held_out]] = fold
        cv_predicted[data.fit_rows[held_out]] = prediction
        scores.append(r2_score(y_fit[held_out], prediction))
    return fold_of, cv_predicted, scores


def rescored_rows(data: ModelData) -> np.ndarray:
    """True for the test rows the counterfactual flips re-score (and the gap bootstrap resamples)."""
    rescored = np.zeros(len(data.train_rows) + len(data.test_rows), dtype=bool)
    rescored[len(data.train_rows) + data.flip_plan.rows] = True
    return rescored


def prediction_frame(data: ModelData, train_prediction: np.ndarray, test_prediction: np.ndarray,
                     fold_of: np.ndarray, cv_predicted: np.ndarray) -> pd.DataFrame:
    n_test = len(data.test_rows)
    folds = np.concatenate([fold_of, np.full(n_test, -1)])
    # -1 marks "no fold": test rows, and training rows a sampled build did not fit on
    cv_fold = pd.arrays.IntegerArray(folds, mask=folds < 0)
    return pd.DataFrame({
        "artist_id": np.concatenate([data.artist_ids[data.train_rows], data.artist_ids[data.test_rows]]),
        "split": pd.Categorical.from_codes(np.repeat([0, 1], [len(data.train_rows), n_test]), ["train", "test"]),
        "cv_fold": cv_fold,
        "actual": np.concatenate([data.y_train, data.y_test]).astype("float64"),
        "predicted": np.concatenate([train_prediction, test_prediction]),
        "cv_predicted": np.concatenate([cv_predicted, np.full(n_test, np.nan)]),
        "rescored": rescored_rows(data),
    })


def counterfactual_frame(data: ModelData, full: Sequence[FitOutput]) -> pd.DataFrame | None:
    """ml.counterfactual's rows of every flipped attribute: the chunks' summed scores added up and
    divided by the members, as average_members does; None when no input encodes an attribute."""
    plan = data.flip_plan
    members = sum(output.members for output in full)
    artist_ids = data.artist_ids[data.test_rows][plan.rows]
    frames = []
    for index, column in enumerate(plan.columns):
        scores = np.zeros_like(full[0].flip_sums[index])
        for output in full:
            scores += output.flip_sums[index]
        scores /= members
        own_codes = data.x_test[plan.rows, column.position]
        frames.append(flip_rows(column, artist_ids, own_codes, scores, plan.sampled))
    return pd.concat(frames, ignore_index=True) if frames else None


def assemble_result(data: ModelData, model_name: str, model_order: int, full: Sequence[FitOutput],
                    folds: Sequence[Sequence[FitOutput]]) -> FitResult:
    train_prediction = average_members(full, "train")
    test_prediction = average_members(full, "test")
    fold_of, cv_predicted, cv_scores = cross_validated(data, folds)
    scores = np.array(cv_scores)
    importance = combined_importances(model_name, full, len(data.features))
    permutation = permutation_importances([output.permuted_sums for output in full],
                                          sum(output.members for output in full), data.y_test, test_prediction,
                                          data.permutation_max_rows, data.random_state)
    importances = pd.DataFrame({
        "feature": data.features * 2,
        "method": [importance_method(model_name)] * len(data.features) + ["permutation"] * len(data.features),
        "importance": np.concatenate([importance, permutation]),
    })
    n_train, n_test = len(data.train_rows), len(data.test_rows)
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
        n_fit=len(data.fit_rows),
        n_cv=len(data.cv_rows),
        sampled=data.sampled,
        rmse=finite_or_none(np.sqrt(mean_squared_error(data.y_test, test_prediction))),
        mae=finite_or_none(mean_absolute_error(data.y_test, test_prediction)),
        r2=finite_or_none(r2_score(data.y_test, test_prediction)),
        cv_r2_mean=finite_or_none(scores.mean()),
        cv_r2_std=finite_or_none(scores.std()),
        cv_scores=[finite_or_none(score) for score in scores],
        cv_fold_rows=[len(held_out) for _, held_out in data.folds()],
        predictions=prediction_frame(data, train_prediction, test_prediction, fold_of, cv_predicted),
        importances=importances,
        counterfactuals=counterfactual_frame(data, full),
    )


IMPORTANCE_TYPE = pa.struct([("feature", pa.string()), ("method", pa.string()), ("importance", pa.float64())])
CV_SCORE_TYPE = pa.struct([("fold", pa.int64()), ("n_rows", pa.int64()), ("r2", pa.float64())])
FIT_RESULTS_SCHEMA = pa.schema([
    ("feature_set", pa.string()), ("model_name", pa.string()), ("status", pa.string()), ("reason", pa.string()),
    ("n_rows", pa.int64()), ("model_order", pa.int64()), ("scaled_features", pa.bool_()),
    ("converged", pa.bool_()),
    ("n_train", pa.int64()), ("n_test", pa.int64()), ("n_fit", pa.int64()), ("n_cv", pa.int64()),
    ("sampled", pa.bool_()),
    ("rmse", pa.float64()), ("mae", pa.float64()), ("r2", pa.float64()),
    ("cv_r2_mean", pa.float64()), ("cv_r2_std", pa.float64()),
    ("cv_scores", pa.list_(CV_SCORE_TYPE)), ("importances", pa.list_(IMPORTANCE_TYPE)),
])
# ml_internal.fit_predictions; feature_set, model_name and the split's name are added in SQL
PREDICTIONS_SCHEMA = pa.schema([
    ("artist_id", pa.int64()), ("is_test", pa.bool_()), ("cv_fold", pa.int64()),
    ("actual", pa.float64()), ("predicted", pa.float64()), ("cv_predicted", pa.float64()), ("rescored", pa.bool_()),
])


def nested(frame: pd.DataFrame | None, struct_type: pa.StructType) -> pa.ListArray:
    """A frame as one list-of-struct value, built column-wise (a list of dicts is slow at 100k rows)."""
    if frame is None or frame.empty:
        return pa.array([[]], type=pa.list_(struct_type))
    arrays = [pa.array(frame[f.name], type=f.type, from_pandas=True) for f in struct_type]
    values = pa.StructArray.from_arrays(arrays, fields=list(struct_type))
    return pa.ListArray.from_arrays(pa.array([0, len(frame)], type=pa.int32()), values)


def fit_results_table(results: Sequence[FitResult]) -> pa.Table:
    """One row per model and feature set; CV scores and importances as nested lists."""
    def column(name: str) -> list:
        if name == "scaled_features":
            return [uses_scaled_features(result.model_name) for result in results]
        return [getattr(result, name) for result in results]

    cv_frames = [pd.DataFrame({"fold": range(len(r.cv_scores)), "n_rows": r.cv_fold_rows, "r2": r.cv_scores})
                 for r in results]
    list_columns = {"cv_scores": (cv_frames, CV_SCORE_TYPE), "importances": (column("importances"), IMPORTANCE_TYPE)}
    arrays = []
    for f in FIT_RESULTS_SCHEMA:
        if f.name in list_columns:
            frames, struct_type = list_columns[f.name]
            arrays.append(pa.chunked_array([nested(frame, struct_type) for frame in frames], type=f.type))
        else:
            arrays.append(pa.chunked_array([pa.array(column(f.name), type=f.type)]))
    return pa.Table.from_arrays(arrays, schema=FIT_RESULTS_SCHEMA)


def predictions_table(result: FitResult) -> pa.Table:
    """One model's predictions for every artist, column by column (no Python object per row)."""
    frame = result.predictions
    columns = {"artist_id": frame["artist_id"], "is_test": frame["split"].cat.codes.to_numpy() == 1,
               "cv_fold": frame["cv_fold"], "actual": frame["actual"], "predicted": frame["predicted"],
               "cv_predicted": frame["cv_predicted"], "rescored": frame["rescored"]}
    arrays = [pa.array(values, type=PREDICTIONS_SCHEMA.field(name).type, from_pandas=True)
              for name, values in columns.items()]
    return pa.Table.from_arrays(arrays, schema=PREDICTIONS_SCHEMA)
