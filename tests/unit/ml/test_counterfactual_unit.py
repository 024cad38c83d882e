"""ml.counterfactual through ml.training on a 10,000-artist synthetic frame, without dbt: the flips
equal the notebook's models refitted here with scikit-learn (split, scaling, seeds) and re-scored
with the codes swapped here; Linear Regression's change is its coefficient x code difference /
scale; a Lasso that zeroed the input changes nothing, a forest that splits on it does."""

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from ml.counterfactual import encoded_attribute, flipped_inputs
from ml.estimators import make_estimator, uses_scaled_features
from ml.training import train_models
from tests.unit.ml.project_settings import PROJECT_VARS, training_settings

N_ROWS = 10_000
FEATURES = ["years_active", "album_count", "gender_encoded", "label_encoded", "noise_encoded"]
MODELS = ["Linear Regression", "Lasso Regression", "Random Forest"]
RTOL = 1e-6


def synthetic_features(n_rows: int = N_ROWS, seed: int = 3) -> pd.DataFrame:
    """A small-valued target (Lasso's alpha of 1 then zeroes a weak input exactly) that depends on
    years, gender and label but not on noise_encoded, an attribute of four codes."""
    rng = np.random.default_rng(seed)
    years = rng.integers(0, 20, n_rows)
    gender = rng.integers(0, 2, n_rows)
    label = rng.integers(0, 2, n_rows)
    target = years + 6 * gender + 3 * label + rng.integers(0, 3, n_rows)
    frame = pd.DataFrame({
        "artist_id": np.arange(500, 500 + n_rows), "line_number": np.arange(2, 2 + n_rows),
        "years_active": years, "album_count": rng.integers(0, 12, n_rows), "gender_encoded": gender,
        "label_encoded": label, "noise_encoded": rng.integers(0, 4, n_rows), "monthly_listeners": target,
    })
    return frame.sample(frac=1, random_state=seed).reset_index(drop=True)


@pytest.fixture(scope="module")
def features() -> pd.DataFrame:
    return synthetic_features()


@pytest.fixture(scope="module")
def results(features):
    config = training_settings(feature_sets={"coded": FEATURES, "unaware": FEATURES[:2]},
                               train_feature_sets=["coded", "unaware"], model_names=MODELS, ml_n_jobs=1,
                               ml_forest_chunk_trees=25, counterfactual_max_rows=1_000)
    return {(r.feature_set, r.model_name): r for r in train_models(features, config)}


def notebook_flips(features: pd.DataFrame, model_name: str) -> pd.DataFrame:
    """The notebook's split, scaling and model, refitted here; every sampled test row re-scored at
    every other code of each encoded input, written without ml/."""
    ordered = features.sort_values("line_number")
    x_train, x_test, y_train, _ = train_test_split(ordered[FEATURES], ordered["monthly_listeners"],
                                                   test_size=PROJECT_VARS["test_size"], random_state=42)
    rows = np.sort(np.random.default_rng(42).choice(len(x_test), size=1_000, replace=False))
    scaler = StandardScaler().fit(x_train)
    scaled = uses_scaled_features(model_name)
    model = make_estimator(model_name, 42).fit(scaler.transform(x_train) if scaled else x_train, y_train)
    sample = x_test.iloc[rows]
    frames = []
    for column in FEATURES[2:]:
        original = model.predict(scaler.transform(sample) if scaled else sample)
        for code in np.sort(ordered[column].unique()):
            swapped = sample.copy()
            swapped[column] = code
            other = sample[column].to_numpy() != code
            frames.append(pd.DataFrame({
                "attribute": encoded_attribute(column),
                "artist_id": ordered.loc[sample.index, "artist_id"].to_numpy()[other],
                "counterfactual_code": code,
                "predicted": original[other],
                "counterfactual_predicted": model.predict(scaler.transform(swapped) if scaled else swapped)[other]}))
    return pd.concat(frames, ignore_index=True)


@pytest.mark.parametrize("model_name", MODELS)
def test_flips_equal_the_notebook_models_rescored_with_swapped_codes(features, results, model_name):
    got = results[("coded", model_name)].counterfactuals
    expected = notebook_flips(features, model_name)
    keys = ["attribute", "artist_id", "counterfactual_code"]
    merged = expected.merge(got, on=keys, how="outer", suffixes=("_expected", ""), indicator=True)
    assert (merged["_merge"] == "both").all()
    assert len(got) == 1_000 * (1 + 1 + 3)
    assert got["sampled"].all()
    for column in ("predicted", "counterfactual_predicted"):
        np.testing.assert_allclose(merged[column], merged[f"{column}_expected"], rtol=RTOL, atol=0)


def test_linear_regression_change_is_coefficient_times_code_difference_over_scale(features, results):
    flips = results[("coded", "Linear Regression")].counterfactuals
    ordered = features.sort_values("line_number")
    x_train, _, y_train, _ = train_test_split(ordered[FEATURES], ordered["monthly_listeners"],
                                              test_size=PROJECT_VARS["test_size"], random_state=42)
    scaler = StandardScaler().fit(x_train)
    model = make_estimator("Linear Regression", 42).fit(scaler.transform(x_train), y_train)
    for position, column in enumerate(FEATURES[2:], start=2):
        mine = flips[flips["attribute"] == encoded_attribute(column)]
        change = (mine["counterfactual_predicted"] - mine["predicted"]).to_numpy()
        code_difference = (mine["counterfactual_code"] - mine["code"]).to_numpy()
        expected = model.coef_[position] * code_difference / scaler.scale_[position]
        np.testing.assert_allclose(change, expected, rtol=RTOL, atol=1e-9 * np.abs(expected).max())
        assert np.abs(expected).max() > 0


def test_a_lasso_that_zeroed_the_input_ignores_it_and_a_forest_that_splits_on_it_does_not(results):
    def changed_share(model_name, attribute):
        flips = results[("coded", model_name)].counterfactuals
        mine = flips[flips["attribute"] == attribute]
        return float((mine["counterfactual_predicted"] != mine["predicted"]).mean())

    assert changed_share("Lasso Regression", "noise") == 0
    assert changed_share("Lasso Regression", "gender") == 1
    assert changed_share("Random Forest", "noise") > 0
    assert changed_share("Random Forest", "gender") > 0.9


def test_the_unaware_set_has_no_attribute_input_to_flip(results):
    assert all(results[("unaware", name)].counterfactuals is None for name in MODELS)
    assert [column for column in PROJECT_VARS["feature_sets"]["unaware"] if encoded_attribute(column)] == []
    assert PROJECT_VARS["train_feature_sets"] == ["notebook", "no_leakage"]


def test_encoded_attribute_follows_the_notebook_names():
    assert [encoded_attribute(c) for c in ["gender_encoded", "label_encoded", "album_count", "mood_encoded"]] == [
        "gender", "label_type", None, "mood"]


def test_flipped_inputs_change_only_the_column():
    x = np.arange(6, dtype=float).reshape(3, 2)
    stacked = flipped_inputs(x, 1, np.array([10.0, 20.0]))
    np.testing.assert_array_equal(stacked, [[0, 10], [2, 10], [4, 10], [0, 20], [2, 20], [4, 20]])
