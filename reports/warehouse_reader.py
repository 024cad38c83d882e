"""Read-only access to the published warehouse, with the checks that let a section say why it is empty.

A build on a tiny input can skip the model step, and a warehouse built before a layer existed has
no such tables: the report names what is missing instead of failing.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd


class Unavailable(Exception):
    """A report block cannot be drawn; the message says why, for the reader of the page."""


class WarehouseReader:
    def __init__(self, con: duckdb.DuckDBPyConnection):
        self._con = con

    @classmethod
    def open(cls, db_path: Path) -> WarehouseReader:
        if not db_path.exists():
            raise FileNotFoundError(f"no warehouse at {db_path}: run `make build` first")
        return cls(duckdb.connect(str(db_path), read_only=True))

    def close(self) -> None:
        self._con.close()

    def columns(self, relation: str) -> list[str]:
        schema, table = relation.split(".")
        rows = self._con.execute(
            "select column_name from duckdb_columns() where schema_name = ? and table_name = ? order by column_index",
            [schema, table],
        ).fetchall()
        return [name for (name,) in rows]

    def require(self, relation: str, columns: list[str]) -> None:
        """Raise Unavailable unless relation exists, has every column, and holds at least one row."""
        present = self.columns(relation)
        if not present:
            raise Unavailable(f"table {relation} is not in this warehouse (its build step did not run)")
        missing = [name for name in columns if name not in present]
        if missing:
            raise Unavailable(f"table {relation} has no column {', '.join(missing)}")
        if self.scalar(f"select count(*) from {relation}") == 0:
            raise Unavailable(f"table {relation} is empty (its build step was skipped for this input)")

    def frame(self, sql: str, params: list | None = None) -> pd.DataFrame:
        return self._con.execute(sql, params or []).df()

    def scalar(self, sql: str, params: list | None = None):
        return self._con.execute(sql, params or []).fetchone()[0]
