"""One row per outcome x protected attribute: chi-square and Kruskal-Wallis tests (ml.fairness_stats)."""

from ml.fairness_stats import independence_tests

COLUMNS = "outcome, attribute, group_value, outcome_value, is_high_success"


def model(dbt, session):
    artist_outcomes = dbt.ref("artist_attribute_outcomes").project(COLUMNS).df()
    return independence_tests(artist_outcomes)
