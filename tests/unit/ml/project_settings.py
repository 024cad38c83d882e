"""The ml/ steps' settings as a build gives them (the project's defaults, resolved as the build does),
with a test's own overrides: ml/config.py has no defaults of its own."""

from ml.config import ClusterConfig, TrainingConfig
from warehouse.settings.resolve import dbt_vars, resolve_settings

PROJECT_VARS = dbt_vars(resolve_settings({}))


def training_settings(**overrides) -> TrainingConfig:
    return TrainingConfig(**{**PROJECT_VARS["ml_training_settings"], **overrides})


def cluster_settings(**overrides) -> ClusterConfig:
    return ClusterConfig(**{**PROJECT_VARS["ml_cluster_settings"], **overrides})
