"""One row: the notebook's KMeans (k = var kmeans_k) and PCA (ml.clustering), with every artist's
cluster and PCA coordinates, the centres and the components as nested lists."""

from ml.clustering import cluster_fit_table
from ml.config import cluster_config
from ml.fit_store import cluster_frame


def model(dbt, session):
    config = cluster_config(dbt.config.get("ml_settings"))
    return cluster_fit_table(cluster_frame(dbt.ref("artist_features"), config), config)
