"""The notebook's clustering cells as pure functions: the elbow, KMeans archetypes and their PCA view.

KMeans(random_state) on the standardized cluster features, as the notebook does; PCA with two
components on the same matrix. A step that cannot run on the input (fewer distinct artists than
clusters) is reported with a reason instead of failing the build. Above `max_rows` artists the
elbow, KMeans and PCA are fitted on a seeded sample (ml.status.seeded_sample), and every artist
still gets its nearest centre and its PCA coordinates from the fitted models.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler

from ml.config import ClusterConfig
from ml.progress import Progress
from ml.status import SKIPPED, TRAINED, in_file_order, seeded_sample

PCA_COMPONENTS = 2


def scaled_cluster_matrix(features: pd.DataFrame, config: ClusterConfig) -> tuple[pd.DataFrame, np.ndarray]:
    """(artists in file order, their standardized cluster features), the notebook's X_cluster_scaled."""
    ordered = in_file_order(features)
    if ordered.empty:
        return ordered, np.empty((0, len(config.cluster_features)))
    return ordered, StandardScaler().fit_transform(ordered[list(config.cluster_features)])


def fitted_rows(x: np.ndarray, config: ClusterConfig) -> tuple[np.ndarray, bool]:
    """(the rows KMeans and PCA are fitted on, whether they are a sample)."""
    sample = seeded_sample(len(x), config.ml_max_cluster_rows, config.random_state)
    return (x, False) if sample is None else (x[sample], True)


def distinct_rows(x: np.ndarray) -> int:
    return np.unique(x, axis=0).shape[0] if len(x) else 0


def kmeans_skip_reason(distinct: int, k: int) -> str | None:
    if distinct < k:
        return f"fewer_distinct_artists_than_clusters: {distinct} distinct artists for k = {k}"
    return None


def silhouette(x: np.ndarray, labels: np.ndarray, config: ClusterConfig) -> float | None:
    """Mean silhouette, on a seeded sample when there are more rows than the sample size
    (it compares every pair of rows); None when it is undefined (one cluster, or one per row)."""
    n_labels = np.unique(labels).size
    if not 2 <= n_labels <= len(x) - 1:
        return None
    sample_size = config.silhouette_sample_size if len(x) > config.silhouette_sample_size else None
    return float(silhouette_score(x, labels, sample_size=sample_size, random_state=config.random_state))


def elbow_row(x: np.ndarray, n_rows: int, sampled: bool, distinct: int, k: int,
              config: ClusterConfig) -> dict:
    reason = kmeans_skip_reason(distinct, k)
    silhouette_sampled = len(x) > config.silhouette_sample_size
    row = {"k": k, "status": SKIPPED if reason else TRAINED, "reason": reason, "n_rows": n_rows,
           "fit_rows": len(x), "sampled": sampled, "inertia": None, "silhouette": None,
           "silhouette_sample_rows": config.silhouette_sample_size if silhouette_sampled else len(x)}
    if reason is None:
        kmeans = KMeans(n_clusters=k, random_state=config.random_state).fit(x)
        row["inertia"] = float(kmeans.inertia_)
        row["silhouette"] = silhouette(x, kmeans.labels_, config)
    return row


def elbow_table(features: pd.DataFrame, config: ClusterConfig) -> pd.DataFrame:
    """One row per k of the elbow: inertia and silhouette, or why KMeans could not run."""
    _, all_rows = scaled_cluster_matrix(features, config)
    x, sampled = fitted_rows(all_rows, config)
    distinct = distinct_rows(x)
    ks = range(config.elbow_k_min, config.elbow_k_max + 1)
    rows = []
    with Progress(f"cluster_elbow on {len(x)} artists", total=len(ks), count_total=len(ks),
                  unit="values of k") as progress:
        for k in ks:
            rows.append(elbow_row(x, len(all_rows), sampled, distinct, k, config))
            progress.advance(1)
    table = pd.DataFrame(rows, columns=["k", "status", "reason", "n_rows", "fit_rows", "sampled", "inertia",
                                        "silhouette", "silhouette_sample_rows"])
    table["silhouette_undefined"] = table["status"].eq(TRAINED) & table["silhouette"].isna()
    return table.astype({"inertia": "float64", "silhouette": "float64"})


ARTIST_TYPE = pa.struct([("artist_id", pa.int64()), ("cluster", pa.int64()), ("pc1", pa.float64()),
                         ("pc2", pa.float64())])
CENTRE_TYPE = pa.struct([("cluster", pa.int64()), ("pc1", pa.float64()), ("pc2", pa.float64())])
LOADING_TYPE = pa.struct([("feature", pa.string()), ("loading", pa.float64())])
COMPONENT_TYPE = pa.struct([("component", pa.int64()), ("explained_variance_ratio", pa.float64()),
                            ("loadings", pa.list_(LOADING_TYPE))])
CLUSTER_FIT_SCHEMA = pa.schema([
    ("k", pa.int64()), ("status", pa.string()), ("reason", pa.string()), ("n_rows", pa.int64()),
    ("fit_rows", pa.int64()), ("sampled", pa.bool_()), ("inertia", pa.float64()),
    ("artists", pa.list_(ARTIST_TYPE)), ("centres", pa.list_(CENTRE_TYPE)),
    ("components", pa.list_(COMPONENT_TYPE)),
])


def fitted_models(x: np.ndarray, x_fit: np.ndarray, sampled: bool,
                  config: ClusterConfig) -> tuple[KMeans, np.ndarray, PCA, np.ndarray]:
    """(KMeans, every artist's cluster, PCA, every artist's coordinates).

    Without a sample these are the notebook's fit_predict and fit_transform, bit for bit; with one,
    the models fitted on it place every artist (predict and transform).
    """
    kmeans = KMeans(n_clusters=config.kmeans_k, random_state=config.random_state)
    pca = PCA(n_components=PCA_COMPONENTS)
    if not sampled:
        return kmeans, kmeans.fit_predict(x), pca, pca.fit_transform(x)
    kmeans.fit(x_fit)
    pca.fit(x_fit)
    return kmeans, kmeans.predict(x), pca, pca.transform(x)


def cluster_fit_table(features: pd.DataFrame, config: ClusterConfig) -> pa.Table:
    """The notebook's clustering and PCA cells as one row: the fitted KMeans (k = config.kmeans_k) with
    every artist's cluster and PCA coordinates, the centres in PCA space and the components."""
    ordered, x = scaled_cluster_matrix(features, config)
    x_fit, sampled = fitted_rows(x, config)
    reason = kmeans_skip_reason(distinct_rows(x_fit), config.kmeans_k)
    row = {"k": config.kmeans_k, "status": SKIPPED if reason else TRAINED, "reason": reason, "n_rows": len(x),
           "fit_rows": len(x_fit), "sampled": sampled, "inertia": None,
           "artists": pa.array([], type=ARTIST_TYPE), "centres": [], "components": []}
    if reason is None:
        kmeans, labels, pca, x_pca = fitted_models(x, x_fit, sampled, config)
        centres_pca = pca.transform(kmeans.cluster_centers_)
        row["inertia"] = float(kmeans.inertia_)
        row["artists"] = pa.StructArray.from_arrays(
            [pa.array(ordered["artist_id"], type=pa.int64()), pa.array(labels, type=pa.int64()),
             pa.array(x_pca[:, 0]), pa.array(x_pca[:, 1])], fields=list(ARTIST_TYPE))
        row["centres"] = [{"cluster": cluster, "pc1": float(pc1), "pc2": float(pc2)}
                          for cluster, (pc1, pc2) in enumerate(centres_pca)]
        row["components"] = [
            {"component": index + 1, "explained_variance_ratio": float(ratio),
             "loadings": [{"feature": feature, "loading": float(loading)}
                          for feature, loading in zip(config.cluster_features, pca.components_[index], strict=True)]}
            for index, ratio in enumerate(pca.explained_variance_ratio_)]
    # the artists are built column-wise: a list of dicts is slow at 100,000 rows
    artists = pa.ListArray.from_arrays(pa.array([0, len(row["artists"])], type=pa.int32()), row["artists"])
    arrays = [artists if f.name == "artists" else pa.array([row[f.name]], type=f.type) for f in CLUSTER_FIT_SCHEMA]
    return pa.Table.from_arrays(arrays, schema=CLUSTER_FIT_SCHEMA)
