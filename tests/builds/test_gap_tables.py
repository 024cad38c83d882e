"""fairness.adjusted_gaps, gap_decomposition, gap_decomposition_controls and inequality_decomposition
on the workshop build equal the libraries that define them, computed here from the warehouse's own
artists (features.artist_features; the reference groups as fairness.group_outcomes chose them):
statsmodels' OLS(...).fit(cov_type='HC3') and OaxacaBlinder (tests/gap_reference.py), AIF360's
generalized_entropy_index. Where statsmodels gives NaN (an HC3 error over an artist of leverage one)
the warehouse gives null and a reason.
"""

import numpy as np
import pandas as pd
import pytest

from tests.conftest import query_df
from tests.gap_reference import aif360_generalized_entropy, statsmodels_decompositions, statsmodels_gaps
from warehouse.settings.derived import gap_attribute_controls
from warehouse.settings.project import project_vars

VARS = project_vars()
CONTROLS = gap_attribute_controls(VARS)
PARTS = ["gap", "explained", "unexplained", "endowments", "coefficients", "interaction"]


@pytest.fixture()
def artists(warehouse) -> pd.DataFrame:
    """The artists with their high-success flags (numpy's percentile over every artist)."""
    frame = query_df(warehouse, "select * from features.artist_features")
    for outcome in VARS["outcomes"]:
        threshold = np.percentile(frame[outcome].to_numpy(dtype=float), VARS["high_success_percentile"])
        frame[f"{outcome}__is_high_success"] = frame[outcome] >= threshold
    return frame


@pytest.fixture()
def references(warehouse) -> list[tuple[str, str, str]]:
    return [tuple(row) for row in warehouse.execute(
        "select outcome, attribute, group_value from fairness.group_outcomes where is_reference_group "
        "order by outcome, attribute").fetchall()]


def test_adjusted_gaps_equal_statsmodels_ols_hc3(warehouse, artists, references):
    table = query_df(warehouse, "select * from fairness.adjusted_gaps")
    fitted = table.loc[table["undefined_reason"].isna() | (table["undefined_reason"] == "leverage_one")]
    assert len(fitted) >= 20
    assert table.loc[fitted.index, "adjusted_gap_se"].notna().sum() >= 20
    confidence = VARS["rate_interval_confidence"]
    for outcome, attribute, reference in references:
        ours = fitted.query("outcome == @outcome and attribute == @attribute").set_index("group_value")
        if ours.empty:
            continue
        gaps = statsmodels_gaps(artists, attribute, reference, CONTROLS[attribute], outcome,
                                VARS["min_group_size"], confidence).set_index("group_value").loc[ours.index]
        rates = statsmodels_gaps(artists, attribute, reference, CONTROLS[attribute], f"{outcome}__is_high_success",
                                 VARS["min_group_size"], confidence).set_index("group_value").loc[ours.index]
        for column, library in [("raw_gap", "raw"), ("adjusted_gap", "adjusted"), ("adjusted_gap_se", "se"),
                                ("adjusted_gap_p_value", "p_value"), ("adjusted_gap_ci_low", "ci_low"),
                                ("adjusted_gap_ci_high", "ci_high")]:
            np.testing.assert_allclose(ours[column].astype(float), gaps[library], rtol=0, atol=1e-9,
                                       err_msg=f"{outcome} {attribute} {column}")
            rate_column = column.replace("gap", "rate_gap")
            np.testing.assert_allclose(ours[rate_column].astype(float), rates[library], rtol=0, atol=1e-9,
                                       err_msg=f"{outcome} {attribute} {rate_column}")
        np.testing.assert_allclose(ours["share_explained"].astype(float), 1 - gaps["adjusted"] / gaps["raw"], atol=1e-9)
    assert not table["sampled"].any()


def test_small_groups_are_null_with_their_reason(warehouse):
    small = query_df(warehouse, "select * from fairness.adjusted_gaps where n < ?", [VARS["min_group_size"]])
    assert len(small) > 0
    assert (small["undefined_reason"] == "small_group").all()
    assert small[["raw_gap", "adjusted_gap", "adjusted_gap_se"]].isna().all().all()


def test_decompositions_equal_statsmodels_oaxaca_blinder(warehouse, artists, references):
    table = query_df(warehouse, "select * from fairness.gap_decomposition where undefined_reason is null")
    contributions = query_df(warehouse, "select * from fairness.gap_decomposition_controls")
    checked = 0
    for outcome, attribute, reference in references:
        ours = table.query("outcome == @outcome and attribute == @attribute").set_index("group_value")
        if ours.empty:
            continue
        expected = statsmodels_decompositions(artists, attribute, reference, CONTROLS[attribute], outcome,
                                              VARS["min_group_size"]).set_index("group_value").loc[ours.index]
        for part in PARTS:
            np.testing.assert_allclose(ours[part].astype(float), expected[part], rtol=0, atol=1e-9, err_msg=part)
        for group in ours.index:
            shares = contributions.query("outcome == @outcome and attribute == @attribute and group_value == @group")
            for control, contribution in zip(shares["control"], shares["contribution"], strict=True):
                assert contribution == pytest.approx(expected.at[group, f"control:{control}"], abs=1e-9)
            assert shares["contribution"].sum() == pytest.approx(ours.at[group, "explained"], abs=1e-9)
            checked += 1
    assert checked >= 10
    assert (table["gap_ci_low"] <= table["gap"]).all() and (table["gap"] <= table["gap_ci_high"]).all()


def test_inequality_equals_aif360_generalized_entropy_index(warehouse, artists):
    table = query_df(warehouse, "select * from fairness.inequality_decomposition")
    assert sorted(table["alpha"].unique()) == sorted(float(alpha) for alpha in VARS["inequality_alphas"])
    for row in table.itertuples():
        values = artists[row.outcome].to_numpy(dtype=float)
        positive = values > 0
        groups = artists.loc[positive, row.attribute].astype(str)
        group_means = pd.Series(values[positive]).groupby(groups.to_numpy()).transform("mean").to_numpy()
        assert row.n == positive.sum() and row.excluded_zero_n == (~positive).sum()
        total = aif360_generalized_entropy(values[positive], row.alpha)
        between = aif360_generalized_entropy(group_means, row.alpha)
        assert row.total == pytest.approx(total, abs=1e-9)
        assert row.between_group == pytest.approx(between, abs=1e-9)
        assert row.within_group == pytest.approx(total - between, abs=1e-9)
        assert 0 < row.between_share < 1

