"""The processes a build starts, found and ended by what they inherited, not by a recorded PID.

dbt runs in a session of its own with `DEI_DB_PATH` pointing at the build's private file; the model
workers it forks inherit both. A process whose environment names a private file is therefore one
of that file's build: the next build of the same warehouse finds what a killed build left running
(an orphaned dbt, or a worker whose dbt died) and ends it before it removes the private folder.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterable
from pathlib import Path

GRACE_SECONDS = 5.0
POLL_SECONDS = 0.05


def _environment(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return b""


def processes_with_environment(name: str, value: str) -> list[int]:
    """PIDs of this user's processes (never this one) started with name=value in their environment."""
    entry = f"{name}={value}".encode()
    pids = [int(folder.name) for folder in Path("/proc").iterdir() if folder.name.isdigit()]
    return [pid for pid in pids if pid != os.getpid() and entry in _environment(pid).split(b"\0")]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie has ended; only its parent's wait is missing
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _signal_all(pids: Iterable[int], signal_number: int) -> None:
    for pid in pids:
        try:
            os.kill(pid, signal_number)
        except (ProcessLookupError, PermissionError):
            pass


def end_processes(pids: Iterable[int], grace: float = GRACE_SECONDS) -> None:
    """SIGTERM, then SIGKILL whatever is still running after `grace` seconds; return once all are gone."""
    pending = [pid for pid in pids if _alive(pid)]
    _signal_all(pending, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while pending and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        pending = [pid for pid in pending if _alive(pid)]
    _signal_all(pending, signal.SIGKILL)
    while pending:
        time.sleep(POLL_SECONDS)
        pending = [pid for pid in pending if _alive(pid)]


def end_processes_of(db_path: Path) -> None:
    """End every process still running for the private file db_path (dbt and its workers)."""
    end_processes(processes_with_environment("DEI_DB_PATH", str(db_path)))
