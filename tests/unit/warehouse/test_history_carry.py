"""What a build carries from the published file into its private one, and what it records about itself,
on small DuckDB files (the chain of real builds: tests/builds/test_history.py)."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from warehouse.build import parse_args
from warehouse.build_history.carry import CARRIED_SCHEMA, carry_history
from warehouse.build_history.export import export_history
from warehouse.build_history.lineage import dbt_layer_seconds, describe_build, record_lineage, settings_json
from warehouse.errors import BuildError
from warehouse.ingest.input_files import find_input
from warehouse.settings.resolve import resolve_settings
from warehouse.timings import StepTimings

# every character a value could use to end a string literal or a statement
HOSTILE_TEXT = "it's \"x\"; drop table audit.build_runs; -- \\' $1 ?"
STARTED = datetime(2026, 1, 2, 3, 4, 5, 678901)


def carried_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [name for (name,) in con.execute(
        "select table_name from duckdb_tables() where schema_name = ? order by table_name", [CARRIED_SCHEMA]
    ).fetchall()]


def warehouse_file(path: Path, with_history: bool) -> Path:
    """A file that passes for a warehouse of this project (audit.load_reconciliation), with or without a history."""
    with duckdb.connect(str(path)) as con:
        con.execute("create schema audit")
        con.execute("create table audit.load_reconciliation (source_file varchar)")
        if with_history:
            con.execute("create schema history")
            con.execute("create table audit.build_runs (build_id varchar, build_number bigint, "
                        "started_at_utc timestamp, input_file_name varchar, finished_at_utc timestamp)")
            con.execute("insert into audit.build_runs values (?, ?, ?, ?, null)", ["b1", 1, STARTED, HOSTILE_TEXT])
            con.execute("create table history.fairness_summary_history (build_id varchar, attribute varchar, "
                        "disparate_impact_ratio double, four_fifths_verdict varchar)")
            con.execute("insert into history.fairness_summary_history values (?, ?, ?, null)",
                        ["b1", HOSTILE_TEXT, 0.1 + 0.2])
    return path


@pytest.fixture()
def private():
    with duckdb.connect() as con:
        yield con


def test_the_published_history_is_copied_value_for_value(tmp_path, private):
    published = warehouse_file(tmp_path / "dei.duckdb", with_history=True)

    assert carry_history(private, published, fresh=False) is None

    assert carried_tables(private) == ["build_runs", "fairness_summary_history"]
    assert private.execute(f"select * from {CARRIED_SCHEMA}.build_runs").fetchall() == [
        ("b1", 1, STARTED, HOSTILE_TEXT, None)]
    assert private.execute(f"select * from {CARRIED_SCHEMA}.fairness_summary_history").fetchall() == [
        ("b1", HOSTILE_TEXT, 0.1 + 0.2, None)]
    types = private.execute("select data_type from duckdb_columns() where schema_name = ? and table_name = ? "
                            "order by column_index", [CARRIED_SCHEMA, "build_runs"]).fetchall()
    assert [name for (name,) in types] == ["VARCHAR", "BIGINT", "TIMESTAMP", "VARCHAR", "TIMESTAMP"]


def test_a_fresh_history_carries_nothing_and_says_so(tmp_path, private):
    published = warehouse_file(tmp_path / "dei.duckdb", with_history=True)

    note = carry_history(private, published, fresh=True)

    assert note.startswith(f"note: the build history of {published} was not carried (--fresh-history)")
    assert carried_tables(private) == []


def test_a_warehouse_from_before_the_history_starts_one(tmp_path, private):
    published = warehouse_file(tmp_path / "dei.duckdb", with_history=False)

    note = carry_history(private, published, fresh=False)

    assert note == f"note: {published} was built before warehouses kept a build history: this build starts its history"
    assert carried_tables(private) == []


@pytest.mark.parametrize("content", [None, b"artist_id,artist_name\n1,x\n"])
def test_no_file_or_a_file_of_another_kind_gives_a_new_history_silently(tmp_path, private, content):
    published = tmp_path / "dei.duckdb"
    if content is not None:
        published.write_bytes(content)

    assert carry_history(private, published, fresh=False) is None
    assert carried_tables(private) == []


def test_the_fresh_history_flag_reaches_the_build_options():
    assert parse_args(["--fresh-history"]).fresh_history is True
    assert parse_args([]).fresh_history is False


def test_the_lineage_row_holds_the_file_and_vars_as_written(tmp_path, private):
    data = tmp_path / f"{HOSTILE_TEXT}.csv"
    data.write_bytes(b"artist_id\n1\n")
    lineage = describe_build(find_input(data), resolve_settings({"min_group_size": 3}))

    record_lineage(private, lineage)

    [row] = private.execute(
        f"select input_file_name, input_file_bytes, input_file_sha256, dbt_vars_json, dbt_vars_sha256 "
        f"from {CARRIED_SCHEMA}.current_build").fetchall()
    variables = settings_json(resolve_settings({"min_group_size": 3}))
    assert row == (data.name, 12, hashlib.sha256(b"artist_id\n1\n").hexdigest(), variables,
                   hashlib.sha256(variables.encode()).hexdigest())
    assert json.loads(variables)["min_group_size"] == 3


def test_the_vars_text_does_not_depend_on_the_order_a_mapping_is_written_in():
    one = {"fairness_reference_groups": {"gender": "Male", "ethnicity": "White"}}
    other = {"fairness_reference_groups": {"ethnicity": "White", "gender": "Male"}}
    assert settings_json(one) == settings_json(other)


def test_dbt_seconds_are_summed_per_model_folder_seed_test_and_hook(tmp_path):
    (tmp_path / "manifest.json").write_text(json.dumps({
        "nodes": {"model.p.a": {"fqn": ["p", "fairness", "a"]}, "model.p.b": {"fqn": ["p", "fairness", "sub", "b"]},
                  "model.p.c": {"fqn": ["p", "ml", "c"]}, "seed.p.s": {"fqn": ["p", "s"]},
                  "test.p.t.1": {"fqn": ["p", "fairness", "t"]}},
        "unit_tests": {"unit_test.p.a.u": {"fqn": ["p", "fairness", "a", "u"]}}}))
    timings = {"model.p.a": 1.0, "model.p.b": 0.25, "model.p.c": 2.0, "seed.p.s": 0.5, "test.p.t.1": 0.125,
               "unit_test.p.a.u": 0.375, "operation.p.on-run-end.0": 0.75}
    (tmp_path / "run_results.json").write_text(json.dumps({"results": [
        {"unique_id": unique_id, "execution_time": seconds} for unique_id, seconds in timings.items()]}))

    assert dbt_layer_seconds(tmp_path) == {"fairness": 1.25, "ml": 2.0, "seeds": 0.5, "tests": 0.5, "hooks": 0.75}


def test_step_seconds_are_the_finished_steps_durations():
    timings = StepTimings()
    timings.steps = [{"step": "load", "started_at": 10.0, "completed_at": 12.5},
                     {"step": "dbt build", "started_at": 12.5, "completed_at": None}]
    assert timings.seconds() == {"load": 2.5}


def test_the_export_writes_each_carried_table_as_parquet(tmp_path):
    published = warehouse_file(tmp_path / "dei.duckdb", with_history=True)

    written = export_history(published, tmp_path / "out")

    assert [path.name for path in written] == ["audit.build_runs.parquet", "history.fairness_summary_history.parquet"]
    assert pq.read_table(written[0]).to_pylist() == [
        {"build_id": "b1", "build_number": 1, "started_at_utc": STARTED, "input_file_name": HOSTILE_TEXT,
         "finished_at_utc": None}]


def test_the_export_refuses_a_warehouse_without_history(tmp_path):
    published = warehouse_file(tmp_path / "dei.duckdb", with_history=False)
    with pytest.raises(BuildError, match="has no build history"):
        export_history(published, tmp_path / "out")
