"""The same artists as a gzip-compressed CSV and as a folder of Parquet files, built end to end.

Both builds hold the same twelve rows: the gzip stream is named `.csv` (the content decides, not
the name); the Parquet folder splits them over two files whose columns come in another order,
with an extra column and another case, and whose types disagree (monthly_listeners is a count
in one file and text in the other; album_count a float in both). Both must give the same
artists and the same quarantine, each rejected row findable in its own file. The folder's and the
second file's names hold SQL, which must stay data.
"""

from __future__ import annotations

import gzip
import json
import math

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.conftest import summary_line
from tests.hostile_files import HEADER, run_build_process
from warehouse.ingest.header import SOURCE_COLUMNS

NO_MODELS = ("--vars", '{"train_feature_sets": []}')
FOLDER = "parts; it's"
SECOND = "part-1 '); drop table x; --.parquet"
# (artist_id, artist_name, gender, monthly_listeners, album_count); the other columns are fixed
FIRST_FILE = [
    (1, "Ana", "Female", 1000, 2.0),
    (2, "Bo", "Male", -5, 1.0),
    (3, "Cy", "Male", 10, 7.5),
    (4, "Di", "Female", 10, 3.0),
    (5, None, "Female", 10, 1.0),
    (6, "Ed", "Male", 10, 1e20),
    (7, "Fa", "Male", 10, math.nan),
]
SECOND_FILE = [
    (8, "Gi", "Female", "abc", 1.0),
    (9, "Hu", "Male", " 12 ", 1.0),
    (1, "Ana again", "Female", "1000", 2.0),
    (10, 'Gi, the "Great"', "Female", "10", 1.0),
    (11, "Jo", "", "10", 1.0),
]
# the same values as a CSV writes them
CSV_TEXT = {2.0: "2.0", 1.0: "1", 7.5: "7.5", 3.0: "3.0", 1e20: "100000000000000000000"}
# (artist_id, reason_code, reason_column, offending_value) in the rows' order
EXPECTED_QUARANTINE = [
    (2, "negative_number", "monthly_listeners", "-5"),
    (3, "fractional_number", "album_count", "7.5"),
    (5, "missing_value", "artist_name", ""),
    (6, "number_out_of_range", "album_count", "100000000000000000000"),
    (7, "not_a_number", "album_count", "nan"),
    (8, "not_a_number", "monthly_listeners", "abc"),
    (1, "duplicate_artist_id", "artist_id", "1"),
]
FIXED = {"ethnicity": "Latino", "genre": "Pop", "country": "Spain", "total_streams": 20000, "years_active": 4,
         "label_type": "Independent", "award_wins": 1, "spotify_followers": 500, "soundcloud_followers": 40}


def _records(rows) -> list[dict]:
    return [dict(zip(("artist_id", "artist_name", "gender", "monthly_listeners", "album_count"), row, strict=True),
                 **FIXED) for row in rows]


def _csv_field(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return "nan" if math.isnan(value) else CSV_TEXT[value]
    text = str(value)
    return '"' + text.replace('"', '""') + '"' if "," in text or '"' in text else text


def _gzipped_csv(path):
    lines = [HEADER] + [",".join(_csv_field(record[column]) for column in SOURCE_COLUMNS)
                        for record in _records(FIRST_FILE + SECOND_FILE)]
    path.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    return path


def _parquet_folder(folder):
    folder.mkdir()
    first = pa.Table.from_pylist(_records(FIRST_FILE))
    # another order, another case, an extra column
    reordered = first.select(list(reversed(first.column_names)))
    renamed = reordered.rename_columns([name.replace("artist_id", "Artist_ID") for name in reordered.column_names])
    pq.write_table(renamed.append_column("notes", pa.array(["x"] * first.num_rows)), folder / "part-0.parquet")
    pq.write_table(pa.Table.from_pylist(_records(SECOND_FILE)), folder / SECOND)
    (folder / "_SUCCESS").write_bytes(b"")
    return folder


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    folder = tmp_path_factory.mktemp("formats")
    inputs = {"gzip": _gzipped_csv(folder / "gzipped.csv"), "parquet": _parquet_folder(folder / FOLDER)}
    results, connections = {}, {}
    for name, data in inputs.items():
        results[name] = run_build_process(data, folder / f"{name}.duckdb", *NO_MODELS)
        connections[name] = duckdb.connect(str(folder / f"{name}.duckdb"), read_only=True)
    yield inputs, results, connections
    for con in connections.values():
        con.close()


def _artists(con) -> list[tuple]:
    return con.execute(f"select {', '.join(SOURCE_COLUMNS)} from staging.stg_artists order by line_number").fetchall()


def _quarantine(con) -> list[tuple]:
    return con.execute(
        "select cast(artists.artist_id as bigint), quarantined.reason_code, quarantined.reason_column, "
        "quarantined.offending_value "
        "from audit.quarantined_artists as quarantined "
        "inner join raw.artists as artists using (source_file, line_number) order by quarantined.line_number"
    ).fetchall()


def test_both_build_with_one_summary_line(builds):
    _, results, _ = builds
    assert [result.returncode for result in results.values()] == [0, 0], [r.stderr for r in results.values()]
    assert summary_line(results["gzip"].stdout).endswith(
        "from gzipped.csv: 12 rows read, 5 artists loaded, 7 rows quarantined")
    assert summary_line(results["parquet"].stdout).endswith(
        f"from {FOLDER} (2 files): 12 rows read, 5 artists loaded, 7 rows quarantined")


def test_the_same_artists_and_quarantine_from_either_format(builds):
    _, _, cons = builds
    assert _artists(cons["parquet"]) == _artists(cons["gzip"])
    assert [row[0] for row in _artists(cons["gzip"])] == [1, 4, 9, 10, 11]
    # a blank gender is the undisclosed group, not a reason to quarantine
    assert _artists(cons["gzip"])[-1][SOURCE_COLUMNS.index("gender")] == "Undisclosed"
    assert _artists(cons["gzip"])[1][SOURCE_COLUMNS.index("album_count")] == 3
    assert _quarantine(cons["gzip"]) == EXPECTED_QUARANTINE
    # a CSV cannot tell a null from an empty field; Parquet can, and its null stays null
    null_name = EXPECTED_QUARANTINE.index((5, "missing_value", "artist_name", ""))
    assert _quarantine(cons["parquet"]) == [
        (5, "missing_value", "artist_name", None) if index == null_name else row
        for index, row in enumerate(EXPECTED_QUARANTINE)]


def test_raw_says_each_files_format(builds):
    _, _, cons = builds
    assert cons["gzip"].execute("select * from raw.source_files").fetchall() == [("gzipped.csv", "csv", "gzip", 12)]
    assert cons["parquet"].execute("select * from raw.source_files order by 1").fetchall() == [
        ("part-0.parquet", "parquet", "none", 7), (SECOND, "parquet", "none", 5)]
    # monthly_listeners is text in one file, so it is stored as text; album_count stays a float
    assert dict(cons["parquet"].execute(
        "select column_name, data_type from information_schema.columns where table_schema = 'raw' "
        "and table_name = 'parquet_rows' and column_name in ('monthly_listeners', 'album_count')").fetchall()
    ) == {"monthly_listeners": "VARCHAR", "album_count": "DOUBLE"}


def test_a_rejected_row_is_found_in_its_file_with_its_values(builds):
    inputs, _, cons = builds
    rejected = cons["parquet"].execute(
        "select source_file, file_row_number, original_text, offending_value from audit.quarantined_artists "
        "order by line_number").fetchall()
    for source_file, row, original_text, _ in rejected:
        in_file = pq.read_table(inputs["parquet"] / source_file).slice(row - 1, 1).to_pylist()[0]
        assert json.loads(original_text)["artist_name"] == in_file["artist_name"]
    assert [(file, row) for file, row, *_ in rejected] == [
        ("part-0.parquet", 2), ("part-0.parquet", 3), ("part-0.parquet", 5), ("part-0.parquet", 6),
        ("part-0.parquet", 7), (SECOND, 1), (SECOND, 3)]
    assert json.loads(rejected[1][2])["album_count"] == 7.5
    gzip_lines = cons["gzip"].execute(
        "select file_row_number, original_text from audit.quarantined_artists order by line_number").fetchall()
    assert gzip_lines[0] == (3, "2,Bo,Male,Latino,Pop,Spain,-5,20000,1,4,Independent,1,500,40")


def test_rows_read_balance_per_file(builds):
    _, _, cons = builds
    assert cons["parquet"].execute(
        "select source_file, rows_read, artists_loaded, rows_quarantined, is_balanced "
        "from audit.load_reconciliation order by source_file").fetchall() == [
        ("part-0.parquet", 7, 2, 5, True), (SECOND, 5, 3, 2, True)]
