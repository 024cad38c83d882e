"""The build's command-line options turn into its settings, and bad ones stop with one line."""

import pytest

from warehouse.build import build_settings
from warehouse.errors import BuildError
from warehouse.settings.project import project_vars


def test_feature_sets_option_selects_the_sets_to_train():
    assert build_settings("notebook", "")["train_feature_sets"] == ["notebook"]


def test_empty_feature_sets_option_keeps_the_project_default():
    settings = build_settings("", '{"kmeans_k": 3}')
    assert settings["kmeans_k"] == 3
    assert settings["train_feature_sets"] == project_vars()["train_feature_sets"]


def test_unknown_feature_set_is_named():
    with pytest.raises(BuildError, match=r"unknown feature set\(s\) leaky \(defined: notebook, no_leakage, unaware\)"):
        build_settings("notebook, leaky", "")


def test_a_feature_set_defined_in_vars_can_be_trained():
    variables = build_settings("tiny", '{"feature_sets": {"tiny": ["years_active"]}}')
    assert variables["train_feature_sets"] == ["tiny"]


@pytest.mark.parametrize("text", ["{not json", "[1, 2]"])
def test_vars_must_be_a_json_object(text):
    with pytest.raises(BuildError, match="--vars"):
        build_settings("", text)
