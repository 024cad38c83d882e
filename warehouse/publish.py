"""Atomic publish: build into a private file beside the published one, rename it over on success.

Builds of the same warehouse take turns on a lock file (`<db>.lock`, an flock the kernel releases
when the process dies, so a killed build never leaves it stuck): two builds started together
never interleave; the second waits, then builds and publishes its own input, so the last build to
start is the one published. `make report` takes the same lock. A reader that has the published
file open keeps its (old) file until it reconnects, because the rename swaps the directory entry,
not the bytes it has open. What may stand at the published path is in warehouse/published_file.py.

A build stopped by Ctrl-C, SIGTERM or SIGHUP raises BuildError inside the block: dbt and its
workers are ended, the private folder removed, and the published file is left as it was. A build
killed outright (SIGKILL) cannot clean up: the next build of the same warehouse ends what it left
running and removes its folder.
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
from collections.abc import Callable, Iterator
from pathlib import Path

from warehouse.errors import BuildError
from warehouse.processes import end_processes_of
from warehouse.published_file import check_no_writer, check_replaceable, retire_stale_wal

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
# the private file's name is fixed: DuckDB names the catalog after the file, and any name the user
# gives the warehouse (quotes, newlines) must never reach the catalog dbt writes in
STAGING_FILE = "warehouse.duckdb"
# the longest name a build derives from the warehouse's: its private folder, `.build-<name>`
LONGEST_DERIVED_PREFIX = len(".build-")


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
    """Turn Ctrl-C, SIGTERM and SIGHUP into a BuildError so that cleanup runs and no traceback is printed.

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


def _check_name_length(published: Path) -> None:
    try:
        limit = os.pathconf(published.parent, "PC_NAME_MAX")
    except OSError:
        return
    if len(os.fsencode(published.name)) + LONGEST_DERIVED_PREFIX > limit:
        raise BuildError(
            f"the warehouse file name is {len(os.fsencode(published.name))} bytes long; a build names its "
            f"private folder .build-<name> beside it, so the name may have at most "
            f"{limit - LONGEST_DERIVED_PREFIX} bytes here: {published}"
        )


def _check_publish_target(published: Path, replace_any_file: bool) -> None:
    folder = published.parent
    if folder.exists() and not folder.is_dir():
        raise BuildError(f"the warehouse folder is a file, not a folder: {folder}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError(f"cannot create the warehouse folder {folder} ({exc.strerror})") from None
    _check_name_length(published)
    if published.exists() and not stat.S_ISREG(published.stat().st_mode):
        raise BuildError(f"the warehouse path exists and is not a file: {published}")
    check_replaceable(published, replace_any_file)


def staging_dir(published: Path) -> Path:
    """The private folder a build of this warehouse writes in.

    Its name is the same for every build of one warehouse (they take turns on the lock): dbt keeps
    its partial-parse cache only while the database path it is given stays the same.
    """
    return published.parent / f".build-{published.name}"


def staging_file(published: Path) -> Path:
    return staging_dir(published) / STAGING_FILE


def _fresh_staging_dir(published: Path) -> Path:
    """Empty the private folder, ending what a killed build of this warehouse left running in it."""
    folder = staging_dir(published)
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise BuildError(
            f"{folder} is in the way: a build keeps its private files there, but it is not a folder; "
            f"move it away and build again"
        )
    end_processes_of(staging_file(published))
    shutil.rmtree(folder, ignore_errors=True)
    try:
        folder.mkdir()
    except OSError as exc:
        raise BuildError(f"cannot create the build's private folder {folder} ({exc.strerror})") from None
    return folder


def _replace(staging_db: Path, published: Path) -> None:
    # a client may have opened the published file read-write while this build ran
    check_no_writer(published)
    retire_stale_wal(published)
    try:
        os.replace(staging_db, published)
    except OSError as exc:
        raise BuildError(
            f"the new warehouse could not be renamed over {published} ({exc.strerror}); "
            f"the published warehouse was left as it was"
        ) from None


@contextlib.contextmanager
def staged_build(
    published: Path, replace_any_file: bool = False, after_publish: Callable[[], None] | None = None,
) -> Iterator[Path]:
    """Yield a fresh database path; publish it only if the block finishes without an exception.

    after_publish runs once the file is in place, still under the lock (the build moves its report
    into place there, so that a page never describes a warehouse that was not published).
    """
    _check_publish_target(published, replace_any_file)
    with stop_signals_raise_build_error(), build_lock(published):
        folder = _fresh_staging_dir(published)
        staging_db = folder / STAGING_FILE
        try:
            yield staging_db
            _replace(staging_db, published)
            if after_publish is not None:
                after_publish()
        finally:
            end_processes_of(staging_db)
            shutil.rmtree(folder, ignore_errors=True)
