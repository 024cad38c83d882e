"""fairness.threshold_sweep: group rates, Wilson intervals and ratios at every cut of var fairness_cuts.

Proven on the workshop build and on the small synthetic one (tests/small_synthetic.py: planted ties
at the top, percentiles landing on ties, an attribute with a null group, cuts that select everybody),
against group_outcomes / fairness_summary at the high-success cut, and otherwise against numpy,
pandas and statsmodels computed here from the warehouse's own features.artist_features rows.
"""

from __future__ import annotations

import json

import duckdb
import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from tests import small_synthetic
from tests.conftest import query_df
from tests.parity import SQL_RTOL
from tests.report_page import parse_page, spec_values
from warehouse.settings.derived import cut_name, fairness_attributes
from warehouse.settings.project import project_vars

KEY = ["outcome", "attribute", "group_value"]
DEFAULTS = project_vars()
HIGH_SUCCESS_CUT = cut_name({"percentile": DEFAULTS["high_success_percentile"]})


def warehouse_vars(name: str) -> dict:
    return DEFAULTS if name == "workshop" else {**DEFAULTS, **small_synthetic.VARIABLES}


@pytest.fixture(scope="module", params=["workshop", "small_synthetic"])
def build(request):
    """(name, the sweep, group_outcomes, fairness_summary, artist_features) of one build."""
    db = request.getfixturevalue(f"{request.param}_db")
    variables = warehouse_vars(request.param)
    columns = ", ".join(f'"{name}"' for name in fairness_attributes(variables) + variables["outcomes"])
    with duckdb.connect(str(db), read_only=True) as con:
        return (request.param, query_df(con, "select * from fairness.threshold_sweep"),
                query_df(con, "select * from fairness.group_outcomes"),
                query_df(con, "select * from fairness.fairness_summary"),
                query_df(con, f"select {columns} from features.artist_features"))


# a Wilson bound at 0 or n selected is 0 or 1 exactly; both sides' rounding leaves up to ~5e-17 there
BOUND_ATOL = 1e-15


def assert_close(actual, expected, atol: float = 0):
    np.testing.assert_allclose(np.asarray(actual, dtype=float), np.asarray(expected, dtype=float),
                               rtol=SQL_RTOL, atol=atol)


def numpy_threshold(values: pd.Series, cut: dict) -> float:
    if "percentile" in cut:
        return float(np.percentile(values.to_numpy(dtype=float), cut["percentile"]))
    descending = np.sort(values.to_numpy())[::-1]
    return float(descending[min(cut["top_n"], len(descending)) - 1])


def pandas_selections(features: pd.DataFrame, variables: dict) -> pd.DataFrame:
    """n and selected_n per outcome x cut x attribute x group (null group kept), from the artists."""
    frames = []
    for outcome in variables["outcomes"]:
        for cut in variables["fairness_cuts"]:
            selected = features[outcome] >= numpy_threshold(features[outcome], cut)
            for attribute in fairness_attributes(variables):
                groups = selected.groupby(features[attribute].astype("string"), dropna=False)
                frame = pd.DataFrame({"n": groups.size(), "selected_n": groups.sum()}).reset_index(names="group_value")
                frames.append(frame.assign(outcome=outcome, cut=cut_name(cut), attribute=attribute))
    return pd.concat(frames, ignore_index=True)


def keyed(frame: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    frame = frame.astype({"group_value": "string"}).fillna({"group_value": "<null>"}) if "group_value" in key else frame
    return frame.set_index(key).sort_index()


def test_every_cut_outcome_attribute_and_group_has_one_row(build):
    name, sweep, groups, _, features = build
    variables = warehouse_vars(name)
    expected = pandas_selections(features, variables)
    assert sorted(sweep["cut"].unique()) == sorted(cut_name(cut) for cut in variables["fairness_cuts"])
    assert keyed(sweep, ["cut", *KEY]).index.equals(keyed(expected, ["cut", *KEY]).index)


def test_the_high_success_cut_equals_group_outcomes_to_the_last_digit(build):
    _, sweep, groups, _, _ = build
    at_cut = keyed(sweep[sweep["cut"] == HIGH_SUCCESS_CUT], KEY)
    groups = keyed(groups, KEY)
    assert at_cut.index.equals(groups.index)
    assert (at_cut["threshold"] == groups["threshold"]).all()
    assert (at_cut["n"] == groups["n"]).all()
    assert (at_cut["selected_n"] == groups["high_success_n"]).all()
    for sweep_column, group_column in [("rate", "high_success_rate"), ("rate_ci_low", "rate_ci_low"),
                                       ("rate_ci_high", "rate_ci_high"), ("disparity_ratio", "disparity_ratio")]:
        pd.testing.assert_series_equal(at_cut[sweep_column], groups[group_column], check_names=False, rtol=0, atol=0)
    assert (at_cut["reference_group"] == groups["reference_group"]).all()
    assert (at_cut["is_reference_group"] == groups["is_reference_group"]).all()


def test_the_high_success_cut_has_fairness_summarys_disparate_impact_ratio(build):
    _, sweep, _, summary, _ = build
    at_cut = sweep[sweep["cut"] == HIGH_SUCCESS_CUT].groupby(["outcome", "attribute"])["disparate_impact_ratio"]
    assert (at_cut.nunique(dropna=False) == 1).all()
    summary = summary.set_index(["outcome", "attribute"]).sort_index()["disparate_impact_ratio"]
    pd.testing.assert_series_equal(at_cut.first().sort_index(), summary, check_names=False, rtol=0, atol=0)


def test_every_threshold_is_numpys(build):
    name, sweep, _, _, features = build
    variables = warehouse_vars(name)
    for outcome in variables["outcomes"]:
        for cut in variables["fairness_cuts"]:
            rows = sweep[(sweep["outcome"] == outcome) & (sweep["cut"] == cut_name(cut))]
            assert rows["threshold"].nunique() == 1
            assert_close(rows["threshold"].iloc[0], numpy_threshold(features[outcome], cut))


def test_selections_and_rates_are_pandas(build):
    name, sweep, _, _, features = build
    expected = keyed(pandas_selections(features, warehouse_vars(name)), ["cut", *KEY])
    sweep = keyed(sweep, ["cut", *KEY])
    assert (sweep["n"] == expected["n"]).all()
    assert (sweep["selected_n"] == expected["selected_n"]).all()
    assert_close(sweep["rate"], expected["selected_n"] / expected["n"])
    totals = expected.groupby(["cut", "outcome", "attribute"])["selected_n"].transform("sum")
    assert (sweep["cut_selected_n"] == totals).all()


def test_intervals_are_statsmodels_wilson(build):
    _, sweep, _, _, _ = build
    low, high = proportion_confint(sweep["selected_n"], sweep["n"], alpha=0.05, method="wilson")
    assert_close(sweep["rate_ci_low"], np.clip(low, 0, 1), BOUND_ATOL)
    assert_close(sweep["rate_ci_high"], np.clip(high, 0, 1), BOUND_ATOL)


def test_ratios_compare_with_group_outcomes_reference_and_groups_with_a_value(build):
    _, sweep, groups, _, _ = build
    references = groups.drop_duplicates(["outcome", "attribute"]).set_index(["outcome", "attribute"])["reference_group"]
    defined = sweep[~sweep["disparity_ratio_undefined"]]
    for (outcome, _, attribute), rows in defined.groupby(["outcome", "cut", "attribute"]):
        reference = rows.loc[rows["group_value"] == references[(outcome, attribute)], "rate"].iloc[0]
        assert_close(rows["disparity_ratio"], rows["rate"] / reference)
    valued = sweep[sweep["group_value"].notna() & ~sweep["disparate_impact_undefined"]]
    rates = valued.groupby(["outcome", "cut", "attribute"])["rate"]
    ratios = valued.groupby(["outcome", "cut", "attribute"])["disparate_impact_ratio"].first()
    assert_close(ratios, rates.min() / rates.max())


# --- the synthetic build's planted ties and edges ---------------------------------------------

@pytest.fixture(scope="module")
def synthetic_sweep(small_synthetic_db):
    with duckdb.connect(str(small_synthetic_db), read_only=True) as con:
        return query_df(con, "select * from fairness.threshold_sweep")


def cut_rows(sweep: pd.DataFrame, outcome: str, cut: str, attribute: str) -> pd.DataFrame:
    return sweep[(sweep["outcome"] == outcome) & (sweep["cut"] == cut) & (sweep["attribute"] == attribute)]


def test_a_top_n_cut_selects_every_artist_tied_at_it(synthetic_sweep):
    rows = cut_rows(synthetic_sweep, "monthly_listeners", f"top_{small_synthetic.TOP_N_WITH_TIES}", "gender")
    assert set(rows["threshold"]) == {small_synthetic.TIED_VALUE}
    assert set(rows["cut_selected_n"]) == {len(small_synthetic.PLANTED_TOP) + small_synthetic.TIED_ARTISTS}
    assert rows["selected_n"].sum() == 13


@pytest.mark.parametrize("cut", ["p0", "top_1000"])
def test_a_cut_that_selects_everybody_leaves_the_ratios_null_with_a_reason(synthetic_sweep, cut):
    rows = synthetic_sweep[synthetic_sweep["cut"] == cut]
    assert (rows["cut_selected_n"] == small_synthetic.N_ARTISTS).all()
    assert (rows["rate"] == 1).all()
    assert rows["disparity_ratio"].isna().all() and rows["disparity_ratio_undefined"].all()
    assert rows["disparate_impact_ratio"].isna().all() and rows["disparate_impact_undefined"].all()
    assert set(rows["disparity_ratio_undefined_reason"]) == set(rows["disparate_impact_undefined_reason"]) == {
        "selects_everybody"}


def test_the_highest_cut_still_selects_the_top_artist(synthetic_sweep):
    """No cut can select nobody: the 100th percentile is the largest value, which its artists reach."""
    rows = cut_rows(synthetic_sweep, "monthly_listeners", "p100", "gender").set_index("group_value")
    assert set(rows["cut_selected_n"]) == {1}
    assert rows.loc["Non-binary", "selected_n"] == 1
    assert rows["reference_group"].iloc[0] == "Male" and rows.loc["Male", "rate"] == 0
    assert set(rows["disparity_ratio_undefined_reason"]) == {"reference_rate_zero"}
    assert rows["disparate_impact_ratio"].iloc[0] == 0
    assert not rows["disparate_impact_undefined"].any()


def test_a_cut_that_selects_only_artists_without_a_group(synthetic_sweep):
    rows = cut_rows(synthetic_sweep, "total_streams", "p100", "success_tier")
    assert set(rows["threshold"]) == {small_synthetic.NO_TIER_STREAMS}
    no_tier = rows[rows["group_value"].isna()]
    assert list(no_tier["selected_n"]) == [1] and not no_tier["is_reference_group"].any()
    assert set(rows["disparate_impact_undefined_reason"]) == {"highest_rate_zero"}
    assert rows["disparate_impact_ratio"].isna().all()


# --- the report ---------------------------------------------------------------------------------

def test_the_report_draws_every_ratio_of_the_sweep(workshop_report, warehouse):
    spec = json.loads(parse_page(workshop_report).specs["threshold-sweep-spec"])
    drawn = {(row["outcome"], row["cut"], row["attribute"]): row["disparate_impact_ratio"]
             for values in spec_values(spec) for row in values if "cut" in row}
    expected = warehouse.execute(
        "select distinct outcome, cut, attribute, disparate_impact_ratio from fairness.threshold_sweep").fetchall()
    assert drawn == {(outcome, cut, attribute): ratio for outcome, cut, attribute, ratio in expected}


def test_the_reports_caption_names_the_cuts_without_a_ratio(workshop_report, warehouse):
    everybody = [cut for (cut,) in warehouse.execute(
        "select cut from fairness.threshold_sweep where disparate_impact_undefined_reason = 'selects_everybody' "
        "group by cut order by min(cut_position)").fetchall()]
    assert everybody == ["top_100", "top_1000"]
    assert "at top_100 and top_1000: every artist is selected" in workshop_report.read_text(encoding="utf-8")
