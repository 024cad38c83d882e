"""`make docs` refuses, in one line, a warehouse it cannot read, and never creates one."""

from __future__ import annotations

import subprocess
import sys

import duckdb

from warehouse.docs import main

HOLD_FOR_WRITING = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("open", flush=True)
time.sleep(60)
"""


def test_a_missing_warehouse_is_one_line_and_no_file_is_created(tmp_path, capsys):
    db = tmp_path / "typo" / "dei.duckdb"
    assert main(["--db", str(db), "--out", str(tmp_path / "docs")]) == 2
    assert capsys.readouterr().err.splitlines() == [
        f"error: no warehouse at {db}: run `make build` first, or give DB=<the published file>"]
    assert not db.parent.exists() and not (tmp_path / "docs").exists()


def test_a_file_that_is_no_warehouse_is_one_line(tmp_path, capsys):
    db = tmp_path / "notes.duckdb"
    db.write_text("not a database\n")
    assert main(["--db", str(db), "--out", str(tmp_path / "docs")]) == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith(f"error: cannot read the warehouse {db}: ")
    assert db.read_text() == "not a database\n"


def test_a_client_holding_the_file_for_writing_is_named_in_one_line(tmp_path, capsys):
    db = tmp_path / "dei.duckdb"
    duckdb.connect(str(db)).close()
    holder = subprocess.Popen([sys.executable, "-c", HOLD_FOR_WRITING, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        assert main(["--db", str(db), "--out", str(tmp_path / "docs")]) == 2
    finally:
        holder.kill()
        holder.wait()
    assert capsys.readouterr().err.splitlines() == [
        f"error: {db} is open for writing in another process (a client opened it without its read-only flag); "
        "close it, or open it read-only, and run `make docs` again"]
