"""Every dbt var checked against its meaning before dbt starts: a wrong one is one line that names it.

The vars reach SQL and the models: a string where a number belongs ("0.8 or true"), a percentile
of -5, a test share of 1.5 or unsorted tier edges would build and give wrong numbers. Each var has
a rule here; a var the project does not define is refused too (a typo would be ignored silently).
Column names are checked against the columns of features.artist_features as its YAML documents
them, and the counts among them against the source columns typed integer.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

import yaml

from ml.estimators import MODEL_NAMES
from warehouse.columns import DBT_PROJECT_DIR
from warehouse.errors import BuildError

FEATURES_YAML = DBT_PROJECT_DIR / "models" / "features" / "_features.yml"
INTERVAL_LEVELS = (0.9, 0.95, 0.99)
MAX_RANDOM_STATE = 2**32 - 1
TIER_LABEL = re.compile(r"[\w -]+")

Check = Callable[[Any, dict], str | None]


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _is_integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return (_is_integer(value) or isinstance(value, float)) and math.isfinite(value)


def number(low: float, high: float, *, open_low: bool = False, open_high: bool = False) -> Check:
    lower = f"greater than {low}" if open_low else f"at least {low}"
    upper = f"less than {high}" if open_high else f"at most {high}"

    def check(value: Any, _: dict) -> str | None:
        inside = _is_number(value) and (value > low if open_low else value >= low) and (
            value < high if open_high else value <= high)
        return None if inside else f"must be a number {lower} and {upper}, got {_shown(value)}"
    return check


def integer(low: int, high: int | None = None) -> Check:
    wanted = f"a whole number from {low} to {high}" if high is not None else f"a whole number of at least {low}"

    def check(value: Any, _: dict) -> str | None:
        inside = _is_integer(value) and value >= low and (high is None or value <= high)
        return None if inside else f"must be {wanted}, got {_shown(value)}"
    return check


def one_of(options: tuple) -> Check:
    def check(value: Any, _: dict) -> str | None:
        valid = _is_number(value) and value in options
        return None if valid else f"must be one of {', '.join(map(str, options))}, got {_shown(value)}"
    return check


def _distinct_strings(value: Any) -> str | None:
    if not isinstance(value, list) or not value or not all(isinstance(item, str) and item for item in value):
        return f"must be a non-empty list of names, got {_shown(value)}"
    repeated = sorted({item for item in value if value.count(item) > 1})
    return f"names {', '.join(repeated)} more than once" if repeated else None


def names_from(allowed: Callable[[dict], list[str]], what: str) -> Check:
    def check(value: Any, variables: dict) -> str | None:
        problem = _distinct_strings(value)
        if problem:
            return problem
        known = allowed(variables)
        unknown = [item for item in value if item not in known]
        return f"names {', '.join(unknown)}: not {what} ({', '.join(known)})" if unknown else None
    return check


def name_in(allowed: Callable[[dict], list[str]], what: str) -> Check:
    as_list = names_from(allowed, what)

    def check(value: Any, variables: dict) -> str | None:
        if not isinstance(value, str):
            return f"must be a name, got {_shown(value)}"
        return as_list([value], variables)
    return check


def artist_feature_columns(_: dict | None = None) -> list[str]:
    models = yaml.safe_load(FEATURES_YAML.read_text())["models"]
    [features] = [model for model in models if model["name"] == "artist_features"]
    return [column["name"] for column in features["columns"]]


def count_columns(variables: dict) -> list[str]:
    """The source columns typed integer, except the id: the counts a success measure can be."""
    return [column["name"] for column in variables["source_columns"]
            if column["type"] == "integer" and column["name"] != "artist_id"]


def _source_columns(value: Any, _: dict) -> str | None:
    shaped = isinstance(value, list) and value and all(
        isinstance(column, dict) and isinstance(column.get("name"), str)
        and column.get("type") in {"integer", "text"} for column in value)
    if not shaped:
        return "must be a list of {name, type} with type integer or text"
    return _distinct_strings([column["name"] for column in value])


def _tier_edges(value: Any, _: dict) -> str | None:
    if not isinstance(value, list) or len(value) < 2 or not all(_is_number(edge) for edge in value):
        return f"must be a list of at least two numbers, got {_shown(value)}"
    if any(right <= left for left, right in zip(value, value[1:], strict=False)):
        return f"must be in increasing order, got {_shown(value)}"
    return None


def _tier_labels(value: Any, variables: dict) -> str | None:
    problem = _distinct_strings(value)
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
        return f"must map each feature set's name to its columns, got {_shown(value)}"
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


def fairness_attributes(variables: dict) -> list[str]:
    """What the fairness and bias tables break down by (the dbt macro fairness_attributes()):
    var protected_attributes, then each intersection of var fairness_intersections not among them."""
    intersections = ["_".join(members) for members in variables["fairness_intersections"]]
    attributes = list(variables["protected_attributes"])
    return attributes + [name for name in intersections if name not in attributes]


def _intersections(value: Any, variables: dict) -> str | None:
    if not isinstance(value, list):
        return f"must be a list of column lists, got {_shown(value)}"
    columns = names_from(artist_feature_columns, "a column of features.artist_features")
    for members in value:
        problem = columns(members, variables)
        if problem:
            return f"tuple {_shown(members)} {problem}"
        if len(members) < 2:
            return f"tuple {_shown(members)} must name at least two columns"
    names = ["_".join(members) for members in value]
    repeated = sorted({name for name in names if names.count(name) > 1})
    return f"gives {', '.join(repeated)} more than once" if repeated else None


def _reference_groups(value: Any, variables: dict) -> str | None:
    if not isinstance(value, dict):
        return f"must map attributes to a group name, got {_shown(value)}"
    attributes = fairness_attributes(variables)
    for attribute, group in value.items():
        if attribute not in attributes:
            return f"names {attribute!r}, which is not a protected attribute ({', '.join(attributes)})"
        if not isinstance(group, str) or not group:
            return f"must give {attribute!r} a group name, got {_shown(group)}"
    return None


def _elbow_k_max(value: Any, variables: dict) -> str | None:
    low = variables["elbow_k_min"]
    return integer(low if _is_integer(low) else 2)(value, variables)


RULES: dict[str, Check] = {
    "source_columns": _source_columns,
    "protected_attributes": names_from(artist_feature_columns, "a column of features.artist_features"),
    "fairness_intersections": _intersections,
    "outcomes": names_from(count_columns, "a count column of the input"),
    "high_success_percentile": number(0, 100),
    "success_tier_edges": _tier_edges,
    "success_tier_labels": _tier_labels,
    "min_group_size": integer(1),
    "fairness_reference_groups": _reference_groups,
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
    "ml_max_cluster_rows": integer(1),
    "permutation_repeats": integer(1),
    "permutation_max_rows": integer(1),
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
