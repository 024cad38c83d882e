"""One row per outcome x attribute x group x comparator: both sides' counts and the pooled z test
(ml.group_comparisons), from the few rows of fairness.group_outcomes."""

from ml.group_comparisons import group_comparison_tests


def model(dbt, session):
    return group_comparison_tests(dbt.ref("group_outcomes").df())
