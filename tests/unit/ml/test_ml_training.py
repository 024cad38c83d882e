"""ml.training on tiny frames, without dbt: the same numbers as scikit-learn's own calls."""

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.ensemble import RandomForestRegressor
from sklearn.inspection import permutation_importance
from sklearn.linear_model import Ridge
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.preprocessing import StandardScaler

from ml.config import TrainingConfig
from ml.estimators import MODEL_NAMES, make_estimator
from ml.fit_jobs import plan_jobs
from ml.fit_results import FIT_RESULTS_SCHEMA, PREDICTIONS_SCHEMA, fit_results_table, predictions_table
from ml.model_data import prepare_data
from ml.status import SKIPPED, TRAINED
from ml.training import train_models
from tests.unit.ml.project_settings import training_settings

FEATURES = ["years_active", "album_count", "award_wins", "listeners_per_year"]


def tiny_features(n_rows: int, seed: int = 0) -> pd.DataFrame:
    """A features.artist_features-like frame, shuffled so that file order differs from row order."""
    rng = np.random.default_rng(seed)
    years = rng.integers(0, 20, n_rows)
    listeners = rng.integers(1_000, 60_000_000, n_rows)
    frame = pd.DataFrame({
        "artist_id": np.arange(100, 100 + n_rows),
        "line_number": np.arange(2, 2 + n_rows),
        "years_active": years,
        "album_count": rng.integers(0, 12, n_rows),
        "award_wins": rng.integers(0, 15, n_rows),
        # null where years_active = 0, as features.artist_features has it
        "listeners_per_year": np.where(years > 0, listeners / np.maximum(years, 1), np.nan),
        "monthly_listeners": listeners,
    })
    return frame.sample(frac=1, random_state=seed).reset_index(drop=True)


def config(**overrides) -> TrainingConfig:
    settings = dict(feature_sets={"small": FEATURES, "no_ratio": FEATURES[:3]}, train_feature_sets=["small"],
                    model_names=list(MODEL_NAMES), ml_forest_chunk_trees=100, ml_n_jobs=1)
    return training_settings(**{**settings, **overrides})


def sklearn_reference(features: pd.DataFrame, model_name: str) -> dict:
    """The notebook's cell for one model, written with scikit-learn's own helpers."""
    ordered = features.sort_values("line_number")
    x = ordered[FEATURES].fillna(0.0)
    y = ordered["monthly_listeners"]
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.3, random_state=42)
    if model_name in ("Linear Regression", "Ridge Regression", "Lasso Regression"):
        scaler = StandardScaler()
        x_train, x_test = scaler.fit_transform(x_train), scaler.transform(x_test)
    model = make_estimator(model_name, 42).fit(x_train, y_train)
    cv = cross_val_score(clone(model), x_train, y_train, cv=5, scoring="r2")
    permutation = permutation_importance(model, x_test, y_test, random_state=42)
    return {"test_ids": ordered["artist_id"].to_numpy()[[ordered.index.get_loc(i) for i in y_test.index]],
            "predicted": model.predict(x_test), "cv_mean": cv.mean(), "cv_std": cv.std(),
            "permutation": permutation.importances_mean}


@pytest.fixture(scope="module")
def features():
    return tiny_features(40)


@pytest.fixture(scope="module")
def sequential(features):
    return {r.model_name: r for r in train_models(features, config())}


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("model_name", MODEL_NAMES)
def test_every_model_equals_sklearn_bit_for_bit(model_name, features, sequential):
    expected = sklearn_reference(features, model_name)
    result = sequential[model_name]
    test_rows = result.predictions[result.predictions["split"] == "test"]
    assert list(test_rows["artist_id"]) == list(expected["test_ids"])
    assert np.array_equal(test_rows["predicted"].to_numpy(), expected["predicted"])
    assert result.cv_r2_mean == expected["cv_mean"]
    assert result.cv_r2_std == expected["cv_std"]
    permutation = result.importances[result.importances["method"] == "permutation"]["importance"].to_numpy()
    assert np.array_equal(permutation, expected["permutation"])


def test_forest_in_chunks_on_two_workers_equals_one_sequential_forest(features, sequential):
    pooled = {r.model_name: r for r in train_models(
        features, config(ml_n_jobs=2, ml_parallel_min_rows=0, ml_forest_chunk_trees=7))}
    for model_name in ("Random Forest", "Gradient Boosting", "Lasso Regression"):
        a, b = sequential[model_name], pooled[model_name]
        assert np.array_equal(a.predictions["predicted"], b.predictions["predicted"])
        assert np.array_equal(a.predictions["cv_predicted"], b.predictions["cv_predicted"], equal_nan=True)
        assert (a.rmse, a.mae, a.r2, a.cv_r2_mean, a.cv_r2_std) == (b.rmse, b.mae, b.r2, b.cv_r2_mean, b.cv_r2_std)
        impurity = lambda r: r.importances[r.importances["method"] != "permutation"]["importance"].to_numpy()  # noqa: E731
        assert np.array_equal(impurity(a), impurity(b))
        permutation = lambda r: r.importances[r.importances["method"] == "permutation"]["importance"].to_numpy()  # noqa: E731
        np.testing.assert_allclose(permutation(a), permutation(b), rtol=1e-12)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("model_name", ["Lasso Regression", "Random Forest"])
def test_permutation_on_a_sample_of_the_test_rows_equals_sklearn_max_samples(model_name, features):
    ordered = features.sort_values("line_number")
    x_train, x_test, y_train, y_test = train_test_split(ordered[FEATURES].fillna(0.0), ordered["monthly_listeners"],
                                                        test_size=0.3, random_state=42)
    if model_name == "Lasso Regression":
        scaler = StandardScaler()
        x_train, x_test = scaler.fit_transform(x_train), scaler.transform(x_test)
    model = make_estimator(model_name, 42).fit(x_train, y_train)
    expected = permutation_importance(model, x_test, y_test, random_state=42, max_samples=7).importances_mean
    result = train_models(features, config(model_names=[model_name], permutation_max_rows=7))[0]
    importances = result.importances
    assert np.array_equal(importances[importances["method"] == "permutation"]["importance"], expected)


def test_plan_fits_each_model_once_per_fold_and_cuts_forests_into_chunks(features):
    settings = config(ml_forest_chunk_trees=30)
    data = prepare_data(features, "small", settings)
    forest = plan_jobs(data, "Random Forest", settings, pool_allowed=True)
    assert len(forest) == 6 * 4
    assert [(job.first_tree, job.stop_tree) for job in forest[:4]] == [(0, 30), (30, 60), (60, 90), (90, 100)]
    assert [job.fold for job in forest[::4]] == [None, 0, 1, 2, 3, 4]
    assert all(job.pooled for job in forest)
    boosting = plan_jobs(data, "Gradient Boosting", settings, pool_allowed=True)
    assert len(boosting) == 6 and all(job.pooled for job in boosting)
    # the full fit sees more rows than a fold fit, so it is scheduled first
    assert boosting[0].cost > boosting[1].cost
    linear = plan_jobs(data, "Lasso Regression", settings, pool_allowed=True)
    assert len(linear) == 6 and not any(job.pooled for job in linear)
    assert not any(job.pooled for job in plan_jobs(data, "Random Forest", settings, pool_allowed=False))


def test_forest_impurity_importances_equal_the_forest_attribute(features, sequential):
    ordered = features.sort_values("line_number")
    x_train, _, y_train, _ = train_test_split(ordered[FEATURES].fillna(0.0), ordered["monthly_listeners"],
                                              test_size=0.3, random_state=42)
    forest = RandomForestRegressor(n_estimators=100, random_state=42).fit(x_train, y_train)
    importances = sequential["Random Forest"].importances
    assert np.array_equal(importances[importances["method"] == "impurity"]["importance"], forest.feature_importances_)


def test_linear_importance_is_abs_coef_on_scaled_features(features, sequential):
    ordered = features.sort_values("line_number")
    x_train, _, y_train, _ = train_test_split(ordered[FEATURES].fillna(0.0), ordered["monthly_listeners"],
                                              test_size=0.3, random_state=42)
    ridge = Ridge(alpha=1.0).fit(StandardScaler().fit_transform(x_train), y_train)
    importances = sequential["Ridge Regression"].importances
    assert np.array_equal(importances[importances["method"] == "abs_coef"]["importance"], np.abs(ridge.coef_))


def test_cv_predictions_cover_every_train_row_once(sequential):
    predictions = sequential["Ridge Regression"].predictions
    train = predictions[predictions["split"] == "train"]
    assert train["cv_predicted"].notna().all()
    assert sorted(train["cv_fold"].value_counts().to_dict().values()) == [5, 5, 6, 6, 6]
    assert predictions[predictions["split"] == "test"]["cv_fold"].isna().all()


def test_undefined_per_year_ratio_is_fed_as_zero():
    features = tiny_features(30, seed=3)
    assert features["listeners_per_year"].isna().any()
    results = train_models(features, config(model_names=["Linear Regression"]))
    assert results[0].status == TRAINED
    assert np.isfinite(results[0].predictions["predicted"]).all()


@pytest.mark.parametrize(("n_rows", "reason_code"), [
    (0, "too_few_rows"), (1, "too_few_rows"), (6, "fewer_training_rows_than_cv_folds"),
])
def test_too_small_inputs_are_skipped_with_a_reason(n_rows, reason_code):
    results = train_models(tiny_features(n_rows), config(train_feature_sets=["small", "no_ratio"]))
    assert len(results) == 2 * len(MODEL_NAMES)
    assert {r.status for r in results} == {SKIPPED}
    assert {r.reason.split(":")[0] for r in results} == {reason_code}
    assert {r.n_rows for r in results} == {n_rows}


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.UndefinedMetricWarning")
def test_eight_rows_train_but_one_row_folds_have_no_cv_r2():
    results = train_models(tiny_features(8), config(model_names=["Ridge Regression"]))
    assert results[0].status == TRAINED
    assert results[0].n_train == 5
    assert results[0].cv_scores == [None] * 5
    assert results[0].cv_r2_mean is None and results[0].r2 is not None


def test_constant_target_is_skipped():
    features = tiny_features(20).assign(monthly_listeners=1_000_000)
    results = train_models(features, config())
    assert {r.reason.split(":")[0] for r in results} == {"constant_target"}


def test_unknown_feature_set_or_model_is_an_error(features):
    with pytest.raises(ValueError, match="feature set 'typo'"):
        train_models(features, config(train_feature_sets=["typo"]))
    with pytest.raises(ValueError, match="Neural Net"):
        train_models(features, config(model_names=["Neural Net"]))


def test_fit_results_table_nests_one_row_per_model(features, sequential):
    skipped = train_models(tiny_features(3), config(model_names=["Random Forest"]))
    table = fit_results_table([sequential["Random Forest"], sequential["Lasso Regression"], *skipped])
    assert table.schema == FIT_RESULTS_SCHEMA
    rows = table.to_pylist()
    assert [len(row["importances"]) for row in rows] == [8, 8, 0]
    assert [len(row["cv_scores"]) for row in rows] == [5, 5, 0]
    assert rows[1]["scaled_features"] and not rows[0]["scaled_features"]
    assert rows[1]["converged"] in (True, False)
    assert rows[2]["status"] == SKIPPED and rows[2]["rmse"] is None
    assert not any(row["sampled"] for row in rows) and rows[0]["n_fit"] == rows[0]["n_train"]


def test_predictions_table_has_every_artist_and_no_cv_fold_on_test_rows(sequential):
    table = predictions_table(sequential["Random Forest"])
    assert table.schema == PREDICTIONS_SCHEMA
    rows = table.to_pylist()
    assert len(rows) == 40 and sorted(row["artist_id"] for row in rows) == list(range(100, 140))
    test_rows = [row for row in rows if row["is_test"]]
    assert len(test_rows) == 12
    assert all(row["cv_fold"] is None and row["cv_predicted"] is None for row in test_rows)
