"""Check many files on several processes; the same reports, in the same order, as serially.

`runner.check_file` stays a pure per-file function, passed in by the caller; this module
only decides where it runs (it imports no other part of the pipeline). Starting worker
processes costs tens of milliseconds, so a run uses them only when there is enough work
to win that back (PARALLEL_MIN_FILES files and PARALLEL_MIN_BYTES bytes), the machine
has more than one usable CPU, and the platform can fork (workers then inherit the
imported modules, the compiled validator and the rule index, and the per-file settings
need no pickling). `DATAPLAN_LINT_JOBS=N` caps the worker count; `DATAPLAN_LINT_JOBS=1`
turns parallelism off.

Results come back in input order whatever order the workers finish in. A run over many
files keeps a file's text only when it has findings (the console snippets need it), so
memory follows the largest file and the findings, not the number of files.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dataplan_lint.core.report import FileReport
    from dataplan_lint.core.settings import Settings
    from dataplan_lint.files.discovery import Discovered

Job = tuple["Discovered", "Settings"]
CheckFn = Callable[["Discovered", "Settings"], "FileReport"]

PARALLEL_MIN_FILES = 16
PARALLEL_MIN_BYTES = 256_000
JOBS_ENV = "DATAPLAN_LINT_JOBS"

# Set in the parent right before the workers fork; the workers read their jobs from it.
_JOBS: Sequence[Job] = ()
_CHECK: CheckFn | None = None


def usable_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def worker_count(jobs: Sequence[Job]) -> int:
    """How many processes to use for `jobs` (1 = check them in this process)."""
    limit = usable_cpus()
    configured = os.environ.get(JOBS_ENV, "").strip()
    if configured.isdigit():
        limit = min(limit, max(1, int(configured)))
    if limit <= 1 or len(jobs) < PARALLEL_MIN_FILES:
        return 1
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    total = 0
    for item, _ in jobs:
        try:
            total += item.path.stat().st_size
        except OSError:
            continue
        if total >= PARALLEL_MIN_BYTES:
            return min(limit, len(jobs))
    return 1


def check_all(
    jobs: Sequence[Job], check: CheckFn, progress: Callable[[int, int], None] | None = None
) -> list[FileReport]:
    """`check(item, settings)` for every job, in order (see the module docstring).

    `progress(done, total)` is called as reports arrive (see pipeline.progress).
    """
    if progress is None:
        return list(iter_reports(jobs, check))
    reports: list[FileReport] = []
    for report in iter_reports(jobs, check):
        reports.append(report)
        progress(len(reports), len(jobs))
    return reports


def iter_reports(jobs: Sequence[Job], check: CheckFn) -> Iterator[FileReport]:
    many = len(jobs) > 1
    workers = worker_count(jobs)
    if workers <= 1:
        for item, settings in jobs:
            yield _slim(check(item, settings), many)
        return
    yield from _in_processes(jobs, check, workers)


def _slim(report: FileReport, many: bool) -> FileReport:
    if many and not report.findings:
        report.text = None
    return report


def _chunks(count: int, workers: int) -> list[range]:
    size = max(1, min(64, count // (workers * 4)))
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


def _work(indexes: range) -> list[FileReport]:
    assert _CHECK is not None
    return [_slim(_CHECK(*_JOBS[index]), True) for index in indexes]


def _in_processes(jobs: Sequence[Job], check: CheckFn, workers: int) -> Iterator[FileReport]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _JOBS, _CHECK
    chunks = _chunks(len(jobs), workers)
    done = 0
    _JOBS, _CHECK = jobs, check
    pool = None
    try:
        context = multiprocessing.get_context("fork")
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_start_worker,
            initargs=(os.getpid(),),
        )
        blocked = _block_interrupts()
        try:
            results = pool.map(_work, chunks)  # submits every chunk: the workers fork now
        finally:
            _unblock_interrupts(blocked)  # a Ctrl-C that came meanwhile is raised here
        for reports in results:
            yield from reports
            done += len(reports)
        pool.shutdown()
    except Exception:  # BrokenProcessPool among others
        # A worker died, could not start or could not send its result back: check what
        # is left in this process, so nothing is lost (a real bug then surfaces here).
        _stop(pool)
        for item, settings in jobs[done:]:
            yield _slim(check(item, settings), True)
    except BaseException:  # Ctrl-C, or the generator closed early: stop the workers now
        _stop(pool)
        raise
    finally:
        _JOBS, _CHECK = (), None


def _stop(pool: Any) -> None:
    """End the workers without waiting for the chunks they are on."""
    if pool is None:
        return
    processes = list((getattr(pool, "_processes", None) or {}).values())
    # Not cancel_futures: the pool's manager thread fails the pending futures itself when
    # it sees the workers gone, and a cancelled future would make it raise instead.
    pool.shutdown(wait=False)
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()


# ------------------------------------------------------------------ worker lifetime

PR_SET_PDEATHSIG = 1  # linux/prctl.h
PARENT_POLL_SECONDS = 0.5


def _block_interrupts() -> bool:
    """Hold SIGINT while the workers fork; they inherit the mask and start ignoring it.

    A Ctrl-C that lands during a fork would otherwise raise KeyboardInterrupt inside an
    at-fork hook (where Python prints and drops it: the run went on and passed) or in a
    worker before it set SIGINT aside (a traceback per worker).
    """
    import signal

    if not hasattr(signal, "pthread_sigmask"):
        return False
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    return True


def _unblock_interrupts(blocked: bool) -> None:
    import signal

    if blocked:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _start_worker(parent: int) -> None:
    """Runs first in every worker: Ctrl-C is the parent's to handle, and the worker
    must not outlive the parent (a killed `dataplan-lint` left its workers running).

    Ctrl-C in a terminal reaches the whole process group; the parent stops the workers
    itself, so they ignore SIGINT instead of each printing a traceback. On Linux the
    kernel sends SIGTERM when the parent dies (PR_SET_PDEATHSIG); everywhere a daemon
    thread also checks the parent every half second and exits when it is gone.
    """
    import signal
    import threading

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _unblock_interrupts(True)  # held by the parent while forking (see _block_interrupts)
    _ask_kernel_for_death_signal()
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)
    watcher = threading.Thread(target=_watch_parent, args=(parent,), daemon=True)
    watcher.start()


def _ask_kernel_for_death_signal() -> None:
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)  # the process's own symbols include libc's
        libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)


def _watch_parent(parent: int) -> None:
    import time

    while os.getppid() == parent:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)
