"""What may stand at the published path, and what a client left beside it.

A build replaces the published file by renaming its own over it. Before it does:
- the path must hold nothing, or a DuckDB file this project built (audit.load_reconciliation
  is in it): `DB=` naming the input CSV or any other file is refused unless the user says so;
- no process may hold it read-write. DuckDB takes a POSIX write lock on a file it opens
  read-write and writes its changes to `<file>.wal` beside it; a reader that later opens the NEW
  file would replay that log onto it. The lock is asked about with F_GETLK, which names the
  holder's PID without taking the lock, so read-only readers (shared locks) are never disturbed;
- a `<file>.wal` that no process holds is what a client left when it crashed while writing to
  the previous warehouse. Its changes belong to that warehouse, which the rename retires: the log
  is removed before the rename, so that nothing replays it onto the new one.
"""

from __future__ import annotations

import fcntl
import os
import struct
import sys
from pathlib import Path

import duckdb

from warehouse.errors import BuildError

# struct flock on Linux: l_type, l_whence (short), l_start, l_len (off_t), l_pid (pid_t), padding
FLOCK = struct.Struct("hhqqi4x")
DUCKDB_MAGIC = b"DUCK"
MAGIC_OFFSET = 8
SHOWN_COMMAND_CHARACTERS = 80


def wal_of(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def read_write_holder(path: Path) -> int | None:
    """PID of a process holding DuckDB's write lock on path (a read-write connection), if any."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        # would a shared (reader's) lock be refused? only a writer's lock refuses it
        answer = fcntl.fcntl(descriptor, fcntl.F_GETLK, FLOCK.pack(fcntl.F_RDLCK, os.SEEK_SET, 0, 0, 0))
    finally:
        os.close(descriptor)
    lock_type, _, _, _, pid = FLOCK.unpack(answer)
    return None if lock_type == fcntl.F_UNLCK else pid


def describe_process(pid: int) -> str:
    try:
        arguments = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return f"process {pid}"
    # one line whatever the arguments hold (a `python -c` script has newlines)
    command = " ".join(arguments.replace("\0", " ").split())
    if len(command) > SHOWN_COMMAND_CHARACTERS:
        command = command[:SHOWN_COMMAND_CHARACTERS] + "..."
    return f"process {pid} ({command})" if command else f"process {pid}"


def check_no_writer(published: Path) -> None:
    holder = read_write_holder(published)
    if holder is not None:
        raise BuildError(
            f"the warehouse {published} is open read-write in {describe_process(holder)}: close that "
            f"connection, or open the warehouse read-only (duckdb -readonly, read_only=True), then build "
            f"again; the published warehouse was left as it was"
        )


def why_not_this_projects(path: Path) -> str | None:
    """None when path is a DuckDB file with this project's audit table; else what it is instead."""
    with path.open("rb") as handle:
        head = handle.read(MAGIC_OFFSET + len(DUCKDB_MAGIC))
    if head[MAGIC_OFFSET:] != DUCKDB_MAGIC:
        return "it is not a DuckDB file"
    try:
        with duckdb.connect(str(path), read_only=True) as con:
            found = con.execute(
                "select count(*) from duckdb_tables() "
                "where schema_name = 'audit' and table_name = 'load_reconciliation'"
            ).fetchone()[0]
    except duckdb.Error as exc:
        return f"DuckDB cannot open it: {str(exc).splitlines()[0]}"
    return None if found else "it is a DuckDB file without this project's audit.load_reconciliation"


def check_replaceable(published: Path, replace_any_file: bool) -> None:
    """Refuse, before any work, to build over a file that a rename would destroy or corrupt."""
    if not published.exists():
        return
    check_no_writer(published)
    if replace_any_file:
        return
    try:
        reason = why_not_this_projects(published)
    except OSError as exc:
        reason = f"it cannot be read ({exc.strerror})"
    if reason:
        raise BuildError(
            f"refusing to replace {published}: {reason}, so it is not a warehouse this project built; "
            f"name another DB, or say --replace-any-file (make build REPLACE_ANY_FILE=yes) to replace it"
        )


def retire_stale_wal(published: Path) -> None:
    """Remove a write-ahead log no process holds, so that it is not replayed onto the new file."""
    wal = wal_of(published)
    if not wal.exists():
        return
    wal.unlink()
    print(
        f"note: removed {wal}, a write-ahead log a client left when it stopped while writing to the "
        f"previous warehouse; its changes went with that warehouse",
        file=sys.stderr,
    )
