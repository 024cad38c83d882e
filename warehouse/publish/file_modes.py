"""Who may read what a build publishes: a new file takes the mode and group of the file it replaces.

The warehouse holds special-category personal data (ethnic origin), so a rebuild must never change
who can read it: a published file of mode 640 and group `bi` stays 640 `bi` whatever the umask of
the user who rebuilds it. A file written where none was follows the writer's umask, as any file
they create does. When the group cannot be kept (the builder is not a member of it), the new file
gets no group permissions at all rather than the old group's rights for the builder's own group.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

FILE_CREATION_MODE = 0o666
GROUP_BITS = stat.S_IRWXG
# read, write and execute for owner, group and others: never set-id or sticky bits
PERMISSION_BITS = 0o777


def current_umask() -> int:
    """The process's umask, read without changing it (os.umask can only be read by setting it)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def mode_of_new_file() -> int:
    return FILE_CREATION_MODE & ~current_umask()


def _previous_file(previous: Path) -> os.stat_result | None:
    try:
        found = os.lstat(previous)
    except FileNotFoundError:
        return None
    return found if stat.S_ISREG(found.st_mode) else None


def take_permissions(new: Path, previous: Path) -> None:
    """Give new the mode and group of previous (the file it is about to replace), or the umask's mode."""
    before = _previous_file(previous)
    if before is None:
        os.chmod(new, mode_of_new_file())
        return
    mode = stat.S_IMODE(before.st_mode) & PERMISSION_BITS
    if os.stat(new).st_gid != before.st_gid:
        try:
            os.chown(new, -1, before.st_gid)
        except PermissionError:
            mode &= ~GROUP_BITS
    os.chmod(new, mode)
