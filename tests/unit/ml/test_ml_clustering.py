"""ml.clustering on tiny frames: the notebook's KMeans, elbow and PCA, and the small-input skips."""

import numpy as np
import pandas as pd
import pytest
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler

from ml.clustering import cluster_fit_table, elbow_table
from tests.unit.ml.project_settings import cluster_settings

FEATURES = ["monthly_listeners", "album_count", "award_wins"]


def tiny_artists(n_rows: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({
        "artist_id": np.arange(n_rows) + 10,
        "line_number": np.arange(n_rows) + 2,
        "monthly_listeners": rng.integers(1_000, 50_000_000, n_rows),
        "album_count": rng.integers(0, 10, n_rows),
        "award_wins": rng.integers(0, 8, n_rows),
    })
    return frame.sample(frac=1, random_state=seed).reset_index(drop=True)


def scaled(frame: pd.DataFrame) -> np.ndarray:
    return StandardScaler().fit_transform(frame.sort_values("line_number")[FEATURES])


def test_elbow_equals_kmeans_per_k():
    artists = tiny_artists(30)
    table = elbow_table(artists, cluster_settings(cluster_features=FEATURES, elbow_k_min=2, elbow_k_max=5))
    x = scaled(artists)
    for row in table.itertuples():
        kmeans = KMeans(n_clusters=row.k, random_state=42).fit(x)
        assert row.inertia == kmeans.inertia_
        assert row.silhouette == silhouette_score(x, kmeans.labels_)
    assert list(table["k"]) == [2, 3, 4, 5]


def test_silhouette_uses_a_seeded_sample_above_the_sample_size():
    artists = tiny_artists(40)
    settings = cluster_settings(cluster_features=FEATURES, elbow_k_min=3, elbow_k_max=3, silhouette_sample_size=15)
    table = elbow_table(artists, settings)
    x = scaled(artists)
    labels = KMeans(n_clusters=3, random_state=42).fit(x).labels_
    assert table["silhouette"].iloc[0] == silhouette_score(x, labels, sample_size=15, random_state=42)
    assert table["silhouette_sample_rows"].iloc[0] == 15


def test_elbow_skips_k_above_the_distinct_artists_and_flags_undefined_silhouette():
    table = elbow_table(tiny_artists(3), cluster_settings(cluster_features=FEATURES, elbow_k_min=2, elbow_k_max=4))
    assert list(table["status"]) == ["trained", "trained", "skipped"]
    assert table["reason"].iloc[2].startswith("fewer_distinct_artists_than_clusters")
    # three clusters of three artists: one artist per cluster, silhouette undefined
    assert bool(table["silhouette_undefined"].iloc[1]) and pd.isna(table["silhouette"].iloc[1])
    assert not bool(table["silhouette_undefined"].iloc[0])


def test_cluster_fit_equals_the_notebook_cells():
    artists = tiny_artists(25)
    row = cluster_fit_table(artists, cluster_settings(cluster_features=FEATURES, kmeans_k=3)).to_pylist()[0]
    x = scaled(artists)
    kmeans = KMeans(n_clusters=3, random_state=42)
    labels = kmeans.fit_predict(x)
    pca = PCA(n_components=2)
    x_pca = pca.fit_transform(x)
    ordered_ids = artists.sort_values("line_number")["artist_id"].tolist()
    assert [a["artist_id"] for a in row["artists"]] == ordered_ids
    assert [a["cluster"] for a in row["artists"]] == list(labels)
    assert [a["pc1"] for a in row["artists"]] == list(x_pca[:, 0])
    centres = pca.transform(kmeans.cluster_centers_)
    assert [(c["pc1"], c["pc2"]) for c in row["centres"]] == [tuple(c) for c in centres]
    assert [c["explained_variance_ratio"] for c in row["components"]] == list(pca.explained_variance_ratio_)
    assert [entry["feature"] for entry in row["components"][0]["loadings"]] == FEATURES
    assert row["status"] == "trained" and row["inertia"] == kmeans.inertia_


@pytest.mark.parametrize("n_rows", [0, 1, 3])
def test_cluster_fit_is_skipped_below_k_distinct_artists(n_rows):
    settings = cluster_settings(cluster_features=FEATURES, kmeans_k=4)
    row = cluster_fit_table(tiny_artists(n_rows), settings).to_pylist()[0]
    assert row["status"] == "skipped"
    assert row["reason"].startswith("fewer_distinct_artists_than_clusters")
    assert row["artists"] == [] and row["components"] == []


def test_identical_artists_count_once():
    artists = pd.concat([tiny_artists(2)] * 5, ignore_index=True).assign(line_number=lambda f: np.arange(len(f)))
    row = cluster_fit_table(artists, cluster_settings(cluster_features=FEATURES, kmeans_k=4)).to_pylist()[0]
    assert row["status"] == "skipped" and "2 distinct artists" in row["reason"]
