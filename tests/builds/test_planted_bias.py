"""The planted biases of tests/planted_bias.py (female artists' listeners at half the scale; label_type
fair by construction; tiny genres) are found by the fairness tables, and the fair attribute is not flagged."""

import duckdb
import pytest

from tests.conftest import query_df
from tests.planted_bias import QUOTED_COUNTRY, TINY_GENRES


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


@pytest.fixture(scope="module")
def comparisons(planted_db):
    with duckdb.connect(str(planted_db), read_only=True) as con:
        table = query_df(con, "select * from fairness.group_comparisons where outcome = 'monthly_listeners'")
    return table.set_index(["attribute", "comparator", "group_value"])


def test_planted_gap_is_significant_and_its_interval_excludes_zero(comparisons, summary):
    female = comparisons.loc[("gender", "reference", "Female")]
    assert female["comparator_group"] == "Male"
    assert female["rate_difference_ci_high"] < 0
    assert female["rate_ratio_ci_high"] < 0.8
    assert female["p_value_holm"] < 1e-6 and female["significant"]
    assert summary.loc["gender", "four_fifths_verdict"] == "conclusive_fail"
    assert summary.loc["gender", "significant_groups"] == 1


def test_fair_attribute_is_not_significant(comparisons, summary):
    major = comparisons.loc[("label_type", "reference", "Major")]
    assert major["comparator_group"] == "Independent"
    assert major["rate_difference_ci_low"] < 0 < major["rate_difference_ci_high"]
    assert not major["significant"]
    assert summary.loc["label_type", "four_fifths_verdict"] == "pass"
    assert summary.loc["label_type", "significant_groups"] == 0
    assert summary.loc["label_type", "groups_outside_parity_band"] == 0


@pytest.mark.parametrize("genre", sorted(set(TINY_GENRES)))
def test_tiny_groups_have_wide_intervals_and_no_significant_gap(comparisons, genre):
    tiny = comparisons.loc[("genre", "rest", genre)]
    assert tiny["small_group"]
    assert tiny["rate_difference_ci_high"] - tiny["rate_difference_ci_low"] > 0.5
    assert not tiny["significant"]
