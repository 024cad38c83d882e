"""What read-write clients and full disks leave beside the published file never reaches a new warehouse.

Clients are real DuckDB processes: one that writes and crashes (its change stays in `<db>.wal`),
one that holds the file read-write. Full disks are real: a small tmpfs in a mount namespace of
the test's own (`unshare`), so nothing outside the test sees it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import duckdb
import pytest

from tests.hostile_files import (
    REPO_ROOT,
    first_artists,
    run_build_process,
    sha256,
    staging_leftovers,
)
from warehouse.dbt_runner import dbt_target_dir
from warehouse.errors import BuildError
from warehouse.verify import check_whole_warehouse, expected_relations

pytestmark = pytest.mark.slow

CRASHING_WRITER = """
import os, signal, sys, duckdb
con = duckdb.connect(sys.argv[1])
con.execute(sys.argv[2])
os.kill(os.getpid(), signal.SIGKILL)
"""

HOLDING_WRITER = """
import sys, duckdb
con = duckdb.connect(sys.argv[1])
print("open", flush=True)
sys.stdin.readline()
"""






def _crash_after(db, statement: str) -> None:
    subprocess.run([sys.executable, "-c", CRASHING_WRITER, str(db), statement], check=False)
    assert db.with_name(db.name + ".wal").exists(), "the crashed client left no write-ahead log"


def _scalar(db, sql: str):
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchone()[0]


@pytest.mark.parametrize("statement, check, expected", [
    ("create table main.scratch as select 1 as x",
     "select count(*) from duckdb_tables() where schema_name = 'main'", 0),
    ("delete from features.artist_features where artist_id % 3 = 0",
     "select count(*) from features.artist_features", 30),
])
def test_a_crashed_writers_log_is_not_replayed_onto_the_new_warehouse(tmp_path, published, statement, check, expected):
    _crash_after(published, statement)

    result = run_build_process(first_artists(tmp_path, 30), published)

    assert result.returncode == 0, result.stderr
    assert "removed" in result.stderr and ".wal" in result.stderr
    assert not published.with_name(published.name + ".wal").exists()
    assert _scalar(published, check) == expected
    assert _scalar(published, "select artists_loaded from audit.load_reconciliation") == 30


def test_build_refuses_while_a_client_holds_the_warehouse_read_write(tmp_path, published):
    client = subprocess.Popen([sys.executable, "-c", HOLDING_WRITER, str(published)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert client.stdout.readline().strip() == "open"
        before = sha256(published)

        result = run_build_process(first_artists(tmp_path, 30), published)
    finally:
        client.stdin.close()
        client.wait(timeout=30)

    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: the warehouse {published} is open read-write in process {client.pid} (")
    assert "read-only" in line
    assert sha256(published) == before
    assert staging_leftovers(published) == []


# run in a mount namespace of its own: the tmpfs and everything on it vanish when the script ends,
# so what the test checks is copied out first
FULL_DISK_BUILD = """
set -e
mount -t tmpfs -o size="$SIZE" tmpfs "$DISK"
cp "$PREVIOUS" "$DISK/dei.duckdb"
set +e
"$PYTHON" -m warehouse.build --data "$DATA" --db "$DISK/dei.duckdb" --report-dir "$OUT/report" \
    > "$OUT/stdout" 2> "$OUT/stderr"
echo $? > "$OUT/status"
ls -a "$DISK" > "$OUT/listing"
cp "$DISK/dei.duckdb" "$OUT/published.duckdb"
"""


def _relations(db) -> set[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "select schema_name || '.' || table_name from duckdb_tables() "
            "union all select schema_name || '.' || view_name from duckdb_views() where not internal"
        ).fetchall()
    return {name for (name,) in rows}


@pytest.mark.parametrize("room", [0.85, 1.65])
def test_a_full_disk_never_publishes_a_broken_warehouse(tmp_path, workshop_db, room):
    """A disk the previous warehouse fills but for room times its size: at 0.85 the build has too
    little room for dbt; at 1.65 dbt finishes but cannot merge its write-ahead log into the file.

    Whatever the disk allows, the outcome is one of two: a published warehouse that is whole on its
    own (every relation, no log beside it), or one `error:` line and the previous file as it was.
    """
    disk, out = tmp_path / "disk", tmp_path / "out"
    disk.mkdir()
    out.mkdir()
    size = round(workshop_db.stat().st_size * (1 + room))
    environment = {**os.environ, "SIZE": str(size), "DISK": str(disk), "OUT": str(out), "PREVIOUS": str(workshop_db),
                   "PYTHON": sys.executable, "DATA": str(first_artists(tmp_path, 40))}
    subprocess.run(["unshare", "--map-root-user", "--mount", "sh", "-c", FULL_DISK_BUILD],
                   env=environment, cwd=REPO_ROOT, check=True)
    status = int(out.joinpath("status").read_text())
    stderr = out.joinpath("stderr").read_text()

    assert "Traceback" not in out.joinpath("stdout").read_text() + stderr
    assert "dei.duckdb.wal" not in out.joinpath("listing").read_text().split()
    if status == 0:
        assert expected_relations(dbt_target_dir(workshop_db) / "manifest.json") <= _relations(out / "published.duckdb")
    else:
        assert status == 2
        [line] = stderr.splitlines()
        assert line.startswith("error: ")
        assert sha256(out / "published.duckdb") == sha256(workshop_db)


@pytest.fixture()
def built_copy(tmp_path, workshop_db):
    """A copy of a whole build's file, checked against the manifest of the build it came from."""
    path = tmp_path / "copy.duckdb"
    shutil.copyfile(workshop_db, path)
    return path


def test_a_whole_warehouse_passes_the_check(built_copy, workshop_db):
    check_whole_warehouse(built_copy, dbt_target_dir(workshop_db))


def test_a_warehouse_without_one_of_its_tables_is_refused(built_copy, workshop_db):
    with duckdb.connect(str(built_copy)) as con:
        con.execute("drop table ml.model_metrics")

    with pytest.raises(BuildError, match=r"lacks 1 of its \d+ tables and views \(ml\.model_metrics\)"):
        check_whole_warehouse(built_copy, dbt_target_dir(workshop_db))


def test_a_table_with_other_rows_than_dbt_wrote_is_refused(built_copy, workshop_db):
    with duckdb.connect(str(built_copy)) as con:
        con.execute("delete from features.artist_features where artist_id % 2 = 0")

    with pytest.raises(BuildError, match=r"features\.artist_features \(20 rows, dbt wrote 40\)"):
        check_whole_warehouse(built_copy, dbt_target_dir(workshop_db))


def test_a_log_left_beside_the_built_file_is_merged_before_the_check(built_copy, workshop_db):
    _crash_after(built_copy, "create table main.merged as select 1 as x")

    check_whole_warehouse(built_copy, dbt_target_dir(workshop_db))

    assert not built_copy.with_name(built_copy.name + ".wal").exists()
    assert _scalar(built_copy, "select count(*) from main.merged") == 1
