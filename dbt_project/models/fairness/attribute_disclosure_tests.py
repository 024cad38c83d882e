"""One row per outcome x attribute: the undisclosed artists' high-success count against the disclosed
artists', with the pooled z test (ml.group_comparisons), from the few rows of fairness.group_outcomes."""

from ml.group_comparisons import disclosure_tests


def model(dbt, session):
    return disclosure_tests(dbt.ref("group_outcomes").df())
