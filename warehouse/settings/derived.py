"""The values the build derives from the resolved settings, once, for dbt to read as vars: the
attributes with their member columns, the (outcome, attribute) and (attribute, control) pairs (and each
attribute's gap controls), the
threshold sweep's cuts, the interval z and the settings the report names. Macros and models only
read them; the tests and the bench call the same functions."""

from __future__ import annotations

from dataclasses import fields

from scipy.stats import norm

from ml.config import BootstrapConfig, ClusterConfig, GapConfig, TrainingConfig


def fairness_attributes(variables: dict) -> list[str]:
    """What the fairness and bias tables break down by (the dbt macro fairness_attributes()):
    var protected_attributes, then each intersection of var fairness_intersections not among them."""
    intersections = ["_".join(members) for members in variables["fairness_intersections"]]
    attributes = list(variables["protected_attributes"])
    return attributes + [name for name in intersections if name not in attributes]


def member_columns(name: str, variables: dict) -> list[str]:
    """The columns an attribute or control stands for: an intersection's members, any other name itself."""
    intersections = {"_".join(members): list(members) for members in variables["fairness_intersections"]}
    return intersections.get(name, [name])


def control_pairs(variables: dict, controls: list[str]) -> list[tuple[str, str]]:
    """Each (attribute, control) of these controls where the two share no column: within one value of
    a control that shares a column with the attribute there is one group, nothing to compare."""
    return [(attribute, control)
            for attribute in fairness_attributes(variables) for control in controls
            if not set(member_columns(attribute, variables)) & set(member_columns(control, variables))]


def fairness_control_pairs(variables: dict) -> list[tuple[str, str]]:
    """The (attribute, control) pairs of fairness.conditional_parity (the dbt macro fairness_control_pairs())."""
    return control_pairs(variables, variables["fairness_controls"])


def gap_attribute_controls(variables: dict) -> dict[str, list[str]]:
    """Each attribute -> the controls of var gap_controls its adjusted gaps and decompositions use."""
    pairs = control_pairs(variables, variables["gap_controls"])
    return {attribute: [control for paired, control in pairs if paired == attribute]
            for attribute in fairness_attributes(variables)}


def cut_name(cut: dict) -> str:
    """The cut's name in fairness.threshold_sweep (macro fairness_cuts): 'p75', 'p99.5', 'top_100'."""
    if "top_n" in cut:
        return f"top_{cut['top_n']}"
    percentile = float(cut["percentile"])
    # Jinja writes the float as Python's str() does
    return f"p{int(percentile) if percentile.is_integer() else percentile}"


def input_columns(variables: dict) -> list[dict]:
    """The columns read from the input, each {name, type}: var source_columns, then the extra
    attributes (text) and the extra measures (integer)."""
    return [*variables["source_columns"],
            *({"name": name, "type": "text"} for name in variables["extra_attributes"]),
            *({"name": name, "type": "integer"} for name in variables["extra_measures"])]


def disclosure_columns(variables: dict) -> list[str]:
    """The text input columns a blank or undisclosed value is a group of (never quarantined): every
    member column of a fairness attribute, and every extra attribute."""
    attributes = fairness_attributes(variables)
    members = {column for attribute in attributes for column in member_columns(attribute, variables)}
    return [column["name"] for column in input_columns(variables) if column["type"] == "text"
            and column["name"] != "artist_name"
            and (column["name"] in members or column["name"] in variables["extra_attributes"])]


def undisclosed_folded(variables: dict) -> list[str]:
    """The values that mean undisclosed, trimmed and in lower case as staging compares them; the
    label itself in any case too."""
    values = [*variables["undisclosed_values"], variables["undisclosed_label"]]
    return sorted({value.strip().lower() for value in values} - {""})


def intersections_named(variables: dict) -> list[list]:
    """Each intersection of var fairness_intersections as [name, member columns]:
    [gender, ethnicity] -> ['gender_ethnicity', ['gender', 'ethnicity']]."""
    return [["_".join(members), list(members)] for members in variables["fairness_intersections"]]


def outcome_attribute_pairs(variables: dict) -> list[list[str]]:
    """Every (outcome, attribute) pair, outcomes first: the fairness tables union one select per pair."""
    return [[outcome, attribute] for outcome in variables["outcomes"] for attribute in fairness_attributes(variables)]


def threshold_cuts(variables: dict) -> list[dict]:
    """The cuts of var fairness_cuts in its order: name ('p75', 'top_100'), kind, value, 1-based position,
    and column, the suffix of the sweep's wide column names (cut_1, ...: a name from the value may hold a dot)."""
    cuts = []
    for position, cut in enumerate(variables["fairness_cuts"], start=1):
        [(kind, value)] = cut.items()
        cuts.append({"name": cut_name(cut), "kind": kind, "value": float(value) if kind == "percentile" else int(value),
                     "position": position, "column": f"cut_{position}"})
    return cuts


def interval_z(variables: dict) -> float:
    """z of the two-sided interval at var rate_interval_confidence: 0.95 -> 1.959963984540054."""
    return float(norm.ppf((1 + variables["rate_interval_confidence"]) / 2))


def report_setting_rows(variables: dict, reported: list[str]) -> list[list]:
    """reporting.report_settings' rows of the reported settings: [key, name, position, text, number];
    a list setting has a row per element, keyed name[position]."""
    rows = []
    for name in reported:
        value = variables[name]
        if isinstance(value, list):
            rows += [[f"{name}[{position}]", name, position, str(item), _number(item)]
                     for position, item in enumerate(value, start=1)]
        else:
            rows.append([name, name, None, str(value), _number(value)])
    return rows


def _number(value) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def ml_settings(config: type, variables: dict) -> dict:
    """The settings one ml/ step takes (its dataclass's fields are var names), for its YAML's ml_settings."""
    return {field.name: variables[field.name] for field in fields(config)}


def gap_settings(variables: dict) -> dict:
    """The gap step's settings (ml/config.py GapConfig): the vars it names, and each attribute's controls."""
    return ml_settings(GapConfig, {**variables, "gap_attribute_controls": gap_attribute_controls(variables)})


def derived_vars(variables: dict, reported: list[str]) -> dict:
    return {
        "input_columns": input_columns(variables),
        "disclosure_columns": disclosure_columns(variables),
        "undisclosed_folded": undisclosed_folded(variables),
        "fairness_attributes": fairness_attributes(variables),
        "fairness_intersections_named": intersections_named(variables),
        "fairness_attribute_members": {attribute: member_columns(attribute, variables)
                                       for attribute in fairness_attributes(variables)},
        "fairness_outcome_attribute_pairs": outcome_attribute_pairs(variables),
        "fairness_control_pairs": [list(pair) for pair in fairness_control_pairs(variables)],
        "fairness_threshold_cuts": threshold_cuts(variables),
        "rate_interval_z": interval_z(variables),
        "report_setting_rows": report_setting_rows(variables, reported),
        "ml_training_settings": ml_settings(TrainingConfig, variables),
        "ml_cluster_settings": ml_settings(ClusterConfig, variables),
        "ml_gap_settings": gap_settings(variables),
        "ml_bootstrap_settings": ml_settings(BootstrapConfig,
                                             {**variables, "fairness_attributes": fairness_attributes(variables)}),
    }
