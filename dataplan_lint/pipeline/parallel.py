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

import os
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dataplan_lint.core.settings import Settings
    from dataplan_lint.files.discovery import Discovered
    from dataplan_lint.pipeline.runner import FileReport

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


def check_all(jobs: Sequence[Job], check: CheckFn) -> list[FileReport]:
    """`check(item, settings)` for every job, in order (see the module docstring)."""
    return list(iter_reports(jobs, check))


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
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            for reports in pool.map(_work, chunks):
                yield from reports
                done += len(reports)
    except Exception:  # BrokenProcessPool among others
        # A worker died, could not start or could not send its result back: check what
        # is left in this process, so nothing is lost (a real bug then surfaces here).
        for item, settings in jobs[done:]:
            yield _slim(check(item, settings), True)
    finally:
        _JOBS, _CHECK = (), None
