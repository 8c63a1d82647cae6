"""The thread the server's checks run on, and giving up on a check that overruns.

Checks run one at a time, off the event loop (the pipeline is written for one run at a
time, and the loop must stay free to answer hover and shutdown). A Python thread cannot
be stopped, so a check that overruns its budget is abandoned instead: its thread is left
to finish on its own (a daemon thread, so it never holds up the server's exit) and the
next check starts on a fresh thread. `concurrent.futures.ThreadPoolExecutor` will not
do: it joins its threads at exit, and it cannot swap a stuck thread for a new one.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any, TypeVar

T = TypeVar("T")

_Job = tuple[Future[Any], Callable[[], Any]] | None


def _serve(jobs: queue.SimpleQueue[_Job]) -> None:
    while (job := jobs.get()) is not None:
        future, call = job
        if not future.set_running_or_notify_cancel():
            continue
        try:
            future.set_result(call())
        except BaseException as exc:  # handed to whoever awaits the future
            future.set_exception(exc)


class CheckWorker(Executor):
    """One daemon thread running submitted calls in order; `abandon` replaces it."""

    def __init__(self, name: str = "dataplan-lint-check") -> None:
        self._name = name
        self._jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self._started = 0
        self._start()

    def _start(self) -> None:
        self._jobs = queue.SimpleQueue()
        self._started += 1
        thread = threading.Thread(
            target=_serve, args=(self._jobs,), name=f"{self._name}-{self._started}", daemon=True
        )
        thread.start()

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        future: Future[T] = Future()
        self._jobs.put((future, lambda: fn(*args, **kwargs)))
        return future

    async def run(self, budget: float, fn: Callable[..., T], *args: Any) -> T:
        """`fn(*args)` on the worker thread. When it runs for more than `budget` seconds
        (counted from its start, not from its wait in the queue) it is abandoned and
        TimeoutError raised."""
        loop = asyncio.get_running_loop()
        started = asyncio.Event()

        def call() -> T:
            loop.call_soon_threadsafe(started.set)
            return fn(*args)

        done = asyncio.wrap_future(self.submit(call))
        waiting = asyncio.ensure_future(started.wait())
        either: set[asyncio.Future[Any]] = {done, waiting}
        try:
            await asyncio.wait(either, return_when=asyncio.FIRST_COMPLETED)
        finally:
            waiting.cancel()
        try:
            return await asyncio.wait_for(asyncio.shield(done), budget)
        except TimeoutError:
            self.abandon()
            raise

    def abandon(self) -> None:
        """Leave the current thread to its stuck call (it ends after it) and run the
        calls queued behind it on a new thread."""
        old = self._jobs
        self._start()
        while True:
            try:
                job = old.get_nowait()
            except queue.Empty:
                break
            if job is not None:
                self._jobs.put(job)
        old.put(None)

    @property
    def threads_started(self) -> int:
        return self._started

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        del wait, cancel_futures  # a daemon thread: nothing to join
        self._jobs.put(None)
