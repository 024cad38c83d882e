"""A shared analytics server: other accounts, a BI group, planted links, make switches (issue 25).

Each test runs the real entry point and checks what another account or a wrong word could do to the
builder's files: nothing of theirs is trusted or followed, who may read the warehouse never changes.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys

import duckdb

from tests.accounts import as_account_without_overrides, bi_group, other_account
from tests.hostile_files import REPO_ROOT, build_command, first_artists, one_error_line, sha256


def _run(command: list[str], **options) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=False, **options)


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_dbt_folder_another_account_made_is_refused_before_dbt_runs(tmp_path, published):
    planted = published.parent / f".dbt-{published.name}"
    planted.mkdir(mode=0o777)
    (planted / "partial_parse.msgpack").write_bytes(b"an on-run-start hook of theirs")
    os.chown(planted, other_account().pw_uid, other_account().pw_gid)
    before = sha256(published)

    line = one_error_line(_run(build_command(first_artists(tmp_path, 10), published)))

    assert line.startswith(f"error: {planted} belongs to another account (uid {other_account().pw_uid})")
    assert sorted(path.name for path in planted.iterdir()) == ["partial_parse.msgpack"]
    assert sha256(published) == before


def test_a_symlink_planted_as_the_lock_truncates_nothing(tmp_path, published):
    precious = tmp_path / "precious.txt"
    precious.write_text("a colleague's notes")
    published.with_name(published.name + ".lock").symlink_to(precious)
    before = sha256(published)

    build = _run(build_command(first_artists(tmp_path, 10), published))
    report = _run([sys.executable, "-m", "warehouse.report", "--db", str(published), "--out", str(tmp_path / "out")])

    assert one_error_line(build).endswith("is a symbolic link: a build keeps its own files there and would trust "
                                           "what it holds; remove it (or name another DB) and build again; the "
                                           "published warehouse was left as it was")
    assert report.returncode == 0, report.stderr
    assert precious.read_text() == "a colleague's notes"
    assert sha256(published) == before


def test_a_rebuild_keeps_who_may_read_the_warehouse_and_its_page(tmp_path, published):
    """Mode 640 and group `bi` stay under a umask of 077, and a cache others could write in is not reused."""
    report_dir = published.parent / f"{published.stem}-report"
    report_dir.mkdir()
    page = report_dir / "index.html"
    page.write_text("the previous page")
    for path in (published, page):
        os.chown(path, -1, bi_group().gr_gid)
        path.chmod(0o640)
    dbt_folder = published.parent / f".dbt-{published.name}"
    dbt_folder.mkdir(mode=0o777)
    dbt_folder.chmod(0o777)
    (dbt_folder / "partial_parse.msgpack").write_bytes(b"planted by the group")

    result = _run(build_command(first_artists(tmp_path, 20), published), preexec_fn=lambda: os.umask(0o077))

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    for path in (published, page):
        assert (_mode(path), path.stat().st_gid) == (0o640, bi_group().gr_gid), path
    assert _mode(dbt_folder) == 0o700
    assert (dbt_folder / "partial_parse.msgpack").read_bytes() != b"planted by the group"


def _foreign_duckdb(path) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("create table sales as select 1 as amount")


def test_no_means_no_in_make(tmp_path):
    own_file = tmp_path / "sales.duckdb"
    _foreign_duckdb(own_file)
    data = first_artists(tmp_path, 10)

    refused = _run(["make", "--no-print-directory", "build", f"DATA={data}", f"DB={own_file}", "REPLACE_ANY_FILE=no",
                    f"REPORT_DIR={tmp_path / 'out'}"])
    unclear = _run(["make", "--no-print-directory", "build", f"DATA={data}", f"DB={tmp_path / 'new.duckdb'}",
                    "FRESH_HISTORY=maybe", f"REPORT_DIR={tmp_path / 'out'}"])

    assert "error: refusing to replace" in refused.stderr
    with duckdb.connect(str(own_file), read_only=True) as con:
        assert con.execute("select amount from sales").fetchone() == (1,)
    assert [line for line in unclear.stderr.splitlines() if line.startswith("error:")] == [
        "error: FRESH_HISTORY (--fresh-history) must be yes or no (or true/false, 1/0, empty for no), got 'maybe'"]
    assert not (tmp_path / "new.duckdb").exists()


def test_an_account_that_may_only_read_the_warehouse_renders_its_report(tmp_path, workshop_db):
    """The warehouse's folder, file and lock belong to another account; the reader writes only its own page."""
    shared = tmp_path / "shared"
    shared.mkdir()
    published = shared / "dei.duckdb"
    shutil.copyfile(workshop_db, published)
    lock = shared / "dei.duckdb.lock"
    lock.touch()
    for path, mode in ((published, 0o644), (lock, 0o644), (shared, 0o755)):
        os.chown(path, other_account().pw_uid, other_account().pw_gid)
        path.chmod(mode)
    out = tmp_path / "mine"

    result = _run(as_account_without_overrides(
        [sys.executable, "-m", "warehouse.report", "--db", str(published), "--out", str(out)]))

    assert result.returncode == 0, result.stderr
    assert (out / "index.html").stat().st_size > 0
    assert sorted(path.name for path in shared.iterdir()) == ["dei.duckdb", "dei.duckdb.lock"]
