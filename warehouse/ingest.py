"""Ingest: check that the input file is usable, then load it as text into raw.artists.

Every value from the file reaches DuckDB as data: the path is a bound parameter and the header's
names are compared, never spliced into SQL text.

Whatever goes wrong with the file ends as one BuildError naming the file and the problem; the
loader's own exceptions never reach the user as a traceback.
"""

from __future__ import annotations

import codecs
import re
import stat
from dataclasses import dataclass
from pathlib import Path

import duckdb
import jinja2
import yaml

from warehouse.columns import SOURCE_COLUMNS
from warehouse.errors import BuildError

RAW_LOAD_SQL = Path(__file__).with_name("sql") / "load_raw_artists.sql"
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
class RawLoad:
    source_file: str
    rows_read: int


@dataclass(frozen=True)
class InvalidUtf8:
    line_number: int
    bytes_found: bytes

    def describe(self) -> str:
        shown = " ".join(f"0x{byte:02X}" for byte in self.bytes_found)
        as_cp1252 = self.bytes_found.decode("cp1252", errors="replace")
        return f"line {self.line_number} has the byte(s) {shown} (Windows-1252/Latin-1 would read {as_cp1252!r})"


def check_input_file(path: Path) -> None:
    """Stop early, with a message naming the problem, on a file that cannot be a CSV of artists."""
    head = _read_head(path)
    if not head.strip():
        _check_blank_start(path)
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


def _check_blank_start(path: Path) -> None:
    """A file whose first 64 KB are blank is empty, or has its header after a run of blank lines."""
    blank_lines = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            text_at = len(chunk) - len(chunk.lstrip())
            blank_lines += chunk.count(b"\n", 0, text_at)
            if text_at < len(chunk):
                raise BuildError(
                    f"input file has {blank_lines} blank lines before its first line of text (line "
                    f"{blank_lines + 1}); the header must be the first line: {path}"
                )
    raise BuildError(f"input file is empty: {path}")


def _read_head(path: Path) -> bytes:
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise BuildError(f"input file not found: {path}") from None
    except OSError as exc:
        raise BuildError(f"input file cannot be read ({exc.strerror}): {path}") from None
    if stat.S_ISDIR(mode):
        raise BuildError(f"input path is a directory, not a CSV file: {path}")
    if not stat.S_ISREG(mode):
        raise BuildError(f"input path is not a regular file: {path}")
    try:
        with path.open("rb") as handle:
            return handle.read(SNIFF_BYTES)
    except OSError as exc:
        raise BuildError(f"input file cannot be read ({exc.strerror}): {path}") from None


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


def _statements(sql: str) -> list[str]:
    return [statement for statement in re.split(r";\s*$", sql, flags=re.MULTILINE) if statement.strip()]


def _parameters_used(statement: str, parameters: dict[str, str]) -> dict[str, str]:
    return {name: value for name, value in parameters.items() if f"${name}" in statement}


def _load_error(path: Path, exc: duckdb.Error) -> BuildError:
    """Explain a loader failure in one line, checking the encoding first (the usual cause)."""
    try:
        invalid = first_invalid_utf8(path)
    except OSError as read_error:
        return BuildError(f"input file cannot be read ({read_error.strerror}): {path}")
    if invalid:
        return BuildError(
            f"input file is not UTF-8 text: {invalid.describe()}; re-save it as UTF-8 "
            f"(nothing was loaded): {path}"
        )
    first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return BuildError(f"input file could not be loaded ({first_line}): {path}")


def load_raw_artists(con: duckdb.DuckDBPyConnection, path: Path) -> RawLoad:
    """Create raw.source_header and raw.artists from the file; raise BuildError if unusable."""
    sources_yaml = RAW_LOAD_SQL.parents[2] / "dbt_project" / "models" / "staging" / "_staging.yml"
    sql = jinja2.Template(RAW_LOAD_SQL.read_text()).render(
        columns=SOURCE_COLUMNS, sources=yaml.safe_load(sources_yaml.read_text())["sources"]
    )
    parameters = {"input_path": str(path), "source_file": path.name}
    try:
        for statement in _statements(sql):
            con.execute(statement, _parameters_used(statement, parameters))
    except duckdb.Error as exc:
        raise _load_error(path, exc) from None
    check_header(con, path)
    check_no_nul_bytes(con, path)
    rows_read = con.execute("select count(*) from raw.artists").fetchall()[0][0]
    if rows_read == 0:
        raise BuildError(f"input file has a header but no data rows: {path}")
    return RawLoad(source_file=path.name, rows_read=rows_read)


def check_no_nul_bytes(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """The first 64 KB were checked before the load; a NUL further on is found in the loaded lines."""
    line = con.execute("select min(line_number) from raw.source_lines where contains(line_text, chr(0))").fetchone()[0]
    if line is not None:
        raise BuildError(f"input file is binary, not CSV text (line {line} contains a NUL byte): {path}")


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
