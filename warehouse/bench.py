"""`make bench`: the warehouse against the notebook's own code on synthetic artists, and the SQL
layers alone at scale.

    python -m warehouse.bench [--rows 100000] [--sql-rows 10000000] [--seed 42] [--out bench]
                              [--skip-notebook] [--skip-end-to-end] [--skip-sql]

1. End to end at --rows: the notebook's cells (tests/notebook_reference.py: load, features, split,
   the five models with 5-fold CV, importances, bias tables, elbow, clusters, PCA, fairness
   metrics, equity score), then `python -m warehouse.build --feature-sets notebook` on the same
   file, one after the other; the numbers are compared (models 1e-6, features, fairness and
   equity 1e-9, relative) and the ratio warehouse / notebook is printed.
2. The SQL layers alone at --sql-rows (load, staging, audit, features, fairness, equity: the dbt
   build without the ml models, tests included).

Every stage runs in a process of its own, so that its peak memory is its own: the kernel's peak
of the largest process, and the sampled peak of the sum over the process and its children
(dbt's model workers run side by side). The results go to <out>/results.json and
<out>/results.md, and are printed. Exit status 1 when a part failed or a number differs.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import multiprocessing
import os
import platform
import resource
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import psutil
import yaml

from warehouse.columns import DBT_PROJECT_DIR
from warehouse.dbt_runner import dbt_target_dir, run_dbt
from warehouse.ingest import check_input_file, load_raw_artists
from warehouse.publish import staged_build
from warehouse.synthetic import generate_artists, write_csv

REPO_ROOT = DBT_PROJECT_DIR.parent
VARS = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text())["vars"]
MODEL_RTOL = 1e-6
SQL_RTOL = 1e-9
# measured on the 2-core machines: what a run of each part costs, to say up front how long it takes
NOTEBOOK_SECONDS_PER_ROW = 2.1e-3
SQL_SECONDS_PER_ROW = 3e-5
GENERATE_SECONDS_PER_ROW = 3e-6
SAMPLE_SECONDS = 0.2
MB = 1024 * 1024


@dataclass
class Stage:
    part: str
    stage: str
    rows: int
    seconds: float
    peak_mb: float | None = None
    note: str = ""


@dataclass
class Check:
    name: str
    worst_relative_error: float
    tolerance: float
    passed: bool


@dataclass
class Results:
    machine: dict
    stages: list[Stage] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    summary: dict = field(default_factory=dict)


# --- measuring -------------------------------------------------------------------------------

class TreeMemorySampler:
    """Peak of the summed resident memory of a process and all its descendants, sampled."""

    def __init__(self, pid: int):
        self._root = psutil.Process(pid)
        self._stop = threading.Event()
        self.peak_bytes = 0
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _tree_rss(self) -> int:
        total = 0
        try:
            processes = [self._root, *self._root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return 0
        for process in processes:
            try:
                total += process.memory_info().rss
            except psutil.NoSuchProcess:
                continue
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_bytes = max(self.peak_bytes, self._tree_rss())
            self._stop.wait(SAMPLE_SECONDS)

    def __enter__(self) -> TreeMemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def run_measured(args: list[str], env: dict | None = None) -> tuple[float, float, float, int]:
    """Run a command; return (seconds, peak MB of its largest process, sampled peak MB of its tree, status)."""
    start = time.perf_counter()
    process = subprocess.Popen(args, env=env, cwd=REPO_ROOT)
    with TreeMemorySampler(process.pid) as sampler:
        _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    return seconds, usage.ru_maxrss / 1024, sampler.peak_bytes / MB, process.returncode


def peak_mb_self() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- data ------------------------------------------------------------------------------------

def synthetic_csv(out: Path, rows: int, seed: int) -> tuple[Path, float]:
    """The generator's CSV for (rows, seed), reused while the generator's code is unchanged."""
    generator_code = Path(sys.modules[generate_artists.__module__].__file__).read_bytes()
    key = hashlib.sha256(generator_code + f"{rows}:{seed}".encode()).hexdigest()[:12]
    path = out / "data" / f"artists_{rows}_{seed}_{key}.csv"
    if path.exists():
        return path, 0.0
    start = time.perf_counter()
    partial = path.with_suffix(".partial")
    write_csv(generate_artists(rows, seed), partial)
    partial.replace(path)
    return path, time.perf_counter() - start


# --- the notebook ----------------------------------------------------------------------------

def notebook_stages(csv_path: str, connection) -> None:
    """Child process: the notebook's cells one after the other, timed; results to the parent."""
    timings: list[tuple[str, float, float]] = []
    clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings.append((stage, now - clock, peak_mb_self()))
        clock = now

    sys.path.insert(0, str(REPO_ROOT))
    from tests import notebook_reference as nb
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
                for outcome in VARS["outcomes"] for attribute in VARS["protected_attributes"]}
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


# --- the warehouse ---------------------------------------------------------------------------

def dbt_layer_seconds(target_dir: Path) -> tuple[dict[str, float], float]:
    """Busy seconds per model folder (and tests) in dbt's last run, and dbt's own elapsed time.

    dbt runs two models at a time, so the folders' seconds add up to more than the wall time.
    """
    run_results = json.loads((target_dir / "run_results.json").read_text())
    manifest = json.loads((target_dir / "manifest.json").read_text())
    seconds: dict[str, float] = {}
    for result in run_results["results"]:
        node = manifest["nodes"].get(result["unique_id"], {})
        if node.get("resource_type") == "test":
            layer = "tests"
        elif node.get("resource_type") == "seed":
            layer = "seeds"
        else:
            layer = Path(node.get("original_file_path", "models/other/x")).parts[1]
        seconds[layer] = seconds.get(layer, 0.0) + result["execution_time"]
    return seconds, run_results["elapsed_time"]


def add_dbt_stages(results: Results, part: str, rows: int, target_dir: Path, total: float) -> None:
    layers, dbt_elapsed = dbt_layer_seconds(target_dir)
    for layer in ("staging", "audit", "features", "fairness", "equity", "ml", "seeds", "tests"):
        if layer in layers:
            results.stages.append(Stage(part, f"dbt {layer} (busy s)", rows, layers[layer]))
    results.stages.append(Stage(part, "dbt build (wall)", rows, dbt_elapsed))
    results.stages.append(Stage(part, "load, dbt start, report, publish", rows, total - dbt_elapsed,
                                note="the rest of the wall time"))


def record_failure(results: Results, part: str, rows: int, seconds: float, tree: float, status: int) -> None:
    """A failed part is a row of the results, so that the rest of the benchmark still runs."""
    results.stages.append(Stage(part, "total (failed)", rows, seconds, tree,
                                f"exit status {status}; see the output above"))
    results.failures.append(f"{part} at {rows:,} rows failed (exit status {status})")


def run_warehouse(csv_path: Path, rows: int, out: Path, results: Results) -> Path | None:
    db = out / "end_to_end" / "dei.duckdb"
    db.parent.mkdir(parents=True, exist_ok=True)
    args = [sys.executable, "-m", "warehouse.build", "--data", str(csv_path), "--db", str(db),
            "--feature-sets", "notebook", "--report-dir", str(out / "end_to_end" / "report")]
    seconds, largest, tree, status = run_measured(args)
    if status != 0:
        record_failure(results, "warehouse", rows, seconds, tree, status)
        return None
    add_dbt_stages(results, "warehouse", rows, dbt_target_dir(db.resolve()), seconds)
    results.stages.append(Stage("warehouse", "total", rows, seconds, tree,
                                f"largest process {largest:.0f} MB"))
    return db


def sql_layers_child(csv_path: str, db_path: str) -> None:
    """Child process: load and the dbt build without the ml models, into a published file."""
    data, db = Path(csv_path), Path(db_path)
    start = time.perf_counter()
    check_input_file(data)
    with staged_build(db) as staging_db:
        with duckdb.connect(str(staging_db)) as con:
            con.execute("set enable_progress_bar = false")
            load_raw_artists(con, data)
        print(f"bench: load {time.perf_counter() - start:.1f} s", flush=True)
        run_dbt(["build", "--exclude", "path:models/ml"], staging_db, db, {})


def run_sql_layers(csv_path: Path, rows: int, out: Path, results: Results) -> None:
    db = (out / "sql_layers" / "dei.duckdb").resolve()
    db.parent.mkdir(parents=True, exist_ok=True)
    code = "import sys; from warehouse.bench import sql_layers_child; sql_layers_child(sys.argv[1], sys.argv[2])"
    seconds, largest, tree, status = run_measured([sys.executable, "-c", code, str(csv_path), str(db)])
    if status != 0:
        record_failure(results, "sql layers", rows, seconds, tree, status)
        return
    add_dbt_stages(results, "sql layers", rows, dbt_target_dir(db), seconds)
    results.stages.append(Stage("sql layers", "total", rows, seconds, tree, f"largest process {largest:.0f} MB"))


# --- comparing -------------------------------------------------------------------------------

def worst_relative_error(actual, expected) -> float:
    actual = np.asarray(actual, dtype=float)
    expected = np.asarray(expected, dtype=float)
    if actual.shape != expected.shape:
        return float("inf")
    difference = np.abs(actual - expected)
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = np.where(difference == 0, 0.0, difference / np.abs(expected))
    return float(np.nanmax(relative)) if relative.size else 0.0


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


# --- reporting -------------------------------------------------------------------------------

def machine() -> dict:
    model = next((line.split(":", 1)[1].strip() for line in
                  subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines()
                  if line.startswith("Model name")), platform.processor())
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_gb": round(psutil.virtual_memory().total / 1024**3, 1),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "load_average_at_start": [round(load, 2) for load in os.getloadavg()],
    }


def stage_total(results: Results, part: str) -> float | None:
    return next((s.seconds for s in results.stages if s.part == part and s.stage == "total"), None)


def summarise(results: Results, args: argparse.Namespace) -> None:
    notebook, warehouse = stage_total(results, "notebook"), stage_total(results, "warehouse")
    if notebook and warehouse:
        results.summary["ratio_warehouse_to_notebook"] = round(warehouse / notebook, 3)
        results.summary["ratio_target"] = 0.6
    if results.checks:
        results.summary["numbers_match"] = all(check.passed for check in results.checks)
        results.summary["checks_failed"] = [check.name for check in results.checks if not check.passed]
    if results.failures:
        results.summary["failures"] = results.failures
    sql = next((s for s in results.stages if s.part == "sql layers" and s.stage == "total"), None)
    if sql:
        results.summary["sql_layers_seconds"] = round(sql.seconds, 1)
        results.summary["sql_layers_peak_mb"] = round(sql.peak_mb or 0)
        results.summary["sql_layers_targets"] = "< 60 s, < 8192 MB"
        results.summary["sql_layers_within_targets"] = sql.seconds < 60 and (sql.peak_mb or 0) < 8192


def markdown(results: Results) -> str:
    m = results.machine
    lines = [
        f"Measured {m['date']} on {m['cpus']} x {m['cpu_model']}, {m['memory_gb']} GB, "
        f"Python {m['python']}, DuckDB {m['duckdb']} (load average at start {m['load_average_at_start']}).",
        "",
        "| part | stage | rows | seconds | peak MB | note |",
        "|---|---|---:|---:|---:|---|",
    ]
    for s in results.stages:
        peak = f"{s.peak_mb:.0f}" if s.peak_mb is not None else ""
        lines.append(f"| {s.part} | {s.stage} | {s.rows:,} | {s.seconds:.1f} | {peak} | {s.note} |")
    lines.append("")
    for key, value in results.summary.items():
        lines.append(f"- {key}: {value}")
    failed = [check for check in results.checks if not check.passed]
    if results.checks:
        lines.append(f"- {len(results.checks) - len(failed)} of {len(results.checks)} comparisons within tolerance")
    for check in failed:
        lines.append(f"  - FAILED {check.name}: worst relative error {check.worst_relative_error:.3g} "
                     f"(tolerance {check.tolerance:g})")
    return "\n".join(lines) + "\n"


def write_results(results: Results, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    payload = {"machine": results.machine, "summary": results.summary,
               "stages": [asdict(s) for s in results.stages], "checks": [asdict(c) for c in results.checks]}
    (out / "results.json").write_text(json.dumps(payload, indent=2, default=float) + "\n")
    (out / "results.md").write_text(markdown(results))


# --- main ------------------------------------------------------------------------------------

def expected_minutes(args: argparse.Namespace) -> float:
    seconds = 0.0
    if not args.skip_notebook:
        seconds += args.rows * NOTEBOOK_SECONDS_PER_ROW
    if not args.skip_end_to_end:
        seconds += args.rows * NOTEBOOK_SECONDS_PER_ROW * 0.6 + args.rows * GENERATE_SECONDS_PER_ROW
    if not args.skip_sql:
        seconds += args.sql_rows * (SQL_SECONDS_PER_ROW + GENERATE_SECONDS_PER_ROW)
    return seconds / 60


def plan(args: argparse.Namespace) -> str:
    parts = [f"the notebook's code on {args.rows:,} artists"] if not args.skip_notebook else []
    if not args.skip_end_to_end:
        parts.append(f"the warehouse build on {args.rows:,}")
    if not args.skip_sql:
        parts.append(f"the SQL layers on {args.sql_rows:,}")
    return ", then ".join(parts) or "nothing to run"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m warehouse.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="artists for the end-to-end comparison")
    parser.add_argument("--sql-rows", type=int, default=10_000_000, help="artists for the SQL layers alone")
    parser.add_argument("--seed", type=int, default=42, help="the generator's seed")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "bench", help="folder for data and results")
    parser.add_argument("--skip-notebook", action="store_true", help="do not run the notebook's code")
    parser.add_argument("--skip-end-to-end", action="store_true", help="do not run the full warehouse build")
    parser.add_argument("--skip-sql", action="store_true", help="do not run the SQL layers at --sql-rows")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    out = args.out.expanduser().resolve()
    results = Results(machine=machine())
    print(f"bench: {plan(args)}; about {expected_minutes(args):.0f} minutes on a quiet 2-core machine; "
          f"results go to {out}/results.md", flush=True)

    notebook = None
    if not (args.skip_notebook and args.skip_end_to_end):
        csv_path, seconds = synthetic_csv(out, args.rows, args.seed)
        results.stages.append(Stage("data", "generate CSV", args.rows, seconds, note=csv_path.name))
        if not args.skip_notebook:
            print(f"bench: the notebook's code on {args.rows:,} artists...", flush=True)
            notebook = run_notebook(csv_path, args.rows, results)
        if not args.skip_end_to_end:
            print(f"bench: the warehouse build on {args.rows:,} artists...", flush=True)
            db = run_warehouse(csv_path, args.rows, out, results)
            if notebook is not None and db is not None:
                results.checks = compare(notebook, db)
    if not args.skip_sql:
        csv_path, seconds = synthetic_csv(out, args.sql_rows, args.seed)
        results.stages.append(Stage("data", "generate CSV", args.sql_rows, seconds, note=csv_path.name))
        print(f"bench: the SQL layers on {args.sql_rows:,} artists...", flush=True)
        run_sql_layers(csv_path, args.sql_rows, out, results)

    summarise(results, args)
    write_results(results, out)
    print()
    print(markdown(results), end="")
    return 1 if results.failures or results.summary.get("numbers_match") is False else 0


if __name__ == "__main__":
    sys.exit(main())
