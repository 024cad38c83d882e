"""The published warehouse through the clients BI users read it with: SQLAlchemy 2 + duckdb_engine
(Superset), pandas 3 on top of it, and the DuckDB CLI. Each opens the file read-only, as a BI
tool holding the published file does."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.types import NullType

from tests.conftest import REPO_ROOT

pytestmark = [
    pytest.mark.slow,
    # the nested columns of INTERNAL_SCHEMAS reflect as NullType with this warning; the tests below
    # fail on any such column elsewhere
    pytest.mark.filterwarnings("ignore:Did not recognize type:sqlalchemy.exc.SAWarning"),
]

# nested intermediates that the flat ml tables unnest; documented as not for BI users
INTERNAL_SCHEMAS = {"ml_internal"}


@contextmanager
def read_only_engine(db: Path):
    """An engine the way Superset opens the file; disposed after use, since DuckDB refuses a second
    connection to the file from this process with another configuration (duckdb.connect's)."""
    engine = create_engine(f"duckdb:///{db}", connect_args={"read_only": True})
    try:
        yield engine
    finally:
        engine.dispose()


def warehouse_schemas(inspector, db: Path) -> list[str]:
    """The warehouse's own schemas as duckdb_engine names them (`<catalog>.<schema>`): not DuckDB's
    system and temp catalogs, nor the empty default schema."""
    catalog = db.stem
    return [name for name in inspector.get_schema_names()
            if name.startswith(f"{catalog}.") and name != f"{catalog}.main"]


def reflected_relations(db: Path) -> dict[str, dict]:
    """{'schema.relation': {'comment': ..., 'columns': [...]}} for every table and view, reflected
    the way Superset does."""
    relations = {}
    with read_only_engine(db) as engine:
        inspector = inspect(engine)
        for schema in warehouse_schemas(inspector, db):
            names = inspector.get_table_names(schema=schema) + inspector.get_view_names(schema=schema)
            for name in names:
                relations[f"{schema.split('.', 1)[1]}.{name}"] = {
                    "comment": inspector.get_table_comment(name, schema=schema)["text"],
                    "columns": inspector.get_columns(name, schema=schema),
                }
    return relations


def quoted(relation: str) -> str:
    return ".".join('"' + part.replace('"', '""') + '"' for part in relation.split("."))


def pandas_row_counts(db: Path) -> dict[str, int]:
    """Rows pandas.read_sql gets from every table and view through SQLAlchemy."""
    relations = reflected_relations(db)
    with read_only_engine(db) as engine, engine.connect() as connection:
        return {relation: len(pd.read_sql(text(f"select * from {quoted(relation)}"), connection))
                for relation in relations}


def pandas_row_counts_without_pytz(db: Path) -> dict[str, int]:
    """pandas_row_counts on a BI host without pytz: pandas 3 no longer installs it and DuckDB needs
    it to hand TIMESTAMPTZ values to Python. dbt installs it here, so a fresh interpreter hides it."""
    program = ("import json, sys; sys.modules['pytz'] = None; "
               "from tests.builds.test_bi_clients import pandas_row_counts; "
               f"print(json.dumps(pandas_row_counts(__import__('pathlib').Path({str(db)!r}))))")
    finished = subprocess.run([sys.executable, "-W", "ignore", "-c", program], cwd=REPO_ROOT,
                              capture_output=True, text=True, check=False)
    assert finished.returncode == 0, finished.stderr
    return json.loads(finished.stdout)


def duckdb_row_counts(db: Path, relations) -> dict[str, int]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {relation: con.execute(f"select count(*) from {quoted(relation)}").fetchone()[0]
                for relation in relations}


def duckdb_cli() -> str:
    """The `duckdb` executable of the duckdb-cli dev dependency, installed beside this interpreter."""
    beside_python = Path(sys.executable).parent / "duckdb"
    found = str(beside_python) if beside_python.exists() else shutil.which("duckdb")
    assert found, "no duckdb CLI: pip install -e '.[dev]' installs it (package duckdb-cli)"
    return found


@pytest.fixture(scope="module")
def relations(workshop_db) -> dict[str, dict]:
    return reflected_relations(workshop_db)


def test_sqlalchemy_reflects_every_schema_of_the_warehouse(relations):
    schemas = {relation.split(".")[0] for relation in relations}
    assert {"raw", "staging", "audit", "features", "fairness", "equity", "ml"} <= schemas
    assert "staging.stg_artists" in relations and "raw.artists" in relations


def test_bi_facing_columns_have_a_sqlalchemy_type(relations):
    untyped = [f"{relation}.{column['name']}" for relation, reflected in relations.items()
               if relation.split(".")[0] not in INTERNAL_SCHEMAS
               for column in reflected["columns"] if isinstance(column["type"], NullType)]
    assert untyped == []


def test_every_table_and_view_carries_its_comment(relations):
    assert [relation for relation, reflected in relations.items() if not reflected["comment"]] == []


def test_no_column_is_a_timestamp_with_time_zone(workshop_db):
    with duckdb.connect(str(workshop_db), read_only=True) as con:
        zoned = con.execute(
            "select schema_name || '.' || table_name || '.' || column_name from duckdb_columns() "
            "where database_name = current_database() and data_type like '%TIME ZONE%'"
        ).fetchall()
    assert zoned == []


def test_pandas_without_pytz_reads_every_row_of_every_table_and_view(workshop_db, relations):
    counts = pandas_row_counts_without_pytz(workshop_db)
    assert counts == duckdb_row_counts(workshop_db, relations)
    assert counts["staging.stg_artists"] == 40


def test_duckdb_cli_reads_the_warehouse_read_only(workshop_db):
    finished = subprocess.run(
        [duckdb_cli(), "-readonly", str(workshop_db), "-csv", "-noheader",
         "-c", "select count(*) from staging.stg_artists"],
        capture_output=True, text=True, check=False,
    )
    assert finished.returncode == 0, finished.stderr
    assert finished.stdout.strip() == "40"
