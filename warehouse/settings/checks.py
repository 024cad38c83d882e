"""Every dbt var checked against its meaning before dbt starts: a wrong one is one line that names it.

The vars reach SQL and the models: a string where a number belongs ("0.8 or true"), a percentile
of -5, a test share of 1.5 or unsorted tier edges would build and give wrong numbers. Each var has
a rule here; a var the project does not define is refused too (a typo would be ignored silently).
Column names are checked against the columns of features.artist_features as its YAML documents
them, and the counts among them against the source columns typed integer.
"""

from __future__ import annotations

import re
from typing import Any

from ml.estimators import MODEL_NAMES
from warehouse.errors import BuildError
from warehouse.settings import fairness as fairness_settings
from warehouse.settings.rules import (
    Check,
    artist_feature_columns,
    count_columns,
    distinct_strings,
    integer,
    is_integer,
    is_number,
    name_in,
    names_from,
    number,
    one_of,
    shown,
)

INTERVAL_LEVELS = (0.9, 0.95, 0.99)
MAX_RANDOM_STATE = 2**32 - 1
TIER_LABEL = re.compile(r"[\w -]+")


def _source_columns(value: Any, _: dict) -> str | None:
    shaped = isinstance(value, list) and value and all(
        isinstance(column, dict) and isinstance(column.get("name"), str)
        and column.get("type") in {"integer", "text"} for column in value)
    if not shaped:
        return "must be a list of {name, type} with type integer or text"
    return distinct_strings([column["name"] for column in value])


def _tier_edges(value: Any, _: dict) -> str | None:
    if not isinstance(value, list) or len(value) < 2 or not all(is_number(edge) for edge in value):
        return f"must be a list of at least two numbers, got {shown(value)}"
    if any(right <= left for left, right in zip(value, value[1:], strict=False)):
        return f"must be in increasing order, got {shown(value)}"
    return None


def _tier_labels(value: Any, variables: dict) -> str | None:
    problem = distinct_strings(value)
    if problem:
        return problem
    # dbt's accepted_values test writes each label between quotes without escaping them
    odd = [label for label in value if not TIER_LABEL.fullmatch(label)]
    if odd:
        return f"names {', '.join(map(repr, odd))}: a label is letters, digits, spaces, '-' and '_'"
    edges = variables["success_tier_edges"]
    if len(value) != len(edges):
        return f"must name one tier per edge of success_tier_edges ({len(edges)}; the last tier is open-ended)," \
               f" got {len(value)}"
    return None


def _feature_sets(value: Any, variables: dict) -> str | None:
    if not isinstance(value, dict) or not value:
        return f"must map each feature set's name to its columns, got {shown(value)}"
    columns = names_from(artist_feature_columns, "a column of features.artist_features")
    for name, features in value.items():
        problem = columns(features, variables)
        if problem:
            return f"set {name!r} {problem}"
    return None


def _train_feature_sets(value: Any, variables: dict) -> str | None:
    if value == []:
        return None
    return names_from(lambda v: list(v["feature_sets"]), "a feature set defined in feature_sets")(value, variables)


def _elbow_k_max(value: Any, variables: dict) -> str | None:
    low = variables["elbow_k_min"]
    return integer(low if is_integer(low) else 2)(value, variables)


RULES: dict[str, Check] = {
    "source_columns": _source_columns,
    "protected_attributes": names_from(artist_feature_columns, "a column of features.artist_features"),
    "outcomes": names_from(count_columns, "a count column of the input"),
    "high_success_percentile": number(0, 100),
    "success_tier_edges": _tier_edges,
    "success_tier_labels": _tier_labels,
    "min_group_size": integer(1),
    "four_fifths_threshold": number(0, 1, open_low=True),
    "significance_level": number(0, 1, open_low=True, open_high=True),
    "parity_tolerance": number(0, 1, open_low=True),
    "rate_interval_confidence": one_of(INTERVAL_LEVELS),
    "history_max_builds": integer(1),
    "fairness_drift_tolerance": number(0, 1),
    "feature_sets": _feature_sets,
    "train_feature_sets": _train_feature_sets,
    "model_names": names_from(lambda _: list(MODEL_NAMES), "a model of the project"),
    "model_target": name_in(count_columns, "a count column of the input"),
    "test_size": number(0, 1, open_low=True, open_high=True),
    "cv_folds": integer(2),
    "random_state": integer(0, MAX_RANDOM_STATE),
    "cluster_features": names_from(count_columns, "a count column of the input"),
    "kmeans_k": integer(1),
    "elbow_k_min": integer(2),
    "elbow_k_max": _elbow_k_max,
    "silhouette_sample_size": integer(2),
    "ml_n_jobs": integer(1),
    "ml_parallel_min_rows": integer(0),
    "ml_forest_chunk_trees": integer(1),
    "ml_max_training_rows": integer(2),
    "ml_sampled_cv_rows": integer(2),
    "ml_max_cluster_rows": integer(1),
    "permutation_repeats": integer(1),
    "permutation_max_rows": integer(1),
    **fairness_settings.RULES,
}


def check_vars(defaults: dict, overrides: dict) -> None:
    """Raise BuildError naming the first var (in the project's order) that breaks its rule."""
    unknown = sorted(name for name in overrides if name not in defaults)
    if unknown:
        raise BuildError(
            f"unknown dbt var(s) {', '.join(unknown)}: the project defines {', '.join(defaults)}"
        )
    variables = {**defaults, **overrides}
    for name in defaults:
        problem = RULES[name](variables[name], variables)
        if problem:
            raise BuildError(f"dbt var {name} {problem}")
