"""Every table, view and column a BI tool lists carries its description as a DuckDB comment.

raw.* is loaded by warehouse.ingest.load before dbt runs, so dbt's persist_docs never reaches it: its
comments come from the sources YAML through warehouse/ingest/sql/raw_artists.sql.
"""

import duckdb
import pytest

pytestmark = pytest.mark.slow

PUBLISHED_SCHEMAS = (
    "select schema_name from duckdb_schemas() "
    "where not internal and database_name = current_database()"
)


def undescribed_relations(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [name for (name,) in con.execute(
        "select schema_name || '.' || table_name from duckdb_tables() "
        f"where schema_name in ({PUBLISHED_SCHEMAS}) and coalesce(trim(comment), '') = '' "
        "union all select schema_name || '.' || view_name from duckdb_views() "
        f"where schema_name in ({PUBLISHED_SCHEMAS}) and coalesce(trim(comment), '') = '' "
        "order by 1"
    ).fetchall()]


def undescribed_columns(con: duckdb.DuckDBPyConnection) -> list[str]:
    # duckdb_columns() lists the columns of views as well as of tables
    return [name for (name,) in con.execute(
        "select schema_name || '.' || table_name || '.' || column_name from duckdb_columns() "
        f"where schema_name in ({PUBLISHED_SCHEMAS}) and coalesce(trim(comment), '') = '' "
        "order by 1"
    ).fetchall()]


def test_every_table_and_view_is_described(workshop_db):
    with duckdb.connect(str(workshop_db), read_only=True) as con:
        assert undescribed_relations(con) == []


def test_every_column_of_every_table_and_view_is_described(workshop_db):
    with duckdb.connect(str(workshop_db), read_only=True) as con:
        assert undescribed_columns(con) == []
