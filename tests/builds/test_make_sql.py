"""`make sql`: the venv's DuckDB CLI on the published warehouse, read-only, and one line without one."""

import os
import subprocess

from tests.conftest import REPO_ROOT


def make_sql(db, query: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in {"MAKEFLAGS", "MAKELEVEL", "MFLAGS"}}
    return subprocess.run(["make", "--no-print-directory", "sql", f"DB={db}"], cwd=REPO_ROOT, env=env, input=query,
                          capture_output=True, text=True)


def test_make_sql_reads_the_warehouse_and_refuses_to_write_it(published):
    before = published.read_bytes()
    read = make_sql(published, ".mode csv\nselect count(*) as artists from features.artist_features;\n")
    assert read.returncode == 0, read.stderr
    assert read.stdout.split() == ["artists", "40"]
    write = make_sql(published, "create table audit.notes (note varchar);\n")
    assert "read-only" in write.stderr
    assert published.read_bytes() == before


def test_make_sql_without_a_warehouse_is_one_line(tmp_path):
    missing = tmp_path / "typo.duckdb"
    run = make_sql(missing, "select 1;\n")
    assert run.returncode != 0
    assert run.stderr.splitlines()[0] == f"error: no warehouse at {missing}: run `make build` first"
    assert not missing.exists()
