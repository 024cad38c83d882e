"""ml.adjusted_gaps and ml.gap_decomposition on synthetic artists with planted gaps (tests/planted_gaps.py),
against statsmodels computed here from the same rows (tests/gap_reference.py), without dbt."""

import numpy as np
import pandas as pd
import pytest

from ml.adjusted_gaps import adjusted_gaps, attribute_references
from ml.config import GapConfig
from ml.gap_decomposition import gap_decomposition_terms
from tests import planted_gaps
from tests.gap_reference import statsmodels_decompositions, statsmodels_gaps
from tests.unit.ml.project_settings import PROJECT_VARS

ATTRIBUTES = ["gender", "ethnicity"]
CONTROLS = ["genre", "label_type", "country", "years_active", "album_count", "award_wins"]
PARTS = ["gap", "explained", "unexplained", "endowments", "coefficients", "interaction"]


def gap_settings(**overrides) -> GapConfig:
    settings = {**PROJECT_VARS["ml_gap_settings"], "gap_attribute_controls": dict.fromkeys(ATTRIBUTES, CONTROLS)}
    return GapConfig(**{**settings, **overrides})


@pytest.fixture(scope="module")
def placed() -> pd.DataFrame:
    """Women placed in the small genres, the same success within a genre; Latino artists penalised."""
    return planted_gaps.artists(2000, 7, women_in_small_genres=True, penalty=planted_gaps.PENALTY)


@pytest.fixture(scope="module")
def placed_gaps(placed):
    return adjusted_gaps(placed, planted_gaps.group_outcomes(placed, ATTRIBUTES), gap_settings())


@pytest.fixture(scope="module")
def placed_terms(placed):
    references = attribute_references(planted_gaps.group_outcomes(placed, ATTRIBUTES))
    return gap_decomposition_terms(placed, references, gap_settings())


def one_gap(gaps: pd.DataFrame, outcome: str, attribute: str, group: str) -> pd.Series:
    [row] = gaps.query("outcome == @outcome and attribute == @attribute and group_value == @group").to_dict("records")
    return pd.Series(row)


@pytest.mark.parametrize("outcome", planted_gaps.OUTCOMES)
@pytest.mark.parametrize(("attribute", "reference"), [("gender", "Male"), ("ethnicity", "White")])
def test_adjusted_gaps_equal_statsmodels_ols_hc3(placed, placed_gaps, outcome, attribute, reference):
    expected = statsmodels_gaps(placed, attribute, reference, CONTROLS, outcome, 5, 0.95)
    rates = statsmodels_gaps(placed, attribute, reference, CONTROLS, f"{outcome}__is_high_success", 5, 0.95)
    ours = placed_gaps.query("outcome == @outcome and attribute == @attribute").set_index("group_value")
    assert list(ours.index) == list(expected["group_value"])
    pairs = {"raw_gap": "raw", "adjusted_gap": "adjusted", "adjusted_gap_se": "se", "adjusted_gap_p_value": "p_value",
             "adjusted_gap_ci_low": "ci_low", "adjusted_gap_ci_high": "ci_high"}
    for column, library in pairs.items():
        np.testing.assert_allclose(ours[column].astype(float), expected[library], rtol=0, atol=1e-9, err_msg=column)
        rate_column = column.replace("gap", "rate_gap")
        np.testing.assert_allclose(ours[rate_column].astype(float), rates[library], rtol=0, atol=1e-9,
                                   err_msg=rate_column)
    np.testing.assert_allclose(ours["adjusted_gap_pct"].astype(float), np.expm1(expected["adjusted"]), atol=1e-9)


def test_controls_explain_the_gap_of_women_placed_in_small_genres(placed_gaps):
    women = one_gap(placed_gaps, "monthly_listeners", "gender", "Female")
    assert women["raw_gap"] < -0.5
    assert women["share_explained"] > 0.8
    assert women["adjusted_gap_ci_low"] < 0 < women["adjusted_gap_ci_high"]


def test_a_penalty_within_every_genre_stays_after_the_controls(placed_gaps):
    penalised = one_gap(placed_gaps, "monthly_listeners", "ethnicity", planted_gaps.ETHNICITY_PENALISED)
    assert penalised["adjusted_gap_ci_high"] < 0
    assert penalised["adjusted_gap"] == pytest.approx(-planted_gaps.PENALTY, abs=0.15)
    assert penalised["adjusted_gap_p_value"] < 1e-6


@pytest.mark.parametrize("outcome", planted_gaps.OUTCOMES)
@pytest.mark.parametrize(("attribute", "reference"), [("gender", "Male"), ("ethnicity", "White")])
def test_decompositions_equal_statsmodels_oaxaca_blinder(placed, placed_terms, outcome, attribute, reference):
    expected = statsmodels_decompositions(placed, attribute, reference, CONTROLS, outcome, 5).set_index("group_value")
    ours = placed_terms.query("outcome == @outcome and attribute == @attribute")
    for group, library in expected.iterrows():
        values = ours.loc[ours["group_value"] == group].set_index("term")["value"].astype(float)
        for part in PARTS:
            assert values[part] == pytest.approx(library[part], abs=1e-9), (group, part)
        for control in CONTROLS:
            assert values[control] == pytest.approx(library.get(f"control:{control}", 0.0), abs=1e-9), (group, control)
        assert values[CONTROLS].sum() == pytest.approx(values["explained"], abs=1e-9)


def part(terms: pd.DataFrame, attribute: str, group: str, name: str) -> pd.Series:
    [row] = terms.query("outcome == 'monthly_listeners' and attribute == @attribute and group_value == @group "
                        "and term == @name").to_dict("records")
    return pd.Series(row)


def test_the_unexplained_interval_covers_the_planted_penalty(placed_terms):
    unexplained = part(placed_terms, "ethnicity", planted_gaps.ETHNICITY_PENALISED, "unexplained")
    assert unexplained["ci_low"] < planted_gaps.PENALTY < unexplained["ci_high"]
    assert unexplained["ci_low"] > 0.3


def test_genre_explains_most_of_the_placed_womens_gap(placed_terms):
    genre = part(placed_terms, "gender", "Female", "genre")["value"]
    gap = part(placed_terms, "gender", "Female", "gap")["value"]
    assert genre / gap > 0.8


def test_without_a_gap_every_interval_covers_zero():
    artists = planted_gaps.artists(1500, 11)
    references = attribute_references(planted_gaps.group_outcomes(artists, ATTRIBUTES))
    terms = gap_decomposition_terms(artists, references, gap_settings())
    parts = terms.query("term_kind == 'part' and term in ('gap', 'unexplained')")
    assert len(parts) == 2 * 2 * (1 + 3)
    assert ((parts["ci_low"] < 0) & (parts["ci_high"] > 0)).all()


def test_the_bootstrap_is_seeded(placed):
    references = attribute_references(planted_gaps.group_outcomes(placed, ["gender"]))
    first, again = (gap_decomposition_terms(placed, references, gap_settings(decomposition_bootstrap_draws=20))
                    for _ in range(2))
    pd.testing.assert_frame_equal(first, again)
    other = gap_decomposition_terms(placed, references, gap_settings(decomposition_bootstrap_draws=20, random_state=1))
    assert not first["ci_low"].equals(other["ci_low"])


def test_a_small_group_is_null_with_its_reason():
    artists = planted_gaps.artists(300, 3)
    artists.loc[:2, "gender"] = "Non-binary"
    outcomes = planted_gaps.group_outcomes(artists, ["gender"])
    gaps = adjusted_gaps(artists, outcomes, gap_settings())
    small = gaps.loc[gaps["group_value"] == "Non-binary"]
    assert (small["undefined_reason"] == "small_group").all()
    assert small["adjusted_gap"].isna().all() and (small["n"] == 3).all()
    terms = gap_decomposition_terms(artists, attribute_references(outcomes), gap_settings())
    small_terms = terms.loc[terms["group_value"] == "Non-binary"]
    assert small_terms["value"].isna().all() and (small_terms["undefined_reason"] == "small_group").all()


def test_a_constant_high_success_flag_has_a_rate_gap_without_errors():
    artists = planted_gaps.artists(300, 3)
    artists["total_streams__is_high_success"] = True
    gaps = adjusted_gaps(artists, planted_gaps.group_outcomes(artists, ["gender"]), gap_settings())
    constant, varying = (gaps.loc[gaps["outcome"] == outcome] for outcome in ("total_streams", "monthly_listeners"))
    assert (constant["undefined_reason"] == "constant_high_success").all()
    assert constant["adjusted_rate_gap"].abs().max() < 1e-9
    rate_errors = [f"adjusted_rate_gap_{part}" for part in ("se", "ci_low", "ci_high", "p_value")]
    assert constant[rate_errors].isna().all().all() and constant["adjusted_gap_se"].notna().all()
    assert varying["undefined_reason"].isna().all() and varying[rate_errors].notna().all().all()
