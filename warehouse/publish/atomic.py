"""Atomic publish: build into a private file beside the published one, rename it over on success.

Builds of the same warehouse take turns on a lock file (`<db>.lock`, an flock the kernel releases
when the process dies, so a killed build never leaves it stuck; the build removes the file as it
ends, still holding it, and one that waited on a removed file takes the new one): two builds started together
never interleave; the second waits, then builds and publishes its own input, so the last build to
start is the one published. `make report` waits on the same lock, read-only. A reader that has the published
file open keeps its (old) file until it reconnects, because the rename swaps the directory entry,
not the bytes it has open. What may stand at the published path is in warehouse/publish/published_file.py.

A build stopped by Ctrl-C, SIGTERM or SIGHUP raises BuildError inside the block (stop_signals.py):
dbt and its workers are ended, the private folder removed, and the published file is left as it was,
unless the signal came while the build published, which then ends first. The published file takes
the mode and group of the one it replaces (file_modes.py); the folders and lock a build reuses are
its own account's or refused (own_files.py). A build
killed outright (SIGKILL) cannot clean up: the next build of the same warehouse ends what it left
running and removes its folder.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import stat
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from warehouse.errors import BuildError
from warehouse.processes import end_processes_of
from warehouse.publish.file_modes import take_permissions
from warehouse.publish.own_files import check_not_foreign, open_build_lock, open_lock_to_wait_on, private_folder
from warehouse.publish.published_file import check_no_writer, check_replaceable, retire_stale_wal
from warehouse.publish.stop_signals import BuildStop, stop_signals_raise_build_error

# the private file's name is fixed: DuckDB names the catalog after the file, and any name the user
# gives the warehouse (quotes, newlines) must never reach the catalog dbt writes in
STAGING_FILE = "warehouse.duckdb"
# the longest name a build derives from the warehouse's: its private folder, `.build-<name>`
LONGEST_DERIVED_PREFIX = len(".build-")


def lock_path(published: Path) -> Path:
    return published.with_name(published.name + ".lock")


def _take_turn(descriptor: int, mode: int, published: Path) -> None:
    try:
        fcntl.flock(descriptor, mode | fcntl.LOCK_NB)
    except BlockingIOError:
        print(f"waiting for another build of {published} to finish...", file=sys.stderr, flush=True)
        fcntl.flock(descriptor, mode)


def _still_at(descriptor: int, path: Path) -> bool:
    """Whether the locked file is still the one at path (the build before may have removed it)."""
    try:
        on_disk = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return False
    held = os.fstat(descriptor)
    return (held.st_dev, held.st_ino) == (on_disk.st_dev, on_disk.st_ino)


@contextlib.contextmanager
def build_lock(published: Path) -> Iterator[None]:
    path = lock_path(published)
    while True:
        descriptor = open_build_lock(path)
        try:
            _take_turn(descriptor, fcntl.LOCK_EX, published)
        except BaseException:
            os.close(descriptor)
            raise
        if _still_at(descriptor, path):
            break
        os.close(descriptor)
    try:
        yield
    finally:
        # removed while held: a build waiting on this file finds it gone once it gets it, and retries
        path.unlink(missing_ok=True)
        os.close(descriptor)


def _missing_folders(folder: Path) -> list[Path]:
    """folder and its parents that do not exist yet, innermost first."""
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    return missing


def _remove_if_empty(folders: list[Path]) -> None:
    for folder in folders:
        with contextlib.suppress(OSError):
            folder.rmdir()


@contextlib.contextmanager
def no_build_publishing(published: Path) -> Iterator[None]:
    """Wait for a build of published that is under way; a reader that cannot open the lock reads at once.

    A shared lock on a descriptor opened read-only: rendering needs only read access to the warehouse
    (the file a reader sees is whole either way, since a build renames its file into place).
    """
    descriptor = open_lock_to_wait_on(lock_path(published))
    if descriptor is None:
        yield
        return
    try:
        _take_turn(descriptor, fcntl.LOCK_SH, published)
        yield
    finally:
        os.close(descriptor)


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
    if check_not_foreign(folder):
        end_processes_of(staging_file(published))
    return private_folder(folder, keep_contents=False)


def _replace(staging_db: Path, published: Path) -> None:
    # a client may have opened the published file read-write while this build ran
    check_no_writer(published)
    retire_stale_wal(published)
    take_permissions(staging_db, published)
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

    after_publish runs once the file is in place, still under the lock and before a stop signal is
    taken (the build moves its report into place there, so that the page and the warehouse always
    describe the same build).
    """
    created = _missing_folders(published.parent)
    _check_publish_target(published, replace_any_file)
    stop = BuildStop()
    try:
        with stop_signals_raise_build_error(stop), build_lock(published):
            folder = _fresh_staging_dir(published)
            staging_db = folder / STAGING_FILE
            try:
                yield staging_db
                with stop.held():
                    _replace(staging_db, published)
                    stop.published = str(published)
                    if after_publish is not None:
                        after_publish()
            finally:
                end_processes_of(staging_db)
                shutil.rmtree(folder, ignore_errors=True)
    finally:
        # a build that published nothing leaves no folder of its own making (dbt's log folder, which
        # an error names, keeps its folder)
        if stop.published is None:
            _remove_if_empty(created)
