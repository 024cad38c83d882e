"""Atomic publish: build into a private file beside the published one, rename it over on success.

Builds of the same warehouse take turns on a lock file (`<db>.lock`, an flock the kernel releases
when the process dies, so a killed build never leaves it stuck): two builds started together
never interleave; the second waits, then builds and publishes its own input, so the last build to
start is the one published. A reader that has the published file open keeps its (old) file until
it reconnects, because the rename swaps the directory entry, not the bytes it has open.

A build stopped by Ctrl-C or SIGTERM raises BuildError inside the block: dbt's child process is
killed, the private folder removed, and the published file is left as it was.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import stat
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

from warehouse.errors import BuildError

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def build_lock(published: Path) -> Iterator[None]:
    lock_path = published.with_name(published.name + ".lock")
    try:
        lock_file = lock_path.open("w")
    except OSError as exc:
        raise BuildError(f"cannot create the build lock {lock_path} ({exc.strerror})") from None
    with lock_file:
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting for another build of {published} to finish...", file=sys.stderr, flush=True)
            fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def _raise_stop(signal_number: int, _frame) -> None:
    raise BuildError(
        f"build stopped by {signal.Signals(signal_number).name}; the published warehouse was left as it was"
    )


@contextlib.contextmanager
def stop_signals_raise_build_error() -> Iterator[None]:
    """Turn Ctrl-C and SIGTERM into a BuildError so that cleanup runs and no traceback is printed.

    Signal handlers can only be installed from the main thread; elsewhere Python's defaults stay.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {number: signal.signal(number, _raise_stop) for number in STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _check_publish_target(published: Path) -> None:
    folder = published.parent
    if folder.exists() and not folder.is_dir():
        raise BuildError(f"the warehouse folder is a file, not a folder: {folder}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError(f"cannot create the warehouse folder {folder} ({exc.strerror})") from None
    if published.exists() and not stat.S_ISREG(published.stat().st_mode):
        raise BuildError(f"the warehouse path exists and is not a file: {published}")


def _staging_dir(published: Path) -> Path:
    """The private folder a build of this warehouse writes in.

    Its name is the same for every build of one warehouse (they take turns on the lock): dbt keeps
    its partial-parse cache only while the database path it is given stays the same.
    """
    return published.parent / f".build-{published.name}"


@contextlib.contextmanager
def staged_build(published: Path) -> Iterator[Path]:
    """Yield a fresh database path; publish it only if the block finishes without an exception.

    The staging file keeps the published file's name (in its own folder) because DuckDB names the
    catalog after the file, so everything dbt writes stays valid after the rename.
    """
    _check_publish_target(published)
    with stop_signals_raise_build_error(), build_lock(published):
        staging_dir = _staging_dir(published)
        # what a killed build left behind; safe to drop because we hold the lock
        shutil.rmtree(staging_dir, ignore_errors=True)
        staging_dir.mkdir()
        staging_db = staging_dir / published.name
        try:
            yield staging_db
            os.replace(staging_db, published)
        finally:
            shutil.rmtree(staging_dir, ignore_errors=True)
