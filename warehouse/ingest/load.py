"""Ingest: check that the input is usable, then load it into raw.* for dbt.

The input is a CSV (plain, gzip or zstd) or Parquet (a file, a folder or a glob pattern of files),
told apart by content (warehouse/ingest/input_files.py); each format has its module (csv_input.py,
parquet_input.py). Both end in the same raw.* (the other format's table empty), read by dbt
through the one view raw.artists (warehouse/ingest/sql/raw_artists.sql).

Every value from the input reaches DuckDB as data: paths and names are bound parameters, a
Parquet file's column names quoted identifiers, a header's names compared, never spliced into SQL.
Whatever goes wrong with the input ends as one BuildError naming the file and the problem; the
loaders' own exceptions never reach the user as a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import yaml

from warehouse.errors import BuildError
from warehouse.ingest import sql_files
from warehouse.ingest.csv_input import check_csv_text, load_csv
from warehouse.ingest.header import InputColumns
from warehouse.ingest.input_files import InputSource, find_input
from warehouse.ingest.parquet_input import check_parquet_files, load_parquet
from warehouse.settings.project import DBT_PROJECT_DIR, project_vars

SOURCES_YAML = DBT_PROJECT_DIR / "models" / "staging" / "_sources.yml"


@dataclass(frozen=True)
class RawLoad:
    source_file: str
    rows_read: int


def default_columns() -> InputColumns:
    return InputColumns.of(project_vars())


def check_input_file(path: Path, columns: InputColumns | None = None) -> InputSource:
    """Stop early, with a message naming the problem, on an input that cannot be artists (columns:
    what the build reads, by default the project's)."""
    source = find_input(path)
    if source.source_format == "parquet":
        return check_parquet_files(source, columns or default_columns())
    check_csv_text(source)
    return source


def load_raw_artists(con: duckdb.DuckDBPyConnection, source: InputSource, scratch_dir: Path | None = None,
                     columns: InputColumns | None = None) -> RawLoad:
    """Create raw.* from the checked input; raise BuildError if it is unusable after all.

    A compressed CSV is decompressed into scratch_dir (the build's private folder; the system's
    temporary folder when None) and removed once loaded.
    """
    columns = columns or default_columns()
    if source.source_format == "parquet":
        load_parquet(con, source, columns.names)
    else:
        load_csv(con, source, columns, scratch_dir)
    parquet_types = dict(con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = 'raw' and table_name = 'parquet_rows'"
    ).fetchall())
    sql_files.execute(con, sql_files.statements(
        "raw_artists.sql",
        columns=columns.columns,
        # before a CSV's load has created the empty table, every column is text
        parquet_types=parquet_types or {name: "VARCHAR" for name in columns.names},
        sources=yaml.safe_load(SOURCES_YAML.read_text())["sources"],
    ), {})
    rows_read = con.execute("select count(*) from raw.artists").fetchone()[0]
    return RawLoad(source_file=source.given.name, rows_read=rows_read)


def check_artists_loaded(db_path: Path, source: Path) -> None:
    """Refuse to publish a warehouse in which every line was quarantined.

    An empty warehouse would blank every dashboard; the previous one stays, and the error line
    counts the reasons so the file can be fixed without the quarantine table.
    """
    with duckdb.connect(str(db_path), read_only=True) as con:
        if con.execute("select count(*) from staging.stg_artists").fetchone()[0]:
            return
        reasons = con.execute(
            "select reason_code, count(*) as line_count from audit.quarantined_artists "
            "group by reason_code order by line_count desc, reason_code"
        ).fetchall()
    quarantined = sum(count for _, count in reasons)
    counts = ", ".join(f"{count} {reason}" for reason, count in reasons)
    rows = "row" if quarantined == 1 else "rows"
    raise BuildError(
        f"no line of the input file is a valid artist ({quarantined} {rows} quarantined: {counts}); "
        f"the published warehouse was left as it was: {source}"
    )
