"""Shared fixtures: one warehouse built from the workshop data for the whole session."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from warehouse.build import DEFAULT_DATA
from warehouse.build import main as build_main

REPO_ROOT = Path(__file__).resolve().parent.parent


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


@pytest.fixture(scope="session")
def workshop_db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("workshop")
    db = folder / "dei.duckdb"
    assert build_main(["--data", str(DEFAULT_DATA), "--db", str(db), "--report-dir", str(folder / "report")]) == 0
    return db


@pytest.fixture(scope="session")
def workshop_report(workshop_db) -> Path:
    """The HTML report the workshop build rendered."""
    return workshop_db.parent / "report" / "index.html"


@pytest.fixture()
def warehouse(workshop_db):
    with duckdb.connect(str(workshop_db), read_only=True) as con:
        yield con


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
