"""One row: the notebook's KMeans (k = var kmeans_k) and PCA (ml.clustering), with every artist's
cluster and PCA coordinates, the centres and the components as nested lists."""

from ml.clustering import ClusterConfig, cluster_fit_table


def model(dbt, session):
    config = ClusterConfig(
        features=dbt.config.get("cluster_features"),
        k=dbt.config.get("kmeans_k"),
        random_state=dbt.config.get("random_state"),
    )
    return cluster_fit_table(dbt.ref("artist_features").df(), config)
