"""BI tools ship their own, older DuckDB: each must read every table and view as the build's does.

Each release runs in a virtual environment of its own (tests/old_duckdb.py), with threads > 1 so
that it plans the parallel pipelines a BI tool does, and its rows are compared with the current
duckdb's, sorted, floats to 13 significant digits (tests/old_duckdb.py says why).
"""

from __future__ import annotations

import duckdb
import pytest

from tests.old_duckdb import READER_THREADS, qualified_name, read_relations, row_texts

pytestmark = pytest.mark.slow

# 0.10.3 is the oldest release that opens the file at all (0.10.2 fails to deserialize its catalog);
# 2.0.1 the newest on PyPI
DIRECT_READERS = ("0.10.3", "1.0.0", "1.1.3", "1.2.2", "1.3.2", "1.4.4", "2.0.0", "2.0.1")
# before 1.2 a view of an ATTACHed file looks its tables up in the default catalog, and the views
# name no catalog so that a copy of the file under another name works (dbt_project/macros/ref.sql)
ATTACHED_READERS = ("1.2.2", "1.3.2", "1.4.4", "2.0.0", "2.0.1")
READER_TIMEOUT_SECONDS = 300


def published_relations(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [f"{schema}.{name}" for schema, name in con.execute(
        "select schema_name, table_name from duckdb_tables() where not internal "
        "union all select schema_name, view_name from duckdb_views() where not internal "
        "order by 1, 2"
    ).fetchall()]


def current_rows(db_path) -> dict[str, tuple[str, ...]]:
    """Every relation's rows as the build's own duckdb reads them, in the readers' settings."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        con.execute(f"set threads = {READER_THREADS}")
        con.execute("set timezone = 'UTC'")
        return {relation: tuple(row_texts(con.execute(f"select * from {qualified_name(relation)}").fetchall()))
                for relation in published_relations(con)}


def differences(expected: dict[str, tuple[str, ...]], found: dict) -> dict[str, str]:
    """What is wrong with each relation a reader did not read as expected."""
    problems = {}
    for relation, rows in expected.items():
        read = found[relation]
        if read.error:
            problems[relation] = read.error
        elif read.rows != rows:
            missing = len(set(rows) - set(read.rows))
            problems[relation] = f"{len(read.rows)} rows read, {len(rows)} expected ({missing} expected rows missing)"
    return problems


@pytest.fixture(scope="module")
def expected_rows(workshop_db):
    return current_rows(workshop_db)


@pytest.mark.parametrize("version", DIRECT_READERS)
def test_an_older_duckdb_opening_the_file_reads_every_row(version, workshop_db, expected_rows):
    found = read_relations(
        version, workshop_db, list(expected_rows), attached=False, timeout_seconds=READER_TIMEOUT_SECONDS
    )
    assert differences(expected_rows, found) == {}


@pytest.mark.parametrize("version", ATTACHED_READERS)
def test_an_older_duckdb_attaching_the_file_reads_every_row(version, workshop_db, expected_rows):
    found = read_relations(
        version, workshop_db, list(expected_rows), attached=True, timeout_seconds=READER_TIMEOUT_SECONDS
    )
    assert differences(expected_rows, found) == {}
