"""A history a client damaged is refused, not lost; columns a client added are named; the export's
files keep who may read them. On small DuckDB files (the real builds: tests/builds/test_history_damage.py)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import duckdb
import pytest

from tests.accounts import bi_group
from warehouse.build_history.carry import CARRIED_SCHEMA, carry_history
from warehouse.build_history.export import export_history
from warehouse.build_history.lineage import describe_build, record_lineage
from warehouse.errors import BuildError
from warehouse.ingest.input_files import find_input
from warehouse.settings.resolve import resolve_settings

FRESH_HISTORY = "restore it, or build with FRESH_HISTORY=yes (make build) / --fresh-history to start a new history"


def published_warehouse(path: Path, *damage: str) -> Path:
    """A warehouse of this project with two builds of history, then the damage statements run on it."""
    with duckdb.connect(str(path)) as con:
        con.execute("create schema audit")
        con.execute("create schema history")
        con.execute("create table audit.load_reconciliation (source_file varchar)")
        con.execute("create table audit.build_runs (build_id varchar, build_number integer, input_file_bytes bigint)")
        con.execute("insert into audit.build_runs values ('b1', 1, 10), ('b2', 2, 20)")
        con.execute("create table history.fairness_summary_history (build_id varchar, build_number integer, "
                    "attribute varchar, disparate_impact_ratio double)")
        con.execute("insert into history.fairness_summary_history values "
                    "('b1', 1, 'gender', 0.5), ('b1', 1, 'genre', 0.6), ('b2', 2, 'gender', 0.7)")
        for statement in damage:
            con.execute(statement)
    return path


@pytest.fixture()
def private(tmp_path):
    """A build's private file as the carry finds it: this build's lineage row already written."""
    data = tmp_path / "artists.csv"
    data.write_bytes(b"artist_id\n1\n")
    with duckdb.connect() as con:
        record_lineage(con, describe_build(find_input(data), resolve_settings({})))
        yield con


def refusal(private, published: Path) -> str:
    with pytest.raises(BuildError) as raised:
        carry_history(private, published, fresh=False)
    return str(raised.value)


def test_build_runs_dropped_beside_history_rows_is_refused_unless_a_fresh_history_is_asked_for(tmp_path, private):
    published = published_warehouse(tmp_path / "dei.duckdb", "drop table audit.build_runs")

    assert refusal(private, published) == (
        f"the build history of {published} is damaged: audit.build_runs is missing while "
        f"history.fairness_summary_history holds 3 rows; {FRESH_HISTORY}; the published warehouse was left as it was")
    assert carry_history(private, published, fresh=True).startswith(
        f"note: the build history of {published} was not carried (--fresh-history)")


@pytest.mark.parametrize(("damage", "problem"), [
    ("alter table history.fairness_summary_history drop column build_id",
     "history.fairness_summary_history has no column build_id"),
    ("alter table audit.build_runs drop column build_number", "audit.build_runs has no column build_number"),
])
def test_a_table_without_a_column_its_rows_are_kept_by_is_refused(tmp_path, private, damage, problem):
    published = published_warehouse(tmp_path / "dei.duckdb", damage)

    assert refusal(private, published) == (
        f"the build history of {published} is damaged: {problem}; {FRESH_HISTORY}; "
        f"the published warehouse was left as it was")


@pytest.mark.parametrize(("damage", "problem"), [
    ("alter table audit.build_runs alter input_file_bytes type varchar",
     "audit.build_runs.input_file_bytes is VARCHAR where this build writes BIGINT"),
    ("alter table history.fairness_summary_history alter build_id type blob",
     "history.fairness_summary_history.build_id is BLOB where this build writes VARCHAR"),
])
def test_a_column_of_another_type_than_this_build_writes_is_refused(tmp_path, private, damage, problem):
    published = published_warehouse(tmp_path / "dei.duckdb", damage)

    assert problem in refusal(private, published)


def test_columns_a_client_added_are_named_and_the_rows_still_carried(tmp_path, private):
    published = published_warehouse(
        tmp_path / "dei.duckdb",
        "alter table history.fairness_summary_history add column approved_by varchar",
        "alter table history.fairness_summary_history add column note varchar",
        "update history.fairness_summary_history set approved_by = 'steward', note = 'checked'")

    note = carry_history(private, published, fresh=False)

    assert note == ("note: history.fairness_summary_history has column(s) approved_by, note that the build "
                    "does not carry; they are not in the new warehouse (export them first with make history-export)")
    assert private.execute(f"select build_id, attribute from {CARRIED_SCHEMA}.fairness_summary_history "
                           "order by all").fetchall() == [("b1", "gender"), ("b1", "genre"), ("b2", "gender")]


# --- make history-export ----------------------------------------------------------------------

def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture()
def umask_022():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_new_export_file_follows_the_umask(tmp_path, umask_022):
    written = export_history(published_warehouse(tmp_path / "dei.duckdb"), tmp_path / "out")

    assert {path.name: _mode(path) for path in written} == {
        "audit.build_runs.parquet": 0o644, "history.fairness_summary_history.parquet": 0o644}


def test_an_export_file_that_replaces_one_keeps_its_mode_and_group(tmp_path, umask_022):
    out = tmp_path / "out"
    out.mkdir()
    earlier = out / "history.fairness_summary_history.parquet"
    earlier.write_bytes(b"an earlier export")
    earlier.chmod(0o640)
    # the group part needs a group to give the file (CI runs as root and creates one)
    group = bi_group().gr_gid if os.geteuid() == 0 else None
    if group is not None:
        os.chown(earlier, -1, group)

    export_history(published_warehouse(tmp_path / "dei.duckdb"), out)

    assert earlier.read_bytes() != b"an earlier export"
    assert _mode(earlier) == 0o640
    if group is not None:
        assert earlier.stat().st_gid == group
