"""One row per outcome x protected attribute: chi-square and Kruskal-Wallis tests (ml.fairness_stats).

The tests read the per-group counts and rank sums of fairness.group_rank_sums (a few rows per
outcome x attribute), never the one row per artist of artist_attribute_outcomes.
"""

from ml.fairness_stats import independence_tests


def model(dbt, session):
    return independence_tests(dbt.ref("group_rank_sums").df())
