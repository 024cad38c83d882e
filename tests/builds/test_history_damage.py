"""A history a read-write client damaged is refused in one line, never silently dropped; columns a
client added are named, and the history is still carried. Two builds of the workshop CSV (40
artists, no models trained), then each test damages its own copy of that warehouse and builds over it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.hostile_files import run_build_process, sha256
from warehouse.build import DEFAULT_DATA

pytestmark = pytest.mark.slow

NO_MODELS = ["--vars", json.dumps({"train_feature_sets": []})]
FRESH_HISTORY = "build with FRESH_HISTORY=yes (make build) / --fresh-history to start a new history"


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("two_builds")
    data = shutil.copyfile(DEFAULT_DATA, folder / "artists.csv")
    db = folder / "dei.duckdb"
    for _ in range(2):
        result = run_build_process(data, db, *NO_MODELS)
        assert result.returncode == 0, result.stderr
    return data, db


def _damaged_copy(two_builds, folder: Path, *damage: str) -> Path:
    db = folder / "dei.duckdb"
    shutil.copyfile(two_builds[1], db)
    with duckdb.connect(str(db)) as con:
        for statement in damage:
            con.execute(statement)
    return db


def _rows(db: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_a_dropped_build_runs_is_refused_until_a_fresh_history_is_asked_for(two_builds, tmp_path):
    db = _damaged_copy(two_builds, tmp_path, "drop table audit.build_runs")
    [(history_rows,)] = _rows(db, "select count(*) from history.fairness_summary_history")
    before = sha256(db)

    refused = run_build_process(two_builds[0], db, *NO_MODELS)

    assert refused.returncode == 2
    assert refused.stderr.splitlines() == [
        f"error: the build history of {db} is damaged: audit.build_runs is missing while "
        f"history.fairness_summary_history holds {history_rows} rows; restore it, or {FRESH_HISTORY}; "
        f"the published warehouse was left as it was"]
    assert sha256(db) == before

    fresh = run_build_process(two_builds[0], db, *NO_MODELS, "--fresh-history")

    assert fresh.returncode == 0, fresh.stderr
    assert _rows(db, "select build_number from audit.build_runs") == [(1,)]


@pytest.mark.parametrize(("damage", "problem"), [
    ("alter table history.group_outcomes_history drop column build_id",
     "history.group_outcomes_history has no column build_id"),
    ("alter table audit.build_runs alter input_file_bytes type varchar",
     "audit.build_runs.input_file_bytes is VARCHAR where this build writes BIGINT"),
])
def test_a_column_the_history_needs_dropped_or_retyped_is_refused(two_builds, tmp_path, damage, problem):
    db = _damaged_copy(two_builds, tmp_path, damage)
    before = sha256(db)

    refused = run_build_process(two_builds[0], db, *NO_MODELS)

    assert refused.returncode == 2
    assert refused.stderr.splitlines() == [
        f"error: the build history of {db} is damaged: {problem}; restore it, or {FRESH_HISTORY}; "
        f"the published warehouse was left as it was"]
    assert sha256(db) == before


def test_columns_a_steward_added_are_named_and_the_history_is_carried(two_builds, tmp_path):
    summary = "select * exclude (approved_by, note) from history.fairness_summary_history order by all"
    db = _damaged_copy(two_builds, tmp_path,
                       "alter table history.fairness_summary_history add column approved_by varchar",
                       "alter table history.fairness_summary_history add column note varchar",
                       "update history.fairness_summary_history set approved_by = 'steward', note = 'it''s fine'")
    carried = _rows(db, summary)

    rebuilt = run_build_process(two_builds[0], db, *NO_MODELS)

    assert rebuilt.returncode == 0, rebuilt.stderr
    assert ("note: history.fairness_summary_history has column(s) approved_by, note that the build does not "
            "carry; they are not in the new warehouse (export them first with make history-export)"
            ) in rebuilt.stderr.splitlines()
    assert _rows(db, "select build_number from audit.build_runs order by all") == [(1,), (2,), (3,)]
    assert _rows(db, "select * from history.fairness_summary_history where build_number <= 2 order by all") == carried
    columns = _rows(db, "select column_name from duckdb_columns() "
                        "where schema_name = 'history' and table_name = 'fairness_summary_history'")
    assert not {("approved_by",), ("note",)} & set(columns)
