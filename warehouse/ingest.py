"""Ingest: check that the input file is usable, then load it as text into raw.artists.

Every value from the file reaches DuckDB as data: the path is a bound parameter and the header's
names are compared, never spliced into SQL text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb
import jinja2

from warehouse.columns import SOURCE_COLUMNS
from warehouse.errors import BuildError

RAW_LOAD_SQL = Path(__file__).with_name("sql") / "load_raw_artists.sql"
SNIFF_BYTES = 65536


@dataclass(frozen=True)
class RawLoad:
    source_file: str
    rows_read: int


def check_input_file(path: Path) -> None:
    """Stop early, with a message naming the problem, on a file that cannot be a CSV of artists."""
    if not path.exists():
        raise BuildError(f"input file not found: {path}")
    if not path.is_file():
        raise BuildError(f"input path is not a regular file: {path}")
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError as exc:
        raise BuildError(f"input file cannot be read: {path} ({exc.strerror})") from None
    if not head.strip():
        raise BuildError(f"input file is empty: {path}")
    if b"\x00" in head:
        raise BuildError(f"input file is binary, not CSV text (it contains NUL bytes): {path}")


def _statements(sql: str) -> list[str]:
    return [statement for statement in re.split(r";\s*$", sql, flags=re.MULTILINE) if statement.strip()]


def _parameters_used(statement: str, parameters: dict[str, str]) -> dict[str, str]:
    return {name: value for name, value in parameters.items() if f"${name}" in statement}


def load_raw_artists(con: duckdb.DuckDBPyConnection, path: Path) -> RawLoad:
    """Create raw.source_header and raw.artists from the file; raise BuildError if unusable."""
    sql = jinja2.Template(RAW_LOAD_SQL.read_text()).render(columns=SOURCE_COLUMNS)
    parameters = {"input_path": str(path), "source_file": path.name}
    try:
        for statement in _statements(sql):
            con.execute(statement, _parameters_used(statement, parameters))
    except duckdb.InvalidInputException as exc:
        if "UTF-8" in str(exc) or "utf-8" in str(exc):
            raise BuildError(
                f"input file is not UTF-8 text: {path} (re-save it as UTF-8; nothing was loaded)"
            ) from None
        raise
    check_header(con, path)
    rows_read = con.execute("select count(*) from raw.artists").fetchall()[0][0]
    if rows_read == 0:
        raise BuildError(f"input file has a header but no data rows: {path}")
    return RawLoad(source_file=path.name, rows_read=rows_read)


def check_header(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    names = [row[0] for row in con.execute(
        "select normalized_name from raw.source_header order by column_position"
    ).fetchall()]
    missing = [column for column in SOURCE_COLUMNS if column not in names]
    if len(missing) == len(SOURCE_COLUMNS):
        raise BuildError(
            f"input file is not an artists CSV: its first line names none of the "
            f"{len(SOURCE_COLUMNS)} required columns ({', '.join(SOURCE_COLUMNS)}): {path}"
        )
    if missing:
        raise BuildError(f"input file lacks required column(s) {', '.join(missing)}: {path}")
    repeated = sorted({column for column in SOURCE_COLUMNS if names.count(column) > 1})
    if repeated:
        raise BuildError(f"input file names column(s) {', '.join(repeated)} more than once: {path}")
