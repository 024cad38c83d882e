"""fairness.group_comparisons and the new fairness_summary columns equal statsmodels, computed here
from the warehouse's own artists (features.artist_features), on the workshop data and on the planted
table (tests/planted.py: a planted gap, a fair attribute and tiny groups).

statsmodels defines each number: confint_proportions_2indep(compare='diff', method='newcomb') and
(compare='ratio', method='log'), proportions_ztest, multipletests(method='holm' / 'fdr_bh'). Where
statsmodels gives NaN or infinity (a Katz interval with a zero count, a z test of a constant rate)
the warehouse must give null and a reason.
"""

import duckdb
import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest

from tests.conftest import query_df
from tests.parity import SQL_RTOL
from warehouse.settings.derived import fairness_attributes
from warehouse.settings.project import project_vars

VARS = project_vars()
ALPHA = 1 - VARS["rate_interval_confidence"]
FAMILY = ["outcome", "attribute", "comparator"]


def artists_by_attribute(con) -> pd.DataFrame:
    """One row per artist x outcome x attribute with the artist's group and high-success flag,
    from features.artist_features: thresholds by numpy, intersections joined here."""
    artists = query_df(con, "select * from features.artist_features")
    for members in VARS["fairness_intersections"]:
        artists["_".join(members)] = artists[list(members)].astype(str).agg("_".join, axis=1)
    frames = []
    for outcome in VARS["outcomes"]:
        threshold = np.percentile(artists[outcome].to_numpy(dtype=float), VARS["high_success_percentile"])
        for attribute in fairness_attributes(VARS):
            frames.append(pd.DataFrame({
                "outcome": outcome, "attribute": attribute, "group_value": artists[attribute].astype(str),
                "is_high_success": artists[outcome] >= threshold,
            }))
    return pd.concat(frames, ignore_index=True)


def expected_comparisons(con) -> pd.DataFrame:
    """Each group against its reference and against the rest, by statsmodels."""
    counts = (artists_by_attribute(con).groupby(["outcome", "attribute", "group_value"])["is_high_success"]
              .agg(n="size", high_success_n="sum").reset_index())
    references = query_df(con, "select distinct outcome, attribute, reference_group from fairness.group_outcomes")
    counts = counts.merge(references, on=["outcome", "attribute"])
    totals = counts.groupby(["outcome", "attribute"])[["n", "high_success_n"]].transform("sum")
    rest = counts.assign(comparator="rest", comparator_n=totals["n"] - counts["n"],
                         comparator_high_success_n=totals["high_success_n"] - counts["high_success_n"])
    reference_counts = counts.loc[counts["group_value"] == counts["reference_group"],
                                  ["outcome", "attribute", "n", "high_success_n"]].rename(
        columns={"n": "comparator_n", "high_success_n": "comparator_high_success_n"})
    against_reference = (counts.loc[counts["group_value"] != counts["reference_group"]]
                         .merge(reference_counts, on=["outcome", "attribute"]).assign(comparator="reference"))
    rows = pd.concat([against_reference, rest], ignore_index=True)
    return pd.DataFrame([statsmodels_row(row) for row in rows.itertuples()]).pipe(adjusted)


def statsmodels_row(row) -> dict:
    k1, n1, k2, n2 = int(row.high_success_n), int(row.n), int(row.comparator_high_success_n), int(row.comparator_n)
    result = {"outcome": row.outcome, "attribute": row.attribute, "group_value": row.group_value,
              "comparator": row.comparator, "n": n1, "high_success_n": k1, "comparator_n": n2,
              "comparator_high_success_n": k2}
    if n2 == 0:
        return result
    with np.errstate(divide="ignore", invalid="ignore"):
        diff_low, diff_high = confint_proportions_2indep(k1, n1, k2, n2, compare="diff", method="newcomb", alpha=ALPHA)
        # numpy floats: a zero count gives statsmodels' infinite variance instead of ZeroDivisionError
        ratio_low, ratio_high = confint_proportions_2indep(*np.float64([k1, n1, k2, n2]), compare="ratio",
                                                           method="log", alpha=ALPHA)
        z, p = proportions_ztest([k1, k2], [n1, n2])
    result.update(rate_difference=k1 / n1 - k2 / n2, rate_difference_ci_low=diff_low,
                  rate_difference_ci_high=diff_high, z_statistic=z, p_value=p)
    if k1 > 0 and k2 > 0:
        result.update(rate_ratio_ci_low=ratio_low, rate_ratio_ci_high=ratio_high)
    return result


def adjusted(expected: pd.DataFrame) -> pd.DataFrame:
    expected = expected.assign(p_value_holm=np.nan, p_value_bh=np.nan)
    for _, family in expected.groupby(FAMILY):
        tested = family.loc[np.isfinite(family["p_value"].astype(float))]
        if len(tested):
            p_values = tested["p_value"].to_numpy(dtype=float)
            expected.loc[tested.index, "p_value_holm"] = multipletests(p_values, method="holm")[1]
            expected.loc[tested.index, "p_value_bh"] = multipletests(p_values, method="fdr_bh")[1]
    return expected


@pytest.fixture(scope="module", params=["workshop_db", "planted_db"])
def warehouse_db(request):
    return request.getfixturevalue(request.param)


@pytest.fixture(scope="module")
def both(warehouse_db):
    with duckdb.connect(str(warehouse_db), read_only=True) as con:
        actual = query_df(con, "select * from fairness.group_comparisons")
        expected = expected_comparisons(con)
    keys = ["outcome", "attribute", "group_value", "comparator"]
    merged = actual.merge(expected, on=keys, how="outer", suffixes=("", "_expected"), indicator=True)
    assert (merged["_merge"] == "both").all(), merged.loc[merged["_merge"] != "both", keys + ["_merge"]]
    return merged


@pytest.mark.parametrize("column", ["n", "high_success_n", "comparator_n", "comparator_high_success_n"])
def test_counts_equal_the_artists(both, column):
    assert (both[column] == both[f"{column}_expected"]).all()


@pytest.mark.parametrize("column", ["rate_difference", "rate_difference_ci_low", "rate_difference_ci_high",
                                    "rate_ratio_ci_low", "rate_ratio_ci_high", "z_statistic", "p_value",
                                    "p_value_holm", "p_value_bh"])
def test_value_equals_statsmodels(both, column):
    """Null exactly where statsmodels is NaN or infinite (or not computed), equal to 1e-9 elsewhere."""
    expected = both[f"{column}_expected"].astype(float)
    defined = np.isfinite(expected)
    actual = both[column].astype(float)
    assert actual[~defined].isna().all(), both.loc[~defined & actual.notna(), ["attribute", "group_value", column]]
    assert defined.any()
    np.testing.assert_allclose(actual[defined], expected[defined], rtol=SQL_RTOL, atol=0)


def test_reference_difference_is_group_outcomes_rate_difference(warehouse_db):
    with duckdb.connect(str(warehouse_db), read_only=True) as con:
        mismatched = con.execute("""
            select count(*) from fairness.group_comparisons as comparisons
            inner join fairness.group_outcomes as outcomes using (outcome, attribute, group_value)
            where comparisons.comparator = 'reference'
              and comparisons.rate_difference is distinct from outcomes.rate_difference
        """).fetchone()[0]
    assert mismatched == 0


def test_undefined_values_say_why(both):
    zero_count = (both["high_success_n"] == 0) | (both["comparator_high_success_n"] == 0)
    assert both.loc[zero_count, "rate_ratio_ci_undefined_reason"].notna().all()
    assert both.loc[~zero_count, "rate_ratio_ci_undefined_reason"].isna().all()
    skipped = both["p_value"].isna()
    assert both.loc[skipped, "test_skip_reason"].notna().all()
    assert both.loc[skipped, "significant"].isna().all()


def katz_upper_bound(k1, n1, k2, n2) -> float:
    return confint_proportions_2indep(k1, n1, k2, n2, compare="ratio", method="log", alpha=ALPHA)[1]


def test_summary_verdicts_equal_katz_and_the_parity_band(warehouse_db):
    with duckdb.connect(str(warehouse_db), read_only=True) as con:
        summary = query_df(con, "select * from fairness.fairness_summary")
        groups = query_df(con, "select * from fairness.group_outcomes where group_value is not null")
        comparisons = query_df(con, "select * from fairness.group_comparisons where comparator = 'reference'")
    tau, threshold = VARS["parity_tolerance"], VARS["four_fifths_threshold"]
    for row in summary.itertuples():
        attribute_groups = groups[(groups["outcome"] == row.outcome) & (groups["attribute"] == row.attribute)]
        low = attribute_groups.set_index("group_value").loc[row.min_rate_group]
        high = attribute_groups.set_index("group_value").loc[row.max_rate_group]
        if low["high_success_n"] > 0:
            upper = katz_upper_bound(low["high_success_n"], low["n"], high["high_success_n"], high["n"])
            np.testing.assert_allclose(row.disparate_impact_ci_high, upper, rtol=SQL_RTOL)
        else:
            assert pd.isna(row.disparate_impact_ci_high)
            upper = np.nan
        if pd.isna(row.disparate_impact_ratio):
            expected_verdict = None
        elif row.disparate_impact_ratio >= threshold:
            expected_verdict = "pass"
        else:
            expected_verdict = "conclusive_fail" if upper < threshold else "inconclusive"
        verdict = None if pd.isna(row.four_fifths_verdict) else row.four_fifths_verdict
        assert verdict == expected_verdict
        ratios = attribute_groups["disparity_ratio"].dropna()
        assert row.groups_outside_parity_band == ((ratios < tau) | (ratios > 1 / tau)).sum()
        family = comparisons[(comparisons["outcome"] == row.outcome) & (comparisons["attribute"] == row.attribute)]
        assert row.significant_groups == (family["p_value_holm"] < VARS["significance_level"]).sum()
