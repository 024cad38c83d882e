"""The rules of the settings whose check is more than a range or a list of names (the declarations
in warehouse/settings/declarations.py use them): source columns, tiers, feature sets, the elbow's k."""

from __future__ import annotations

import re
from typing import Any

from warehouse.settings.derived import input_columns
from warehouse.settings.rules import (
    Check,
    artist_feature_columns,
    distinct_strings,
    extra_names,
    integer,
    is_integer,
    is_number,
    names_from,
    shown,
)

INTERVAL_LEVELS = (0.9, 0.95, 0.99)
MAX_RANDOM_STATE = 2**32 - 1
TIER_LABEL = re.compile(r"[\w -]+")


def source_columns(value: Any, _: dict) -> str | None:
    shaped = isinstance(value, list) and value and all(
        isinstance(column, dict) and isinstance(column.get("name"), str)
        and column.get("type") in {"integer", "text"} for column in value)
    if not shaped:
        return "must be a list of {name, type} with type integer or text"
    return distinct_strings([column["name"] for column in value])


FOLDED_NAME = re.compile(r"[a-z][a-z0-9_]*")


def extra_columns(*other_vars: str) -> Check:
    """extra_attributes, extra_measures: new columns' folded names, none a column already there (nor one
    of the other_vars' names)."""
    def check(value: Any, variables: dict) -> str | None:
        if value == []:
            return None
        problem = distinct_strings(value)
        if problem:
            return problem
        odd = [name for name in value if not FOLDED_NAME.fullmatch(name)]
        if odd:
            return (f"names {', '.join(map(repr, odd))}: write a column by its folded name (lower case, words "
                    f"joined by '_': Age Bracket is age_bracket)")
        taken = [column["name"] for column in variables["source_columns"]] + artist_feature_columns({})
        taken += [name for var_name in other_vars for name in extra_names(variables, var_name)]
        clash = [name for name in value if name in taken]
        return f"names {', '.join(clash)}: already a column of the warehouse" if clash else None
    return check


def column_map(value: Any, variables: dict) -> str | None:
    if not isinstance(value, dict) or not all(isinstance(header, str) and header for header in value.values()):
        return f"must map input columns to the input's headers as written, got {shown(value)}"
    columns = [column["name"] for column in input_columns(variables)]
    unknown = [name for name in value if name not in columns]
    if unknown:
        return f"names {', '.join(unknown)}: not an input column ({', '.join(columns)})"
    headers = list(value.values())
    repeated = sorted({header for header in headers if headers.count(header) > 1})
    return f"gives the header {', '.join(map(repr, repeated))} to more than one column" if repeated else None


def undisclosed_values(value: Any, _: dict) -> str | None:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return f"must be a list of texts (\"\" for a blank value), got {shown(value)}"
    return None


def undisclosed_label(value: Any, variables: dict) -> str | None:
    if not isinstance(value, str) or not TIER_LABEL.fullmatch(value):
        return f"must be a label of letters, digits, spaces, '-' and '_', got {shown(value)}"
    references = variables["fairness_reference_groups"]
    chosen = [f"{name} ({group})" for name, group in references.items()
              if isinstance(group, str) and names_undisclosed_group(name, group, value, variables)
              ] if isinstance(references, dict) else []
    if chosen:
        return f"is the reference group of {', '.join(chosen)}: the undisclosed group is never a reference"
    return None


def names_undisclosed_group(attribute: str, group: str, label: str, variables: dict) -> bool:
    """The group is the undisclosed label, or an intersection's group with it as a member (Female_Undisclosed)."""
    intersections = variables["fairness_intersections"]
    names = {"_".join(map(str, members)) for members in intersections
             if isinstance(members, list)} if isinstance(intersections, list) else set()
    # an intersection's group is its members' values joined by '_'
    return group == label or (attribute in names and f"_{label}_" in f"_{group}_")


def tier_edges(value: Any, _: dict) -> str | None:
    if not isinstance(value, list) or len(value) < 2 or not all(is_number(edge) for edge in value):
        return f"must be a list of at least two numbers, got {shown(value)}"
    if any(right <= left for left, right in zip(value, value[1:], strict=False)):
        return f"must be in increasing order, got {shown(value)}"
    return None


def tier_labels(value: Any, variables: dict) -> str | None:
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


def feature_sets(value: Any, variables: dict) -> str | None:
    if not isinstance(value, dict) or not value:
        return f"must map each feature set's name to its columns, got {shown(value)}"
    columns = names_from(artist_feature_columns, "a column of features.artist_features")
    for name, features in value.items():
        problem = columns(features, variables)
        if problem:
            return f"set {name!r} {problem}"
    return None


def train_feature_sets(value: Any, variables: dict) -> str | None:
    if value == []:
        return None
    return names_from(lambda v: list(v["feature_sets"]), "a feature set defined in feature_sets")(value, variables)


def elbow_k_max(value: Any, variables: dict) -> str | None:
    low = variables["elbow_k_min"]
    return integer(low if is_integer(low) else 2)(value, variables)
