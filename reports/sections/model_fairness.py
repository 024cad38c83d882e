"""Models, fairness of the best model beyond its errors: does it use the protected attribute itself
(ml.counterfactual_flips), is it calibrated for every group (ml.prediction_calibration_by_group), and
how sure are its between-group gaps (the bootstrap intervals of ml.prediction_fairness_summary)?"""

from __future__ import annotations

from reports import model_fairness_charts
from reports.page import Column, as_int, decimals, number
from reports.sections.common import BREAKDOWN_ATTRIBUTES, Block, ReportSettings, share, whole
from reports.sections.model_output import require_model_output
from reports.warehouse_reader import Unavailable, WarehouseReader

FLIP_COLUMNS = ["feature_set", "model_name", "attribute", "group_value", "counterfactual_group", "n",
                "mean_change", "relative_change", "flip_up_rate", "flip_down_rate"]
CALIBRATION_COLUMNS = ["feature_set", "attribute", "group_value", "prediction_bin", "n", "mean_prediction",
                       "mean_actual"]
GAP_COLUMNS = ["feature_set", "model_name", "attribute", "gap", "value", "ci_low", "ci_high"]
# the chart's attributes: few groups, so every ordered pair is a readable bar
FLIP_ATTRIBUTES = (*BREAKDOWN_ATTRIBUTES, "label_type")
COUNTERFACTUALS = Block("counterfactual-flips", "Does the best model use the protected attribute itself?")
CALIBRATION = Block("calibration-by-group", "Calibration of the best model by group")
GAP_INTERVALS = Block("model-gap-intervals", "Between-group gaps of the best model with bootstrap intervals")
UNAWARE = Block("unaware-comparison", "Fairness through unawareness: the unaware feature set")


def counterfactual_chart(reader: WarehouseReader, settings: ReportSettings, block: Block):
    require_model_output(reader, "ml.counterfactual_flips", FLIP_COLUMNS, "regression")
    flips = reader.select("reporting.best_model_counterfactual_flips", FLIP_COLUMNS,
                          where={"attribute": FLIP_ATTRIBUTES},
                          order_by=("feature_set", "attribute", "group_value", "counterfactual_group"))
    if flips.empty:
        raise Unavailable("no best model has a protected attribute's code among its inputs")
    cap = settings.phrase("counterfactual_max_rows", whole)
    return block.chart(model_fairness_charts.counterfactual_changes(flips),
                       "Each bar re-scores the test artists of the first group with only the attribute's code set to "
                       "the second group's, everything else unchanged (scaled as the model's inputs are), and shows "
                       "the mean change of the prediction. A bar at zero: the model ignores the attribute. At most "
                       f"{cap} test rows are re-scored (var counterfactual_max_rows). ml.counterfactual_flips has "
                       "every model, attribute and pair, with the flip rates at the high-success threshold; "
                       "ml.counterfactual_summary says per model whether it uses the attribute at all.")


def calibration_chart(reader: WarehouseReader, block: Block):
    require_model_output(reader, "ml.prediction_calibration_by_group", CALIBRATION_COLUMNS, "regression")
    bins = reader.select("reporting.best_model_calibration", CALIBRATION_COLUMNS,
                         where={"attribute": BREAKDOWN_ATTRIBUTES},
                         order_by=("feature_set", "attribute", "group_value", "prediction_bin"))
    if bins.empty:
        raise Unavailable("the notebook's best model has no test-split calibration bins")
    return block.chart(model_fairness_charts.calibration_curves(bins),
                       "The test artists are binned by deciles of the prediction (pandas' qcut over the whole test "
                       "split); each line is one group's mean actual against its mean prediction in those bins. On "
                       "the dashed diagonal the model is calibrated; a group whose line runs above another's at the "
                       "same predicted level is under-predicted there.")


def gap_table(reader: WarehouseReader, settings: ReportSettings, block: Block):
    require_model_output(reader, "ml.prediction_fairness_summary", ["mae_difference_ci_low"], "regression")
    gaps = reader.select("reporting.best_model_gap_intervals", GAP_COLUMNS,
                         where={"attribute": BREAKDOWN_ATTRIBUTES},
                         order_by=("feature_set", "attribute", "gap_position"))
    confidence = settings.phrase("rate_interval_confidence", share)
    draws = settings.phrase("model_fairness_bootstrap_draws", whole)
    return block.table(gaps, [
        Column("feature_set", "Feature set"), Column("model_name", "Model"), Column("attribute", "Attribute"),
        Column("gap", "Gap"), number("value", "Value", decimals(3)),
        number("ci_low", f"{confidence} low", decimals(3)), number("ci_high", f"{confidence} high", decimals(3)),
    ], caption=f"Each gap is the largest minus the smallest group value (Fairlearn's between-groups difference; "
               f"MAE and RMSE in listeners, the others shares of artists), with its {confidence} interval from "
               f"{draws} bootstrap resamples of the test rows (Fairlearn's MetricFrame n_boot draws). An interval "
               "that reaches down to the small values sampling noise alone gives is no evidence of a gap.")


def unaware_table(reader: WarehouseReader, model_name: str, block: Block):
    """The unaware set's group MAE beside the no_leakage set's, for the unaware set's best model."""
    groups = reader.select("ml.prediction_group_metrics", ["feature_set", "attribute", "group_value", "mae"],
                           where={"model_name": model_name, "attribute": BREAKDOWN_ATTRIBUTES})
    wide = groups.pivot_table(index=["attribute", "group_value"], columns="feature_set", values="mae").reset_index()
    if "no_leakage" not in wide:
        raise Unavailable("the no_leakage feature set was not trained, so there is nothing to compare with")
    wide["change"] = wide["unaware"] - wide["no_leakage"]
    wide["model_name"] = model_name
    return block.table(wide, [
        Column("model_name", "Model"), Column("attribute", "Attribute"), Column("group_value", "Group"),
        number("no_leakage", "MAE, no_leakage", as_int), number("unaware", "MAE, unaware", as_int),
        number("change", "Change", as_int),
    ], caption="Removing every protected attribute's code from the inputs (the unaware feature set against "
               "no_leakage, the same model) changes each group's MAE by the last column, in listeners: fairness "
               "through unawareness, which still leaves any proxy of the attribute among the other inputs.")


def unaware_blocks(reader: WarehouseReader) -> list:
    """The unaware comparison, when the build trained that (opt-in) feature set; nothing otherwise."""
    try:
        best = reader.select("reporting.best_models", ["feature_set", "model_name"], where={"feature_set": "unaware"})
    except Unavailable:
        return []
    return [UNAWARE.draw(lambda block, model_name=model_name: unaware_table(reader, model_name, block))
            for model_name in best["model_name"].head(1)]


def model_fairness_blocks(reader: WarehouseReader, settings: ReportSettings) -> list:
    return [
        COUNTERFACTUALS.draw(lambda block: counterfactual_chart(reader, settings, block)),
        CALIBRATION.draw(lambda block: calibration_chart(reader, block)),
        GAP_INTERVALS.draw(lambda block: gap_table(reader, settings, block)),
        *unaware_blocks(reader),
    ]
