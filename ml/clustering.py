"""The notebook's clustering cells as pure functions: the elbow, KMeans archetypes and their PCA view.

KMeans(random_state) on the standardized cluster features, as the notebook does; PCA with two
components on the same matrix. A step that cannot run on the input (fewer distinct artists than
clusters) is reported with a reason instead of failing the build.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import StandardScaler

from ml.training import SKIPPED, TRAINED, in_file_order

PCA_COMPONENTS = 2


@dataclass(frozen=True)
class ClusterConfig:
    features: Sequence[str]
    k: int = 4
    k_min: int = 2
    k_max: int = 10
    random_state: int = 42
    silhouette_sample_size: int = 5000


def scaled_cluster_matrix(features: pd.DataFrame, config: ClusterConfig) -> tuple[pd.DataFrame, np.ndarray]:
    """(artists in file order, their standardized cluster features), the notebook's X_cluster_scaled."""
    ordered = in_file_order(features)
    if ordered.empty:
        return ordered, np.empty((0, len(config.features)))
    return ordered, StandardScaler().fit_transform(ordered[list(config.features)])


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


def elbow_table(features: pd.DataFrame, config: ClusterConfig) -> pd.DataFrame:
    """One row per k of the elbow: inertia and silhouette, or why KMeans could not run."""
    _, x = scaled_cluster_matrix(features, config)
    sampled = len(x) > config.silhouette_sample_size
    distinct = distinct_rows(x)
    rows = []
    for k in range(config.k_min, config.k_max + 1):
        reason = kmeans_skip_reason(distinct, k)
        row = {"k": k, "status": SKIPPED if reason else TRAINED, "reason": reason, "n_rows": len(x),
               "inertia": None, "silhouette": None,
               "silhouette_sample_rows": config.silhouette_sample_size if sampled else len(x)}
        if reason is None:
            kmeans = KMeans(n_clusters=k, random_state=config.random_state).fit(x)
            row["inertia"] = float(kmeans.inertia_)
            row["silhouette"] = silhouette(x, kmeans.labels_, config)
        rows.append(row)
    table = pd.DataFrame(rows, columns=["k", "status", "reason", "n_rows", "inertia", "silhouette",
                                        "silhouette_sample_rows"])
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
    ("inertia", pa.float64()), ("artists", pa.list_(ARTIST_TYPE)), ("centres", pa.list_(CENTRE_TYPE)),
    ("components", pa.list_(COMPONENT_TYPE)),
])


def cluster_fit_table(features: pd.DataFrame, config: ClusterConfig) -> pa.Table:
    """The notebook's clustering and PCA cells as one row: the fitted KMeans (k = config.k) with
    every artist's cluster and PCA coordinates, the centres in PCA space and the components."""
    ordered, x = scaled_cluster_matrix(features, config)
    reason = kmeans_skip_reason(distinct_rows(x), config.k)
    row = {"k": config.k, "status": SKIPPED if reason else TRAINED, "reason": reason, "n_rows": len(x),
           "inertia": None, "artists": pa.array([], type=ARTIST_TYPE), "centres": [], "components": []}
    if reason is None:
        kmeans = KMeans(n_clusters=config.k, random_state=config.random_state)
        labels = kmeans.fit_predict(x)
        pca = PCA(n_components=PCA_COMPONENTS)
        x_pca = pca.fit_transform(x)
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
                          for feature, loading in zip(config.features, pca.components_[index], strict=True)]}
            for index, ratio in enumerate(pca.explained_variance_ratio_)]
    # the artists are built column-wise: a list of dicts is slow at 100,000 rows
    artists = pa.ListArray.from_arrays(pa.array([0, len(row["artists"])], type=pa.int32()), row["artists"])
    arrays = [artists if f.name == "artists" else pa.array([row[f.name]], type=f.type) for f in CLUSTER_FIT_SCHEMA]
    return pa.Table.from_arrays(arrays, schema=CLUSTER_FIT_SCHEMA)
