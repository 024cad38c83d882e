"""Read-only access to the published warehouse, with the checks that let a section say why it is empty.

A build on a tiny input can skip the model step, and a warehouse built before a layer existed has
no such tables: the report names what is missing instead of failing.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from reports.bidi_controls import neutral_frame, neutral_text


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


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

    def require_columns(self, relation: str, columns: list[str]) -> None:
        """Raise Unavailable unless relation exists and has every column."""
        present = self.columns(relation)
        if not present:
            raise Unavailable(f"table {relation} is not in this warehouse (its build step did not run)")
        missing = [name for name in columns if name not in present]
        if missing:
            raise Unavailable(f"table {relation} has no column {', '.join(missing)}")

    def require(self, relation: str, columns: list[str]) -> None:
        """Raise Unavailable unless relation exists, has every column, and holds at least one row."""
        self.require_columns(relation, columns)
        if self.scalar(f"select count(*) from {relation}") == 0:
            raise Unavailable(f"table {relation} is empty (its build step was skipped for this input)")

    def select(self, relation: str, columns: list[str], *, where: dict | None = None,
               order_by: tuple[str, ...] = ()) -> pd.DataFrame:
        """The columns of relation's rows, filtered on column = value (or `in` a tuple of values).

        Only checks that relation has the columns: a reporting view is computed when read, so
        counting its rows first would compute it twice. Names come from the report's code, values
        are bound as parameters.
        """
        self.require_columns(relation, columns)
        conditions, params = [], []
        for column, value in (where or {}).items():
            values = value if isinstance(value, tuple) else (value,)
            conditions.append(f"{quoted(column)} in ({', '.join('?' for _ in values)})")
            params += values
        sql = f"select {', '.join(quoted(name) for name in columns)} from {relation}"
        if conditions:
            sql += " where " + " and ".join(conditions)
        if order_by:
            sql += " order by " + ", ".join(order_by)
        return self.frame(sql, params)

    # every value the page shows comes through these two, so no text of the warehouse's reaches
    # it with a bidirectional control that would reorder what follows
    def frame(self, sql: str, params: list | None = None) -> pd.DataFrame:
        return neutral_frame(self._con.execute(sql, params or []).df())

    def scalar(self, sql: str, params: list | None = None):
        return neutral_text(self._con.execute(sql, params or []).fetchone()[0])
