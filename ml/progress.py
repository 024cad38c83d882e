"""Progress lines for the long model steps: done / total, elapsed, and an estimate of what is left.

The lines go to standard output, where dbt's Python models write; the build shows every line that
starts with `progress:` (warehouse/dbt_runner.py). A line is written when the step starts, when a
unit of work ends (at most every `every_seconds`), every `every_seconds` while one long unit runs
(a heartbeat thread, so that a long fit is never silent), and when the step ends.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field


def duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes} min {seconds:02d} s"


@dataclass
class Progress:
    """Counts work done (in any unit, e.g. estimated fit cost) against a total; use it as `with`."""

    step: str
    total: float
    count_total: int
    unit: str = "fits"
    every_seconds: float = 20.0
    started: float = field(default_factory=time.monotonic)
    done: float = 0.0
    count: int = 0
    last_shown: float = 0.0
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def line(self) -> str:
        elapsed = time.monotonic() - self.started
        share = self.done / self.total if self.total else 1.0
        unfinished = share > 0 and self.count < self.count_total
        left = f", about {duration(elapsed / share - elapsed)} left" if unfinished else ""
        return (f"progress: {self.step}: {self.count} of {self.count_total} {self.unit} done, "
                f"{duration(elapsed)} elapsed{left}")

    def show(self) -> None:
        with self._lock:
            self.last_shown = time.monotonic()
            print(self.line(), flush=True)

    def advance(self, amount: float) -> None:
        self.done += amount
        self.count += 1
        if self.count == self.count_total or time.monotonic() - self.last_shown >= self.every_seconds:
            self.show()

    def _heartbeat(self) -> None:
        while not self._stop.wait(self.every_seconds / 4):
            if time.monotonic() - self.last_shown >= self.every_seconds:
                self.show()

    def __enter__(self) -> Progress:
        self.show()
        threading.Thread(target=self._heartbeat, name=f"progress of {self.step}", daemon=True).start()
        return self

    def __exit__(self, *_) -> None:
        self._stop.set()
