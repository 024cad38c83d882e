"""The ml tables of the workshop warehouse equal the notebook's modelling and clustering cells.

The expected numbers come from tests/notebook_reference.py run here on the same CSV (relative 1e-6).
"""

import duckdb
import numpy as np
import pandas as pd
import pytest
import yaml

from tests import notebook_reference as nb
from tests.conftest import REPO_ROOT, query_df
from tests.parity import MODEL_RTOL

VARS = yaml.safe_load((REPO_ROOT / "dbt_project" / "dbt_project.yml").read_text())["vars"]
# the notebook's own Lasso(alpha=1.0) does not converge on this data; ml.model_metrics.converged says so
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def assert_close(actual, expected):
    np.testing.assert_allclose(np.asarray(actual, dtype=float), np.asarray(expected, dtype=float),
                               rtol=MODEL_RTOL, atol=0)


@pytest.fixture(scope="module")
def notebook(workshop_csv):
    df_engineered, le_gender, le_ethnicity, le_genre, _, le_label = nb.engineer_features(nb.load(workshop_csv))
    split = nb.split(df_engineered)
    model_results, results_df, best = nb.train_models(*split)
    X_train, X_test, y_train, y_test, *_ = split
    test_results, gender_bias, ethnicity_bias = nb.bias_tables(
        X_test, y_test, model_results[best]["predictions"], le_gender, le_ethnicity, le_genre, le_label)
    X_cluster_scaled, inertias = nb.elbow(df_engineered)
    kmeans, labels, cluster_summary, pca, X_pca, centers_pca = nb.clusters(df_engineered, X_cluster_scaled)
    return {
        "df": df_engineered, "results_df": results_df, "best": best, "X_test": X_test,
        "importance": nb.feature_importance(model_results, best),
        "bias": {"gender": gender_bias, "ethnicity": ethnicity_bias},
        "inertias": inertias, "labels": labels, "cluster_summary": cluster_summary, "pca": pca,
        "X_pca": X_pca, "centers_pca": centers_pca,
    }


@pytest.fixture(scope="module")
def tables(workshop_db):
    names = ["model_metrics", "model_predictions", "feature_importance", "prediction_bias_by_group",
             "cluster_elbow", "artist_clusters", "cluster_profiles", "pca_components", "model_step_log",
             "cluster_composition"]
    with duckdb.connect(str(workshop_db), read_only=True) as con:
        return {name: query_df(con, f"select * from ml.{name}") for name in names}


def notebook_set(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["feature_set"] == "notebook"]


@pytest.mark.parametrize(("column", "notebook_column"), [
    ("rmse", "RMSE"), ("mae", "MAE"), ("r2", "R²"), ("cv_r2_mean", "CV_R²_mean"), ("cv_r2_std", "CV_R²_std"),
])
def test_every_model_metric_equals_the_notebook(column, notebook_column, tables, notebook):
    metrics = notebook_set(tables["model_metrics"]).set_index("model_name")
    expected = notebook["results_df"][notebook_column]
    assert sorted(metrics.index) == sorted(expected.index)
    assert_close(metrics.loc[expected.index, column], expected)


def test_best_by_notebook_is_the_notebooks_best_model(tables, notebook):
    metrics = notebook_set(tables["model_metrics"])
    assert list(metrics.loc[metrics["best_by_notebook"], "model_name"]) == [notebook["best"]]


def test_best_by_cv_is_the_highest_mean_cv_r2(tables, notebook):
    for _, metrics in tables["model_metrics"].groupby("feature_set"):
        assert list(metrics.loc[metrics["best_by_cv"], "model_name"]) == [
            metrics.loc[metrics["cv_r2_mean"].idxmax(), "model_name"]]
    expected = notebook["results_df"]["CV_R²_mean"].idxmax()
    metrics = notebook_set(tables["model_metrics"])
    assert list(metrics.loc[metrics["best_by_cv"], "model_name"]) == [expected]


def test_test_split_is_the_notebooks(tables, notebook):
    predictions = notebook_set(tables["model_predictions"])
    expected_ids = set(notebook["df"].loc[notebook["X_test"].index, "artist_id"])
    for _, rows in predictions.groupby("model_name"):
        assert set(rows.loc[rows["split"] == "test", "artist_id"]) == expected_ids
        assert len(rows) == len(notebook["df"])


def test_best_models_importances_equal_the_notebook(tables, notebook):
    importance = tables["feature_importance"]
    best = importance[(importance["feature_set"] == "notebook") & (importance["model_name"] == notebook["best"])
                      & (importance["method"] != "permutation")].set_index("feature")
    expected = notebook["importance"].set_index("feature")["importance"]
    assert_close(best.loc[expected.index, "importance"], expected)
    assert list(best.sort_values("rank").index) == list(expected.index)


def test_permutation_importance_is_there_for_every_model_and_feature(tables):
    importance = tables["feature_importance"]
    permutation = importance[importance["method"] == "permutation"]
    assert set(permutation["feature_set"]) == set(VARS["train_feature_sets"])
    for feature_set in VARS["train_feature_sets"]:
        rows = permutation[permutation["feature_set"] == feature_set]
        assert len(rows) == len(VARS["feature_sets"][feature_set]) * len(VARS["model_names"])


@pytest.mark.parametrize("attribute", ["gender", "ethnicity"])
def test_error_by_group_equals_the_notebooks_bias_table(attribute, tables, notebook):
    bias = tables["prediction_bias_by_group"]
    rows = bias[(bias["feature_set"] == "notebook") & (bias["model_name"] == notebook["best"])
                & (bias["attribute"] == attribute)].set_index("group_value")
    expected = notebook["bias"][attribute]
    assert sorted(rows.index) == sorted(expected.index)
    rows = rows.loc[expected.index]
    assert_close(rows["error_mean"], expected[("error", "mean")])
    assert_close(rows["error_std"], expected[("error", "std")])
    assert_close(rows["abs_error_mean"], expected[("abs_error", "mean")])
    assert_close(rows["pct_error_mean"], expected[("pct_error", "mean")])


def test_elbow_inertias_equal_the_notebook(tables, notebook):
    elbow = tables["cluster_elbow"].sort_values("k")
    assert list(elbow["k"]) == list(range(VARS["elbow_k_min"], VARS["elbow_k_max"] + 1))
    assert_close(elbow["inertia"], notebook["inertias"])


def test_clusters_and_sizes_equal_the_notebook(tables, notebook):
    clusters = tables["artist_clusters"].set_index("artist_id")
    expected = pd.Series(notebook["labels"], index=notebook["df"]["artist_id"])
    assert (clusters.loc[expected.index, "cluster"].to_numpy() == expected.to_numpy()).all()
    profiles = tables["cluster_profiles"].set_index("cluster").sort_index()
    assert list(profiles["size"]) == list(np.bincount(notebook["labels"]))
    summary = notebook["cluster_summary"]
    for feature in VARS["cluster_features"]:
        assert_close(profiles[f"{feature}_mean"], summary[feature])
    assert_close(profiles["centre_pc1"], notebook["centers_pca"][:, 0])
    assert_close(profiles["centre_pc2"], notebook["centers_pca"][:, 1])
    assert_close(clusters.loc[expected.index, "pc1"], notebook["X_pca"][:, 0])


def test_pca_explained_variance_and_loadings_equal_the_notebook(tables, notebook):
    components = tables["pca_components"].sort_values("component")
    assert_close(components["explained_variance_ratio"], notebook["pca"].explained_variance_ratio_)
    for index, feature in enumerate(VARS["cluster_features"]):
        assert_close(components[f"{feature}_loading"], notebook["pca"].components_[:, index])


def test_cluster_composition_counts_equal_value_counts(tables, notebook):
    composition = tables["cluster_composition"]
    clustered = notebook["df"].assign(cluster=notebook["labels"])
    for attribute in ["gender", "ethnicity", "genre"]:
        expected = clustered.groupby(["cluster", attribute]).size()
        rows = composition[composition["attribute"] == attribute].set_index(["cluster", "group_value"])["n"]
        assert rows.sort_index().to_dict() == expected.sort_index().to_dict()


def test_no_leakage_set_does_not_see_listeners_per_year(tables):
    importance = tables["feature_importance"]
    no_leakage = importance[importance["feature_set"] == "no_leakage"]
    assert len(no_leakage) > 0
    assert "listeners_per_year" not in set(no_leakage["feature"])
    assert "listeners_per_year" in set(notebook_set(importance)["feature"])


def test_every_model_step_trained_on_the_workshop_data(tables):
    log = tables["model_step_log"]
    assert set(log["status"]) == {"trained"}
    assert len(log[log["step"] == "regression"]) == len(VARS["model_names"]) * len(VARS["train_feature_sets"])
