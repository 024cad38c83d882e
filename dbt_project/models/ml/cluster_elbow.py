"""One row per k of the notebook's elbow (ml.clustering): KMeans inertia and silhouette."""

import pyarrow as pa

from ml.clustering import ClusterConfig, elbow_table


def model(dbt, session):
    config = ClusterConfig(
        features=dbt.config.get("cluster_features"),
        k_min=dbt.config.get("elbow_k_min"),
        k_max=dbt.config.get("elbow_k_max"),
        random_state=dbt.config.get("random_state"),
        silhouette_sample_size=dbt.config.get("silhouette_sample_size"),
    )
    # from_pandas turns the undefined silhouettes (NaN in pandas) into nulls
    return pa.Table.from_pandas(elbow_table(dbt.ref("artist_features").df(), config), preserve_index=False)
