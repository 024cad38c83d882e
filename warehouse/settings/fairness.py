"""The rules of the fairness vars (merged into warehouse.settings.checks.RULES): intersections, reference
groups, controls, smoothing, cuts, top-k lengths and the bounded group loss; and the names the
fairness tables derive from the vars (the dbt macros of dbt_project/macros/fairness.sql and
conditional_parity.sql compute the same), which the tests and the bench read."""

from __future__ import annotations

from typing import Any

from warehouse.settings.rules import (
    Check,
    artist_feature_columns,
    integer,
    is_integer,
    is_number,
    names_from,
    number,
    shown,
)


def fairness_attributes(variables: dict) -> list[str]:
    """What the fairness and bias tables break down by (the dbt macro fairness_attributes()):
    var protected_attributes, then each intersection of var fairness_intersections not among them."""
    intersections = ["_".join(members) for members in variables["fairness_intersections"]]
    attributes = list(variables["protected_attributes"])
    return attributes + [name for name in intersections if name not in attributes]


def _intersections(value: Any, variables: dict) -> str | None:
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


def _reference_groups(value: Any, variables: dict) -> str | None:
    if not isinstance(value, dict):
        return f"must map attributes to a group name, got {shown(value)}"
    attributes = fairness_attributes(variables)
    for attribute, group in value.items():
        if attribute not in attributes:
            return f"names {attribute!r}, which is not a protected attribute ({', '.join(attributes)})"
        if not isinstance(group, str) or not group:
            return f"must give {attribute!r} a group name, got {shown(group)}"
    return None


def member_columns(name: str, variables: dict) -> list[str]:
    """The columns an attribute or control stands for: an intersection's members, any other name itself."""
    intersections = {"_".join(members): list(members) for members in variables["fairness_intersections"]}
    return intersections.get(name, [name])


def fairness_control_pairs(variables: dict) -> list[tuple[str, str]]:
    """The (attribute, control) pairs of fairness.conditional_parity (the dbt macro fairness_control_pairs()):
    an attribute is not conditioned on a control that shares a column with it (one group per stratum)."""
    return [(attribute, control)
            for attribute in fairness_attributes(variables) for control in variables["fairness_controls"]
            if not set(member_columns(attribute, variables)) & set(member_columns(control, variables))]


def _fairness_controls(value: Any, variables: dict) -> str | None:
    problem = names_from(lambda v: list(dict.fromkeys(fairness_attributes(v) + artist_feature_columns())),
                         "a fairness attribute or a column of features.artist_features")(value, variables)
    if problem:
        return problem
    outcomes = [name for name in value if name in variables["outcomes"]]
    if outcomes:
        return f"names {', '.join(outcomes)}: an outcome (var outcomes) cannot be a control"
    if not fairness_control_pairs({**variables, "fairness_controls": value}):
        return f"leaves no attribute to compare within a control: every attribute shares a column with {shown(value)}"
    return None


def _smoothing_concentration(value: Any, _: dict) -> str | None:
    # 0 is AIF360's unsmoothed rate: a group rate of 0 or 1 then makes the epsilon's log infinite
    positive = is_number(value) and value > 0
    return None if positive else f"must be a number greater than 0, got {shown(value)}"


def _loss_bound(value: Any, _: dict) -> str | None:
    if value is None or (is_number(value) and value >= 0):
        return None
    return f"must be a number of at least 0 (an MAE, in the target's units) or null for no bound, got {shown(value)}"


def cut_name(cut: dict) -> str:
    """The cut's name in fairness.threshold_sweep (macro fairness_cuts): 'p75', 'p99.5', 'top_100'."""
    if "top_n" in cut:
        return f"top_{cut['top_n']}"
    percentile = float(cut["percentile"])
    # Jinja writes the float as Python's str() does
    return f"p{int(percentile) if percentile.is_integer() else percentile}"


def _one_cut(cut: Any) -> str | None:
    if not isinstance(cut, dict) or len(cut) != 1 or not set(cut) <= {"percentile", "top_n"}:
        return f"item {shown(cut)} must be {{percentile: q}} or {{top_n: n}}"
    [(kind, value)] = cut.items()
    rule = number(0, 100) if kind == "percentile" else integer(1)
    problem = rule(value, {})
    return f"item {shown(cut)}: {kind} {problem}" if problem else None


def _fairness_cuts(value: Any, _: dict) -> str | None:
    if not isinstance(value, list) or not value:
        return f"must be a non-empty list of {{percentile: q}} or {{top_n: n}}, got {shown(value)}"
    for cut in value:
        problem = _one_cut(cut)
        if problem:
            return problem
    names = [cut_name(cut) for cut in value]
    repeated = sorted({name for name in names if names.count(name) > 1})
    return f"gives the cut {', '.join(repeated)} more than once" if repeated else None


def _equity_top_k(value: Any, _: dict) -> str | None:
    if not isinstance(value, list) or not value or not all(is_integer(k) and k >= 1 for k in value):
        return f"must be a non-empty list of whole numbers of at least 1, got {shown(value)}"
    repeated = sorted({k for k in value if value.count(k) > 1})
    return f"names {', '.join(map(str, repeated))} more than once" if repeated else None


RULES: dict[str, Check] = {
    "fairness_intersections": _intersections,
    "fairness_reference_groups": _reference_groups,
    "fairness_controls": _fairness_controls,
    "smoothing_concentration": _smoothing_concentration,
    "bounded_group_loss_max_mae": _loss_bound,
    "fairness_cuts": _fairness_cuts,
    "equity_top_k": _equity_top_k,
}
