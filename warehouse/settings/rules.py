"""The checks the dbt vars' rules are made of (warehouse.settings.checks): numbers in a range, whole numbers,
names from a list, and the columns a name may refer to."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

import yaml

from warehouse.errors import BuildError
from warehouse.settings.project import DBT_PROJECT_DIR

FEATURES_FOLDER = DBT_PROJECT_DIR / "models" / "features"

Check = Callable[[Any, dict], str | None]

YES = frozenset({"yes", "true", "1"})
NO = frozenset({"no", "false", "0", ""})


def shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def is_integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: Any) -> bool:
    return (is_integer(value) or isinstance(value, float)) and math.isfinite(value)


def number(low: float, high: float, *, open_low: bool = False, open_high: bool = False) -> Check:
    lower = f"greater than {low}" if open_low else f"at least {low}"
    upper = f"less than {high}" if open_high else f"at most {high}"

    def check(value: Any, _: dict) -> str | None:
        inside = is_number(value) and (value > low if open_low else value >= low) and (
            value < high if open_high else value <= high)
        return None if inside else f"must be a number {lower} and {upper}, got {shown(value)}"
    return check


def integer(low: int, high: int | None = None) -> Check:
    wanted = f"a whole number from {low} to {high}" if high is not None else f"a whole number of at least {low}"

    def check(value: Any, _: dict) -> str | None:
        inside = is_integer(value) and value >= low and (high is None or value <= high)
        return None if inside else f"must be {wanted}, got {shown(value)}"
    return check


def one_of(options: tuple) -> Check:
    def check(value: Any, _: dict) -> str | None:
        valid = is_number(value) and value in options
        return None if valid else f"must be one of {', '.join(map(str, options))}, got {shown(value)}"
    return check


def distinct_strings(value: Any) -> str | None:
    if not isinstance(value, list) or not value or not all(isinstance(item, str) and item for item in value):
        return f"must be a non-empty list of names, got {shown(value)}"
    repeated = sorted({item for item in value if value.count(item) > 1})
    return f"names {', '.join(repeated)} more than once" if repeated else None


def names_from(allowed: Callable[[dict], list[str]], what: str) -> Check:
    def check(value: Any, variables: dict) -> str | None:
        problem = distinct_strings(value)
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
            return f"must be a name, got {shown(value)}"
        return as_list([value], variables)
    return check


@functools.cache
def documented_feature_columns() -> tuple[str, ...]:
    """The columns features.artist_features' YAML documents (read once: every rule on a column asks)."""
    models = [model for path in sorted(FEATURES_FOLDER.glob("*.yml"))
              for model in yaml.safe_load(path.read_text()).get("models", [])]
    [features] = [model for model in models if model["name"] == "artist_features"]
    return tuple(column["name"] for column in features["columns"])


def artist_feature_columns(variables: dict) -> list[str]:
    """The columns of features.artist_features: those its YAML documents, then the extra attributes
    (each with its label code, <name>_encoded) and the extra measures."""
    attributes = extra_names(variables, "extra_attributes")
    extras = [name for attribute in attributes for name in (attribute, f"{attribute}_encoded")]
    return [*documented_feature_columns(), *extras, *extra_names(variables, "extra_measures")]


def extra_names(variables: dict, var_name: str) -> list[str]:
    """A list var of extra columns as far as it is a list of names (its own rule reports the rest)."""
    value = variables.get(var_name)
    return [name for name in value if isinstance(name, str)] if isinstance(value, list) else []


def count_columns(variables: dict) -> list[str]:
    """The source columns typed integer, except the id, and the extra measures: what a success
    measure can be."""
    return [column["name"] for column in variables["source_columns"]
            if column["type"] == "integer" and column["name"] != "artist_id"] + extra_names(variables, "extra_measures")


def yes_or_no(text: str, name: str) -> bool:
    """A make switch (REPLACE_ANY_FILE=yes): anything but a clear yes or no is refused, never taken as yes."""
    folded = text.strip().casefold()
    if folded in YES:
        return True
    if folded in NO:
        return False
    raise BuildError(f"{name} must be yes or no (or true/false, 1/0, empty for no), got {shown(text)}")
