"""What a bench run measured: stages, number checks, the machine; written as JSON and Markdown."""

from __future__ import annotations

import datetime
import json
import os
import platform
import subprocess
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb


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
    # title -> a Markdown table of its own (the formats part's side by side)
    tables: dict[str, str] = field(default_factory=dict)


def machine() -> dict:
    model = next((line.split(":", 1)[1].strip() for line in
                  subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines()
                  if line.startswith("Model name")), platform.processor())
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3, 1),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "load_average_at_start": [round(load, 2) for load in os.getloadavg()],
    }




def stage_total(results: Results, part: str) -> Stage | None:
    return next((s for s in results.stages if s.part == part and s.stage == "total"), None)


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
    for title, table in results.tables.items():
        lines += [title + ":", "", table]
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
    payload = {"machine": results.machine, "summary": results.summary, "tables": results.tables,
               "stages": [asdict(s) for s in results.stages], "checks": [asdict(c) for c in results.checks]}
    (out / "results.json").write_text(json.dumps(payload, indent=2, default=float) + "\n")
    (out / "results.md").write_text(markdown(results))
