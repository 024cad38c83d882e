"""ml.group_comparisons on hand-made group counts: pairs, z tests equal to statsmodels, skip reasons."""

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import proportions_ztest

from ml.group_comparisons import group_comparison_tests


def groups(rows):
    return pd.DataFrame(rows, columns=["outcome", "attribute", "group_value", "n", "high_success_n",
                                       "is_reference_group"])


def test_each_group_meets_the_reference_and_the_rest():
    table = group_comparison_tests(groups([
        ("o", "a", "x", 10, 2, False), ("o", "a", "y", 30, 15, True), ("o", "a", "z", 5, 4, False),
        ("o", "a", None, 3, 1, False),
    ])).set_index(["comparator", "group_value"])
    assert list(table.loc["reference"].index) == ["x", "z"]
    assert list(table.loc["rest"].index) == ["x", "y", "z"]
    x_rest = table.loc[("rest", "x")]
    assert (x_rest["comparator_n"], x_rest["comparator_high_success_n"]) == (35, 19)
    z, p = proportions_ztest([2, 15], [10, 30])
    x_reference = table.loc[("reference", "x")]
    assert x_reference["comparator_group"] == "y"
    np.testing.assert_allclose([x_reference["z_statistic"], x_reference["p_value"]], [z, p], rtol=1e-12)


def test_undefined_tests_are_null_with_a_reason():
    table = group_comparison_tests(groups([
        ("o", "single", "only", 4, 1, True),
        ("o", "constant", "x", 4, 0, True), ("o", "constant", "y", 6, 0, False),
    ])).set_index(["attribute", "comparator", "group_value"])
    assert table.loc[("single", "rest", "only"), "test_skip_reason"] == "empty_comparator"
    assert table.loc[("constant", "reference", "y"), "test_skip_reason"] == "constant_high_success"
    assert table["p_value"].isna().all() and table["z_statistic"].isna().all()
