"""ml.scheduling: longest first, results in job order wherever a job ran."""

import os
import time
from dataclasses import dataclass

from ml.scheduling import longest_first, run_jobs


@dataclass(frozen=True)
class Job:
    name: str
    cost: float
    pooled: bool


def describe(job: Job, context: dict) -> tuple[str, int, int]:
    return job.name, context[job.name], os.getpid()


JOBS = [Job("small", 1, True), Job("linear", 0.1, False), Job("big", 9, True), Job("mid", 5, True)]
CONTEXT = {"small": 1, "linear": 2, "big": 3, "mid": 4}


def test_longest_first_orders_by_cost_and_keeps_ties_in_order():
    jobs = [Job("a", 2, True), Job("b", 5, True), Job("c", 2, True)]
    assert longest_first(jobs, [0, 1, 2]) == [1, 0, 2]


def test_pooled_jobs_run_in_workers_and_results_come_back_in_job_order():
    results = run_jobs(JOBS, describe, CONTEXT, n_workers=2)
    assert [(name, value) for name, value, _ in results] == [("small", 1), ("linear", 2), ("big", 3), ("mid", 4)]
    pids = {name: pid for name, _, pid in results}
    assert pids["linear"] == os.getpid()
    assert pids["big"] != os.getpid() and pids["small"] != os.getpid()


def test_one_worker_runs_everything_here():
    results = run_jobs(JOBS, describe, CONTEXT, n_workers=1)
    assert {pid for _, _, pid in results} == {os.getpid()}
    assert [value for _, value, _ in results] == [1, 2, 3, 4]


def start_and_end(job: Job, context: dict) -> tuple[float, float]:
    start = time.monotonic()
    time.sleep(0.05)
    return start, time.monotonic()


def test_jobs_kept_here_finish_before_the_workers_start():
    """A linear model's BLAS threads must not compete with the two workers for the cores."""
    results = dict(zip([job.name for job in JOBS], run_jobs(JOBS, start_and_end, CONTEXT, n_workers=2), strict=True))
    _, linear_end = results.pop("linear")
    assert all(linear_end <= start for start, _ in results.values())
