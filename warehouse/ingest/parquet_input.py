"""Parquet input, one file or several: each file's footer and columns checked before the load,
then its rows loaded into raw.parquet_rows with their own types.

A file's columns are matched by name as a CSV's header is (warehouse/ingest/header.py: var
column_map, else the folded name; any order; other columns ignored). A column the files of one
input type differently (BIGINT in one, VARCHAR in another) is stored as text, so that no file's
values are cast into a type they do not fit. An input column must hold plain values: DuckDB
would give a struct, list or map to staging as its text (`{'value': Female}`), a group of its own.

Every read goes through the descriptor opened() gives (warehouse/ingest/input_files.py), so that the
footer checked, the rows loaded and the bytes hashed are all of the one version of each file.
"""

from __future__ import annotations

import os
from dataclasses import replace

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from reports.warehouse_reader import quoted
from warehouse.errors import BuildError
from warehouse.ingest import sql_files
from warehouse.ingest.header import HeaderProblem, InputColumns, header_columns
from warehouse.ingest.input_files import PARQUET_MAGIC, InputFile, InputSource, descriptor_path, opened

# a Parquet file starts with its magic and ends with its footer's length and the magic again
SMALLEST_PARQUET_BYTES = 12


def check_parquet_files(source: InputSource, columns: InputColumns) -> InputSource:
    """The source with each file's rows, columns, their types and what each feeds; BuildError for the
    first unusable file."""
    files = tuple(_described(file, columns) for file in source.files)
    if not sum(file.rows for file in files):
        held = "file holds" if len(files) == 1 else f"{len(files)} files hold"
        raise BuildError(f"input has no rows (its Parquet {held} 0 rows): {source.given}")
    return replace(source, files=files)


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _check_footer(file: InputFile, descriptor: int) -> None:
    size = file.version.size
    try:
        tail = os.pread(descriptor, len(PARQUET_MAGIC), max(size - len(PARQUET_MAGIC), 0))
    except OSError as exc:
        raise BuildError(f"input file cannot be read ({exc.strerror}): {file.path}") from None
    if size < SMALLEST_PARQUET_BYTES or tail != PARQUET_MAGIC:
        raise BuildError(
            f"input file is a Parquet file cut short: it does not end with a Parquet footer "
            f"(was it copied completely?): {file.path}"
        )


def _described(file: InputFile, columns: InputColumns) -> InputFile:
    with opened(file) as descriptor:
        _check_footer(file, descriptor)
        try:
            with pq.ParquetFile(str(descriptor_path(descriptor))) as parquet:
                schema, rows = parquet.schema_arrow, parquet.metadata.num_rows
        except (pa.ArrowException, OSError) as exc:
            raise BuildError(f"input file is a damaged Parquet file ({_first_line(exc)}): {file.path}") from None
    try:
        fed = tuple(header_columns(schema.names, columns, "parquet"))
    except HeaderProblem as problem:
        raise BuildError(f"{problem}: {file.path}") from None
    _check_plain_values(file, schema, fed, columns)
    types = tuple(str(field.type) for field in schema)
    return replace(file, rows=rows, columns=tuple(schema.names), column_types=types, fed_columns=fed)


def _check_plain_values(file: InputFile, schema: pa.Schema, fed: tuple[str | None, ...], columns: InputColumns) -> None:
    for field, column in zip(schema, fed, strict=True):
        if column in columns.names and pa.types.is_nested(field.type):
            raise BuildError(
                f"input column {field.name} is of a nested Parquet type ({field.type}); a required column "
                f"must hold plain values: {file.path}"
            )


def _file_column(file: InputFile, column: str) -> tuple[str, str]:
    """The file's own name and type of an input column (the check found it exactly once)."""
    index = file.fed_columns.index(column)
    return file.columns[index], file.column_types[index]


def _columns_as_text(files: tuple[InputFile, ...], names: list[str]) -> set[str]:
    """The input columns whose type is not the same in every file."""
    return {column for column in names if len({_file_column(file, column)[1] for file in files}) > 1}


def _load_file(con: duckdb.DuckDBPyConnection, file: InputFile, sql: list[str], first_line_number: int) -> None:
    with opened(file) as descriptor:
        parameters = {"input_path": str(descriptor_path(descriptor)), "source_file": file.name,
                      "first_line_number": first_line_number}
        try:
            sql_files.execute(con, sql, parameters)
        except duckdb.Error as exc:
            raise BuildError(f"input Parquet file could not be loaded ({_first_line(exc)}): {file.path}") from None


def load_parquet(con: duckdb.DuckDBPyConnection, source: InputSource, names: list[str]) -> None:
    """raw.parquet_rows (the input columns, names) from every file in turn, then raw.source_header and
    raw.source_files."""
    as_text = _columns_as_text(source.files, names)
    first_line_number = 1
    con.execute("create schema if not exists raw")
    for index, file in enumerate(source.files):
        columns = [
            {"name": column, "file_column": quoted(_file_column(file, column)[0]), "as_text": column in as_text}
            for column in names
        ]
        sql = sql_files.statements("load_parquet_file.sql", first_file=index == 0, columns=columns)
        _load_file(con, file, sql, first_line_number)
        first_line_number += file.rows
    sql_files.execute(con, sql_files.statements("load_parquet_header.sql"), {
        "header_files": [file.name for file in source.files for _ in file.columns],
        "positions": [position for file in source.files for position in range(1, len(file.columns) + 1)],
        "names": [name for file in source.files for name in file.columns],
        "normalized_names": [name for file in source.files for name in file.fed_columns],
        "types": [column_type for file in source.files for column_type in file.column_types],
        "files": [file.name for file in source.files],
        "row_counts": [file.rows for file in source.files],
    })
