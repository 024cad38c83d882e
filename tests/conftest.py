"""Shared fixtures: one warehouse built from the workshop data for the whole session.

The tests are laid out by kind: tests/unit/ builds no warehouse (`make test-fast` runs it and nothing
else); every test under tests/builds/ (and tests/browser/, which drives headless Chromium) builds one,
directly or through the fixtures below, and is marked `slow` here. A test outside those two folders
that asks for a fixture that builds is a collection error, so the fast loop stays fast."""

from __future__ import annotations

import csv
import fcntl
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from tests import planted_bias, small_synthetic
from warehouse.build import DEFAULT_DATA
from warehouse.build import main as build_main

REPO_ROOT = Path(__file__).resolve().parent.parent
TESTS = REPO_ROOT / "tests"

# folder -> the marks every test in it gets
MARKS_BY_FOLDER = {TESTS / "builds": ("slow",), TESTS / "browser": ("slow", "browser")}
# the fixtures below that build a warehouse (or need one built)
BUILDING_FIXTURES = frozenset({"workshop_db", "workshop_report", "warehouse", "planted_db", "small_synthetic_db"})


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by mark
def pytest_collection_modifyitems(config, items):
    misplaced = []
    for item in items:
        path = Path(item.path).resolve()
        folder = next((folder for folder in MARKS_BY_FOLDER if path.is_relative_to(folder)), None)
        if folder is not None:
            for mark in MARKS_BY_FOLDER[folder]:
                item.add_marker(mark)
        elif BUILDING_FIXTURES & set(getattr(item, "fixturenames", ())):
            misplaced.append(item.nodeid)
    if misplaced:
        raise pytest.UsageError(
            "these tests build a warehouse but are not under tests/builds/ or tests/browser/ "
            "(so `make test-fast` would build): " + ", ".join(misplaced)
        )


USER_OUTPUTS = (REPO_ROOT / "warehouse" / "dei.duckdb", REPO_ROOT / "reports" / "out" / "index.html")


def _modification_times() -> dict[Path, int | None]:
    return {path: path.stat().st_mtime_ns if path.exists() else None for path in USER_OUTPUTS}


@pytest.fixture(scope="session", autouse=True)
def user_outputs_untouched():
    """Every test builds into a folder of its own: the warehouse and report `make build` left in
    the checkout are the user's, and a test run must not replace them."""
    before = _modification_times()
    yield
    assert _modification_times() == before, "a test wrote the checkout's own warehouse or report"


@pytest.fixture(scope="session")
def workshop_csv() -> Path:
    return DEFAULT_DATA


def built_once(tmp_path_factory, worker_id: str, name: str, build: Callable[[Path], Path]) -> Path:
    """A session build made once for the whole run: under pytest-xdist the first worker to ask builds
    it in the run's shared temporary folder and the others wait for it and read the same file (every
    test opens these warehouses read-only or copies them)."""
    if worker_id == "master":
        return build(tmp_path_factory.mktemp(name))
    shared = tmp_path_factory.getbasetemp().parent
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        built = shared / f"{name}.built"
        if not built.exists():
            folder = shared / name
            folder.mkdir()
            built.write_text(str(build(folder)))
    return Path(built.read_text())


def build_workshop(folder: Path) -> Path:
    db = folder / "dei.duckdb"
    assert build_main(["--data", str(DEFAULT_DATA), "--db", str(db), "--report-dir", str(folder / "report")]) == 0
    return db


def build_planted(folder: Path) -> Path:
    _, db_path = build_from_rows(folder, "planted", planted_bias.HEADER, planted_bias.planted_rows(),
                                 "--vars", planted_bias.BUILD_VARS)
    return db_path


def build_small_synthetic(folder: Path) -> Path:
    _, db = build_from_rows(folder, "small_synthetic", small_synthetic.HEADER, small_synthetic.rows(),
                            "--vars", json.dumps(small_synthetic.VARIABLES))
    return db


@pytest.fixture(scope="session")
def workshop_db(tmp_path_factory, worker_id) -> Path:
    return built_once(tmp_path_factory, worker_id, "workshop", build_workshop)


@pytest.fixture(scope="session")
def planted_db(tmp_path_factory, worker_id) -> Path:
    """The warehouse of tests/planted_bias.py's synthetic table (400 artists, models trained)."""
    return built_once(tmp_path_factory, worker_id, "planted_bias", build_planted)


@pytest.fixture(scope="session")
def small_synthetic_db(tmp_path_factory, worker_id) -> Path:
    """300 synthetic artists with planted ties and edges (tests/small_synthetic.py), no models trained."""
    return built_once(tmp_path_factory, worker_id, "small_synthetic", build_small_synthetic)


@pytest.fixture(scope="session")
def workshop_report(workshop_db) -> Path:
    """The HTML report the workshop build rendered."""
    return workshop_db.parent / "report" / "index.html"


@pytest.fixture()
def published(tmp_path, workshop_db) -> Path:
    """A published warehouse (a copy of the workshop build, in a folder of its own) for a test to build over."""
    path = tmp_path / "published" / "dei.duckdb"
    path.parent.mkdir()
    shutil.copyfile(workshop_db, path)
    return path


@pytest.fixture()
def warehouse(workshop_db):
    with duckdb.connect(str(workshop_db), read_only=True) as con:
        yield con


def summary_line(stdout: str) -> str:
    """The build's summary line (`built ... from F: N rows read, ...`), which the audit's headline follows."""
    [line] = [line for line in stdout.splitlines() if line.startswith("built ")]
    return line


def query_df(con: duckdb.DuckDBPyConnection, sql: str, params=None):
    return con.execute(sql, params or []).df()


def build_from_rows(folder: Path, name: str, header: list[str], rows: list[list], *options: str) -> tuple[Path, Path]:
    """Write rows as CSV in folder, build a warehouse from them (report in folder too); (csv, db)."""
    csv_path = folder / f"{name}.csv"
    with open(csv_path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    db_path = folder / f"{name}.duckdb"
    arguments = ["--data", str(csv_path), "--db", str(db_path), "--report-dir", str(folder / "report"), *options]
    assert build_main(arguments) == 0
    return csv_path, db_path
