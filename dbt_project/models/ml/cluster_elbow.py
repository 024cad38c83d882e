"""One row per k of the notebook's elbow (ml.clustering): KMeans inertia and silhouette."""

import pyarrow as pa

from ml.clustering import elbow_table
from ml.config import cluster_config
from ml.fit_store import cluster_frame


def model(dbt, session):
    config = cluster_config(dbt.config.get("ml_settings"))
    # from_pandas turns the undefined silhouettes (NaN in pandas) into nulls
    return pa.Table.from_pandas(elbow_table(cluster_frame(dbt.ref("artist_features"), config), config),
                                preserve_index=False)
