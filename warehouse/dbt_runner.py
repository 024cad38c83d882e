"""Run dbt as a child process: in a session of its own, its output reduced to progress, a failure one line.

dbt runs as a child so that its DuckDB connection is closed (and checkpointed) when it exits,
before the file is published. Its complete output stays in its log (`.dbt-<name>/logs/dbt.log`);
the terminal gets the lines a user follows: each model and seed starting and ending, tests that
did not pass, the summary. A traceback dbt prints (a full disk, a model's exception) stays in the log.
"""

from __future__ import annotations

import collections
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from warehouse.errors import BuildError
from warehouse.processes import end_processes_of
from warehouse.publish.own_files import private_folder
from warehouse.settings.project import DBT_PROJECT_DIR

LEFT_AS_IT_WAS = "the published warehouse was left as it was"
DBT_TIMESTAMP = re.compile(r"^\d\d:\d\d:\d\d\s+")
NODE_LINE = re.compile(r"^\d+ of \d+ (?P<status>[A-Z-]+) (?P<kind>\w+)")
# dbt's own summary lines, and the progress the long Python models print (ml/progress.py)
SUMMARY_PREFIXES = ("Running with dbt", "Found ", "Finished running", "Done.", "progress: ")
ALWAYS_SHOWN = {"WARN", "ERROR", "FAIL"}
MESSAGE_CHARACTERS = 300


def dbt_target_dir(db_path: Path) -> Path:
    """dbt's target and log folder for builds of one published file: a hidden folder beside it.

    Builds of one file take turns (the publish lock), so they can share a folder and keep dbt's
    partial-parse cache; builds of different files run side by side in folders of their own, and
    a warehouse in a temporary folder takes its dbt files with it when the folder goes.
    """
    return db_path.parent / f".dbt-{db_path.name}"


def is_progress(text: str) -> bool:
    """A line worth a terminal: models and seeds starting and ending, tests that failed or warned."""
    node = NODE_LINE.match(text)
    if node is None:
        return text.startswith(SUMMARY_PREFIXES)
    if node["status"] in ALWAYS_SHOWN:
        return True
    # a passing test's line names the test, a starting one says "START test"
    return node["status"] != "PASS" and node["kind"] != "test"


def _first_line(message: str | None) -> str:
    """The message's first line; for a Python model's traceback, the exception it ends with."""
    lines = [part.strip() for part in (message or "").splitlines() if part.strip()]
    line = lines[-1] if any(part.startswith("Traceback") for part in lines) else next(iter(lines), "")
    return line if len(line) <= MESSAGE_CHARACTERS else line[:MESSAGE_CHARACTERS] + "..."


def failed_nodes(results_path: Path) -> list[tuple[str, str]]:
    """(name, first line of dbt's message) of every node that errored or failed in this run."""
    if not results_path.exists():
        return []
    results = json.loads(results_path.read_text()).get("results", [])
    # unique_id is resource.project.name, plus a hash for generic tests: the name is the readable part
    return [
        (result["unique_id"].split(".")[2], _first_line(result.get("message")))
        for result in results if result.get("status") in {"error", "fail"}
    ]


def failure_message(command: str, target_dir: Path, status: int, hidden_tail: list[str]) -> str:
    log = target_dir / "logs" / "dbt.log"
    failures = failed_nodes(target_dir / "run_results.json")
    if failures:
        names = ", ".join(name for name, _ in failures)
        detail = f": {failures[0][1]}" if failures[0][1] else ""
        return f"dbt {command} failed ({names}{detail}); dbt's log: {log}; {LEFT_AS_IT_WAS}"
    said = next((_first_line(line) for line in reversed(hidden_tail) if "error" in line.lower()), "")
    detail = f": {said}" if said else ", and printed no error"
    return (
        f"dbt {command} stopped before running any model (exit status {status}{detail}); "
        f"dbt's log: {log}; {LEFT_AS_IT_WAS}"
    )


def _show(line: str) -> None:
    try:
        print(line, flush=True)
    except OSError:
        # the terminal went away (a closed ssh session): the build goes on, its log keeps the lines
        pass


def _follow(process: subprocess.Popen) -> list[str]:
    """Show dbt's progress lines as they come; return the last lines that were not shown."""
    hidden = collections.deque(maxlen=40)
    for raw in process.stdout:
        line = raw.rstrip("\n")
        text = DBT_TIMESTAMP.sub("", line)
        if is_progress(text):
            _show(line)
        elif text.strip():
            hidden.append(text)
    return list(hidden)


def run_dbt(command: list[str], db_path: Path, published: Path, variables: dict) -> None:
    """Run dbt once against db_path; raise BuildError on failure.

    Whatever ends this call (dbt's exit, a stop signal turned into BuildError), every process dbt
    started for db_path is ended before it returns, so no worker outlives the build.
    """
    dbt = Path(sys.executable).with_name("dbt")
    # dbt runs what its partial-parse cache holds: only a folder no other account could write in is reused
    target_dir = private_folder(dbt_target_dir(published), keep_contents=True)
    # a stale run_results.json would name the previous build's failures
    (target_dir / "run_results.json").unlink(missing_ok=True)
    args = [
        str(dbt), "--no-use-colors", *command,
        "--project-dir", str(DBT_PROJECT_DIR),
        "--profiles-dir", str(DBT_PROJECT_DIR),
        "--target-path", str(target_dir),
        "--log-path", str(target_dir / "logs"),
        "--vars", json.dumps(variables),
    ]
    env = {**os.environ, "DEI_DB_PATH": str(db_path)}
    try:
        process = subprocess.Popen(
            args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace",
            start_new_session=True,
        )
    except OSError as exc:
        raise BuildError(f"dbt cannot be started ({exc.strerror}): {dbt}") from None
    try:
        hidden_tail = _follow(process)
        status = process.wait()
    finally:
        end_processes_of(db_path)
        process.stdout.close()
        process.wait()
    if status != 0:
        raise BuildError(failure_message(command[0], target_dir, status, hidden_tail))
