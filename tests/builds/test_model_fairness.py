"""ml.prediction_group_metrics and ml.prediction_fairness_summary equal Fairlearn on the warehouse's rows.

Fairlearn's MetricFrame (and its demographic parity, equalized odds and equal opportunity functions)
runs here on the test split of ml.model_predictions joined to the artists' attributes, with the
label and the selection thresholded at the target's high-success percentile computed here from
features.artist_features. Two warehouses: the workshop build, whose groups of one artist exercise
every undefined metric, and the planted-bias build (tests/planted_bias.py), whose Male Latino
artists' target carries a raise no feature explains.
"""

from __future__ import annotations

import itertools
import warnings
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd
import pytest
import yaml
from fairlearn.metrics import (
    MetricFrame,
    count,
    demographic_parity_difference,
    demographic_parity_ratio,
    equal_opportunity_difference,
    equalized_odds_difference,
    equalized_odds_ratio,
    false_negative_rate,
    false_positive_rate,
    mean_prediction,
    selection_rate,
    true_positive_rate,
)
from sklearn.metrics import mean_absolute_error, precision_score, r2_score, root_mean_squared_error
from statsmodels.stats.proportion import proportion_confint
from statsmodels.stats.weightstats import DescrStatsW

from tests.conftest import REPO_ROOT, query_df
from tests.non_finite import non_finite_values
from tests.parity import SQL_RTOL
from tests.planted_bias import BOUNDED_GROUP_LOSS_MAX_MAE, PLANTED_GROUP
from warehouse.settings.derived import fairness_attributes

VARS = yaml.safe_load((REPO_ROOT / "dbt_project" / "dbt_project.yml").read_text())["vars"]
ATTRIBUTES = fairness_attributes(VARS)
ALPHA = 1 - VARS["rate_interval_confidence"]
LINEAR_MODELS = ["Linear Regression", "Ridge Regression", "Lasso Regression"]
# ml.prediction_group_metrics' value columns and the flag that says why each is null
NULL_REASONS = {
    "mean_error_ci_low": "error_intervals_undefined", "mean_error_ci_high": "error_intervals_undefined",
    "mae_ci_low": "error_intervals_undefined", "mae_ci_high": "error_intervals_undefined",
    "r2": "r2_undefined", "true_positive_rate": "true_positive_rate_undefined",
    "false_positive_rate": "false_positive_rate_undefined",
    "false_negative_rate": "false_negative_rate_undefined", "precision": "precision_undefined",
}


def assert_close(actual, expected, case):
    np.testing.assert_allclose(np.asarray(actual, dtype=float), np.asarray(expected, dtype=float),
                               rtol=SQL_RTOL, atol=0, err_msg=str(case))


def finite_or_nan(value) -> float:
    """Fairlearn's ratio divides by a group_max of 0 and gives NaN or infinity: null in the tables."""
    return float(value) if np.isfinite(value) else np.nan


def r2_or_nan(y_true, y_pred) -> float:
    """sklearn's R2 without force_finite's stand-ins (1 or 0) where SS_tot is 0."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return finite_or_nan(r2_score(y_true, y_pred, force_finite=False))


def precision_or_nan(y_true, y_pred) -> float:
    return float(precision_score(y_true, y_pred, zero_division=np.nan))


def rate_or_nan(rate, condition):
    """A Fairlearn rate, NaN where its denominator is empty (Fairlearn itself reports 0 there)."""
    def metric(y_true, y_pred) -> float:
        return rate(y_true, y_pred) if condition(np.asarray(y_true)).any() else np.nan
    return metric


def is_positive(labels):
    return labels == 1


def is_negative(labels):
    return labels == 0


REGRESSION_METRICS = {
    "n": count,
    "mean_actual": lambda y, p: float(np.mean(y)),
    "mean_prediction": mean_prediction,
    "mean_error": lambda y, p: float(np.mean(y - p)),
    "rmse": root_mean_squared_error,
    "mae": mean_absolute_error,
    "r2": r2_or_nan,
    "share_under_predicted": lambda y, p: float(np.mean(y > p)),
    "share_over_predicted": lambda y, p: float(np.mean(y < p)),
}
CLASSIFICATION_METRICS = {
    "positive_n": lambda y, p: int(np.sum(y)),
    "selected_n": lambda y, p: int(np.sum(p)),
    "selection_rate": selection_rate,
    "true_positive_rate": true_positive_rate,
    "false_positive_rate": false_positive_rate,
    "false_negative_rate": false_negative_rate,
    "precision": precision_or_nan,
}
# Fairlearn's rates over the positives (or negatives) are 0 for a group that has none; the table's are null
DENOMINATOR_OF = {"true_positive_rate": is_positive, "false_negative_rate": is_positive,
                  "false_positive_rate": is_negative}


@dataclass(frozen=True)
class Warehouse:
    predictions: pd.DataFrame  # test split: feature_set, model_name, actual, predicted, one column per attribute
    threshold: float
    groups: pd.DataFrame
    summary: pd.DataFrame
    attributes: tuple[str, ...]  # the attributes the parity tests compare

    def cases(self):
        keys = self.predictions[["feature_set", "model_name"]].drop_duplicates().itertuples(index=False)
        return [(feature_set, model, attribute) for (feature_set, model), attribute
                in itertools.product(sorted(keys), self.attributes)]

    def case_rows(self, feature_set, model, attribute):
        rows = self.predictions[(self.predictions["feature_set"] == feature_set)
                                & (self.predictions["model_name"] == model)]
        rows = rows[rows[attribute].notna()]
        actual, predicted = rows["actual"].to_numpy(float), rows["predicted"].to_numpy(float)
        labels = (actual >= self.threshold).astype(int)
        selections = (predicted >= self.threshold).astype(int)
        return actual, predicted, labels, selections, rows[attribute].to_numpy()

    def group_rows(self, feature_set, model, attribute) -> pd.DataFrame:
        groups = self.groups
        chosen = groups[(groups["feature_set"] == feature_set) & (groups["model_name"] == model)
                        & (groups["attribute"] == attribute) & groups["group_value"].notna()]
        return chosen.set_index("group_value").sort_index()

    def summary_row(self, feature_set, model, attribute) -> pd.Series:
        summary = self.summary
        rows = summary[(summary["feature_set"] == feature_set) & (summary["model_name"] == model)
                       & (summary["attribute"] == attribute)]
        assert len(rows) == 1, (feature_set, model, attribute)
        return rows.iloc[0]


def read_warehouse(db_path, attributes=tuple(ATTRIBUTES)) -> Warehouse:
    attribute_columns = ", ".join(f'artists."{attribute}"::varchar as "{attribute}"' for attribute in ATTRIBUTES)
    target = VARS["model_target"]
    with duckdb.connect(str(db_path), read_only=True) as con:
        predictions = query_df(con, f"""
            select predictions.feature_set, predictions.model_name, predictions.actual, predictions.predicted,
                   {attribute_columns}
            from ml.model_predictions as predictions
            inner join features.artist_features as artists on predictions.artist_id = artists.artist_id
            where predictions.split = 'test'""")
        targets = query_df(con, f'select "{target}" from features.artist_features')[target]
        groups = query_df(con, "select * from ml.prediction_group_metrics")
        summary = query_df(con, "select * from ml.prediction_fairness_summary")
    threshold = float(np.percentile(targets.to_numpy(float), VARS["high_success_percentile"]))
    return Warehouse(predictions, threshold, groups, summary, attributes)


# every attribute of the workshop build (its tiny groups make every metric undefined somewhere); on
# the planted build's larger groups, one attribute and one intersection (Fairlearn costs ~70 ms a call)
PARITY_ATTRIBUTES = {"workshop_db": tuple(ATTRIBUTES), "planted_db": ("gender", "gender_ethnicity")}


@pytest.fixture(scope="module", params=list(PARITY_ATTRIBUTES))
def warehouse_rows(request) -> Warehouse:
    return read_warehouse(request.getfixturevalue(request.param), PARITY_ATTRIBUTES[request.param])


@pytest.fixture(scope="module")
def workshop_rows(workshop_db) -> Warehouse:
    return read_warehouse(workshop_db)


@pytest.fixture(scope="module")
def planted_rows(planted_db) -> Warehouse:
    return read_warehouse(planted_db)


def test_every_model_feature_set_and_attribute_is_covered(warehouse_rows):
    cases = warehouse_rows.cases()
    assert {feature_set for feature_set, _, _ in cases} == set(VARS["train_feature_sets"])
    assert {model for _, model, _ in cases} == set(VARS["model_names"])
    every_attribute = [(feature_set, model, attribute) for feature_set, model in {case[:2] for case in cases}
                       for attribute in ATTRIBUTES]
    summary_keys = warehouse_rows.summary[["feature_set", "model_name", "attribute"]].itertuples(index=False)
    assert sorted(map(tuple, summary_keys)) == sorted(every_attribute)
    group_attributes = warehouse_rows.groups[["feature_set", "model_name", "attribute"]].drop_duplicates()
    assert sorted(map(tuple, group_attributes.itertuples(index=False))) == sorted(every_attribute)
    assert "gender_ethnicity" in ATTRIBUTES


def test_group_regression_metrics_equal_metric_frame_by_group(warehouse_rows):
    for case in warehouse_rows.cases():
        actual, predicted, _, _, sensitive = warehouse_rows.case_rows(*case)
        frame = MetricFrame(metrics=REGRESSION_METRICS, y_true=actual, y_pred=predicted,
                            sensitive_features=pd.Series(sensitive, name="group_value"))
        expected = frame.by_group.sort_index()
        groups = warehouse_rows.group_rows(*case)
        assert list(groups.index) == list(expected.index), case
        for metric in REGRESSION_METRICS:
            assert_close(groups[metric], expected[metric], (case, metric))


def test_group_classification_metrics_equal_metric_frame_by_group(warehouse_rows):
    for case in warehouse_rows.cases():
        _, _, labels, selections, sensitive = warehouse_rows.case_rows(*case)
        frame = MetricFrame(metrics=CLASSIFICATION_METRICS, y_true=labels, y_pred=selections,
                            sensitive_features=pd.Series(sensitive, name="group_value"))
        expected = frame.by_group.sort_index()
        groups = warehouse_rows.group_rows(*case)
        assert_close(groups["threshold"], [warehouse_rows.threshold] * len(groups), case)
        for metric in CLASSIFICATION_METRICS:
            if metric in DENOMINATOR_OF:
                # where the table says undefined, Fairlearn's stand-in is 0
                undefined = groups[f"{metric}_undefined"].to_numpy(bool)
                assert (expected.loc[undefined, metric] == 0).all(), (case, metric)
                expected.loc[undefined, metric] = np.nan
            assert_close(groups[metric], expected[metric], (case, metric))


def test_undefined_rates_are_the_groups_with_an_empty_denominator(warehouse_rows):
    groups = warehouse_rows.groups
    assert (groups["true_positive_rate_undefined"] == (groups["positive_n"] == 0)).all()
    assert (groups["false_positive_rate_undefined"] == (groups["positive_n"] == groups["n"])).all()
    assert (groups["precision_undefined"] == (groups["selected_n"] == 0)).all()
    assert (groups["error_intervals_undefined"] == (groups["n"] < 2)).all()


def accuracy_frame(actual, predicted, sensitive) -> MetricFrame:
    return MetricFrame(metrics={"mae": mean_absolute_error, "rmse": root_mean_squared_error, "r2": r2_or_nan,
                                "mean_prediction": mean_prediction},
                       y_true=actual, y_pred=predicted, sensitive_features=sensitive)


def test_summary_group_loss_comparisons_equal_metric_frame(warehouse_rows):
    for case in warehouse_rows.cases():
        actual, predicted, _, _, sensitive = warehouse_rows.case_rows(*case)
        frame = accuracy_frame(actual, predicted, sensitive)
        row = warehouse_rows.summary_row(*case)
        for metric in ("mae", "rmse", "r2"):
            assert_close(row[f"{metric}_group_max"], frame.group_max()[metric], (case, metric))
            assert_close(row[f"{metric}_group_min"], frame.group_min()[metric], (case, metric))
            assert_close(row[f"{metric}_difference"], frame.difference()[metric], (case, metric))
            assert_close(row[f"{metric}_ratio"], finite_or_nan(frame.ratio()[metric]), (case, metric))
        by_group = frame.by_group.sort_index()
        assert row["mae_worst_group"] == by_group["mae"].idxmax(), case
        assert row["rmse_worst_group"] == by_group["rmse"].idxmax(), case
        assert row["r2_worst_group"] == by_group["r2"].idxmin(), case
        assert_close(row["mean_prediction_difference"], frame.difference()["mean_prediction"], case)
        assert_close(row["mean_prediction_ratio"], finite_or_nan(frame.ratio()["mean_prediction"]), case)


def test_summary_demographic_parity_equals_fairlearn(warehouse_rows):
    for case in warehouse_rows.cases():
        _, _, labels, selections, sensitive = warehouse_rows.case_rows(*case)
        row = warehouse_rows.summary_row(*case)
        assert_close(row["demographic_parity_difference"],
                     demographic_parity_difference(labels, selections, sensitive_features=sensitive), case)
        assert_close(row["demographic_parity_ratio"],
                     finite_or_nan(demographic_parity_ratio(labels, selections, sensitive_features=sensitive)), case)


def worst_defined(values: pd.Series, worst) -> float:
    defined = values.dropna()
    return float(worst(defined)) if len(defined) else np.nan


def nan_aware_equalized_odds(labels, selections, sensitive) -> tuple[float, float, float]:
    """equalized_odds_difference / ratio (worst case) and equal_opportunity_difference as Fairlearn
    computes them (MetricFrame of the two rates, difference() and ratio(), then the worst part), with
    a group's undefined rate left out instead of counted as 0, and an undefined part left out."""
    frame = MetricFrame(metrics={"tpr": rate_or_nan(true_positive_rate, is_positive),
                                 "fpr": rate_or_nan(false_positive_rate, is_negative)},
                        y_true=labels, y_pred=selections, sensitive_features=sensitive)
    differences = frame.difference()
    ratios = frame.ratio().map(finite_or_nan)
    return worst_defined(differences, max), worst_defined(ratios, min), differences["tpr"]


def test_summary_equalized_odds_and_equal_opportunity_equal_fairlearn(warehouse_rows):
    """Where every group has positives and negatives, Fairlearn's own functions give the same
    numbers; its equalized_odds_ratio is NaN where the true positive part is 0 / 0 (its builtin min
    keeps a leading NaN), and the table keeps the false positive part there."""
    direct = 0
    for case in warehouse_rows.cases():
        _, _, labels, selections, sensitive = warehouse_rows.case_rows(*case)
        row = warehouse_rows.summary_row(*case)
        columns = ["equalized_odds_difference", "equalized_odds_ratio", "equal_opportunity_difference"]
        assert_close(row[columns], nan_aware_equalized_odds(labels, selections, sensitive), case)
        every_rate_defined = all(
            (labels[sensitive == group] == 1).any() and (labels[sensitive == group] == 0).any()
            for group in np.unique(sensitive))
        if not every_rate_defined:
            assert row["groups_without_positives"] + row["groups_without_negatives"] > 0, case
            continue
        direct += 1
        assert_close(row["equalized_odds_difference"],
                     equalized_odds_difference(labels, selections, sensitive_features=sensitive), case)
        assert_close(row["equal_opportunity_difference"],
                     equal_opportunity_difference(labels, selections, sensitive_features=sensitive), case)
        fairlearn_ratio = equalized_odds_ratio(labels, selections, sensitive_features=sensitive)
        if np.isfinite(fairlearn_ratio):
            assert_close(row["equalized_odds_ratio"], fairlearn_ratio, case)
    assert direct > 0


def test_overall_accuracy_is_sklearn_on_the_test_split(warehouse_rows):
    for feature_set, model, _ in warehouse_rows.cases():
        actual, predicted, *_ = warehouse_rows.case_rows(feature_set, model, "gender")
        row = warehouse_rows.summary_row(feature_set, model, "gender")
        assert_close([row["rmse"], row["r2"]],
                     [root_mean_squared_error(actual, predicted), r2_score(actual, predicted)], (feature_set, model))


def group_values(warehouse: Warehouse, feature_set, model, attribute, group):
    actual, predicted, _, selections, sensitive = warehouse.case_rows(feature_set, model, attribute)
    chosen = sensitive == group
    return actual[chosen] - predicted[chosen], selections[chosen]


def test_intervals_equal_statsmodels(warehouse_rows):
    groups = warehouse_rows.groups
    for row in groups[groups["group_value"].notna()].itertuples(index=False):
        case = (row.feature_set, row.model_name, row.attribute, row.group_value)
        errors, selections = group_values(warehouse_rows, *case)
        # probabilities: statsmodels' bound at 0 (or all) selected is 0 (or 1) give or take 1e-17
        np.testing.assert_allclose(
            [row.selection_rate_ci_low, row.selection_rate_ci_high],
            proportion_confint(int(selections.sum()), len(selections), alpha=ALPHA, method="wilson"),
            rtol=SQL_RTOL, atol=1e-15, err_msg=str(case))
        if len(errors) < 2:
            continue
        assert_close([row.mean_error_ci_low, row.mean_error_ci_high],
                     DescrStatsW(errors).zconfint_mean(alpha=ALPHA), case)
        assert_close([row.mae_ci_low, row.mae_ci_high], DescrStatsW(np.abs(errors)).zconfint_mean(alpha=ALPHA), case)


def test_every_null_has_its_reason(warehouse_rows):
    groups = warehouse_rows.groups
    for column, flag in NULL_REASONS.items():
        assert (groups[column].isna() == groups[flag]).all(), column
    summary = warehouse_rows.summary
    for column, flag in {"mae_ratio": "mae_ratio_undefined", "rmse_ratio": "rmse_ratio_undefined",
                         "r2_ratio": "r2_ratio_undefined", "r2_group_max": "r2_by_group_undefined",
                         "mean_prediction_ratio": "mean_prediction_ratio_undefined",
                         "demographic_parity_ratio": "demographic_parity_ratio_undefined",
                         "equalized_odds_difference": "equalized_odds_undefined",
                         "equalized_odds_ratio": "equalized_odds_ratio_undefined",
                         "equal_opportunity_difference": "equal_opportunity_undefined"}.items():
        assert (summary[column].isna() == summary[flag]).all(), column


def test_degenerate_workshop_groups_are_null_with_a_reason(workshop_rows):
    groups = workshop_rows.groups
    one_artist = groups[groups["n"] == 1]
    assert len(one_artist) > 0
    assert one_artist[["mean_error_ci_low", "mae_ci_high", "r2"]].isna().all().all()
    assert one_artist[["error_intervals_undefined", "r2_undefined"]].all().all()
    nobody_positive = groups[groups["positive_n"] == 0]
    assert len(nobody_positive) > 0 and nobody_positive["true_positive_rate"].isna().all()
    nobody_selected = groups[groups["selected_n"] == 0]
    assert len(nobody_selected) > 0 and nobody_selected["precision"].isna().all()
    assert not groups["threshold_undefined"].any()


def test_bounded_group_loss_is_unset_by_default(workshop_rows):
    summary = workshop_rows.summary
    assert summary["bounded_group_loss_max_mae"].isna().all()
    assert summary["bounded_group_loss_ok"].isna().all()


def test_bounded_group_loss_holds_where_every_group_is_within_the_bound(planted_rows):
    summary = planted_rows.summary
    assert (summary["bounded_group_loss_max_mae"] == BOUNDED_GROUP_LOSS_MAX_MAE).all()
    expected = summary["mae_group_max"] <= BOUNDED_GROUP_LOSS_MAX_MAE
    assert (summary["bounded_group_loss_ok"].astype(bool) == expected).all()
    assert expected.any() and not expected.all()


@pytest.mark.parametrize(("feature_set", "model"),
                         list(itertools.product(VARS["train_feature_sets"], LINEAR_MODELS)))
def test_planted_group_is_the_worst_and_significantly_under_predicted(planted_rows, feature_set, model):
    row = planted_rows.summary_row(feature_set, model, "gender_ethnicity")
    assert row["mae_worst_group"] == row["rmse_worst_group"] == PLANTED_GROUP
    groups = planted_rows.group_rows(feature_set, model, "gender_ethnicity")
    planted, others = groups.loc[PLANTED_GROUP], groups.drop(index=PLANTED_GROUP)
    assert planted["mean_error_ci_low"] > 0
    assert planted["mean_error_ci_low"] > others["mean_error_ci_high"].max()
    assert planted["share_under_predicted"] == 1


def test_planted_warehouse_has_no_nan_or_infinity(planted_db):
    with duckdb.connect(str(planted_db), read_only=True) as con:
        assert non_finite_values(con) == {}
