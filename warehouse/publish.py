"""Atomic publish: build into a private file beside the published one, rename it over on success.

Builds of the same warehouse take turns on a lock file, so two builds started together never
interleave; a reader that has the published file open keeps its (old) file until it reconnects,
because the rename swaps the directory entry, not the bytes it has open.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def build_lock(published: Path) -> Iterator[None]:
    lock_path = published.with_name(published.name + ".lock")
    with lock_path.open("w") as lock_file:
        try:
            fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"waiting for another build of {published} to finish...", file=sys.stderr, flush=True)
            fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def _staging_dir(published: Path) -> Path:
    return published.parent / f".build-{published.name}-{os.getpid()}"


def _remove_stale_staging_dirs(published: Path) -> None:
    """Drop what a killed build left behind; safe because we hold the lock."""
    for stale in published.parent.glob(f".build-{published.name}-*"):
        shutil.rmtree(stale, ignore_errors=True)


@contextlib.contextmanager
def staged_build(published: Path) -> Iterator[Path]:
    """Yield a fresh database path; publish it only if the block finishes without an exception.

    The staging file keeps the published file's name (in its own folder) because DuckDB names the
    catalog after the file, so everything dbt writes stays valid after the rename.
    """
    published.parent.mkdir(parents=True, exist_ok=True)
    with build_lock(published):
        _remove_stale_staging_dirs(published)
        staging_dir = _staging_dir(published)
        staging_dir.mkdir()
        staging_db = staging_dir / published.name
        try:
            yield staging_db
            os.replace(staging_db, published)
        finally:
            shutil.rmtree(staging_dir, ignore_errors=True)
