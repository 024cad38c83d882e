"""Above the caps the models are fitted on a seeded sample and still score every artist; below, nothing changes."""

import numpy as np
import pytest
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.ensemble import RandomForestRegressor
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.preprocessing import StandardScaler

from ml.clustering import cluster_fit_table, elbow_table
from ml.status import seeded_sample
from ml.training import train_models
from tests.unit.ml.project_settings import cluster_settings
from tests.unit.ml.test_ml_clustering import FEATURES as CLUSTER_FEATURES
from tests.unit.ml.test_ml_clustering import tiny_artists
from tests.unit.ml.test_ml_training import FEATURES, config, tiny_features


def test_a_sample_is_seeded_sorted_and_only_taken_above_the_cap():
    first = seeded_sample(1000, 100, random_state=7)
    assert np.array_equal(first, seeded_sample(1000, 100, random_state=7))
    assert not np.array_equal(first, seeded_sample(1000, 100, random_state=8))
    assert len(np.unique(first)) == 100 and np.all(np.diff(first) > 0) and first.max() < 1000
    assert seeded_sample(100, 100, random_state=7) is None


@pytest.fixture(scope="module")
def sampled():
    features = tiny_features(200)
    return features, {r.model_name: r for r in train_models(features, config(ml_max_training_rows=60))}


def _split(features):
    ordered = features.sort_values("line_number")
    return train_test_split(ordered[FEATURES].fillna(0.0), ordered["monthly_listeners"], test_size=0.3,
                            random_state=42)


def test_below_the_cap_nothing_is_sampled():
    features = tiny_features(40)
    capped = {r.model_name: r for r in train_models(features, config(ml_max_training_rows=28))}
    free = {r.model_name: r for r in train_models(features, config())}
    for name, result in capped.items():
        assert not result.sampled and result.n_fit == result.n_train == 28
        assert np.array_equal(result.predictions["predicted"], free[name].predictions["predicted"])


def test_above_the_cap_every_artist_is_scored_and_only_the_sample_cross_validated(sampled):
    features, results = sampled
    for result in results.values():
        assert result.sampled and (result.n_fit, result.n_train, result.n_test) == (60, 140, 60)
        predictions = result.predictions
        assert sorted(predictions["artist_id"]) == sorted(features["artist_id"])
        train = predictions[predictions["split"] == "train"]
        assert train["cv_fold"].notna().sum() == 60 == train["cv_predicted"].notna().sum()
        assert sum(result.cv_fold_rows) == 60


def test_a_sampled_model_is_the_model_fitted_on_the_sample(sampled):
    """The same fit scikit-learn makes on the sampled rows; it predicts the whole training split."""
    features, results = sampled
    x_train, x_test, y_train, y_test = _split(features)
    rows = seeded_sample(len(x_train), 60, random_state=42)
    forest = RandomForestRegressor(n_estimators=100, random_state=42).fit(x_train.iloc[rows], y_train.iloc[rows])
    predictions = results["Random Forest"].predictions
    # the chunks' sums add the trees in another grouping: equal to the last few bits
    np.testing.assert_allclose(predictions[predictions["split"] == "train"]["predicted"], forest.predict(x_train),
                               rtol=1e-12)
    scaler = StandardScaler().fit(x_train)
    linear = LinearRegression().fit(scaler.transform(x_train)[rows], y_train.iloc[rows])
    test = results["Linear Regression"].predictions
    np.testing.assert_allclose(test[test["split"] == "test"]["predicted"], linear.predict(scaler.transform(x_test)),
                               rtol=1e-12)


def test_a_sampled_build_cross_validates_a_seeded_sample_of_its_sample():
    """cross_val_score of each model on sampled_cv_rows of the fitted rows, chosen by the seed."""
    features = tiny_features(200)
    results = {r.model_name: r for r in train_models(features, config(ml_max_training_rows=60, ml_sampled_cv_rows=30))}
    x_train, _, y_train, _ = _split(features)
    rows = seeded_sample(len(x_train), 60, random_state=42)
    cv_rows = rows[seeded_sample(60, 30, random_state=42)]
    scaled = StandardScaler().fit_transform(x_train)
    references = {"Linear Regression": (LinearRegression(), scaled[cv_rows]),
                  "Random Forest": (RandomForestRegressor(n_estimators=100, random_state=42), x_train.iloc[cv_rows])}
    for name, (estimator, x) in references.items():
        result = results[name]
        assert (result.n_fit, result.n_cv, sum(result.cv_fold_rows)) == (60, 30, 30)
        train = result.predictions[result.predictions["split"] == "train"]
        assert train["cv_fold"].notna().sum() == 30
        assert sorted(train.loc[train["cv_fold"].notna(), "artist_id"]) == sorted(
            features.loc[x_train.index[cv_rows], "artist_id"])
        expected = cross_val_score(estimator, x, y_train.iloc[cv_rows], cv=5, scoring="r2")
        np.testing.assert_allclose(result.cv_scores, expected, rtol=1e-12)


def test_the_cv_sample_is_never_larger_than_the_training_sample(sampled):
    _, results = sampled
    assert {result.n_cv for result in results.values()} == {60}


def test_a_sampled_run_is_deterministic(sampled):
    features, results = sampled
    again = {r.model_name: r for r in train_models(features, config(ml_max_training_rows=60, ml_n_jobs=2,
                                                                   ml_parallel_min_rows=0))}
    for name, result in results.items():
        assert (result.rmse, result.r2, result.cv_r2_mean) == pytest.approx(
            (again[name].rmse, again[name].r2, again[name].cv_r2_mean), rel=1e-12)


def test_clusters_are_fitted_on_a_sample_and_place_every_artist():
    artists = tiny_artists(300)
    settings = cluster_settings(cluster_features=CLUSTER_FEATURES, kmeans_k=3, ml_max_cluster_rows=120)
    row = cluster_fit_table(artists, settings).to_pylist()[0]
    ordered = artists.sort_values("line_number", kind="stable")
    x = StandardScaler().fit_transform(ordered[CLUSTER_FEATURES])
    sample = x[seeded_sample(len(x), 120, random_state=42)]
    kmeans = KMeans(n_clusters=3, random_state=42).fit(sample)
    pca = PCA(n_components=2).fit(sample)

    assert (row["n_rows"], row["fit_rows"], row["sampled"]) == (300, 120, True)
    assert [a["cluster"] for a in row["artists"]] == kmeans.predict(x).tolist()
    np.testing.assert_allclose([a["pc1"] for a in row["artists"]], pca.transform(x)[:, 0], rtol=1e-12)
    settings = cluster_settings(cluster_features=CLUSTER_FEATURES, elbow_k_min=2, elbow_k_max=3,
                                ml_max_cluster_rows=120)
    elbow = elbow_table(artists, settings)
    assert elbow["fit_rows"].tolist() == [120, 120] and elbow["sampled"].all()
    assert elbow["inertia"].tolist() == [KMeans(n_clusters=k, random_state=42).fit(sample).inertia_ for k in (2, 3)]
