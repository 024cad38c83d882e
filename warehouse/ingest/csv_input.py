"""CSV input, plain or compressed: its text checked before the load, then loaded line by line.

A compressed CSV (gzip or zstd, found by its first bytes) is decompressed by pyarrow, which
refuses a stream cut short (DuckDB's gzip reader takes one as complete), first its head for the
checks, then the whole of it into a file in the build's private folder, which read_text loads as it
loads a plain CSV: every check and guarantee of a plain CSV holds for a compressed one. read_text
is given a descriptor's path (warehouse/ingest/input_files.py), the copy's as the input's: the private
folder's path holds the warehouse's own, which may hold [, * or ?.
"""

from __future__ import annotations

import codecs
import contextlib
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import duckdb
import pyarrow as pa

from warehouse.errors import BuildError
from warehouse.ingest import sql_files
from warehouse.ingest.header import HeaderProblem, InputColumns, header_columns
from warehouse.ingest.input_files import InputSource, descriptor_path, opened

SNIFF_BYTES = 65536
CHUNK_BYTES = 1 << 20
# UTF-32 first: its little-endian BOM begins with UTF-16's
WIDE_UNICODE_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


@dataclass(frozen=True)
class InvalidUtf8:
    line_number: int
    bytes_found: bytes

    def describe(self) -> str:
        shown = " ".join(f"0x{byte:02X}" for byte in self.bytes_found)
        as_cp1252 = self.bytes_found.decode("cp1252", errors="replace")
        return f"line {self.line_number} has the byte(s) {shown} (Windows-1252/Latin-1 would read {as_cp1252!r})"


@contextlib.contextmanager
def _opened(source: InputSource) -> Iterator[BinaryIO]:
    """The file's bytes, decompressed when the file is compressed."""
    with opened(source.files[0]) as descriptor:
        path = str(descriptor_path(descriptor))
        try:
            if source.compression == "none":
                stream = open(path, "rb")
            else:
                stream = pa.CompressedInputStream(pa.OSFile(path), source.compression)
        except OSError as exc:
            raise BuildError(f"input file cannot be read ({exc.strerror}): {source.given}") from None
        with stream:
            yield stream


def _read(stream: BinaryIO, source: InputSource, size: int = CHUNK_BYTES) -> bytes:
    try:
        return stream.read(size)
    except OSError as exc:
        # the disk's errors carry an errno; a damaged stream's (pyarrow's codec) none
        if exc.errno is not None:
            raise BuildError(f"input file cannot be read ({exc.strerror}): {source.given}") from None
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise BuildError(
            f"input file is {source.compression}-compressed, but its stream is damaged or cut short "
            f"({detail}): {source.given}"
        ) from None


def check_csv_text(source: InputSource) -> None:
    """Stop early, with a message naming the problem, on a file that cannot be a CSV of artists."""
    path = source.given
    with _opened(source) as stream:
        head = _read(stream, source, SNIFF_BYTES)
    if not head.strip():
        _check_blank_start(source)
    wide_encoding = _wide_unicode_encoding(head)
    if wide_encoding:
        raise BuildError(f"input file is {wide_encoding} text, not UTF-8 (re-save it as UTF-8): {path}")
    if b"\x00" in head:
        raise BuildError(f"input file is binary, not CSV text (it contains NUL bytes): {path}")
    if b"\r" in head and b"\n" not in head:
        raise BuildError(
            f"input file ends its lines with a bare carriage return (old Mac style); "
            f"re-save it with LF or CRLF line endings: {path}"
        )


def _check_blank_start(source: InputSource) -> None:
    """A file whose first 64 KB are blank is empty, or has its header after a run of blank lines."""
    blank_lines = 0
    with _opened(source) as stream:
        while chunk := _read(stream, source):
            text_at = len(chunk) - len(chunk.lstrip())
            blank_lines += chunk.count(b"\n", 0, text_at)
            if text_at < len(chunk):
                raise BuildError(
                    f"input file has {blank_lines} blank lines before its first line of text (line "
                    f"{blank_lines + 1}); the header must be the first line: {source.given}"
                )
    raise BuildError(f"input file is empty: {source.given}")


def _wide_unicode_encoding(head: bytes) -> str | None:
    """UTF-16 and UTF-32 files (Excel's "Unicode text") announce themselves with a byte-order mark."""
    for bom, name in WIDE_UNICODE_BOMS:
        if head.startswith(bom):
            return name
    return None


def first_invalid_utf8(path: Path) -> InvalidUtf8 | None:
    """Where the file first stops being UTF-8, read in chunks so a large file costs little memory."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines_before = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                # exc.object is the decoder's pending bytes (never a newline) followed by this chunk
                line = lines_before + exc.object.count(b"\n", 0, exc.start) + 1
                return InvalidUtf8(line, exc.object[exc.start:exc.end])
            lines_before += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            return InvalidUtf8(lines_before + 1, exc.object[exc.start:exc.end])
    return None


@contextlib.contextmanager
def plain_text(source: InputSource, scratch_dir: Path | None) -> Iterator[Path]:
    """The CSV as a plain file, named by its descriptor: the input itself, or its decompressed copy in scratch_dir."""
    if source.compression == "none":
        with opened(source.files[0]) as descriptor:
            yield descriptor_path(descriptor)
        return
    with tempfile.TemporaryDirectory(dir=scratch_dir, prefix="input-") as folder:
        with (Path(folder) / "input.csv").open("w+b") as copy:
            with _opened(source) as stream:
                while chunk := _read(stream, source):
                    copy.write(chunk)
            copy.flush()
            yield descriptor_path(copy.fileno())


def _load_error(path: Path, text_path: Path, exc: duckdb.Error) -> BuildError:
    """Explain a loader failure in one line, checking the encoding first (the usual cause)."""
    try:
        invalid = first_invalid_utf8(text_path)
    except OSError as read_error:
        return BuildError(f"input file cannot be read ({read_error.strerror}): {path}")
    if invalid:
        return BuildError(
            f"input file is not UTF-8 text: {invalid.describe()}; re-save it as UTF-8 "
            f"(nothing was loaded): {path}"
        )
    first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return BuildError(f"input file could not be loaded ({first_line}): {path}")


def load_csv(con: duckdb.DuckDBPyConnection, source: InputSource, columns: InputColumns,
             scratch_dir: Path | None) -> None:
    """Load the file's lines (load_csv_lines.sql), then check what was loaded."""
    with plain_text(source, scratch_dir) as text_path:
        parameters = {"input_path": str(text_path), "source_file": source.given.name, "compression": source.compression}
        try:
            sql_files.execute(con, sql_files.statements("load_csv_lines.sql"), parameters)
        except duckdb.Error as exc:
            raise _load_error(source.given, text_path, exc) from None
    headers = [row[0] for row in con.execute(
        "select column_name from raw.source_header order by column_position"
    ).fetchall()]
    try:
        fed = header_columns(headers, columns, "csv")
    except HeaderProblem as problem:
        raise BuildError(f"{problem}: {source.given}") from None
    con.execute("update raw.source_header set normalized_name = $fed[column_position]", {"fed": fed})
    _check_no_nul_bytes(con, source.given)
    if not con.execute("select count(*) from raw.source_lines where line_number > 1").fetchone()[0]:
        raise BuildError(f"input file has a header but no data rows: {source.given}")


def _check_no_nul_bytes(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """The first 64 KB were checked before the load; a NUL further on is found in the loaded lines."""
    line = con.execute("select min(line_number) from raw.source_lines where contains(line_text, chr(0))").fetchone()[0]
    if line is not None:
        raise BuildError(f"input file is binary, not CSV text (line {line} contains a NUL byte): {path}")
