"""Carry the published warehouse's history into the file a build is about to publish.

Each build writes a new file and renames it over the published one, so the history would end with
every build. Under the build lock, before dbt runs, the build therefore opens the published file
read-only and copies its history tables (audit.build_runs and history.*_history) into its private
file as history_carried.<table>; the dbt models of models/history/ union them with this build's
rows. The rows travel as Arrow data, never as SQL text, so no value (a file name with a quote, a
var) can change a statement.

Nothing is carried for a new warehouse path, with --fresh-history, or from a file that is not a
warehouse of this project (--replace-any-file replaces it); a warehouse built before the history
existed (none of the history tables) is carried as an empty history, and the build says so.

A history a client damaged is refused rather than lost: audit.build_runs gone while history
tables remain, a column the models need gone, or a column whose type is not the one this build
writes. Columns a client added are not in the models, so they do not reach the new file: the build
says which.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import yaml

from reports.warehouse_reader import quoted
from warehouse.dbt_runner import LEFT_AS_IT_WAS
from warehouse.errors import BuildError
from warehouse.publish.published_file import why_not_this_projects
from warehouse.settings.project import DBT_PROJECT_DIR

CARRIED_SCHEMA = "history_carried"
# what the published file keeps from one build to the next -> its name in CARRIED_SCHEMA
CARRIED_TABLES = {
    ("audit", "build_runs"): "build_runs",
    ("history", "fairness_summary_history"): "fairness_summary_history",
    ("history", "group_outcomes_history"): "group_outcomes_history",
    ("history", "model_metrics_history"): "model_metrics_history",
}
PUBLISHED_NAME = {carried: f"{schema}.{table}" for (schema, table), carried in CARRIED_TABLES.items()}
# the dbt models of the carried tables, which declare the columns the new file has
HISTORY_MODELS = DBT_PROJECT_DIR / "models" / "history"
# The models copy a carried column by name (union all by name), so one a table lacks reads null:
# that is how a column a later version added enters the history. These they read instead: build_runs
# numbers the next build after the largest build_number and keeps the last builds by it, and every
# table keeps a carried row only when its build_id is a kept build's; without them rows are lost.
ROW_KEYS = {"build_runs": ("build_id", "build_number")}
HISTORY_ROW_KEYS = ("build_id",)
FRESH_HISTORY_HINT = "build with FRESH_HISTORY=yes (make build) / --fresh-history to start a new history"


def published_history(published: Path) -> dict[str, object]:
    """The history tables the published file holds, as Arrow tables by carried name (duckdb.Error if unreadable)."""
    with duckdb.connect(str(published), read_only=True) as source:
        present = set(source.execute(
            "select schema_name, table_name from duckdb_tables() where not internal").fetchall())
        return {
            carried: source.sql(f"select * from {quoted(schema)}.{quoted(table)}").to_arrow_table()
            for (schema, table), carried in CARRIED_TABLES.items() if (schema, table) in present
        }


def declared_columns() -> dict[str, list[str]]:
    """The columns each history model declares, by model name (= carried name)."""
    models = [model for path in sorted(HISTORY_MODELS.glob("*.yml"))
              for model in (yaml.safe_load(path.read_text()) or {}).get("models", [])]
    return {model["name"]: [column["name"] for column in model.get("columns", [])] for model in models}


def damaged(published: Path, problems: list[str]) -> BuildError:
    return BuildError(
        f"the build history of {published} is damaged: {'; '.join(problems)}; restore it, or "
        f"{FRESH_HISTORY_HINT}; {LEFT_AS_IT_WAS}"
    )


def missing_build_runs(tables: dict[str, object]) -> str:
    carried, rows = next(iter(tables.items()))
    return f"audit.build_runs is missing while {PUBLISHED_NAME[carried]} holds {rows.num_rows} rows"


def missing_keys(tables: dict[str, object]) -> list[str]:
    return [
        f"{PUBLISHED_NAME[carried]} has no column {key}"
        for carried, rows in tables.items()
        for key in ROW_KEYS.get(carried, HISTORY_ROW_KEYS) if key not in rows.column_names
    ]


def copy_into(con: duckdb.DuckDBPyConnection, tables: dict[str, object]) -> None:
    for carried, rows in tables.items():
        con.register("carried_rows", rows)
        try:
            con.execute(f"create table {CARRIED_SCHEMA}.{quoted(carried)} as select * from carried_rows")
        finally:
            con.unregister("carried_rows")


def schema_columns(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, str]]:
    """Column name -> type of each table of CARRIED_SCHEMA, by table name."""
    tables: dict[str, dict[str, str]] = {}
    for table, column, data_type in con.execute(
            "select table_name, column_name, data_type from duckdb_columns() where schema_name = ? "
            "order by table_name, column_index", [CARRIED_SCHEMA]).fetchall():
        tables.setdefault(table, {})[column] = data_type
    return tables


def changed_types(carried: dict[str, dict[str, str]], own: dict[str, str],
                  declared: dict[str, list[str]]) -> list[str]:
    """Model columns carried with another type than this build's rows give them: the union would
    change the published column's type (to text, say) or what its rows are matched on."""
    return [
        f"{PUBLISHED_NAME[table]}.{name} is {data_type} where this build writes {own[name]}"
        for table, types in carried.items()
        for name, data_type in types.items() if name in declared[table] and own.get(name, data_type) != data_type
    ]


def added_columns_notes(carried: dict[str, dict[str, str]], declared: dict[str, list[str]]) -> list[str]:
    notes = []
    for table, types in carried.items():
        if added := [name for name in types if name not in declared[table]]:
            notes.append(
                f"note: {PUBLISHED_NAME[table]} has column(s) {', '.join(added)} that the build does not "
                f"carry; they are not in the new warehouse (export them first with make history-export)"
            )
    return notes


def checked_copy(con: duckdb.DuckDBPyConnection, published: Path, tables: dict[str, object]) -> list[str]:
    """Copy tables into CARRIED_SCHEMA, refusing a column of a changed type; notes on the columns left behind."""
    copy_into(con, tables)
    columns = schema_columns(con)
    carried = {table: types for table, types in columns.items() if table in PUBLISHED_NAME}
    # the tables the build wrote itself before the carry: its lineage row, what its rows hold
    own = {name: data_type for table, types in columns.items() if table not in PUBLISHED_NAME
           for name, data_type in types.items()}
    declared = declared_columns()
    if problems := changed_types(carried, own, declared):
        raise damaged(published, problems)
    return added_columns_notes(carried, declared)


def carry_history(con: duckdb.DuckDBPyConnection, published: Path, fresh: bool) -> str | None:
    """Copy the published file's history into con's CARRIED_SCHEMA; notes for the user (a line each), if any."""
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
    if not tables:
        return f"note: {published} was built before warehouses kept a build history: this build starts its history"
    if "build_runs" not in tables:
        raise damaged(published, [missing_build_runs(tables)])
    if problems := missing_keys(tables):
        raise damaged(published, problems)
    return "\n".join(checked_copy(con, published, tables)) or None
