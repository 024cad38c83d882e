"""When each step of a build ran, written beside dbt's own timings (`.dbt-<name>/build_timings.json`).

dbt's run_results.json times every model; this adds the steps around dbt (the load, the checks,
the report, the publish), so that `make bench` can say what each step cost and its peak memory.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator
from pathlib import Path

TIMINGS_FILE = "build_timings.json"


class StepTimings:
    def __init__(self) -> None:
        self.steps: list[dict] = []

    def begin(self, name: str) -> None:
        self.steps.append({"step": name, "started_at": time.time(), "completed_at": None})

    def end(self) -> None:
        self.steps[-1]["completed_at"] = time.time()

    @contextlib.contextmanager
    def step(self, name: str) -> Iterator[None]:
        self.begin(name)
        try:
            yield
        finally:
            self.end()

    def seconds(self) -> dict[str, float]:
        """Seconds of each finished step, by name."""
        return {step["step"]: step["completed_at"] - step["started_at"]
                for step in self.steps if step["completed_at"] is not None}

    def write(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / TIMINGS_FILE).write_text(json.dumps(self.steps, indent=2) + "\n")


def read_timings(folder: Path) -> list[dict]:
    return json.loads((folder / TIMINGS_FILE).read_text())
