"""The rules of the fairness settings (declared in warehouse/settings/declarations.py): intersections,
reference groups, controls, smoothing, cuts, top-k lengths and the bounded group loss."""

from __future__ import annotations

from typing import Any

from warehouse.settings.derived import cut_name, fairness_attributes, fairness_control_pairs, gap_attribute_controls
from warehouse.settings.rules import (
    artist_feature_columns,
    integer,
    is_integer,
    is_number,
    names_from,
    number,
    shown,
)


def intersections(value: Any, variables: dict) -> str | None:
    if not isinstance(value, list):
        return f"must be a list of column lists, got {shown(value)}"
    columns = names_from(artist_feature_columns, "a column of features.artist_features")
    for members in value:
        problem = columns(members, variables)
        if problem:
            return f"tuple {shown(members)} {problem}"
        if len(members) < 2:
            return f"tuple {shown(members)} must name at least two columns"
    names = ["_".join(members) for members in value]
    repeated = sorted({name for name in names if names.count(name) > 1})
    return f"gives {', '.join(repeated)} more than once" if repeated else None


def reference_groups(value: Any, variables: dict) -> str | None:
    if not isinstance(value, dict):
        return f"must map attributes to a group name, got {shown(value)}"
    attributes = fairness_attributes(variables)
    for attribute, group in value.items():
        if attribute not in attributes:
            return f"names {attribute!r}, which is not a protected attribute ({', '.join(attributes)})"
        if not isinstance(group, str) or not group:
            return f"must give {attribute!r} a group name, got {shown(group)}"
    return None


def _control_names(value: Any, variables: dict) -> str | None:
    """Controls are attributes or feature columns, never an outcome."""
    problem = names_from(lambda v: list(dict.fromkeys(fairness_attributes(v) + artist_feature_columns(v))),
                         "a fairness attribute or a column of features.artist_features")(value, variables)
    if problem:
        return problem
    outcomes = [name for name in value if name in variables["outcomes"]]
    return f"names {', '.join(outcomes)}: an outcome (var outcomes) cannot be a control" if outcomes else None


def controls(value: Any, variables: dict) -> str | None:
    problem = _control_names(value, variables)
    if problem:
        return problem
    if not fairness_control_pairs({**variables, "fairness_controls": value}):
        return f"leaves no attribute to compare within a control: every attribute shares a column with {shown(value)}"
    return None


def gap_controls(value: Any, variables: dict) -> str | None:
    problem = _control_names(value, variables)
    if problem:
        return problem
    if not any(gap_attribute_controls({**variables, "gap_controls": value}).values()):
        return f"leaves no attribute a control: every attribute shares a column with {shown(value)}"
    return None


def inequality_alphas(value: Any, _: dict) -> str | None:
    # beyond 5 a power of a stream count (up to 1e12) leaves double precision
    valid = isinstance(value, list) and value and all(is_number(alpha) and -5 <= alpha <= 5 for alpha in value)
    if not valid:
        return f"must be a non-empty list of numbers from -5 to 5, got {shown(value)}"
    repeated = sorted({alpha for alpha in value if value.count(alpha) > 1})
    return f"names {', '.join(map(str, repeated))} more than once" if repeated else None


def smoothing_concentration(value: Any, _: dict) -> str | None:
    # 0 is AIF360's unsmoothed rate: a group rate of 0 or 1 then makes the epsilon's log infinite
    positive = is_number(value) and value > 0
    return None if positive else f"must be a number greater than 0, got {shown(value)}"


def loss_bound(value: Any, _: dict) -> str | None:
    if value is None or (is_number(value) and value >= 0):
        return None
    return f"must be a number of at least 0 (an MAE, in the target's units) or null for no bound, got {shown(value)}"


def _one_cut(cut: Any) -> str | None:
    if not isinstance(cut, dict) or len(cut) != 1 or not set(cut) <= {"percentile", "top_n"}:
        return f"item {shown(cut)} must be {{percentile: q}} or {{top_n: n}}"
    [(kind, value)] = cut.items()
    rule = number(0, 100) if kind == "percentile" else integer(1)
    problem = rule(value, {})
    return f"item {shown(cut)}: {kind} {problem}" if problem else None


def cuts(value: Any, _: dict) -> str | None:
    if not isinstance(value, list) or not value:
        return f"must be a non-empty list of {{percentile: q}} or {{top_n: n}}, got {shown(value)}"
    for cut in value:
        problem = _one_cut(cut)
        if problem:
            return problem
    names = [cut_name(cut) for cut in value]
    repeated = sorted({name for name in names if names.count(name) > 1})
    return f"gives the cut {', '.join(repeated)} more than once" if repeated else None


def top_k(value: Any, _: dict) -> str | None:
    if not isinstance(value, list) or not value or not all(is_integer(k) and k >= 1 for k in value):
        return f"must be a non-empty list of whole numbers of at least 1, got {shown(value)}"
    repeated = sorted({k for k in value if value.count(k) > 1})
    return f"names {', '.join(map(str, repeated))} more than once" if repeated else None
