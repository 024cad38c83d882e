"""Hostile input files, each written by the test, run through the real entry point.

A file that cannot be used stops the build with exit status 2 and one `error:` line (no traceback),
leaving the published warehouse byte for byte as it was. A file with bad rows builds: good rows
become artists, bad rows are quarantined with their text, line number and reason.
"""

from __future__ import annotations

import codecs
import gzip
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.conftest import summary_line
from tests.hostile_files import (
    HEADER,
    REPO_ROOT,
    build_command,
    run_build_process,
    sha256,
    staging_leftovers,
    workshop_lines,
    write_lines,
)
from tests.non_finite import non_finite_values
from warehouse.build import main as build_main
from warehouse.ingest.header import SOURCE_COLUMNS

GOOD = "101,Ana,Female,Latino,Pop,Spain,1000,20000,2,4,Independent,1,500,40"
NOBODY = 65534
# the headers a file written from SOURCE_COLUMNS without gender has, as the error line lists them
HEADERS_BUT_GENDER = ", ".join(repr(column) for column in SOURCE_COLUMNS if column != "gender")


def _missing(folder: Path) -> Path:
    return folder / "no_such_file.csv"


def _folder_without_parquet(folder: Path) -> Path:
    path = folder / "a_folder.csv"
    path.mkdir()
    return path


def _folder_with_a_csv(folder: Path) -> Path:
    path = folder / "exports"
    path.mkdir()
    pq.write_table(pa.table({"artist_id": [1]}), path / "part-0.parquet")
    write_lines(path / "notes.csv", [HEADER, GOOD])
    return path


def _named_pipe(folder: Path) -> Path:
    path = folder / "pipe.csv"
    os.mkfifo(path)
    return path


def _empty(folder: Path) -> Path:
    path = folder / "empty.csv"
    path.write_bytes(b"")
    return path


def _blank_lines(folder: Path) -> Path:
    return write_lines(folder / "blank.csv", ["", "   ", ""])


def _header_only(folder: Path) -> Path:
    return write_lines(folder / "header_only.csv", [HEADER])


def _binary(folder: Path) -> Path:
    path = folder / "picture.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    return path


def _missing_columns(folder: Path) -> Path:
    header = HEADER.replace("gender,", "").replace("country,", "")
    return write_lines(folder / "no_gender.csv", [header, "101,Ana,Latino,Pop,1000,20000,2,4,Independent,1,500,40"])


def _not_artists(folder: Path) -> Path:
    return write_lines(folder / "invoices.csv", ["invoice,amount", "1,20.5"])


def _repeated_column(folder: Path) -> Path:
    return write_lines(folder / "twice.csv", [HEADER + ",Gender", GOOD + ",Female"])


def _latin1(folder: Path) -> Path:
    rosalia = GOOD.replace("101,Ana", "102,Rosalía")
    return write_lines(folder / "latin1.csv", [HEADER, GOOD, rosalia], encoding="latin-1")


def _cp1252_workshop(folder: Path) -> Path:
    """The workshop file as Excel on Windows saves it: its first non-ASCII text is Rosalía, line 13."""
    return write_lines(folder / "cp1252.csv", [HEADER, *workshop_lines()], encoding="cp1252")


def _utf16(folder: Path) -> Path:
    return write_lines(folder / "excel_unicode.csv", [HEADER, GOOD], prefix=codecs.BOM_UTF16_LE, encoding="utf-16-le")


def _blank_lines_before_the_header(folder: Path) -> Path:
    return write_lines(folder / "late_header.csv", [""] * 70000 + [HEADER, GOOD])


def _nul_after_the_first_64_kb(folder: Path) -> Path:
    """The head the early check reads is clean; the NUL is found in the loaded lines."""
    lines = [HEADER, *([GOOD.replace("101,", f"{n},", 1) for n in range(1000, 2000)])]
    lines.append("5000,Nul\x00Byte,Female,Latino,Pop,Spain,1000,20000,2,4,Independent,1,500,40")
    return write_lines(folder / "late_nul.csv", lines)


def _damaged_gzip(folder: Path) -> Path:
    """One bit of the stream's checksum flipped: only the CRC check finds it."""
    stream = bytearray(gzip.compress(f"{HEADER}\n{GOOD}\n".encode(), mtime=0))
    stream[-8] ^= 1
    path = folder / "damaged.csv.gz"
    path.write_bytes(bytes(stream))
    return path


def _gzip_cut_short(folder: Path) -> Path:
    """Its first 64 KB decompress cleanly: the end is missed only by reading the whole stream."""
    lines = [HEADER, *(GOOD.replace("101,", f"{n},", 1) for n in range(1000, 5000))]
    stream = gzip.compress("".join(line + "\n" for line in lines).encode(), mtime=0)
    path = folder / "cut_short.csv.gz"
    path.write_bytes(stream[: len(stream) * 3 // 4])
    return path


def _parquet_cut_short(folder: Path) -> Path:
    table = pa.table({column: [1] for column in SOURCE_COLUMNS})
    pq.write_table(table, folder / "whole.parquet")
    whole = (folder / "whole.parquet").read_bytes()
    path = folder / "cut_short.parquet"
    path.write_bytes(whole[: len(whole) // 2])
    return path


def _parquet_missing_column(folder: Path) -> Path:
    path = folder / "no_gender.parquet"
    pq.write_table(pa.table({column: [1] for column in SOURCE_COLUMNS if column != "gender"}), path)
    return path


def _classic_mac(folder: Path) -> Path:
    return write_lines(folder / "mac.csv", [HEADER, GOOD], newline="\r")


UNUSABLE_FILES = {
    "missing": (_missing, "input file not found: {path}"),
    "folder_without_parquet": (
        _folder_without_parquet,
        "input folder holds no Parquet file (a folder is read as the Parquet files in it): {path}",
    ),
    "folder_with_a_csv": (
        _folder_with_a_csv,
        "input folder holds notes.csv, which is not a Parquet file (a folder is read as Parquet files; "
        "give a CSV as a file of its own): {path}",
    ),
    "damaged_gzip": (
        _damaged_gzip,
        "input file is gzip-compressed, but its stream is damaged or cut short (zlib inflate failed: "
        "incorrect data check): {path}",
    ),
    "gzip_cut_short": (
        _gzip_cut_short,
        "input file is gzip-compressed, but its stream is damaged or cut short (Truncated compressed stream): {path}",
    ),
    "parquet_cut_short": (
        _parquet_cut_short,
        "input file is a Parquet file cut short: it does not end with a Parquet footer (was it copied "
        "completely?): {path}",
    ),
    "parquet_missing_column": (
        _parquet_missing_column,
        "input file lacks required column(s) gender (no header is near gender; headers found: "
        f"{HEADERS_BUT_GENDER}): {{path}}",
    ),
    "named_pipe": (_named_pipe, "input path is not a regular file: {path}"),
    "empty": (_empty, "input file is empty: {path}"),
    "only_blank_lines": (_blank_lines, "input file is empty: {path}"),
    "blank_lines_before_the_header": (
        _blank_lines_before_the_header,
        "input file has 70000 blank lines before its first line of text (line 70001); "
        "the header must be the first line: {path}",
    ),
    "nul_after_the_first_64_kb": (
        _nul_after_the_first_64_kb, "input file is binary, not CSV text (line 1002 contains a NUL byte): {path}",
    ),
    "header_only": (_header_only, "input file has a header but no data rows: {path}"),
    "binary": (_binary, "input file is binary, not CSV text (it contains NUL bytes): {path}"),
    "missing_columns": (
        _missing_columns,
        "input file lacks required column(s) gender, country (no header is near gender; no header is near country; "
        f"headers found: {HEADERS_BUT_GENDER.replace(', ' + repr('country'), '')}): {{path}}",
    ),
    "not_an_artists_csv": (
        _not_artists,
        "input file is not an artists CSV: its first line names none of the 14 required columns "
        "(artist_id, artist_name, gender, ethnicity, genre, country, monthly_listeners, total_streams, "
        "album_count, years_active, label_type, award_wins, spotify_followers, soundcloud_followers): {path}",
    ),
    "repeated_column": (
        _repeated_column,
        "input file has headers 'gender' and 'Gender', which both read as gender: rename one, or name the one "
        "to use in var column_map: {path}",
    ),
    "latin1": (
        _latin1,
        "input file is not UTF-8 text: line 3 has the byte(s) 0xED (Windows-1252/Latin-1 would read 'í'); "
        "re-save it as UTF-8 (nothing was loaded): {path}",
    ),
    "cp1252_workshop_file": (
        _cp1252_workshop,
        "input file is not UTF-8 text: line 13 has the byte(s) 0xED (Windows-1252/Latin-1 would read 'í'); "
        "re-save it as UTF-8 (nothing was loaded): {path}",
    ),
    "utf16": (_utf16, "input file is UTF-16 text, not UTF-8 (re-save it as UTF-8): {path}"),
    "classic_mac_line_endings": (
        _classic_mac,
        "input file ends its lines with a bare carriage return (old Mac style); "
        "re-save it with LF or CRLF line endings: {path}",
    ),
}




@pytest.mark.parametrize("case", UNUSABLE_FILES)
def test_unusable_file_stops_build_with_one_line(case, tmp_path, published, capsys):
    make_file, message = UNUSABLE_FILES[case]
    path = make_file(tmp_path)
    before = sha256(published)

    assert build_main(["--data", str(path), "--db", str(published)]) == 2

    captured = capsys.readouterr()
    assert captured.err.splitlines() == ["error: " + message.format(path=path)]
    assert captured.out == ""
    assert sha256(published) == before
    assert staging_leftovers(published) == []


@pytest.mark.parametrize("case", UNUSABLE_FILES)
def test_unusable_file_prints_no_traceback_from_the_command_line(case, tmp_path, published):
    make_file, message = UNUSABLE_FILES[case]
    path = make_file(tmp_path)

    result = run_build_process(path, published)

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == ["error: " + message.format(path=path)]


def _unprivileged(command: list[str]) -> list[str]:
    """Root reads a file whatever its mode: under root, run the command as `nobody`, with no capabilities.

    setpriv changes the user before exec but resolves the command as root, so the interpreter in
    root's home (pyenv) still starts; the process it starts has uid 65534 and no capabilities.
    """
    if os.geteuid() != 0:
        return command
    setpriv = shutil.which("setpriv")
    assert setpriv, "running the tests as root needs setpriv (util-linux) to drop privileges"
    return [setpriv, f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *command]


def test_unreadable_file_stops_build(published):
    """chmod 000 on the input: the build names the file and the reason, and publishes nothing."""
    folder = Path(tempfile.mkdtemp(prefix="dei-unreadable-"))
    try:
        folder.chmod(0o755)
        readable = write_lines(folder / "readable.csv", [HEADER, GOOD])
        locked = write_lines(folder / "locked.csv", [HEADER, GOOD])
        locked.chmod(0)
        before = sha256(published)
        build = build_command(locked, published)

        result = subprocess.run(_unprivileged(build), cwd=REPO_ROOT, capture_output=True, text=True, check=False)
        # the same user can read the file beside it, so the error is the file's mode, not the folder's
        read_readable = [sys.executable, "-c", f"open({str(readable)!r}).read()"]
        control = subprocess.run(_unprivileged(read_readable), capture_output=True, text=True, check=False)
    finally:
        shutil.rmtree(folder)

    assert control.returncode == 0, control.stderr
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"error: input file cannot be read (Permission denied): {locked}"]
    assert sha256(published) == before


def test_database_path_inside_a_file_stops_build(tmp_path, capsys):
    blocker = write_lines(tmp_path / "a_file", ["not a folder"])
    csv = write_lines(tmp_path / "ok.csv", [HEADER, GOOD])

    assert build_main(["--data", str(csv), "--db", str(blocker / "dei.duckdb")]) == 2
    assert build_main(["--data", str(csv), "--db", str(blocker / "deeper" / "dei.duckdb")]) == 2

    assert capsys.readouterr().err.splitlines() == [
        f"error: the warehouse folder is a file, not a folder: {blocker}",
        f"error: cannot create the warehouse folder {blocker / 'deeper'} (Not a directory)",
    ]


def test_database_path_that_is_a_folder_stops_build(tmp_path, capsys):
    folder = tmp_path / "dei.duckdb"
    folder.mkdir()
    csv = write_lines(tmp_path / "ok.csv", [HEADER, GOOD])

    assert build_main(["--data", str(csv), "--db", str(folder)]) == 2

    assert capsys.readouterr().err.splitlines() == [f"error: the warehouse path exists and is not a file: {folder}"]
    assert folder.is_dir()


def test_failing_dbt_build_keeps_published_file(published):
    """A reference group no artist belongs to passes the vars check but fails a dbt test after the load."""
    before = sha256(published)
    csv = write_lines(published.parent / "ok.csv", [HEADER, *workshop_lines()])

    result = run_build_process(csv, published, "--vars", '{"fairness_reference_groups": {"gender": "Martian"}}')

    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("error: dbt build failed (assert_reference_groups_exist: Got 2 results")
    assert line.endswith("; the published warehouse was left as it was")
    assert sha256(published) == before
    assert staging_leftovers(published) == []


def test_file_without_a_valid_artist_keeps_published_file(published):
    csv = write_lines(published.parent / "all_bad.csv", [
        HEADER,
        "1,Ana,Female,Latino,Pop,Spain,1.234.567,20000,2,4,Independent,1,500,40",
        "2,Bo,Male,White,Rock,USA,2.345.678,100,1,1,Major,0,1,1",
        "",
    ])
    before = sha256(published)

    result = run_build_process(csv, published)

    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "error: no line of the input file is a valid artist (3 rows quarantined: 2 not_a_number, 1 blank_line); "
        f"the published warehouse was left as it was: {csv}"
    ]
    assert sha256(published) == before
    assert staging_leftovers(published) == []


# Lines 2-41 are the workshop's artists; each hostile line below is (text, artist or quarantine).
# The file also has a byte-order mark, CRLF line endings but none after its last line, a header
# name in other case and padded, and SQL in its name and values.
SQL_TEXT = "'); drop table x; --"
HOSTILE_LINES = [
    ('101,"Bo, Jr.",Male,White,Rock,USA,100,100,1,1,Major,0,1,1', ("artist", 'Bo, Jr.')),
    ('102,"The ""Best"" Band",Male,White,Rock,USA,100,100,1,1,Major,0,1,1', ("artist", 'The "Best" Band')),
    ('103,"Wu, ""Clan"", Inc.",Male,Black,Hip-Hop,USA,100,100,1,1,Major,0,1,1', ("artist", 'Wu, "Clan", Inc.')),
    ("104,Björk Guðmundsdóttir,Female,White,Electronic,Iceland,10,100,1,1,Major,0,1,1",
     ("artist", "Björk Guðmundsdóttir")),
    ("105,坂本龍一 🎹,Male,Asian,Classical,Japan,10,100,1,1,Major,0,1,1", ("artist", "坂本龍一 🎹")),
    ("106,Beyonce\u0301,Female,Black,R&B,USA,10,100,1,1,Major,0,1,1", ("artist", "Beyonce\u0301")),
    ("107,עומר אדם,Male,Middle Eastern,Pop,Israel,10,100,1,1,Major,0,1,1", ("artist", "עומר אדם")),
    (f'108,"{SQL_TEXT}",Male,White,"{SQL_TEXT}",USA,10,100,1,1,Major,0,1,1', ("artist", SQL_TEXT)),
    ("109, Padded ,Female,White,Pop,USA, 12 ,100,12.0,1,Major,0,1,1", ("artist", "Padded")),
    ('110,"Open quote,Female,Asian,Pop,Japan,10,100,1,1,Major,0,1,1', ("malformed_quotes", None, None)),
    ('111,"Ok"x,Male,Asian,Pop,Japan,12,100,1,1,Major,0,1,1', ("malformed_quotes", None, None)),
    ("", ("blank_line", None, None)),
    ('112,Ok,Male,Asian,Pop,Japan,"1,000",100,1,1,Major,0,1,1', ("not_a_number", "monthly_listeners", "1,000")),
    ("113,Ok,Male,Asian,Pop,Japan,10,-1,1,1,Major,0,1,1", ("negative_number", "total_streams", "-1")),
    ("114,Ok,Male,Asian,Pop,Japan,10,100,2.5,1,Major,0,1,1", ("fractional_number", "album_count", "2.5")),
    ("115,Ok,Male,Asian,Pop,Japan,10,100,1,ten,Major,0,1,1", ("not_a_number", "years_active", "ten")),
    ("116,Blank gender,,Asian,Pop,Japan,10,100,1,1,Major,0,1,1", ("artist", "Blank gender")),
    ('117,"   ",Male,Asian,Pop,Japan,10,100,1,1,Major,0,1,1', ("missing_value", "artist_name", "")),
    ("118,Ok,Male,Asian,Pop,Japan,10,100,1,1,Major,0,1,1,surplus", ("too_many_fields", None, None)),
    ("119,Ok,Male,Asian,Pop,Japan,10,100", ("too_few_fields", None, None)),
    ("120,Ok,Male,Asian,Pop,Japan,10,100,1,1,Major,0,99999999999999999999,1",
     ("number_out_of_range", "spotify_followers", "99999999999999999999")),
    ("101,Bo again,Male,White,Rock,USA,100,100,1,1,Major,0,1,1", ("duplicate_artist_id", "artist_id", "101")),
    ("121,First try,Male,White,Rock,USA,1e6,100,1,1,Major,0,1,1", ("not_a_number", "monthly_listeners", "1e6")),
    ("121,Second try,Male,White,Rock,USA,100,100,1,1,Major,0,1,1", ("artist", "Second try")),
]
HOSTILE_FILE_NAME = f"{SQL_TEXT}.csv"
HOSTILE_HEADER = HEADER.replace("artist_id,", " Artist_ID ,", 1)


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    db_folder = folder / "it's; drop"
    csv = write_lines(
        folder / HOSTILE_FILE_NAME,
        [HOSTILE_HEADER, *workshop_lines(), *(line for line, _ in HOSTILE_LINES)],
        newline="\r\n",
        prefix=codecs.BOM_UTF8,
    )
    csv.write_bytes(csv.read_bytes().removesuffix(b"\r\n"))
    db = db_folder / "dei.duckdb"
    result = run_build_process(csv, db)
    with duckdb.connect(str(db), read_only=True) as con:
        yield result, con


def _hostile_line_number(index: int) -> int:
    return 2 + len(workshop_lines()) + index


def test_hostile_file_builds(hostile_build):
    result, _ = hostile_build
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert summary_line(result.stdout).endswith(
        f"from {HOSTILE_FILE_NAME}: 64 rows read, 51 artists loaded, 13 rows quarantined"
    )


def test_every_good_line_is_an_artist_with_its_text_verbatim(hostile_build):
    _, con = hostile_build
    loaded = dict(con.execute("select line_number, artist_name from staging.stg_artists").fetchall())
    expected = {
        _hostile_line_number(index): outcome[1]
        for index, (_, outcome) in enumerate(HOSTILE_LINES) if outcome[0] == "artist"
    }
    assert {line: name for line, name in loaded.items() if line in expected} == expected
    assert len(loaded) == len(workshop_lines()) + len(expected)
    assert loaded[2] == workshop_lines()[0].split(",")[1]


def test_every_bad_line_is_quarantined_with_text_line_and_reason(hostile_build):
    _, con = hostile_build
    quarantined = con.execute(
        "select line_number, original_text, reason_code, reason_column, offending_value, reason_message "
        "from audit.quarantined_artists order by line_number"
    ).fetchall()
    expected = [
        (_hostile_line_number(index), line, *outcome)
        for index, (line, outcome) in enumerate(HOSTILE_LINES) if outcome[0] != "artist"
    ]
    assert [row[:5] for row in quarantined] == expected
    assert all(message for *_, message in quarantined)


def test_hostile_values_give_no_nan_or_infinity(hostile_build):
    _, con = hostile_build
    assert non_finite_values(con) == {}


def test_reconciliation_counts_every_line(hostile_build):
    _, con = hostile_build
    assert con.execute(
        "select source_file, rows_read, artists_loaded, rows_quarantined, is_balanced from audit.load_reconciliation"
    ).fetchall() == [(HOSTILE_FILE_NAME, 64, 51, 13, True)]


def test_padded_values_are_trimmed_and_whole_decimals_accepted(hostile_build):
    _, con = hostile_build
    assert con.execute(
        "select artist_name, monthly_listeners, album_count from staging.stg_artists where artist_id = 109"
    ).fetchall() == [("Padded", 12, 12)]


def test_sql_in_values_and_file_name_is_kept_as_text(hostile_build):
    _, con = hostile_build
    assert con.execute(
        "select artist_name, genre, source_file from features.artist_features where artist_id = 108"
    ).fetchall() == [(SQL_TEXT, SQL_TEXT, HOSTILE_FILE_NAME)]
    assert con.execute("select distinct source_file from raw.artists").fetchall() == [(HOSTILE_FILE_NAME,)]


def test_byte_order_mark_and_crlf_are_not_part_of_the_data(hostile_build):
    _, con = hostile_build
    assert con.execute(
        "select column_name, normalized_name from raw.source_header "
        "where column_position in (1, 14) order by column_position"
    ).fetchall() == [(" Artist_ID ", "artist_id"), ("soundcloud_followers", "soundcloud_followers")]
    assert con.execute(
        "select count(*) from raw.artists where contains(line_text, chr(13)) or contains(line_text, chr(65279))"
    ).fetchone() == (0,)
