"""A progress line on stderr for runs over many files, only when stderr is a terminal.

CI logs, pipes and redirected stderr never see it (no carriage returns in a log); the
line is rewritten at most ten times a second and erased when the run is done, so the
report that follows starts on a clean line.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import TextIO

Progress = Callable[[int, int], None]

MIN_FILES = 10  # fewer files finish before a progress line would help
_INTERVAL = 0.1


def terminal_progress(stream: TextIO, files: int) -> Progress | None:
    """A progress callback `(done, total)` writing to `stream`, or None when not wanted."""
    isatty = getattr(stream, "isatty", None)
    if files < MIN_FILES or not (isatty and isatty()) or os.environ.get("CI"):
        return None
    last = [0.0]

    def show(done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - last[0] < _INTERVAL:
            return
        last[0] = now
        if done >= total:
            stream.write("\r\x1b[K")
        else:
            stream.write(f"\rdataplan-lint: checked {done}/{total} files")
        stream.flush()

    return show
