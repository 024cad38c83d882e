"""Check the file a build is about to publish: whole on its own, with everything dbt wrote into it.

dbt's connection checkpoints its write-ahead log into the file when it closes. When it cannot (a
full disk), the last writes stay in `<file>.wal`, and renaming the file alone would publish a
warehouse without them. So before the rename the file must have no log beside it, open on its
own, hold a relation for every model and seed of the project, and hold in each table the rows
dbt counted at the end of its run (audit.relation_row_counts).
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from reports.warehouse_reader import quoted
from warehouse.dbt_runner import LEFT_AS_IT_WAS
from warehouse.errors import BuildError

SHOWN_NAMES = 5
NOT_WRITTEN = "the built warehouse was not completely written to disk"


def wal_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".wal")


def expected_relations(manifest_path: Path) -> set[str]:
    """schema.name of every table and view the dbt project builds (ephemeral models have none)."""
    nodes = json.loads(manifest_path.read_text())["nodes"].values()
    return {
        f"{node['schema']}.{node['alias']}"
        for node in nodes
        if node["resource_type"] in {"model", "seed"} and node["config"]["materialized"] != "ephemeral"
    }


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:SHOWN_NAMES])
    return shown + (f" and {len(names) - SHOWN_NAMES} more" if len(names) > SHOWN_NAMES else "")


def _merge_leftover_log(db_path: Path) -> None:
    """Try once to checkpoint what dbt's connection could not; a log still there stops the publish."""
    if not wal_path(db_path).exists():
        return
    try:
        with duckdb.connect(str(db_path)) as con:
            con.execute("checkpoint")
    except duckdb.Error:
        pass
    if wal_path(db_path).exists():
        raise BuildError(
            f"{NOT_WRITTEN}: dbt's last writes are still in its write-ahead log, which could not be "
            f"merged into the file (is the disk full?); {LEFT_AS_IT_WAS}"
        )


def _relations(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute(
        "select schema_name || '.' || table_name from duckdb_tables() where not internal "
        "union all select schema_name || '.' || view_name from duckdb_views() where not internal"
    ).fetchall()
    return {name for (name,) in rows}


def _row_count_mismatches(con: duckdb.DuckDBPyConnection) -> list[str]:
    counted = con.execute("select schema_name, relation_name, row_count from audit.relation_row_counts").fetchall()
    mismatches = []
    for schema, name, expected in counted:
        found = con.execute(f"select count(*) from {quoted(schema)}.{quoted(name)}").fetchone()[0]
        if found != expected:
            mismatches.append(f"{schema}.{name} ({found} rows, dbt wrote {expected})")
    return mismatches


def check_whole_warehouse(db_path: Path, dbt_target: Path) -> None:
    """Raise BuildError unless db_path, opened on its own, holds all that dbt wrote."""
    _merge_leftover_log(db_path)
    expected = expected_relations(dbt_target / "manifest.json") | {"audit.relation_row_counts"}
    try:
        with duckdb.connect(str(db_path), read_only=True) as con:
            missing = sorted(expected - _relations(con))
            if missing:
                raise BuildError(
                    f"{NOT_WRITTEN}: it lacks {len(missing)} of its {len(expected)} tables and views "
                    f"({_names(missing)}); {LEFT_AS_IT_WAS}"
                )
            mismatches = _row_count_mismatches(con)
    except duckdb.Error as exc:
        first_line = str(exc).splitlines()[0]
        raise BuildError(f"the built warehouse cannot be opened ({first_line}); {LEFT_AS_IT_WAS}") from None
    if mismatches:
        raise BuildError(f"{NOT_WRITTEN}: {_names(mismatches)}; {LEFT_AS_IT_WAS}")
