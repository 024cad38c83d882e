"""What a build reuses from one run to the next: its own folders and lock, or a one-line refusal.

On a shared server (a folder of mode 1777, a team's project folder) another account can create
`.dbt-<name>/`, `.build-<name>/` or `<name>.lock` before the first build, or plant a symbolic link
there. dbt runs the hooks that its partial-parse cache holds, so a folder another account can write
in would run their code as the builder; a lock opened with open('w') follows a symbolic link and
empties its target. A build therefore reuses only what belongs to its own account and nobody else
can write, creates what is missing for its own account alone, and never follows a symbolic link.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
from pathlib import Path

from warehouse.errors import BuildError

OTHERS_MAY_WRITE = stat.S_IWGRP | stat.S_IWOTH
PRIVATE_FOLDER_MODE = 0o700
# the lock holds no data: anyone who may read the warehouse may wait on it
LOCK_FILE_MODE = 0o644


def _refuse(path: Path, why: str) -> BuildError:
    return BuildError(
        f"{path} {why}: a build keeps its own files there and would trust what it holds; "
        f"remove it (or name another DB) and build again; the published warehouse was left as it was"
    )


def _foreign_owner(found: os.stat_result) -> str | None:
    if found.st_uid == os.geteuid():
        return None
    return f"belongs to another account (uid {found.st_uid})"


def check_not_foreign(folder: Path) -> bool:
    """True when folder exists as a folder of this account; BuildError when it is anything else."""
    try:
        found = os.lstat(folder)
    except FileNotFoundError:
        return False
    if stat.S_ISLNK(found.st_mode) or not stat.S_ISDIR(found.st_mode):
        raise _refuse(folder, "is in the way: it is a symbolic link or a file, not a folder")
    foreign = _foreign_owner(found)
    if foreign:
        raise _refuse(folder, foreign)
    return True


def private_folder(folder: Path, *, keep_contents: bool) -> Path:
    """folder as a folder only this account can enter (mode 700).

    Its contents are kept when asked for and nobody else could write in it; otherwise it starts
    empty, since what another account may have put there is never trusted.
    """
    if check_not_foreign(folder):
        if keep_contents and not os.lstat(folder).st_mode & OTHERS_MAY_WRITE:
            os.chmod(folder, PRIVATE_FOLDER_MODE)
            return folder
        shutil.rmtree(folder)
    try:
        os.mkdir(folder, PRIVATE_FOLDER_MODE)
    except OSError as exc:
        raise BuildError(f"cannot create the build's private folder {folder} ({exc.strerror})") from None
    # mkdir's mode passes through the umask, which may take the owner's own bits
    os.chmod(folder, PRIVATE_FOLDER_MODE)
    return folder


def open_build_lock(path: Path) -> int:
    """The build lock's descriptor: created if missing, never through a symbolic link, never truncated."""
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC,
                             LOCK_FILE_MODE)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _refuse(path, "is a symbolic link") from None
        raise BuildError(f"cannot create the build lock {path} ({exc.strerror})") from None
    found = os.fstat(descriptor)
    problem = "is not a regular file" if not stat.S_ISREG(found.st_mode) else _foreign_owner(found)
    if problem:
        os.close(descriptor)
        raise _refuse(path, problem)
    if found.st_mode & OTHERS_MAY_WRITE:
        os.fchmod(descriptor, stat.S_IMODE(found.st_mode) & ~OTHERS_MAY_WRITE)
    return descriptor


def open_lock_to_wait_on(path: Path) -> int | None:
    """A reader's descriptor of the build lock, if there is one it may open (reading needs no lock of its own)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return None
    if not stat.S_ISREG(os.fstat(descriptor).st_mode):
        os.close(descriptor)
        return None
    return descriptor
