"""The SQL files of the load (warehouse/ingest/sql/), rendered with Jinja and run statement by statement.

Jinja renders only what the project defines (column names, their types, the YAML's descriptions,
identifiers already quoted); every value from the input (paths, file names, counts) is a bound
parameter of the statement that uses it.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import jinja2

SQL_DIR = Path(__file__).with_name("sql")
TEMPLATES = jinja2.Environment(loader=jinja2.FileSystemLoader(SQL_DIR), undefined=jinja2.StrictUndefined)


def statements(template: str, **context) -> list[str]:
    sql = TEMPLATES.get_template(template).render(**context)
    return [statement for statement in re.split(r";\s*$", sql, flags=re.MULTILINE) if statement.strip()]


def execute(con: duckdb.DuckDBPyConnection, sql: list[str], parameters: dict) -> None:
    """Each statement with the parameters it names (DuckDB refuses one it does not use)."""
    for statement in sql:
        con.execute(statement, {name: value for name, value in parameters.items() if f"${name}" in statement})
