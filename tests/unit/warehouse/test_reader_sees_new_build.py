"""What the README tells a reader: after a build renames a new file over the published one, a process
sees the new build only once it has closed every connection to the file and opened it again.

DuckDB shares one database instance among a process's connections to a path, so a connection
opened while another is still open joins the old instance, and with it the renamed-over file."""

import os

import duckdb


def warehouse_of_build(path, build_number: int) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("create table build_runs as select ? as build_number", [build_number])


def build_number(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("select build_number from build_runs").fetchone()[0]


def test_a_process_sees_the_new_build_only_after_closing_every_connection(tmp_path):
    published, new_build = tmp_path / "dei.duckdb", tmp_path / "new.duckdb"
    warehouse_of_build(published, 1)
    warehouse_of_build(new_build, 2)

    first = duckdb.connect(str(published), read_only=True)
    os.replace(new_build, published)  # what the build's publish does
    second = duckdb.connect(str(published), read_only=True)
    assert (build_number(first), build_number(second)) == (1, 1)

    first.close()
    third = duckdb.connect(str(published), read_only=True)
    assert build_number(third) == 1  # `second` still holds the old instance open

    second.close()
    third.close()
    with duckdb.connect(str(published), read_only=True) as reopened:
        assert build_number(reopened) == 2
