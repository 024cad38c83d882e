"""Seconds and memory of a command: the kernel's peak of its largest process, and the sampled sum
over the process and its descendants (dbt's model workers run beside it), kept as a time series
so that a stage's own peak can be read from the stage's window. The sum is of PSS (each shared
page counted once, split between the processes that share it): forked workers share the parent's
matrices copy-on-write, and a sum of their RSS counts those pages once per worker. The RSS sum is
kept too, as the upper bound it is. psutil is a dev dependency: only
this module imports it.
"""

from __future__ import annotations

import os
import resource
import subprocess
import threading
import time
from pathlib import Path

import psutil

# PSS comes from /proc/<pid>/smaps_rollup, which the kernel computes by walking the page tables;
# sampled every 0.2 s it slowed the 10M build (model_fits took longer than in the run sampling RSS),
# so it is sampled once a second (bench/README.md)
SAMPLE_SECONDS = 1.0
MB = 1024 * 1024


class TreeMemorySampler:
    """Peak of the summed resident memory of a process and all its descendants, sampled."""

    def __init__(self, pid: int):
        self._root = psutil.Process(pid)
        self._stop = threading.Event()
        self.peak_bytes = 0
        self.peak_rss_bytes = 0
        # (wall-clock time, summed bytes): the peak of any window, e.g. one dbt model's
        self.series: list[tuple[float, int]] = []
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _tree_memory(self) -> tuple[int, int]:
        """(PSS, RSS) summed over the process and its descendants."""
        pss = rss = 0
        try:
            processes = [self._root, *self._root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return 0, 0
        for process in processes:
            try:
                info = process.memory_full_info()
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
            pss, rss = pss + info.pss, rss + info.rss
        return pss, rss

    def _run(self) -> None:
        while not self._stop.is_set():
            pss, rss = self._tree_memory()
            self.series.append((time.time(), pss))
            self.peak_bytes = max(self.peak_bytes, pss)
            self.peak_rss_bytes = max(self.peak_rss_bytes, rss)
            self._stop.wait(SAMPLE_SECONDS)

    def peak_mb_between(self, start: float, end: float) -> float | None:
        inside = [rss for at, rss in self.series if start <= at <= end]
        return max(inside) / MB if inside else None

    def __enter__(self) -> TreeMemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def run_measured(args: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float, TreeMemorySampler, int]:
    """Run a command; (seconds, peak MB of its largest process, the memory sampler, exit status)."""
    start = time.perf_counter()
    process = subprocess.Popen(args, env=env, cwd=cwd)
    with TreeMemorySampler(process.pid) as sampler:
        _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - start, usage.ru_maxrss / 1024, sampler, process.returncode


def peak_mb_self() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
