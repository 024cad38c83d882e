"""One row per model x feature set x protected attribute: bootstrap intervals on the between-group
gaps of ml.prediction_fairness_summary (ml.gap_bootstrap, Fairlearn's MetricFrame draws)."""

import pyarrow as pa

from ml.config import bootstrap_config
from ml.gap_bootstrap import gap_intervals


def model(dbt, session):
    config = bootstrap_config(dbt.config.get("ml_settings"))
    intervals = gap_intervals(dbt.ref("int_resampled_test_predictions").df(), config)
    return pa.Table.from_pandas(intervals, preserve_index=False)
