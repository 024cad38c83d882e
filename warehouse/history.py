"""Carry the published warehouse's history into the file a build is about to publish.

Each build writes a new file and renames it over the published one, so the history would end with
every build. Under the build lock, before dbt runs, the build therefore opens the published file
read-only and copies its history tables (audit.build_runs and history.*_history) into its private
file as history_carried.<table>; the dbt models of models/history/ union them with this build's
rows. The rows travel as Arrow data, never as SQL text, so no value (a file name with a quote, a
var) can change a statement.

Nothing is carried for a new warehouse path, with --fresh-history, or from a file that is not a
warehouse of this project (--replace-any-file replaces it); a warehouse built before the history
existed is carried as an empty history, and the build says so.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from reports.warehouse_reader import quoted
from warehouse.errors import BuildError
from warehouse.published_file import why_not_this_projects

CARRIED_SCHEMA = "history_carried"
# what the published file keeps from one build to the next -> its name in CARRIED_SCHEMA
CARRIED_TABLES = {
    ("audit", "build_runs"): "build_runs",
    ("history", "fairness_summary_history"): "fairness_summary_history",
    ("history", "group_outcomes_history"): "group_outcomes_history",
    ("history", "model_metrics_history"): "model_metrics_history",
}


def published_history(published: Path) -> dict[str, object]:
    """The history tables the published file holds, as Arrow tables by carried name (duckdb.Error if unreadable)."""
    with duckdb.connect(str(published), read_only=True) as source:
        present = set(source.execute(
            "select schema_name, table_name from duckdb_tables() where not internal").fetchall())
        return {
            carried: source.sql(f"select * from {quoted(schema)}.{quoted(table)}").to_arrow_table()
            for (schema, table), carried in CARRIED_TABLES.items() if (schema, table) in present
        }


def carry_history(con: duckdb.DuckDBPyConnection, published: Path, fresh: bool) -> str | None:
    """Copy the published file's history into con's CARRIED_SCHEMA; a note for the user, if any."""
    con.execute(f"create schema if not exists {CARRIED_SCHEMA}")
    if not published.exists() or why_not_this_projects(published) is not None:
        return None
    if fresh:
        return f"note: the build history of {published} was not carried (--fresh-history): this build starts a new one"
    try:
        tables = published_history(published)
    except duckdb.Error as exc:
        raise BuildError(
            f"the build history of {published} cannot be read ({str(exc).splitlines()[0]}); build with "
            f"--fresh-history (make build FRESH_HISTORY=yes) to start a new one; the published warehouse "
            f"was left as it was"
        ) from None
    if "build_runs" not in tables:
        return f"note: {published} was built before warehouses kept a build history: this build starts its history"
    for carried, rows in tables.items():
        con.register("carried_rows", rows)
        try:
            con.execute(f"create table {CARRIED_SCHEMA}.{quoted(carried)} as select * from carried_rows")
        finally:
            con.unregister("carried_rows")
    return None
