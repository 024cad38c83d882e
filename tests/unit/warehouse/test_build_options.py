"""The build's command-line options turn into dbt vars, and bad ones stop with one line."""

import pytest

from warehouse.build import dbt_vars
from warehouse.errors import BuildError


def test_feature_sets_option_selects_the_sets_to_train():
    assert dbt_vars("notebook", "") == {"train_feature_sets": ["notebook"]}


def test_empty_feature_sets_option_keeps_the_project_default():
    assert dbt_vars("", '{"kmeans_k": 3}') == {"kmeans_k": 3}


def test_unknown_feature_set_is_named():
    with pytest.raises(BuildError, match=r"unknown feature set\(s\) leaky \(defined: notebook, no_leakage\)"):
        dbt_vars("notebook, leaky", "")


def test_a_feature_set_defined_in_vars_can_be_trained():
    variables = dbt_vars("tiny", '{"feature_sets": {"tiny": ["years_active"]}}')
    assert variables["train_feature_sets"] == ["tiny"]


@pytest.mark.parametrize("text", ["{not json", "[1, 2]"])
def test_vars_must_be_a_json_object(text):
    with pytest.raises(BuildError, match="--vars"):
        dbt_vars("", text)
