"""Every setting is declared once and checked against its rule before dbt starts; a wrong one is one line
naming it. The values derived from the settings are computed once, by the resolver."""

from __future__ import annotations

import json
from dataclasses import MISSING, fields

import pytest

from ml.config import ClusterConfig, GapConfig, TrainingConfig
from warehouse.build import build_settings
from warehouse.errors import BuildError
from warehouse.settings.declarations import SETTINGS
from warehouse.settings.derived import fairness_control_pairs, threshold_cuts
from warehouse.settings.project import project_vars
from warehouse.settings.resolve import dbt_vars, resolve_settings
from warehouse.settings.rules import yes_or_no

BAD_VARS = {
    "a string where a number belongs": (
        {"four_fifths_threshold": "0.8 or true"},
        "dbt var four_fifths_threshold must be a number greater than 0 and at most 1, got '0.8 or true'"),
    "a negative percentile": (
        {"high_success_percentile": -5},
        "dbt var high_success_percentile must be a number at least 0 and at most 100, got -5"),
    "a test share over 1": (
        {"test_size": 1.5}, "dbt var test_size must be a number greater than 0 and less than 1, got 1.5"),
    "a boolean where a count belongs": (
        {"cv_folds": True}, "dbt var cv_folds must be a whole number of at least 2, got True"),
    "a negative group size": (
        {"min_group_size": -1}, "dbt var min_group_size must be a whole number of at least 1, got -1"),
    "unsorted tier edges": (
        {"success_tier_edges": [0, 25000000, 5000000, 50000000]},
        "dbt var success_tier_edges must be in increasing order, got [0, 25000000, 5000000, 50000000]"),
    "a label per edge": (
        {"success_tier_labels": ["Low", "High"]},
        "dbt var success_tier_labels must name one tier per edge of success_tier_edges "
        "(4; the last tier is open-ended), got 2"),
    "a quote in a label": (
        {"success_tier_labels": ["Emerging", "Ris'ing", "Mainstream", "Superstar"]},
        "dbt var success_tier_labels names \"Ris'ing\": a label is letters, digits, spaces, '-' and '_'"),
    "an attribute that is no column": (
        {"protected_attributes": ["gender", "genderx"]},
        "dbt var protected_attributes names genderx: not a column of features.artist_features (artist_id,"),
    "an outcome that is not a count": (
        {"outcomes": ["gender"]}, "dbt var outcomes names gender: not a count column of the input ("),
    "an attribute named twice": (
        {"protected_attributes": ["gender", "gender"]}, "dbt var protected_attributes names gender more than once"),
    "an intersection of an unknown column": (
        {"fairness_intersections": [["gender", "planet"]]},
        "dbt var fairness_intersections tuple ['gender', 'planet'] names planet: not a column of "
        "features.artist_features"),
    "an intersection of one column": (
        {"fairness_intersections": [["gender"]]},
        "dbt var fairness_intersections tuple ['gender'] must name at least two columns"),
    "a significance level of 1": (
        {"significance_level": 1}, "dbt var significance_level must be a number greater than 0 and less than 1, got 1"),
    "a parity tolerance of 0": (
        {"parity_tolerance": 0}, "dbt var parity_tolerance must be a number greater than 0 and at most 1, got 0"),
    "a reference for an attribute not audited": (
        {"fairness_reference_groups": {"planet": "Mars"}},
        "dbt var fairness_reference_groups names 'planet', which is not a protected attribute"),
    "a reference that is not a name": (
        {"fairness_reference_groups": {"gender": 3}},
        "dbt var fairness_reference_groups must give 'gender' a group name, got 3"),
    "a control that is no column": (
        {"fairness_controls": ["label_type", "planet"]},
        "dbt var fairness_controls names planet: not a fairness attribute or a column of features.artist_features ("),
    "an outcome as a control": (
        {"fairness_controls": ["monthly_listeners"]},
        "dbt var fairness_controls names monthly_listeners: an outcome (var outcomes) cannot be a control"),
    "controls that every attribute shares a column with": (
        {"protected_attributes": ["gender"], "fairness_intersections": [], "fairness_controls": ["gender"]},
        "dbt var fairness_controls leaves no attribute to compare within a control: every attribute shares a column"
        " with ['gender']"),
    "an outcome as a gap control": (
        {"gap_controls": ["genre", "total_streams"]},
        "dbt var gap_controls names total_streams: an outcome (var outcomes) cannot be a control"),
    "gap controls that every attribute shares a column with": (
        {"protected_attributes": ["gender"], "fairness_intersections": [], "gap_controls": ["gender"]},
        "dbt var gap_controls leaves no attribute a control: every attribute shares a column with ['gender']"),
    "an inequality alpha out of range": (
        {"inequality_alphas": [0, 9]}, "dbt var inequality_alphas must be a non-empty list of numbers from -5 to 5"),
    "an inequality alpha twice": (
        {"inequality_alphas": [0, 1, 1]}, "dbt var inequality_alphas names 1 more than once"),
    "no bootstrap draw": (
        {"decomposition_bootstrap_draws": 1},
        "dbt var decomposition_bootstrap_draws must be a whole number of at least 2, got 1"),
    "no smoothing": (
        {"smoothing_concentration": 0}, "dbt var smoothing_concentration must be a number greater than 0, got 0"),
    "a smoothing that is not a number": (
        {"smoothing_concentration": "1"}, "dbt var smoothing_concentration must be a number greater than 0, got '1'"),
    "an interval level without a z": (
        {"rate_interval_confidence": 0.8}, "dbt var rate_interval_confidence must be one of 0.9, 0.95, 0.99, got 0.8"),
    "a negative loss bound": (
        {"bounded_group_loss_max_mae": -1},
        "dbt var bounded_group_loss_max_mae must be a number of at least 0 (an MAE, in the target's units) "
        "or null for no bound, got -1"),
    "a loss bound that is not a number": (
        {"bounded_group_loss_max_mae": "1e6"},
        "dbt var bounded_group_loss_max_mae must be a number of at least 0 (an MAE, in the target's units) "
        "or null for no bound, got '1e6'"),
    "a cut of an unknown kind": (
        {"fairness_cuts": [{"percentile": 50}, {"top_k": 10}]},
        "dbt var fairness_cuts item {'top_k': 10} must be {percentile: q} or {top_n: n}"),
    "a percentile cut over 100": (
        {"fairness_cuts": [{"percentile": 150}]},
        "dbt var fairness_cuts item {'percentile': 150}: percentile must be a number at least 0 and at most 100, "
        "got 150"),
    "a top-n cut of no artist": (
        {"fairness_cuts": [{"top_n": 0}]},
        "dbt var fairness_cuts item {'top_n': 0}: top_n must be a whole number of at least 1, got 0"),
    "the same cut twice": (
        {"fairness_cuts": [{"percentile": 75}, {"percentile": 75.0}]},
        "dbt var fairness_cuts gives the cut p75 more than once"),
    "a list length that is not a whole number": (
        {"equity_top_k": [15, 2.5]},
        "dbt var equity_top_k must be a non-empty list of whole numbers of at least 1, got [15, 2.5]"),
    "a list length named twice": (
        {"equity_top_k": [15, 50, 15]}, "dbt var equity_top_k names 15 more than once"),
    "an unknown model": (
        {"model_names": ["SVM"]}, "dbt var model_names names SVM: not a model of the project ("),
    "an elbow that ends before it starts": (
        {"elbow_k_min": 5, "elbow_k_max": 3}, "dbt var elbow_k_max must be a whole number of at least 5, got 3"),
    "a feature set with an unknown column": (
        {"feature_sets": {"notebook": ["years_active", "nope"], "no_leakage": ["years_active"]}},
        "dbt var feature_sets set 'notebook' names nope: not a column of features.artist_features ("),
    "an extra attribute not written as its folded name": (
        {"extra_attributes": ["Age Bracket"]},
        "dbt var extra_attributes names 'Age Bracket': write a column by its folded name (lower case, words "
        "joined by '_': Age Bracket is age_bracket)"),
    "an extra column that is a column already": (
        {"extra_attributes": ["region"], "extra_measures": ["region"]},
        "dbt var extra_measures names region: already a column of the warehouse"),
    "an outcome that is an attribute, not a measure": (
        {"extra_attributes": ["region"], "outcomes": ["region"]},
        "dbt var outcomes names region: not a count column of the input ("),
    "a column_map entry for no input column": (
        {"column_map": {"listeners": "Listeners"}}, "dbt var column_map names listeners: not an input column ("),
    "the undisclosed group as a reference": (
        {"fairness_reference_groups": {"gender": "Undisclosed"}},
        "dbt var undisclosed_label is the reference group of gender (Undisclosed): the undisclosed group is never"),
    "an intersection's group with an undisclosed member as a reference": (
        {"fairness_reference_groups": {"gender_ethnicity": "Female_Undisclosed"}},
        "dbt var undisclosed_label is the reference group of gender_ethnicity (Female_Undisclosed): the undisclosed"),
    "a misspelt var": (
        {"min_group_sise": 3}, "unknown dbt var(s) min_group_sise: the project defines source_columns,"),
}


@pytest.mark.parametrize("case", BAD_VARS)
def test_a_bad_var_is_named_with_the_rule_it_breaks(case):
    overrides, message = BAD_VARS[case]

    with pytest.raises(BuildError) as raised:
        build_settings("", json.dumps(overrides))

    assert str(raised.value).startswith(message)
    assert "\n" not in str(raised.value)


def test_the_project_defaults_pass():
    assert build_settings("", "") == project_vars()


def test_controls_skip_the_attributes_that_share_a_column():
    variables = project_vars()

    pairs = fairness_control_pairs({**variables, "fairness_controls": ["gender", "label_type"]})

    assert ("ethnicity", "gender") in pairs and ("label_type", "gender") in pairs
    assert ("gender", "gender") not in pairs and ("gender_ethnicity", "gender") not in pairs
    assert ("gender_ethnicity", "label_type") in pairs and ("label_type", "label_type") not in pairs


def test_every_var_of_the_project_is_declared_once_in_its_order():
    assert [setting.name for setting in SETTINGS] == list(project_vars())


@pytest.mark.parametrize("config", [TrainingConfig, ClusterConfig, GapConfig])
def test_the_ml_settings_have_no_defaults_of_their_own(config):
    assert [field.name for field in fields(config) if field.default is not MISSING] == []
    # gap_attribute_controls is derived from var gap_controls (warehouse/settings/derived.py)
    assert all(field.name in project_vars() or field.name == "gap_attribute_controls" for field in fields(config))


def test_a_derived_value_is_not_a_setting_a_user_can_override():
    with pytest.raises(BuildError, match="^unknown dbt var.s. fairness_attributes:"):
        build_settings("", json.dumps({"fairness_attributes": ["gender"]}))


def test_the_derived_values_follow_the_settings():
    settings = resolve_settings({"protected_attributes": ["genre"], "fairness_intersections": [["genre", "country"]],
                                 "outcomes": ["total_streams"], "fairness_controls": ["label_type"],
                                 "rate_interval_confidence": 0.9, "kmeans_k": 3,
                                 "fairness_cuts": [{"percentile": 99.5}, {"top_n": 10}]})

    derived = dbt_vars(settings)

    assert derived["fairness_attributes"] == ["genre", "genre_country"]
    assert derived["fairness_intersections_named"] == [["genre_country", ["genre", "country"]]]
    assert derived["fairness_outcome_attribute_pairs"] == [["total_streams", "genre"],
                                                          ["total_streams", "genre_country"]]
    assert derived["fairness_control_pairs"] == [["genre", "label_type"], ["genre_country", "label_type"]]
    assert [cut["name"] for cut in threshold_cuts(settings)] == ["p99.5", "top_10"]
    assert derived["rate_interval_z"] == pytest.approx(1.6448536269514722, rel=1e-15)
    assert derived["ml_cluster_settings"]["kmeans_k"] == 3
    # genre's own column is no control of genre; genre_country shares both genre and country
    assert derived["ml_gap_settings"]["gap_attribute_controls"] == {
        "genre": ["label_type", "country", "years_active", "album_count", "award_wins"],
        "genre_country": ["label_type", "years_active", "album_count", "award_wins"]}


def test_the_report_settings_rows_are_the_reported_settings():
    settings = resolve_settings({"equity_top_k": [15, 40]})

    rows = dbt_vars(settings)["report_setting_rows"]

    reported = [setting.name for setting in SETTINGS if setting.reported]
    assert list(dict.fromkeys(name for _, name, *_ in rows)) == reported
    assert ["equity_top_k[2]", "equity_top_k", 2, "40", 40.0] in rows
    assert ["min_group_size", "min_group_size", None, "5", 5.0] in rows


@pytest.mark.parametrize("overrides", [
    {"four_fifths_threshold": 0.9, "min_group_size": 3},
    {"success_tier_edges": [0, 10, 20], "success_tier_labels": ["Low", "Mid", "High Tier"]},
    {"protected_attributes": ["gender", "success_tier"], "fairness_reference_groups": {"gender": "Female"}},
    {"rate_interval_confidence": 0.99, "elbow_k_min": 3, "elbow_k_max": 3, "train_feature_sets": []},
    {"fairness_controls": ["gender_ethnicity", "success_tier"], "smoothing_concentration": 0.5},
    {"bounded_group_loss_max_mae": 2500000},
    {"extra_attributes": ["region"], "extra_measures": ["playlist_adds"], "protected_attributes": ["region"],
     "fairness_intersections": [["gender", "region"]], "fairness_controls": ["region", "genre"],
     "outcomes": ["playlist_adds"], "column_map": {"region": "Territory"}},
    {"bounded_group_loss_max_mae": None},
    {"fairness_cuts": [{"top_n": 5}, {"percentile": 99.5}, {"percentile": 0}], "equity_top_k": [1, 1000000]},
])
def test_good_overrides_pass_unchanged(overrides):
    assert build_settings("", json.dumps(overrides)) == {**project_vars(), **overrides}


@pytest.mark.parametrize(("text", "expected"), [
    ("yes", True), ("TRUE", True), ("1", True), (" Yes ", True),
    ("no", False), ("False", False), ("0", False), ("", False),
])
def test_a_make_switch_is_a_clear_yes_or_no(text, expected):
    assert yes_or_no(text, "REPLACE_ANY_FILE") is expected


@pytest.mark.parametrize("text", ["maybe", "n", "off", "2"])
def test_any_other_switch_value_is_refused(text):
    with pytest.raises(BuildError, match=f"^REPLACE_ANY_FILE must be yes or no .*got '{text}'$"):
        yes_or_no(text, "REPLACE_ANY_FILE")
