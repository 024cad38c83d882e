"""Models: the regressors' metrics, and the notebook's best model per feature set on the test split
(its choice is reporting.best_models; every view read here follows it)."""

from __future__ import annotations

import pandas as pd

from reports import charts, fairness_charts
from reports.page import Column, Section, as_int, decimals, number, yes_no
from reports.sections.common import (
    BREAKDOWN_ATTRIBUTES,
    Block,
    ReportSettings,
    box_caption,
    box_frames,
    count_word,
    ordinal,
    panel_sample_caption,
    share,
    whole,
)
from reports.sections.model_fairness import model_fairness_blocks
from reports.sections.model_output import require_model_output
from reports.warehouse_reader import Unavailable, WarehouseReader

METRIC_COLUMNS = ["feature_set", "model_name", "rmse", "mae", "r2", "cv_r2_mean", "cv_r2_std",
                  "best_by_notebook", "best_by_cv"]
PREDICTION_COLUMNS = ["feature_set", "model_name", "artist_id", "split", "actual", "predicted", "error", "pct_error"]
BIAS_COLUMNS = ["feature_set", "model_name", "attribute", "group_value", "n", "error_mean", "error_std",
                "abs_error_mean", "pct_error_mean"]
SAMPLE_COLUMNS = ["feature_set", "model_name", "artist_id", "actual", "predicted", "error", "gender", "panel_total"]
METRIC_LABELS = {"r2": "R² (test split)", "cv_r2_mean": "CV R² mean (training split)"}

MODELS = Block("models-unavailable", "Models")
METRICS = Block("model-metrics", "Model metrics per feature set")
METRICS_CHART = Block("model-metrics-chart", "Model metrics")
IMPORTANCE = Block("feature-importance", "Feature importance")
ACTUAL_VS_PREDICTED = Block("actual-vs-predicted", "Actual vs predicted by gender")
RESIDUALS = Block("residuals", "Residuals vs predicted")
BIAS = Block("prediction-bias", "Prediction error by group (notebook's best model, test split)")
FAIRNESS_GROUPS = Block("model-fairness-groups", "Model fairness: group loss and mean signed error")
FAIRNESS_TRADEOFF = Block("model-fairness-tradeoff", "Model fairness: accuracy against disparity")
GROUP_METRIC_COLUMNS = ["feature_set", "model_name", "attribute", "group_value", "n", "mae", "mae_ci_low",
                        "mae_ci_high", "mean_error", "mean_error_ci_low", "mean_error_ci_high"]
TRADEOFF_COLUMNS = ["feature_set", "model_name", "attribute", "r2", "equalized_odds_difference"]
MEASURE_LABELS = {"mae": "MAE (group loss)", "mean_error": "Mean signed error (actual − predicted)"}


def error_block(attribute: str) -> Block:
    return Block(f"error-by-{attribute}", f"Prediction error distribution by {attribute}")


def sampling_note(reader: WarehouseReader, settings: ReportSettings) -> str:
    """What a catalogue-scale build fitted on, said beside the metrics it produced."""
    sampled = reader.select("ml.model_metrics", ["fit_rows", "cv_rows", "n_train", "n_test"], where={"sampled": True})
    if sampled.empty:
        return ""
    first = sampled.iloc[0]
    cap = settings.phrase("ml_max_training_rows", whole)
    cv_cap = settings.phrase("ml_sampled_cv_rows", whole)
    return (f" On this input the models were fitted on a seeded sample of {whole(first['fit_rows'])} of the "
            f"{whole(first['n_train'])} training rows (var ml_max_training_rows = {cap}) and cross-validated on "
            f"{whole(first['cv_rows'])} of those (var ml_sampled_cv_rows = {cv_cap}), so the CV R² is that of "
            f"models fitted on fewer rows; they still scored every artist, and the test metrics cover all "
            f"{whole(first['n_test'])} test rows.")


def metrics_table(reader: WarehouseReader, settings: ReportSettings, block: Block):
    metrics = reader.select("ml.model_metrics", METRIC_COLUMNS, order_by=("feature_set", "r2 desc", "model_name"))
    folds = settings.phrase("cv_folds", whole)
    return block.table(metrics, [
        Column("feature_set", "Feature set"), Column("model_name", "Model"), number("rmse", "RMSE", as_int),
        number("mae", "MAE", as_int), number("r2", "R² (test)", decimals(4)),
        number("cv_r2_mean", "CV R² mean", decimals(4)), number("cv_r2_std", "CV R² std", decimals(4)),
        Column("best_by_notebook", "Best by test R² (notebook)", yes_no),
        Column("best_by_cv", "Best by CV R²", yes_no),
    ], caption="The notebook picks the model with the highest test R²; choosing on the test split overstates "
               f"how well it generalises, so the CV-best (mean {folds}-fold R² on the training split) is shown "
               "beside it." + sampling_note(reader, settings))


def metrics_chart(reader: WarehouseReader, block: Block):
    metrics = reader.select("reporting.model_r2_scores", ["feature_set", "model_name", "metric", "value"],
                            order_by=("feature_set", "model_name", "metric"))
    metrics["metric"] = metrics["metric"].map(METRIC_LABELS)
    return block.chart(charts.model_metrics(metrics))


def importance_chart(reader: WarehouseReader, block: Block):
    require_model_output(reader, "ml.feature_importance",
                         ["feature_set", "model_name", "feature", "method", "importance"], "regression")
    importance = reader.select("reporting.best_model_feature_importances",
                               ["feature_set", "model_name", "method", "feature", "importance"],
                               order_by=("feature_set", "importance desc"))
    if importance.empty:
        raise Unavailable("ml.feature_importance has no impurity or abs_coef rows for the notebook's best model")
    return block.chart(charts.feature_importance(importance),
                       "What the notebook plots: impurity importance for tree models, |coefficient| for linear ones; "
                       "ml.feature_importance also has permutation importance for every model.")


def prediction_sample(reader: WarehouseReader):
    require_model_output(reader, "ml.model_predictions", PREDICTION_COLUMNS, "regression")
    points = reader.select("reporting.best_model_test_prediction_sample", SAMPLE_COLUMNS,
                           order_by=("feature_set", "artist_id"))
    if points.empty:
        raise Unavailable("the notebook's best model has no test-split predictions")
    return points


def actual_vs_predicted_chart(reader: WarehouseReader, settings: ReportSettings, block: Block):
    points = prediction_sample(reader)
    return block.chart(charts.actual_vs_predicted(points), panel_sample_caption(settings, points, "feature_set"))


def residuals_chart(reader: WarehouseReader, settings: ReportSettings, block: Block):
    points = prediction_sample(reader)
    return block.chart(charts.residuals_vs_predicted(points), panel_sample_caption(settings, points, "feature_set"))


def error_by_group_chart(reader: WarehouseReader, settings: ReportSettings, attribute: str, block: Block):
    require_model_output(reader, "ml.model_predictions", PREDICTION_COLUMNS, "regression")
    stats, outliers = box_frames(reader, "pct_error", attribute)
    if stats.empty:
        raise Unavailable("the notebook's best model has no test-split percentage errors")
    return block.chart(
        charts.boxes(stats, outliers, attribute, "Percentage error (%)",
                     f"Prediction error distribution by {attribute} (test split)"),
        "Percentage error = (actual − predicted) / actual × 100, as the notebook's pct_error: above zero the "
        "model under-predicts the artist. " + box_caption(settings))


def bias_table(reader: WarehouseReader, block: Block):
    require_model_output(reader, "ml.prediction_bias_by_group", BIAS_COLUMNS, "regression")
    bias = reader.select("reporting.best_model_prediction_bias", BIAS_COLUMNS,
                         where={"attribute": BREAKDOWN_ATTRIBUTES},
                         order_by=("feature_set", "attribute", "group_value"))
    return block.table(bias, [
        Column("feature_set", "Feature set"), Column("model_name", "Model"), Column("attribute", "Attribute"),
        Column("group_value", "Group"), number("n", "Artists", as_int), number("error_mean", "Mean error", as_int),
        number("error_std", "Error std", as_int), number("abs_error_mean", "Mean |error|", as_int),
        number("pct_error_mean", "Mean % error", decimals(2)),
    ], caption="Error = actual − predicted: a positive mean means the model under-predicts the group. "
               "ml.prediction_bias_by_group has every model and every protected attribute.")


def group_measures(metrics: pd.DataFrame) -> pd.DataFrame:
    """One row per group and measure (MAE, mean signed error) with its interval, labelled by model."""
    frames = []
    for measure, label in MEASURE_LABELS.items():
        frame = metrics[["attribute", "group_value", "n"]].copy()
        frame["model"] = metrics["feature_set"] + ": " + metrics["model_name"]
        frame["measure"] = label
        frame["value"] = metrics[measure]
        frame["ci_low"] = metrics[f"{measure}_ci_low"]
        frame["ci_high"] = metrics[f"{measure}_ci_high"]
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def fairness_groups_chart(reader: WarehouseReader, settings: ReportSettings, block: Block):
    require_model_output(reader, "ml.prediction_group_metrics", GROUP_METRIC_COLUMNS, "regression")
    metrics = reader.select("reporting.best_model_group_metrics", GROUP_METRIC_COLUMNS,
                            where={"attribute": BREAKDOWN_ATTRIBUTES},
                            order_by=("feature_set", "attribute", "group_value"))
    if metrics.empty:
        raise Unavailable("the notebook's best model has no test-split group metrics")
    level = settings.phrase("rate_interval_confidence", share)
    return block.chart(fairness_charts.group_error_intervals(group_measures(metrics)),
                       f"Dots are each group's MAE and mean signed error, bars their {level} normal interval (none "
                       "for a group of one artist). A mean error above zero means the model under-predicts the "
                       "group; an interval clear of zero and of the other groups' is a systematic difference. "
                       "ml.prediction_group_metrics has every model and attribute, and the selection rates.")


def fairness_tradeoff_chart(reader: WarehouseReader, settings: ReportSettings, block: Block):
    require_model_output(reader, "ml.prediction_fairness_summary", TRADEOFF_COLUMNS, "regression")
    points = reader.select("ml.prediction_fairness_summary", TRADEOFF_COLUMNS,
                           where={"attribute": BREAKDOWN_ATTRIBUTES},
                           order_by=("attribute", "feature_set", "model_name"))
    percentile = settings.phrase("high_success_percentile", ordinal)
    return block.chart(fairness_charts.accuracy_vs_disparity(points),
                       f"The prediction picks an artist as high-success at or above the {percentile} percentile of "
                       "monthly listeners, as the label does. Equalized-odds difference is the larger gap between "
                       "groups in the share of qualified artists picked and of unqualified artists picked "
                       "(Fairlearn's); upper left is accurate and fair. A model without a defined difference is "
                       "not drawn. ml.prediction_fairness_summary has the other disparity measures per attribute.")


def how_to_read(settings: ReportSettings) -> list[str]:
    models = settings.elements("model_names")
    regressors = count_word(len(models)).capitalize() if models else "The"
    test_size = settings.number("test_size")
    split = (f"trained on {share(1 - test_size)} of the artists and scored on the other {share(test_size)}"
             if test_size is not None else "trained on a training split and scored on the test split (var test_size)")
    return [
        f"{regressors} regressors predict monthly listeners from the artist's features, {split}. R² is the share "
        "of variance explained (1 is perfect, below 0 is worse than the mean).",
        "The notebook's feature set includes listeners_per_year, which is monthly listeners divided by years active: "
        "the target leaks into the features, so its near-perfect scores are not evidence of predictability. The "
        "no_leakage feature set drops it and shows what the other features really explain.",
        "Charts show the notebook's best model of each feature set on the test split: points on the dashed line "
        "are perfect predictions; error boxes away from zero mean the model is systematically off for that group.",
    ]


def models(reader: WarehouseReader, settings: ReportSettings) -> Section:
    section = Section("models", "Models", how_to_read(settings))
    try:
        require_model_output(reader, "ml.model_metrics", METRIC_COLUMNS, "regression")
    except Unavailable as exc:
        section.blocks.append(MODELS.note(exc))
        return section
    section.blocks += [
        METRICS.draw(lambda block: metrics_table(reader, settings, block)),
        METRICS_CHART.draw(lambda block: metrics_chart(reader, block)),
        IMPORTANCE.draw(lambda block: importance_chart(reader, block)),
        ACTUAL_VS_PREDICTED.draw(lambda block: actual_vs_predicted_chart(reader, settings, block)),
        *(error_block(attribute).draw(lambda block, attribute=attribute: error_by_group_chart(
            reader, settings, attribute, block)) for attribute in BREAKDOWN_ATTRIBUTES),
        RESIDUALS.draw(lambda block: residuals_chart(reader, settings, block)),
        BIAS.draw(lambda block: bias_table(reader, block)),
        FAIRNESS_GROUPS.draw(lambda block: fairness_groups_chart(reader, settings, block)),
        FAIRNESS_TRADEOFF.draw(lambda block: fairness_tradeoff_chart(reader, settings, block)),
        *model_fairness_blocks(reader, settings),
    ]
    return section
