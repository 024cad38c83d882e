"""A synthetic table with a bias planted on purpose (tests/planted_bias.py): the fairness tables must find it.

Female artists' monthly listeners are drawn at half the scale of male artists'; label_type is dealt
out alternately down the listeners ranking, so it is fair by construction. The build names a
reference group with a quote in it, to show config values reach SQL as data.
"""

import duckdb
import pytest

from tests.conftest import query_df
from tests.planted_bias import QUOTED_COUNTRY


@pytest.fixture(scope="module")
def summary(planted_db):
    with duckdb.connect(str(planted_db), read_only=True) as con:
        table = query_df(con, "select * from fairness.fairness_summary where outcome = 'monthly_listeners'")
    return table.set_index("attribute")


@pytest.fixture(scope="module")
def gender_groups(planted_db):
    with duckdb.connect(str(planted_db), read_only=True) as con:
        table = query_df(con, "select * from fairness.group_outcomes "
                              "where outcome = 'monthly_listeners' and attribute = 'gender'")
    return table.set_index("group_value")


def test_planted_gender_bias_fails_the_four_fifths_rule(summary):
    gender = summary.loc["gender"]
    assert gender["disparate_impact_ratio"] < 0.8
    assert not gender["passes_four_fifths"]
    assert gender["min_rate_group"] == "Female"
    assert gender["max_rate_group"] == "Male"


def test_planted_gender_bias_is_significant(summary):
    gender = summary.loc["gender"]
    assert gender["chi_square_p_value"] < 1e-6
    assert gender["kruskal_p_value"] < 1e-6
    assert gender["chi_square_approximation_reliable"]


def test_fair_attribute_passes(summary):
    label = summary.loc["label_type"]
    assert label["disparate_impact_ratio"] >= 0.8
    assert label["passes_four_fifths"]
    assert label["chi_square_p_value"] > 0.5
    assert label["kruskal_p_value"] > 0.5


def test_group_table_shows_who_is_behind(gender_groups):
    female, male = gender_groups.loc["Female"], gender_groups.loc["Male"]
    assert male["is_reference_group"] and not female["is_reference_group"]
    assert female["disparity_ratio"] < 0.8
    assert female["rate_ci_high"] < male["rate_ci_low"]
    assert female["representation_ratio"] < 1 < male["representation_ratio"]
    assert not female["small_group"]


def test_configured_reference_group_is_used(planted_db):
    with duckdb.connect(str(planted_db), read_only=True) as con:
        countries = query_df(con, "select * from fairness.group_outcomes "
                                  "where outcome = 'monthly_listeners' and attribute = 'country'")
    countries = countries.set_index("group_value")
    assert set(countries["reference_group"]) == {QUOTED_COUNTRY}
    assert list(countries.index[countries["is_reference_group"]]) == [QUOTED_COUNTRY]
    reference_rate = countries.loc[QUOTED_COUNTRY, "high_success_rate"]
    assert (countries["disparity_ratio"] == countries["high_success_rate"] / reference_rate).all()
