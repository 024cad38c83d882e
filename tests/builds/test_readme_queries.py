"""The README's querying section works as written on a warehouse's first build: each first query
returns rows (history comparisons, which fill from the second build, are not among them), and the
Superset URI it gives opens the file read-only."""

import re

import duckdb
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.slow


def readme_first_queries() -> list[str]:
    section = (REPO_ROOT / "README.md").read_text().split("### First queries", 1)[1]
    sql = re.search(r"```sql\n(.*?)```", section, re.DOTALL).group(1)
    return [statement.strip() for statement in sql.split(";") if statement.strip()]


def test_the_readme_has_first_queries():
    assert len(readme_first_queries()) >= 5


@pytest.mark.parametrize("query", readme_first_queries(), ids=lambda query: query.splitlines()[0][3:])
def test_each_first_query_returns_rows_after_the_first_build(query, workshop_db):
    with duckdb.connect(str(workshop_db), read_only=True) as con:
        assert con.execute("select count(*) from audit.build_runs").fetchone() == (1,)
        assert con.execute(query).fetchall() != []


def test_the_readme_superset_uri_opens_the_warehouse_read_only(workshop_db):
    uri = re.search(r"URI `(duckdb:///[^`]+)`", (REPO_ROOT / "README.md").read_text()).group(1)
    engine = create_engine(uri.replace("/abs/path/warehouse/dei.duckdb", str(workshop_db)))
    try:
        with engine.connect() as connection:
            assert connection.execute(text("select count(*) from fairness.fairness_summary")).scalar() > 0
            with pytest.raises(DBAPIError, match="read-only"):
                connection.execute(text("create table scratch as select 1"))
    finally:
        engine.dispose()
