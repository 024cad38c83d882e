"""The settings of the model steps: fields named as the vars they come from, with no defaults of
their own.

A dbt Python model cannot read vars, and it sees only the config keys its code names literally
(dbt finds the `dbt.config.get` calls when it parses the model). So each ml Python model reads one
config key, `ml_settings`, which its YAML fills from a var the build derives from these fields
(ml_training_settings, ml_cluster_settings, ml_gap_settings: warehouse/settings/derived.py). A new setting is a
declared var and a field here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ml.estimators import MODEL_NAMES


@dataclass(frozen=True)
class TrainingConfig:
    """The training step's settings, each field named as its var (declared in
    warehouse/settings/declarations.py, which gives the meaning and the default)."""

    feature_sets: Mapping[str, Sequence[str]]
    train_feature_sets: Sequence[str]
    model_names: Sequence[str]
    model_target: str
    test_size: float
    cv_folds: int
    random_state: int
    permutation_repeats: int
    permutation_max_rows: int
    ml_n_jobs: int
    ml_parallel_min_rows: int
    ml_forest_chunk_trees: int
    ml_max_training_rows: int
    ml_sampled_cv_rows: int
    counterfactual_max_rows: int

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
    """The elbow's and KMeans' settings, named as their vars."""

    cluster_features: Sequence[str]
    kmeans_k: int
    elbow_k_min: int
    elbow_k_max: int
    random_state: int
    silhouette_sample_size: int
    ml_max_cluster_rows: int


@dataclass(frozen=True)
class GapConfig:
    """The adjusted gaps' and decompositions' settings, named as their vars; gap_attribute_controls is
    derived from var gap_controls: each attribute's controls, those sharing a column with it left out."""

    gap_attribute_controls: Mapping[str, Sequence[str]]
    decomposition_bootstrap_draws: int
    random_state: int
    rate_interval_confidence: float
    min_group_size: int


@dataclass(frozen=True)
class BootstrapConfig:
    """The gap intervals' settings (ml.gap_bootstrap), named as their vars; fairness_attributes is
    the derived var of the attributes the fairness tables break down by."""

    fairness_attributes: Sequence[str]
    model_fairness_bootstrap_draws: int
    rate_interval_confidence: float
    random_state: int


def training_config(settings: Mapping[str, Any]) -> TrainingConfig:
    return TrainingConfig(**settings)


def cluster_config(settings: Mapping[str, Any]) -> ClusterConfig:
    return ClusterConfig(**settings)


def gap_config(settings: Mapping[str, Any]) -> GapConfig:
    return GapConfig(**settings)


def bootstrap_config(settings: Mapping[str, Any]) -> BootstrapConfig:
    return BootstrapConfig(**settings)
