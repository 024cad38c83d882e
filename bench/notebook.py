"""The notebook's cells (tests/notebook_reference.py) on the bench's CSV, timed cell by cell.

They run in a process of their own (spawned: nothing of this process is inherited), which sends
its numbers back for the comparison with the warehouse.
"""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

from bench.measure import peak_mb_self
from bench.results import Results, Stage
from tests import notebook_reference as nb
from warehouse.settings.derived import fairness_attributes
from warehouse.settings.project import project_vars

VARS = project_vars()


def notebook_stages(csv_path: str, connection) -> None:
    """Child process: the notebook's cells one after the other, timed; results to the parent."""
    timings: list[tuple[str, float, float]] = []
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings.append((stage, now - clock, peak_mb_self()))
        clock = now

    lap("imports")
    df = nb.load(csv_path)
    lap("load")
    df_engineered, le_gender, le_ethnicity, le_genre, _, le_label = nb.engineer_features(df)
    lap("engineer_features")
    split = nb.split(df_engineered)
    lap("split")
    model_results, results_df, best = nb.train_models(*split)
    lap("train_models (5 models, 5-fold CV)")
    importance = nb.feature_importance(model_results, best)
    lap("feature_importance")
    _, X_test, _, y_test, *_ = split
    _, gender_bias, ethnicity_bias = nb.bias_tables(
        X_test, y_test, model_results[best]["predictions"], le_gender, le_ethnicity, le_genre, le_label)
    lap("bias_tables")
    X_cluster_scaled, inertias = nb.elbow(df_engineered)
    lap("elbow (k = 2..10)")
    _, labels, cluster_summary, pca, X_pca, centers_pca = nb.clusters(df_engineered, X_cluster_scaled)
    lap("clusters + PCA")
    for attribute in ("gender", "ethnicity"):
        nb.calculate_fairness_metrics(df_engineered, attribute, "monthly_listeners")
    lap("fairness metrics")
    df_equity = nb.create_equity_score(df_engineered)
    top = nb.top_equity(df_equity)
    lap("equity score + top 15")

    # every configured case for the comparison, outside the timed cells (the notebook prints two)
    fairness = {(outcome, attribute): nb.calculate_fairness_metrics(df_engineered, attribute, outcome)
                for outcome in VARS["outcomes"] for attribute in fairness_attributes(VARS)}
    connection.send({
        "timings": timings,
        "df": df_engineered.assign(success_tier=df_engineered["success_tier"].astype(object)),
        "results_df": results_df, "best": best, "importance": importance,
        "test_ids": df_engineered.loc[X_test.index, "artist_id"].to_numpy(),
        "bias": {"gender": gender_bias, "ethnicity": ethnicity_bias},
        "inertias": inertias, "labels": labels, "cluster_summary": cluster_summary,
        "explained_variance_ratio": pca.explained_variance_ratio_, "components": pca.components_,
        "X_pca": X_pca, "centers_pca": centers_pca, "fairness": fairness,
        "equity": df_equity, "top": top,
    })
    connection.close()


def run_notebook(csv_path: Path, rows: int, results: Results) -> dict:
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=notebook_stages, args=(str(csv_path), sender))
    start = time.perf_counter()
    child.start()
    sender.close()
    notebook = receiver.recv()
    child.join()
    if child.exitcode != 0:
        raise RuntimeError(f"the notebook's code failed (exit status {child.exitcode})")
    for stage, seconds, peak in notebook["timings"]:
        results.stages.append(Stage("notebook", stage, rows, seconds, peak))
    total = sum(seconds for _, seconds, _ in notebook["timings"])
    results.stages.append(Stage("notebook", "total", rows, total, max(p for _, _, p in notebook["timings"]),
                                f"wall {time.perf_counter() - start:.1f} s with the process start"))
    return notebook
