"""The models section's counterfactual chart, calibration curves and gap table carry the warehouse's
numbers for the notebook's best model of each feature set."""

import json

import pytest

from tests.report_page import body_rows, parse_page, spec_values


@pytest.fixture(scope="module")
def workshop_page(workshop_report):
    return parse_page(workshop_report)


def test_counterfactual_chart_carries_the_best_models_flips(workshop_page, warehouse):
    spec = json.loads(workshop_page.specs["counterfactual-flips-spec"])
    drawn = sorted((row["feature_set"], row["attribute"], row["group_value"], row["counterfactual_group"],
                    row["mean_change"]) for values in spec_values(spec) for row in values)
    expected = warehouse.execute(
        "select feature_set, attribute, group_value, counterfactual_group, mean_change "
        "from ml.counterfactual_flips inner join reporting.best_models using (feature_set, model_name) "
        "where attribute in ('gender', 'ethnicity', 'label_type')").fetchall()
    assert drawn == sorted(expected) and len(drawn) > 0


def test_calibration_chart_carries_the_best_models_bins(workshop_page, warehouse):
    spec = json.loads(workshop_page.specs["calibration-by-group-spec"])
    drawn = sorted((row["feature_set"], row["attribute"], row["group_value"], row["prediction_bin"], row["n"],
                    row["mean_actual"]) for values in spec_values(spec) for row in values)
    expected = warehouse.execute(
        "select feature_set, attribute, group_value, prediction_bin, n, mean_actual "
        "from ml.prediction_calibration_by_group inner join reporting.best_models using (feature_set, model_name) "
        "where attribute in ('gender', 'ethnicity')").fetchall()
    assert drawn == sorted(expected) and len(drawn) > 0


def number(cell: dict) -> float | None:
    return None if cell["value"] in (None, "") else float(cell["value"])


def test_gap_table_carries_the_intervals(workshop_page, warehouse):
    rows = body_rows(workshop_page, "model-gap-intervals")
    expected = warehouse.execute(
        "select feature_set, attribute, equalized_odds_difference_ci_low, mae_difference_ci_high "
        "from ml.prediction_fairness_summary inner join reporting.best_models using (feature_set, model_name) "
        "where attribute in ('gender', 'ethnicity') order by feature_set, attribute").fetchall()
    drawn = {(row[0]["text"], row[2]["text"], row[3]["text"]): (number(row[5]), number(row[6])) for row in rows}
    assert len(rows) == 5 * len(expected)
    for feature_set, attribute, odds_low, mae_high in expected:
        assert drawn[(feature_set, attribute, "equalized_odds_difference")][0] == pytest.approx(odds_low, rel=1e-9)
        assert drawn[(feature_set, attribute, "mae_difference")][1] == pytest.approx(mae_high, rel=1e-9)
