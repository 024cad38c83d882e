"""The warehouse's runs a bench times: the build as `make build` runs it, and the SQL layers alone.

Each stage is a row: the build's own steps (warehouse/timings.py: load, dbt, checks, report,
publish), every dbt model that took more than a second, and dbt's tests; each with the peak of the
summed memory of every process of the build during that stage's window.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import duckdb

from bench.measure import TreeMemorySampler, run_measured
from bench.results import Results, Stage
from warehouse.build_history.carry import carry_history
from warehouse.build_history.lineage import describe_build, record_lineage
from warehouse.dbt_runner import dbt_target_dir, run_dbt
from warehouse.ingest.load import check_input_file, load_raw_artists
from warehouse.publish.atomic import staged_build
from warehouse.settings.project import DBT_PROJECT_DIR
from warehouse.settings.resolve import dbt_vars, resolve_settings
from warehouse.timings import read_timings

REPO_ROOT = DBT_PROJECT_DIR.parent
SHOWN_MODEL_SECONDS = 1.0
# the ml models, what reads them, and the report's views: the SQL layers are staging to equity
SQL_LAYERS_EXCLUDE = ["path:models/ml+", "path:models/reporting"]


def _timestamp(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def _window(timing: list[dict]) -> tuple[float, float] | None:
    """When dbt executed a node, in the sampler's clock (seconds since the epoch)."""
    execute = next((t for t in timing if t["name"] == "execute"), None)
    if not execute or not execute.get("started_at"):
        return None
    return _timestamp(execute["started_at"]), _timestamp(execute["completed_at"])


def dbt_stages(part: str, rows: int, target_dir: Path, sampler: TreeMemorySampler) -> list[Stage]:
    """The models that took more than a second, one row each, then every test as one row."""
    run_results = json.loads((target_dir / "run_results.json").read_text())
    stages, test_seconds, test_peak = [], 0.0, 0.0
    for result in run_results["results"]:
        window = _window(result.get("timing", []))
        peak = sampler.peak_mb_between(*window) if window else None
        name = result["unique_id"].split(".")[2]
        if result["unique_id"].startswith(("test.", "unit_test.")):
            test_seconds += result["execution_time"]
            test_peak = max(test_peak, peak or 0.0)
        elif result["execution_time"] >= SHOWN_MODEL_SECONDS:
            stages.append(Stage(part, f"dbt {name}", rows, result["execution_time"], peak))
    stages.append(Stage(part, "dbt tests (all)", rows, test_seconds, test_peak or None))
    stages.append(Stage(part, "dbt build (wall, all nodes)", rows, run_results["elapsed_time"]))
    return stages


def build_step_stages(part: str, rows: int, target_dir: Path, sampler: TreeMemorySampler) -> list[Stage]:
    return [Stage(part, f"build: {step['step']}", rows, step["completed_at"] - step["started_at"],
                  sampler.peak_mb_between(step["started_at"], step["completed_at"]))
            for step in read_timings(target_dir)]


def _memory_note(largest_mb: float, sampler: TreeMemorySampler) -> str:
    return (f"peak MB is the summed PSS; summed RSS {sampler.peak_rss_bytes / 2**20:.0f} MB, "
            f"largest process {largest_mb:.0f} MB")


def record_failure(results: Results, part: str, rows: int, seconds: float, peak_mb: float, status: int) -> None:
    """A failed part is a row of the results, so that the rest of the benchmark still runs."""
    results.stages.append(Stage(part, "total (failed)", rows, seconds, peak_mb,
                                f"exit status {status}; see the output above"))
    results.failures.append(f"{part} at {rows:,} rows failed (exit status {status})")


def run_build(part: str, csv_path: Path, rows: int, db: Path, results: Results, *options: str) -> Path | None:
    """`python -m warehouse.build` as make runs it; the build's steps and models as stages."""
    db.parent.mkdir(parents=True, exist_ok=True)
    args = [sys.executable, "-m", "warehouse.build", "--data", str(csv_path), "--db", str(db),
            "--report-dir", str(db.parent / "report"), *options]
    seconds, largest, sampler, status = run_measured(args, REPO_ROOT)
    peak = sampler.peak_bytes / 2**20
    if status != 0:
        record_failure(results, part, rows, seconds, peak, status)
        return None
    target = dbt_target_dir(db.resolve())
    results.stages += build_step_stages(part, rows, target, sampler)
    results.stages += dbt_stages(part, rows, target, sampler)
    results.stages.append(Stage(part, "total", rows, seconds, peak, _memory_note(largest, sampler)))
    return db


def sql_layers_child(csv_path: str, db_path: str) -> None:
    """Child process: the load and the dbt build without the ml models, into a published file (a
    history of its own: the lineage row, no history carried)."""
    data, db = Path(csv_path), Path(db_path)
    source = check_input_file(data)
    with staged_build(db) as staging_db:
        with duckdb.connect(str(staging_db)) as con:
            con.execute("set enable_progress_bar = false")
            load_raw_artists(con, source, scratch_dir=staging_db.parent)
            record_lineage(con, describe_build(source, resolve_settings({})))
            carry_history(con, db, fresh=True)
        run_dbt(["build", "--exclude", *SQL_LAYERS_EXCLUDE], staging_db, db, dbt_vars(resolve_settings({})))


def run_sql_layers(csv_path: Path, rows: int, db: Path, results: Results) -> None:
    db.parent.mkdir(parents=True, exist_ok=True)
    code = ("import sys; from bench.builds import sql_layers_child; "
            "sql_layers_child(sys.argv[1], sys.argv[2])")
    seconds, largest, sampler, status = run_measured([sys.executable, "-c", code, str(csv_path), str(db)], REPO_ROOT)
    peak = sampler.peak_bytes / 2**20
    if status != 0:
        record_failure(results, "sql layers", rows, seconds, peak, status)
        return
    results.stages += dbt_stages("sql layers", rows, dbt_target_dir(db), sampler)
    results.stages.append(Stage("sql layers", "total", rows, seconds, peak, _memory_note(largest, sampler)))
