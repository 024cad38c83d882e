"""The settings of the model steps, and the one mapping from the dbt vars to them.

A dbt Python model cannot read vars, and it sees only the config keys its code names literally
(dbt finds the `dbt.config.get` calls when it parses the model). So each ml Python model reads one
config key, `ml_settings`, which its YAML fills from the vars by var name (dbt_project/models/ml/
_ml.yml); `training_config` and `cluster_config` build the settings from it. A new setting is a
var, a line under ml_settings and a field here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from ml.estimators import MODEL_NAMES


@dataclass(frozen=True)
class TrainingConfig:
    feature_sets: Mapping[str, Sequence[str]]
    train_feature_sets: Sequence[str]
    model_names: Sequence[str]
    target: str = "monthly_listeners"
    test_size: float = 0.3
    cv_folds: int = 5
    random_state: int = 42
    permutation_repeats: int = 5
    permutation_max_rows: int = 5000
    n_jobs: int = 1
    parallel_min_rows: int = 5000
    forest_chunk_trees: int = 25
    # above this many training rows the models are fitted and cross-validated on a seeded sample
    max_training_rows: int = 70000
    # on such a sampled build the CV folds are cut from a seeded sample of this many of its rows
    sampled_cv_rows: int = 20000

    def features_of(self, feature_set: str) -> list[str]:
        if feature_set not in self.feature_sets:
            known = ", ".join(self.feature_sets)
            raise ValueError(f"feature set {feature_set!r} is not defined in var feature_sets ({known})")
        return list(self.feature_sets[feature_set])

    def check(self) -> None:
        """Fail on a misspelt feature set or model name before any fit starts."""
        for feature_set in self.train_feature_sets:
            self.features_of(feature_set)
        unknown = [name for name in self.model_names if name not in MODEL_NAMES]
        if unknown:
            raise ValueError(f"unknown models in var model_names: {', '.join(unknown)}; "
                             f"known: {', '.join(MODEL_NAMES)}")


@dataclass(frozen=True)
class ClusterConfig:
    features: Sequence[str]
    k: int = 4
    k_min: int = 2
    k_max: int = 10
    random_state: int = 42
    silhouette_sample_size: int = 5000
    # above this many artists KMeans and PCA are fitted on a seeded sample, then every artist is placed
    max_rows: int = 100000


# the var behind each field whose name differs from it
TRAINING_VARS = {"target": "model_target", "n_jobs": "ml_n_jobs", "parallel_min_rows": "ml_parallel_min_rows",
                 "forest_chunk_trees": "ml_forest_chunk_trees", "max_training_rows": "ml_max_training_rows",
                 "sampled_cv_rows": "ml_sampled_cv_rows"}
CLUSTER_VARS = {"features": "cluster_features", "k": "kmeans_k", "k_min": "elbow_k_min", "k_max": "elbow_k_max",
                "max_rows": "ml_max_cluster_rows"}


def _from_vars(settings: type, var_of: Mapping[str, str], variables: Mapping[str, Any]) -> Any:
    """settings with each field from its var, where the model's ml_settings has that var."""
    names = {field.name: var_of.get(field.name, field.name) for field in fields(settings)}
    return settings(**{name: variables[var] for name, var in names.items() if var in variables})


def training_config(variables: Mapping[str, Any]) -> TrainingConfig:
    return _from_vars(TrainingConfig, TRAINING_VARS, variables)


def cluster_config(variables: Mapping[str, Any]) -> ClusterConfig:
    return _from_vars(ClusterConfig, CLUSTER_VARS, variables)
