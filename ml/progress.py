"""Progress lines for the long model steps: done / total, elapsed, and an estimate of what is left.

The lines go to standard output, where dbt's Python models write; the build shows every line that
starts with `progress:` (warehouse/dbt_runner.py). A line is written when the step starts, when a
unit of work ends (at most every `every_seconds`), every `every_seconds` while one long unit runs
(a heartbeat thread, so that a long fit is never silent), and when the step ends.

The time left is estimated when a unit ends, from the rate of work so far, and counts down between
units: recomputed on a heartbeat, with no unit done since, it would grow with every line while a
few long fits run.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
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
    clock: Callable[[], float] = time.monotonic
    started: float | None = None
    done: float = 0.0
    count: int = 0
    last_shown: float = 0.0
    # (seconds left, when it was estimated) at the last unit done
    estimate: tuple[float, float] | None = None
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        if self.started is None:
            self.started = self.clock()

    def line(self) -> str:
        now = self.clock()
        unfinished = self.estimate is not None and self.count < self.count_total
        left = f", about {duration(self.estimate[0] - (now - self.estimate[1]))} left" if unfinished else ""
        return (f"progress: {self.step}: {self.count} of {self.count_total} {self.unit} done, "
                f"{duration(now - self.started)} elapsed{left}")

    def show(self) -> None:
        with self._lock:
            self.last_shown = self.clock()
            print(self.line(), flush=True)

    def advance(self, amount: float) -> None:
        self.done += amount
        self.count += 1
        now = self.clock()
        share = self.done / self.total if self.total else 1.0
        if share > 0:
            elapsed = now - self.started
            self.estimate = (elapsed / share - elapsed, now)
        if self.count == self.count_total or now - self.last_shown >= self.every_seconds:
            self.show()

    def _heartbeat(self) -> None:
        while not self._stop.wait(self.every_seconds / 4):
            if self.clock() - self.last_shown >= self.every_seconds:
                self.show()

    def __enter__(self) -> Progress:
        self.show()
        threading.Thread(target=self._heartbeat, name=f"progress of {self.step}", daemon=True).start()
        return self

    def __exit__(self, *_) -> None:
        self._stop.set()
