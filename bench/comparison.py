"""The warehouse's numbers against the notebook's, with the parity tests' tolerances (tests/parity.py)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from bench.results import Check
from tests.parity import MODEL_RTOL, SQL_RTOL, worst_relative_error


def close(name: str, actual, expected, tolerance: float) -> Check:
    error = worst_relative_error(actual, expected)
    return Check(name, error, tolerance, error <= tolerance)


def same(name: str, actual, expected) -> Check:
    equal = list(actual) == list(expected)
    return Check(name, 0.0 if equal else float("inf"), 0.0, equal)


def compare(notebook: dict, db: Path) -> list[Check]:
    with duckdb.connect(str(db), read_only=True) as con:
        def table(sql: str) -> pd.DataFrame:
            return con.execute(sql).df()
        features = table("select * from features.artist_features order by line_number")
        metrics = table("select * from ml.model_metrics where feature_set = 'notebook'").set_index("model_name")
        importance = table("select * from ml.feature_importance where feature_set = 'notebook' "
                           "and method <> 'permutation'")
        bias = table("select * from ml.prediction_bias_by_group where feature_set = 'notebook'")
        # every model shares the one split
        predictions = table("select artist_id from ml.model_predictions where feature_set = 'notebook' "
                            "and split = 'test' and model_name = 'Linear Regression'")
        elbow = table("select k, inertia from ml.cluster_elbow order by k")
        clusters = table("select artist_id, cluster from ml.artist_clusters").set_index("artist_id")
        profiles = table("select * from ml.cluster_profiles order by cluster")
        pca = table("select * from ml.pca_components order by component")
        group_outcomes = table("select * from fairness.group_outcomes")
        summary = table("select * from fairness.fairness_summary")
        equity = table("select * from equity.artist_equity_scores order by artist_id")
        top = table("select artist_name, equity_score from equity.artist_equity_scores "
                    "where equity_rank <= 15 order by equity_rank")

    df = notebook["df"]
    checks = [same("features: artists in file order", features["artist_id"], df["artist_id"])]
    for column in ["listeners_per_year", "streams_per_year", "albums_per_year", "awards_per_year",
                   "spotify_soundcloud_ratio", "followers_to_listeners_ratio", "streams_per_listener"]:
        checks.append(close(f"features: {column}", features[column], df[column], SQL_RTOL))
    for column in ["gender_encoded", "ethnicity_encoded", "genre_encoded", "country_encoded", "label_encoded",
                   "gender_ethnicity", "genre_label", "success_tier"]:
        checks.append(same(f"features: {column}", features[column].where(features[column].notna(), None),
                           df[column].where(df[column].notna(), None)))

    expected = notebook["results_df"]
    for column, notebook_column in [("rmse", "RMSE"), ("mae", "MAE"), ("r2", "R²"),
                                    ("cv_r2_mean", "CV_R²_mean"), ("cv_r2_std", "CV_R²_std")]:
        checks.append(close(f"models: {column}", metrics.loc[expected.index, column], expected[notebook_column],
                            MODEL_RTOL))
    checks.append(same("models: best by the notebook's rule", metrics.index[metrics["best_by_notebook"]],
                       [notebook["best"]]))
    checks.append(same("models: test split", sorted(predictions["artist_id"]), sorted(notebook["test_ids"])))
    best = importance[importance["model_name"] == notebook["best"]].set_index("feature")
    wanted = notebook["importance"].set_index("feature")["importance"]
    checks.append(close("models: best model's importances", best.loc[wanted.index, "importance"], wanted,
                        MODEL_RTOL))
    for attribute, frame in notebook["bias"].items():
        rows = bias[(bias["model_name"] == notebook["best"]) & (bias["attribute"] == attribute)]
        rows = rows.set_index("group_value").loc[frame.index]
        checks.append(close(f"models: error by {attribute}", rows[["error_mean", "error_std", "abs_error_mean",
                                                                   "pct_error_mean"]],
                            frame[[("error", "mean"), ("error", "std"), ("abs_error", "mean"), ("pct_error", "mean")]],
                            MODEL_RTOL))

    checks.append(close("clusters: elbow inertias", elbow["inertia"], notebook["inertias"], MODEL_RTOL))
    labels = pd.Series(notebook["labels"], index=df["artist_id"])
    checks.append(same("clusters: every artist's cluster", clusters.loc[labels.index, "cluster"], labels))
    checks.append(same("clusters: sizes", profiles["size"], np.bincount(notebook["labels"])))
    checks.append(close("clusters: PCA explained variance", pca["explained_variance_ratio"],
                        notebook["explained_variance_ratio"], MODEL_RTOL))

    for (outcome, attribute), metrics_of_case in notebook["fairness"].items():
        row = summary[(summary["outcome"] == outcome) & (summary["attribute"] == attribute)].iloc[0]
        checks.append(close(f"fairness: {outcome} x {attribute} parity, success ratio",
                            [row["statistical_parity_difference"], row["success_ratio"]],
                            [metrics_of_case["statistical_parity_diff"], metrics_of_case["success_ratio"]], SQL_RTOL))
        groups = group_outcomes[(group_outcomes["outcome"] == outcome) & (group_outcomes["attribute"] == attribute)]
        order = sorted(metrics_of_case["group_rates"])
        groups = groups.set_index("group_value").loc[order]
        checks.append(close(f"fairness: {outcome} x {attribute} rates, means, representation",
                            groups[["high_success_rate", "mean_outcome", "representation_ratio"]],
                            [[metrics_of_case[key][group] for key in ("group_rates", "avg_success_by_group",
                                                                      "representation_ratio")] for group in order],
                            SQL_RTOL))

    scores = notebook["equity"].sort_values("artist_id")
    for column in ["quality_score", "visibility_score", "demo_weight", "label_boost", "equity_score"]:
        checks.append(close(f"equity: {column}", equity[column], scores[column], SQL_RTOL))
    checks.append(same("equity: top 15 in order", top["artist_name"], notebook["top"]["artist_name"]))
    return checks
