"""What DATA names, from the bytes: the format whatever the name, a folder's or pattern's files."""

import duckdb
import pyarrow as pa
import pyarrow.csv
import pyarrow.parquet as pq

from tests.hostile_files import HEADER, workshop_lines, write_lines
from warehouse.ingest.header import SOURCE_COLUMNS
from warehouse.ingest.input_files import find_input
from warehouse.ingest.load import check_input_file, load_raw_artists


def _parquet(path, rows=1):
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table({column: list(range(rows)) for column in SOURCE_COLUMNS}), path)
    return path


def _compressed(path, data: bytes, codec: str):
    with pa.CompressedOutputStream(str(path), codec) as stream:
        stream.write(data)
    return path


def test_the_content_decides_the_format_not_the_name(tmp_path):
    text = write_lines(tmp_path / "plain.csv", [HEADER, *workshop_lines()]).read_bytes()
    gzipped = _compressed(tmp_path / "named.csv", text, "gzip")
    zstd = _compressed(tmp_path / "named.txt", text, "zstd")
    parquet = _parquet(tmp_path / "table.csv")
    plain = write_lines(tmp_path / "not_compressed.csv.gz", [HEADER])
    found = [find_input(path) for path in (gzipped, zstd, parquet, plain)]
    assert [(source.source_format, source.compression) for source in found] == [
        ("csv", "gzip"), ("csv", "zstd"), ("parquet", "none"), ("csv", "none")]


def test_a_folder_is_its_parquet_files_by_path_without_sparks_markers(tmp_path):
    for name in ("b.parquet", "a/part-1.parquet", "a/part-0.parquet", "_temporary/part-9.parquet"):
        _parquet(tmp_path / "lake" / name)
    for marker in ("_SUCCESS", "a/.part-0.parquet.crc"):
        (tmp_path / "lake" / marker).write_bytes(b"")
    source = find_input(tmp_path / "lake")
    assert source.source_format == "parquet"
    assert [file.name for file in source.files] == ["a/part-0.parquet", "a/part-1.parquet", "b.parquet"]


def test_a_pattern_names_its_files_below_its_fixed_part(tmp_path):
    for name in ("2024/x.parquet", "2025/y.parquet", "2025/notes.txt"):
        _parquet(tmp_path / name)
    source = find_input(tmp_path / "*" / "*.parquet")
    assert [(file.name, file.path) for file in source.files] == [
        ("2024/x.parquet", tmp_path / "2024" / "x.parquet"), ("2025/y.parquet", tmp_path / "2025" / "y.parquet")]


def test_zstd_and_parquet_load_the_same_text_as_the_csv(tmp_path):
    csv = write_lines(tmp_path / "artists.csv", [HEADER, *workshop_lines()])
    _compressed(tmp_path / "artists.csv.zst", csv.read_bytes(), "zstd")
    pq.write_table(pyarrow.csv.read_csv(csv), tmp_path / "artists.parquet")
    loaded = {}
    for name in ("artists.csv", "artists.csv.zst", "artists.parquet"):
        with duckdb.connect() as con:
            load_raw_artists(con, check_input_file(tmp_path / name))
            loaded[name] = con.execute(
                f"select {', '.join(SOURCE_COLUMNS)} from raw.artists order by line_number").fetchall()
    assert len(loaded["artists.csv"]) == len(workshop_lines())
    assert loaded["artists.csv.zst"] == loaded["artists.csv"] == loaded["artists.parquet"]
