"""The predictive-parity columns of ml.prediction_group_metrics and ml.prediction_fairness_summary,
ml.prediction_calibration_by_group and the gap intervals, proven on the warehouse's own test rows.

Fairlearn's MetricFrame with scikit-learn's metrics (false discovery and omission rates, negative
predictive value, accuracy; their between-group differences and ratios), AIF360's
average_odds_difference / average_odds_error on a group's and its reference group's rows, pandas'
qcut for the calibration bins and Fairlearn's MetricFrame(n_boot=, ci_quantiles=, random_state=)
for the intervals, each run here on ml.model_predictions joined to the artists' attributes.
"""

from __future__ import annotations

import warnings

import duckdb
import numpy as np
import pandas as pd
import pytest
from aif360.sklearn.metrics import average_odds_difference, average_odds_error
from fairlearn.metrics import MetricFrame, selection_rate, true_positive_rate
from sklearn.metrics import accuracy_score, mean_absolute_error, precision_score, root_mean_squared_error

from tests.builds.test_model_fairness import PARITY_ATTRIBUTES, VARS, assert_close, read_warehouse
from tests.conftest import query_df
from tests.parity import SQL_RTOL

PARITY_RATES = ("false_discovery_rate", "false_omission_rate", "negative_predictive_value", "accuracy")


def precision_of(pos_label):
    def metric(y_true, y_pred) -> float:
        return float(precision_score(y_true, y_pred, pos_label=pos_label, zero_division=np.nan))
    return metric


PARITY_METRICS = {
    "false_discovery_rate": lambda y, p: 1 - precision_of(1)(y, p),
    # precision of the negative class is the negative predictive value
    "negative_predictive_value": precision_of(0),
    "false_omission_rate": lambda y, p: 1 - precision_of(0)(y, p),
    "accuracy": accuracy_score,
}


@pytest.fixture(scope="module", params=list(PARITY_ATTRIBUTES))
def warehouse_rows(request):
    return read_warehouse(request.getfixturevalue(request.param), PARITY_ATTRIBUTES[request.param])


def parity_frame(labels, selections, sensitive) -> MetricFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return MetricFrame(metrics=PARITY_METRICS, y_true=labels, y_pred=selections,
                           sensitive_features=pd.Series(sensitive, name="group_value"))


def test_group_predictive_parity_equals_metric_frame_with_sklearn(warehouse_rows):
    checked = 0
    for case in warehouse_rows.cases():
        _, _, labels, selections, sensitive = warehouse_rows.case_rows(*case)
        expected = parity_frame(labels, selections, sensitive).by_group.sort_index()
        groups = warehouse_rows.group_rows(*case)
        for rate in PARITY_RATES:
            assert_close(groups[rate], expected[rate], (case, rate))
            assert (groups[f"{rate}_undefined"] == groups[rate].isna()).all(), (case, rate)
            checked += int(groups[rate].notna().sum())
    assert checked > 0


def test_summary_predictive_parity_is_metric_frames_between_groups(warehouse_rows):
    for case in warehouse_rows.cases():
        _, _, labels, selections, sensitive = warehouse_rows.case_rows(*case)
        frame = parity_frame(labels, selections, sensitive)
        row = warehouse_rows.summary_row(*case)
        comparable = row["not_comparable_reason"] is None or pd.isna(row["not_comparable_reason"])
        for rate in PARITY_RATES:
            difference = frame.difference()[rate] if comparable else np.nan
            ratio = frame.ratio()[rate] if comparable and frame.group_max()[rate] > 0 else np.nan
            assert_close(row[f"{rate}_difference"], difference, (case, rate))
            assert_close(row[f"{rate}_ratio"], ratio, (case, rate))


def test_average_odds_equal_aif360_against_the_reference_group(warehouse_rows):
    checked = 0
    for case in warehouse_rows.cases():
        _, _, labels, selections, sensitive = warehouse_rows.case_rows(*case)
        groups = warehouse_rows.group_rows(*case)
        for group_value, row in groups.iterrows():
            reference = row["reference_group"]
            if row["average_odds_undefined"]:
                assert pd.isna(row["average_odds_difference"]) and pd.isna(row["average_odds_error"])
                continue
            if group_value == reference:
                assert row["average_odds_difference"] == 0 and row["average_odds_error"] == 0
                continue
            pair = np.isin(sensitive, [group_value, reference])
            y_true = pd.Series(labels[pair], index=pd.Index(sensitive[pair], name="group"))
            odds = {"prot_attr": "group", "priv_group": reference}
            assert_close(row["average_odds_difference"], average_odds_difference(y_true, selections[pair], **odds),
                         (case, group_value))
            assert_close(row["average_odds_error"], average_odds_error(y_true, selections[pair], **odds),
                         (case, group_value))
            checked += 1
    assert checked > 0


def test_reference_group_is_group_outcomes_and_never_undisclosed(planted_db):
    with duckdb.connect(str(planted_db), read_only=True) as con:
        mismatched = query_df(con, f"""
            select metrics.attribute, metrics.reference_group, outcomes.reference_group as expected
            from ml.prediction_group_metrics as metrics
            inner join (select distinct attribute, reference_group from fairness.group_outcomes
                        where outcome = '{VARS["model_target"]}') as outcomes
                on metrics.attribute = outcomes.attribute
            where metrics.group_value is not null
              and metrics.reference_group is distinct from outcomes.reference_group""")
        undisclosed_references = query_df(con, """
            select * from fairness.group_outcomes where is_reference_group and is_undisclosed""")
    assert mismatched.empty and undisclosed_references.empty


def test_calibration_bins_equal_pandas_qcut(warehouse_rows, request):
    db = warehouse_rows
    calibration = calibration_table(request)
    for case in db.cases():
        feature_set, model, attribute = case
        rows = db.predictions[(db.predictions["feature_set"] == feature_set)
                              & (db.predictions["model_name"] == model)].copy()
        bins = pd.qcut(rows["predicted"], 10, duplicates="drop")
        rows["prediction_bin"] = bins.cat.codes + 1
        rows["error"] = rows["actual"] - rows["predicted"]
        rows = rows[rows[attribute].notna()]
        expected = rows.groupby([attribute, "prediction_bin"]).agg(
            n=("actual", "size"), mean_prediction=("predicted", "mean"), mean_actual=("actual", "mean"),
            mean_error=("error", "mean")).reset_index()
        got = calibration[(calibration["feature_set"] == feature_set) & (calibration["model_name"] == model)
                          & (calibration["attribute"] == attribute)].sort_values(["group_value", "prediction_bin"])
        assert list(got["group_value"]) == list(expected[attribute]), case
        assert list(got["prediction_bin"]) == list(expected["prediction_bin"]), case
        assert list(got["n"]) == list(expected["n"]), case
        edges = bins.cat.categories
        assert_close(got["bin_high"], edges.right[got["prediction_bin"] - 1], case)
        for column in ("mean_prediction", "mean_actual", "mean_error"):
            np.testing.assert_allclose(got[column], expected[column], rtol=SQL_RTOL,
                                       atol=SQL_RTOL * float(rows["actual"].abs().max()), err_msg=str(case))


def calibration_table(request) -> pd.DataFrame:
    db_fixture = request.node.callspec.params["warehouse_rows"]
    with duckdb.connect(str(request.getfixturevalue(db_fixture)), read_only=True) as con:
        return query_df(con, "select * from ml.prediction_calibration_by_group")


def test_gap_intervals_equal_fairlearns_bootstrap(warehouse_rows, request):
    """The resampled rows are the model's test rows with a group, in artist_id order (the workshop
    and planted builds have fewer test rows than var counterfactual_max_rows, so all of them)."""
    db_fixture = request.node.callspec.params["warehouse_rows"]
    attributes = ", ".join(f'artists."{a}"::varchar as "{a}"' for a in warehouse_rows.attributes)
    with duckdb.connect(str(request.getfixturevalue(db_fixture)), read_only=True) as con:
        ordered = query_df(con, f"""
            select predictions.feature_set, predictions.model_name, predictions.artist_id, predictions.actual,
                   predictions.predicted, {attributes}
            from ml.model_predictions as predictions
            inner join features.artist_features as artists on predictions.artist_id = artists.artist_id
            where predictions.split = 'test' order by predictions.artist_id""")
    quantiles = [(1 - VARS["rate_interval_confidence"]) / 2, (1 + VARS["rate_interval_confidence"]) / 2]
    draws = VARS["model_fairness_bootstrap_draws"]
    for feature_set, model, attribute in warehouse_rows.cases()[:6]:
        rows = ordered[(ordered["feature_set"] == feature_set) & (ordered["model_name"] == model)
                       & ordered[attribute].notna()].reset_index(drop=True)
        row = warehouse_rows.summary_row(feature_set, model, attribute)
        common = dict(sensitive_features=rows[attribute], n_boot=draws, ci_quantiles=quantiles,
                      random_state=VARS["random_state"])
        losses = MetricFrame(metrics={"mae": mean_absolute_error, "rmse": root_mean_squared_error},
                             y_true=rows["actual"], y_pred=rows["predicted"], **common).difference_ci()
        labels = (rows["actual"] >= warehouse_rows.threshold).astype(int)
        selections = (rows["predicted"] >= warehouse_rows.threshold).astype(int)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rates = MetricFrame(metrics={"selection": selection_rate, "tpr": true_positive_rate},
                                y_true=labels, y_pred=selections, **common).difference_ci()
        case = (feature_set, model, attribute)
        if pd.isna(row["mae_difference"]):
            assert pd.isna(row["mae_difference_ci_low"]), case
            continue
        for gap, (intervals, metric) in {"mae_difference": (losses, "mae"), "rmse_difference": (losses, "rmse"),
                                         "demographic_parity_difference": (rates, "selection")}.items():
            assert_close([row[f"{gap}_ci_low"], row[f"{gap}_ci_high"]], [intervals[0][metric], intervals[1][metric]],
                         (case, gap))
        assert row["gap_interval_n"] == len(rows) and row["gap_interval_draws"] == draws
