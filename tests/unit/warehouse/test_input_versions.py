"""Each input file is read as itself, whatever its name, and as the one version the build first saw.

DuckDB reads a path holding [, * or ? as a glob pattern; the load is given the descriptor's path.
The builds of tests/builds/test_input_identity.py show the same end to end, a gzip CSV's
decompressed copy too.
"""

from __future__ import annotations

import hashlib

import duckdb
import pyarrow as pa
import pyarrow.csv
import pyarrow.parquet as pq
import pytest

from tests.hostile_files import first_artists, workshop_lines
from warehouse.build_history.lineage import input_size_and_sha256
from warehouse.errors import BuildError
from warehouse.ingest.load import check_input_file, load_raw_artists

NAMED = 12
DECOY = 5


def _csv(folder):
    first_artists(folder, DECOY, "artists1.csv")
    return first_artists(folder, NAMED, "artists[1].csv")


def _parquet(folder):
    pq.write_table(pyarrow.csv.read_csv(first_artists(folder, DECOY, "decoy.csv")), folder / "artists1.parquet")
    pq.write_table(pyarrow.csv.read_csv(first_artists(folder, NAMED, "named.csv")), folder / "artists[1].parquet")
    return folder / "artists[1].parquet"


@pytest.mark.parametrize("write", [_csv, _parquet], ids=["csv", "parquet"])
def test_a_file_named_like_a_pattern_is_loaded_and_hashed_as_itself(write, tmp_path):
    data = write(tmp_path)
    source = check_input_file(data)
    with duckdb.connect() as con:
        load_raw_artists(con, source)
        rows_read = con.execute("select count(*) from raw.artists").fetchone()[0]
    assert rows_read == NAMED
    assert input_size_and_sha256(source) == (data.stat().st_size, hashlib.sha256(data.read_bytes()).hexdigest())


@pytest.mark.parametrize("nested", [
    pa.array([{"value": "Female"}]),
    pa.array([["Female"]]),
    pa.array([[("value", "Female")]], type=pa.map_(pa.string(), pa.string())),
], ids=["struct", "list", "map"])
def test_a_required_column_of_a_nested_type_is_refused(nested, tmp_path):
    table = pyarrow.csv.read_csv(first_artists(tmp_path, 1))
    data = tmp_path / "nested.parquet"
    pq.write_table(table.set_column(table.schema.get_field_index("gender"), "gender", nested), data)
    # as the file holds it: Parquet names a list's items `element`
    file_type = pq.read_schema(data).field("gender").type
    with pytest.raises(BuildError) as refused:
        check_input_file(data)
    assert str(refused.value) == (
        f"input column gender is of a nested Parquet type ({file_type}); a required column must hold "
        f"plain values: {data}"
    )


def test_an_extra_column_of_a_nested_type_is_ignored(tmp_path):
    table = pyarrow.csv.read_csv(first_artists(tmp_path, 1))
    data = tmp_path / "tagged.parquet"
    pq.write_table(table.append_column("tags", pa.array([["a", "b"]])), data)
    assert check_input_file(data).files[0].rows == 1


def test_a_file_appended_to_after_its_check_is_neither_hashed_nor_loaded(tmp_path):
    data = first_artists(tmp_path, NAMED)
    source = check_input_file(data)
    size = data.stat().st_size
    with data.open("a") as handle:
        handle.write(workshop_lines()[NAMED] + "\n")
    refusal = (
        f"input file changed while the build read it ({size} bytes when first read, {data.stat().st_size} bytes "
        f"now); build again once it is complete; the published warehouse was left as it was: {data}"
    )
    with pytest.raises(BuildError) as hashing:
        input_size_and_sha256(source)
    with duckdb.connect() as con, pytest.raises(BuildError) as loading:
        load_raw_artists(con, source)
    assert str(hashing.value) == str(loading.value) == refusal
