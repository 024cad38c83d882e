"""Run independent jobs on worker processes, longest first, with results in job order.

Every fit is its own job so that both cores stay busy until the end. Workers are forked, so the
training data they read is inherited from the parent rather than pickled into every job; a job
that is marked not to be pooled (a linear model, or anything on a small input) runs in the parent,
with the parent's BLAS threads, exactly as the notebook runs it, before the workers start: waiting
BLAS threads spin, and beside two busy workers a Lasso that takes 0.5 s alone took 6 s.

Forking a process that has other threads (dbt runs models on threads) is safe here because the
workers only run NumPy and scikit-learn's tree code: no OpenMP, BLAS, DuckDB or logging, whose
locks another thread may have held at the moment of the fork.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from typing import Any, Protocol

PR_SET_PDEATHSIG = 1


class Job(Protocol):
    cost: float
    pooled: bool


_worker_context: Any = None


def _die_with_parent() -> None:
    """Ask the kernel to kill this worker when the process that forked it dies (dbt killed outright
    would otherwise leave both workers running their fits for as long as the fits take)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    # the parent may have died before the request took effect
    if os.getppid() == 1:
        os._exit(1)


def _install_context(context: Any) -> None:
    global _worker_context
    _die_with_parent()
    # idle OpenMP threads of one worker must not spin on the core the other worker needs
    os.environ["OMP_WAIT_POLICY"] = "PASSIVE"
    _worker_context = context


def _run_in_worker(task: tuple[int, Callable[[Any, Any], Any], Any]) -> tuple[int, Any]:
    index, execute, job = task
    return index, execute(job, _worker_context)


def longest_first(jobs: Sequence[Job], indices: Sequence[int]) -> list[int]:
    """Indices ordered by decreasing cost; ties keep their order, so the schedule is reproducible."""
    return sorted(indices, key=lambda index: -jobs[index].cost)


def run_jobs(jobs: Sequence[Job], execute: Callable[[Any, Any], Any], context: Any, n_workers: int,
             on_done: Callable[[Job], None] | None = None) -> list[Any]:
    """execute(job, context) for every job; the results in the order of `jobs`; on_done(job) after each.

    The other jobs run here first; then, with n_workers > 1, the pooled jobs go to that many
    forked processes, longest first (the pool's queue is first in, first out, so each free worker
    takes the longest job left). Results do not depend on where a job ran.
    """
    results: list[Any] = [None] * len(jobs)
    pooled = [index for index, job in enumerate(jobs) if job.pooled] if n_workers > 1 else []
    pooled_set = set(pooled)
    done = on_done or (lambda _: None)
    for index in longest_first(jobs, [index for index in range(len(jobs)) if index not in pooled_set]):
        results[index] = execute(jobs[index], context)
        done(jobs[index])
    if not pooled:
        return results
    fork = multiprocessing.get_context("fork")
    with fork.Pool(min(n_workers, len(pooled)), initializer=_install_context, initargs=(context,)) as pool:
        tasks = [(index, execute, jobs[index]) for index in longest_first(jobs, pooled)]
        for index, result in pool.imap_unordered(_run_in_worker, tasks, chunksize=1):
            results[index] = result
            done(jobs[index])
    return results
