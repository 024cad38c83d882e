"""The formats part of `make bench`: the load and staging of the same synthetic artists as CSV,
gzip-compressed CSV and Parquet, side by side (default 10,000,000 artists, `--formats-rows`).

Each format runs in a process of its own: the input's checks and load (`build: load`, the build's
own step) and dbt's staging models (`dbt run --select path:models/staging`, their execution
times from run_results.json); dbt's start and parse, the same for every format, are left out.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import duckdb

from bench.builds import REPO_ROOT, record_failure
from bench.measure import run_measured
from bench.results import Results, Stage
from warehouse.dbt_runner import dbt_target_dir, run_dbt
from warehouse.ingest.load import check_input_file, load_raw_artists
from warehouse.publish.atomic import staged_build
from warehouse.settings.resolve import dbt_vars, resolve_settings
from warehouse.timings import StepTimings, read_timings

FORMATS = ("csv", "csv.gz", "parquet")
PART = "formats"
STAGING = ["run", "--select", "path:models/staging"]


def formats_child(data_path: str, db_path: str) -> None:
    """Child process: the input's checks and load, then the staging models, timed step by step."""
    data, db = Path(data_path), Path(db_path)
    timings = StepTimings()
    with staged_build(db) as staging_db:
        with timings.step("load"), duckdb.connect(str(staging_db)) as con:
            con.execute("set enable_progress_bar = false")
            load_raw_artists(con, check_input_file(data), scratch_dir=staging_db.parent)
        with timings.step("dbt staging"):
            run_dbt(STAGING, staging_db, db, dbt_vars(resolve_settings({})))
    timings.write(dbt_target_dir(db))


def load_and_staging_seconds(target_dir: Path) -> tuple[float, float]:
    """(the load step's seconds, the staging models' summed execution time) of one format's run."""
    load = next(step for step in read_timings(target_dir) if step["step"] == "load")
    run_results = json.loads((target_dir / "run_results.json").read_text())["results"]
    staging = sum(result["execution_time"] for result in run_results if result["unique_id"].startswith("model."))
    return load["completed_at"] - load["started_at"], staging


def side_by_side(figures: dict[str, dict[str, float]]) -> str:
    """A Markdown table: one column per format, a row per figure (load, staging, both, input MB)."""
    formats = list(figures)
    rows = [("load (s)", "load"), ("staging models (s)", "staging"), ("**load + staging (s)**", "total"),
            ("input file (MB)", "input_mb")]
    lines = ["| | " + " | ".join(formats) + " |", "|---|" + "---:|" * len(formats)]
    for label, key in rows:
        lines.append(f"| {label} | " + " | ".join(f"{figures[name][key]:.1f}" for name in formats) + " |")
    return "\n".join(lines) + "\n"


def verdict(figures: dict[str, dict[str, float]]) -> bool | None:
    """Parquet's load + staging faster than the plain CSV's, or None when either did not run."""
    if "csv" not in figures or "parquet" not in figures:
        return None
    return figures["parquet"]["total"] < figures["csv"]["total"]


def run_formats(rows: int, inputs: dict[str, Path], out: Path, results: Results) -> None:
    code = "import sys; from bench.formats import formats_child; formats_child(sys.argv[1], sys.argv[2])"
    figures = {}
    for file_format, path in inputs.items():
        print(f"bench: load + staging of {rows:,} artists as {file_format}...", flush=True)
        db = out / f"formats_{file_format}" / "dei.duckdb"
        db.parent.mkdir(parents=True, exist_ok=True)
        seconds, _, sampler, status = run_measured([sys.executable, "-c", code, str(path), str(db)], REPO_ROOT)
        if status != 0:
            record_failure(results, PART, rows, seconds, sampler.peak_bytes / 2**20, status)
            continue
        load, staging = load_and_staging_seconds(dbt_target_dir(db))
        figures[file_format] = {"load": load, "staging": staging, "total": load + staging,
                                "input_mb": path.stat().st_size / 2**20}
        results.stages += [
            Stage(PART, f"{file_format}: load", rows, load),
            Stage(PART, f"{file_format}: staging models", rows, staging),
            Stage(PART, f"{file_format}: load + staging", rows, load + staging, sampler.peak_bytes / 2**20,
                  note=f"{path.name}; the process's wall time {seconds:.1f} s with dbt's start"),
        ]
    if figures:
        results.tables[f"Load + staging by input format, {rows:,} artists"] = side_by_side(figures)
        results.summary["formats_parquet_faster_than_csv"] = verdict(figures)
