"""Builds beside other processes: a BI tool reading the published file, a second build, a stop signal."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import duckdb
import pytest

from tests.hostile_files import (
    BuildProcess,
    first_artists,
    sha256,
    staging_leftovers,
)
from warehouse.build import main as build_main
from warehouse.errors import BuildError
from warehouse.publish.atomic import staged_build, staging_file

# A BI tool: holds one read-only connection and answers "count" (artists it sees) or "reconnect".
READER = """
import sys, duckdb
path = sys.argv[1]
def artists(con):
    return con.execute("select count(*) from staging.stg_artists").fetchone()[0]
con = duckdb.connect(path, read_only=True)
print(artists(con), flush=True)
for command in sys.stdin:
    if command.strip() == "reconnect":
        con.close()
        con = duckdb.connect(path, read_only=True)
    print(artists(con), flush=True)
"""






def _ask(reader: subprocess.Popen, command: str) -> int:
    reader.stdin.write(command + "\n")
    reader.stdin.flush()
    return int(reader.stdout.readline())


def test_reader_keeps_the_old_file_until_it_reconnects(tmp_path, published):
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(published)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert int(reader.stdout.readline()) == 40

        code = build_main([
            "--data", str(first_artists(tmp_path, 30)), "--db", str(published),
            "--report-dir", str(tmp_path / "report"),
        ])

        assert code == 0
        assert _ask(reader, "count") == 40
        assert _ask(reader, "reconnect") == 30
    finally:
        reader.stdin.close()
        reader.wait(timeout=30)
    assert reader.returncode == 0


def test_two_builds_at_once_take_turns_and_the_later_one_is_published(tmp_path):
    db = tmp_path / "dei.duckdb"
    builds = {count: BuildProcess(first_artists(tmp_path, count), db) for count in (30, 35)}
    outcomes = {count: build.finish(timeout=900) for count, build in builds.items()}

    assert {count: code for count, (code, _) in outcomes.items()} == {30: 0, 35: 0}
    waited = [count for count, (_, err) in outcomes.items() if "waiting for another build" in err]
    assert len(waited) == 1
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute(
            "select rows_read, artists_loaded, is_balanced from audit.load_reconciliation"
        ).fetchall() == [(waited[0], waited[0], True)]
        assert con.execute("select count(*) from features.artist_features").fetchone() == (waited[0],)
        # both are in the history, in the order they held the lock
        [first] = {30, 35} - set(waited)
        assert con.execute("select build_number, rows_read from audit.build_runs order by build_number").fetchall() == [
            (1, first), (2, waited[0])]
    assert staging_leftovers(db) == []


def test_stopped_build_leaves_the_published_file_and_no_leftovers(tmp_path, published):
    before = sha256(published)
    build = BuildProcess(first_artists(tmp_path, 30), published)
    deadline = time.monotonic() + 120
    while not staging_file(published).exists():
        assert time.monotonic() < deadline and build.process.poll() is None, "the build never reached its private file"
        time.sleep(0.1)
    time.sleep(2)

    build.process.send_signal(signal.SIGTERM)
    code, err = build.finish(timeout=120)

    assert code == 2
    assert "Traceback" not in err
    assert "error: build stopped by SIGTERM; the published warehouse was left as it was" in err.splitlines()
    assert sha256(published) == before
    assert staging_leftovers(published) == []


def test_next_build_removes_only_what_a_killed_build_of_the_same_file_left(tmp_path):
    published = tmp_path / "dei.duckdb"
    killed = tmp_path / ".build-dei.duckdb"
    killed.mkdir()
    killed.joinpath("dei.duckdb").write_bytes(b"half a warehouse")
    other_warehouse = tmp_path / ".build-dei.duckdb-2"
    other_warehouse.mkdir()

    with staged_build(published) as staging_db:
        staging_db.write_bytes(b"a whole warehouse")

    assert published.read_bytes() == b"a whole warehouse"
    assert not killed.exists()
    assert other_warehouse.exists()


def test_block_that_fails_publishes_nothing(published):
    before = sha256(published)

    with pytest.raises(BuildError, match="dbt failed"), staged_build(published) as staging_db:
        staging_db.write_bytes(b"half a warehouse")
        raise BuildError("dbt failed")

    assert sha256(published) == before
    assert staging_leftovers(published) == []
