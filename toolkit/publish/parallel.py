"""Work run in a second process while this one goes on, on machines that have two processors and
fork.

The work is handed over by fork, not by pickling: the package's tables are already in memory and
would take longer to send than to use, and a forked child sees them as they are (copy-on-write).
Only results and exceptions come back through the pool's pipe. The jobs run one after the other
in the same child, so a later job can use what an earlier one kept. On one processor, or where
fork is missing, in_parallel returns None and the caller runs the work itself.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import multiprocessing
import os
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from ..errors import ToolkitError

Progress = Callable[[str], None]
Job = Callable[[Progress], Any]

_JOBS: Sequence[Job] = ()  # set just before the fork, read by the child


def _quiet(_step: str) -> None:
    """The child does not report its steps: the parent's output tells one story."""


PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """A child whose parent is killed is killed too (Linux), rather than writing on into a staging
    folder the next build removes; elsewhere it ends when it finds its parent gone."""
    name = ctypes.util.find_library("c")
    if name:
        with contextlib.suppress(OSError, AttributeError):  # no prctl: not Linux
            ctypes.CDLL(name, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # killed before the line above ran
        os._exit(1)


def _run(number: int) -> Any:
    return _JOBS[number](_quiet)


class Parallel:
    """The jobs running in the child; result(n) waits for job n and raises what it raised."""

    def __init__(self, executor: ProcessPoolExecutor, futures: list[Future]) -> None:
        self._executor, self._futures = executor, futures

    def result(self, number: int) -> Any:
        try:
            return self._futures[number].result()
        except BrokenProcessPool as exc:  # killed (by the kernel's out-of-memory killer, or by hand)
            raise ToolkitError(
                "the second process of the build (the claims' history and the downloads) ended without "
                "finishing; nothing was published. Run the build again; if it happens again, check the "
                "memory free (dmesg names the out-of-memory killer) or build with --serial."
            ) from exc

    def wait(self) -> None:
        """Let the child finish (or fail) and end: before the caller removes what it writes into."""
        self._executor.shutdown(wait=True, cancel_futures=True)


def processors() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def in_parallel(*jobs: Job) -> Parallel | None:
    global _JOBS
    if processors() < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return None
    _JOBS = jobs
    try:
        executor = ProcessPoolExecutor(
            max_workers=1,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_die_with_parent,
            initargs=(os.getpid(),),
        )
        futures = [executor.submit(_run, n) for n in range(len(jobs))]  # the fork happens at the first
    finally:
        _JOBS = ()
    return Parallel(executor, futures)
