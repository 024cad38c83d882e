"""The bytes a build loads are those of the file named, and the very bytes audit.build_runs hashed.

DuckDB reads a path holding [, * or ? as a glob pattern: `artists[1].csv` would load the
`artists1.csv` beside it while the lineage hashed the file named. Each input here is named so,
beside a smaller file its pattern matches; a gzip CSV's warehouse lies in a folder so named, which
the decompressed copy's path (in the build's private folder) holds. A file that changes between
its hash and its load is refused in one line, the published warehouse left byte for byte as it was.
"""

from __future__ import annotations

import gzip
import os
import shutil
import tempfile
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv
import pyarrow.parquet as pq
import pytest

import warehouse.build_history.lineage
from tests.hostile_files import first_artists, run_build_process, sha256, workshop_lines
from warehouse.build import main as build_main

NO_MODELS = ("--vars", '{"train_feature_sets": []}')
NAMED = 12
DECOY = 5


def _csv(folder: Path) -> Path:
    first_artists(folder, DECOY, "artists1.csv")
    return first_artists(folder, NAMED, "artists[1].csv")


def _parquet(folder: Path) -> Path:
    pq.write_table(pyarrow.csv.read_csv(first_artists(folder, DECOY, "decoy.csv")), folder / "artists1.parquet")
    pq.write_table(pyarrow.csv.read_csv(first_artists(folder, NAMED, "named.csv")), folder / "artists[1].parquet")
    return folder / "artists[1].parquet"


INPUTS = {"csv": _csv, "parquet": _parquet}


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """Per input, (the file, the warehouse built from it, the build's result)."""
    built = {}
    for name, write in INPUTS.items():
        folder = tmp_path_factory.mktemp(name)
        (folder / "inputs").mkdir()
        data, db = write(folder / "inputs"), folder / "warehouse" / "dei.duckdb"
        built[name] = data, db, run_build_process(data, db, *NO_MODELS)
    return built


def _loaded_and_hashed(db: Path) -> tuple[int, list[tuple], tuple]:
    """The rows read, raw.source_files' row counts, and build_runs' (name, bytes, sha256) of the input."""
    with duckdb.connect(str(db), read_only=True) as con:
        rows_read = con.execute("select count(*) from raw.artists").fetchone()[0]
        recorded = con.execute("select row_count from raw.source_files").fetchall()
        [hashed] = con.execute(
            "select input_file_name, input_file_bytes, input_file_sha256 from audit.build_runs").fetchall()
    return rows_read, recorded, hashed


@pytest.mark.parametrize("name", INPUTS)
def test_the_file_named_is_the_file_loaded_and_hashed(builds, name):
    data, db, result = builds[name]
    assert result.returncode == 0, result.stderr
    assert _loaded_and_hashed(db) == (NAMED, [(NAMED,)], (data.name, data.stat().st_size, sha256(data)))


def test_the_decompressed_copy_is_loaded_from_a_warehouse_folder_named_like_a_pattern(tmp_path, monkeypatch):
    """The copy's folder has a random name; here a known one, which a folder the pattern matches
    (`warehouse 1` for `warehouse [1]`) holds too, with other artists in it."""
    data = tmp_path / "artists.csv.gz"
    data.write_bytes(gzip.compress(first_artists(tmp_path, NAMED, "plain.csv").read_bytes()))
    db = tmp_path / "warehouse [1]" / "dei.duckdb"
    matched = tmp_path / "warehouse 1" / ".build-dei.duckdb" / "input-known"
    matched.mkdir(parents=True)
    first_artists(matched, DECOY, "input.csv")
    any_name = tempfile.mkdtemp

    def known_name(suffix=None, prefix=None, dir=None):
        if prefix != "input-":
            return any_name(suffix, prefix, dir)
        os.mkdir(Path(dir) / "input-known", 0o700)
        return str(Path(dir) / "input-known")

    monkeypatch.setattr(tempfile, "mkdtemp", known_name)
    arguments = ["--data", str(data), "--db", str(db), "--report-dir", str(tmp_path / "report"), *NO_MODELS]

    assert build_main(arguments) == 0
    assert _loaded_and_hashed(db) == (NAMED, [(NAMED,)], (data.name, data.stat().st_size, sha256(data)))


def _append_a_line(data: Path) -> None:
    with data.open("a") as handle:
        handle.write(workshop_lines()[NAMED] + "\n")


def _replace_with_the_decoy(data: Path) -> None:
    os.replace(data.with_name("artists1.parquet"), data)


CHANGES = {"csv": _append_a_line, "parquet": _replace_with_the_decoy}


@pytest.mark.parametrize("name", CHANGES)
def test_a_file_changed_after_its_hash_is_refused(builds, name, tmp_path, monkeypatch, capsys):
    """The change comes right after the lineage hashed the input, before the load reads it."""
    built_from, db, _ = builds[name]
    data = Path(shutil.copytree(built_from.parent, tmp_path / "inputs")) / built_from.name
    published = tmp_path / "published" / "dei.duckdb"
    published.parent.mkdir()
    shutil.copyfile(db, published)
    before, size = sha256(published), data.stat().st_size
    hash_input = warehouse.build_history.lineage.input_size_and_sha256

    def hashed_then_changed(source):
        hashed = hash_input(source)
        CHANGES[name](data)
        return hashed

    monkeypatch.setattr(warehouse.build_history.lineage, "input_size_and_sha256", hashed_then_changed)
    arguments = ["--data", str(data), "--db", str(published), "--report-dir", str(tmp_path / "report"), *NO_MODELS]

    assert build_main(arguments) == 2

    if name == "csv":
        change = f"{size} bytes when first read, {data.stat().st_size} bytes now"
    else:
        change = "another file took its name"
    assert capsys.readouterr().err.splitlines() == [
        f"error: input file changed while the build read it ({change}); build again once it is complete; "
        f"the published warehouse was left as it was: {data}"
    ]
    assert sha256(published) == before


def test_a_nested_required_column_is_refused_in_one_line(tmp_path):
    table = pyarrow.csv.read_csv(first_artists(tmp_path, NAMED))
    genders = pa.array([{"value": gender} for gender in table["gender"].to_pylist()])
    data = tmp_path / "nested.parquet"
    pq.write_table(table.set_column(table.schema.get_field_index("gender"), "gender", genders), data)

    result = run_build_process(data, tmp_path / "dei.duckdb", *NO_MODELS)

    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"error: input column gender is of a nested Parquet type (struct<value: string>); a required column "
        f"must hold plain values: {data}"
    ]
