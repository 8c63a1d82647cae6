"""Record the files a plan's check reads besides the plan itself.

A plan's findings depend on more than its own bytes: a contract's `schema_file`, a dbt
manifest. The result cache (pipeline/result_cache.py) may reuse findings only while
every one of those files is unchanged, so each reader of such a file calls `record`
with the bytes it read (None when the file was missing or unreadable: creating it later
must invalidate the cached result too). Outside `recording()` the calls cost nothing.

Today's date is an input too: a waiver that expires tomorrow passes today and fails
tomorrow on the same bytes. A check that judges by the date gets it from `today`, which
records it like a file (`TODAY` and the date), so a cached result is reused only on the
day it was computed - and a plan that never asked for the date keeps its entry.

The recorder is a context variable: the language server checks on worker threads, and
two checks at once must not write into each other's list.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

# (absolute path, digest of the bytes or "" when the file could not be read)
Dependency = tuple[str, str]

MAX_DEPENDENCY_BYTES = 64 * 1024 * 1024
# The "path" under which the date a check judged by is recorded (never a real path,
# which is absolute), and the variable that sets that date for a run (YYYY-MM-DD).
TODAY = "<today>"
TODAY_ENV = "DATAPLAN_LINT_TODAY"

_active: ContextVar[list[Dependency] | None] = ContextVar(
    "dataplan_lint_dependencies", default=None
)


def digest(data: bytes) -> str:
    """A collision-resistant digest (BLAKE2b without loading OpenSSL)."""
    try:
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - an interpreter without the builtin module
        from hashlib import blake2b
    return blake2b(data, digest_size=20).hexdigest()


_UNREADABLE = "not-a-readable-file"


def record(path: Path, data: bytes | None) -> None:
    """Note that the current check read `path` and saw `data` (None: could not read it;
    noted as `current_digest` notes it, so an unchanged unreadable file - a folder named
    as a schema file - still matches on the next run)."""
    active = _active.get()
    if active is not None:
        seen = _UNREADABLE if os.path.lexists(path) else ""
        active.append((str(path.absolute()), seen if data is None else digest(data)))


UNCACHEABLE = ("", "uncacheable")


def record_listing() -> None:
    """Note that the check depended on which files a folder holds: such a result is not
    cached (a file added later must be seen), whatever else was recorded."""
    active = _active.get()
    if active is not None:
        active.append(UNCACHEABLE)


def today(given: dt.date | None = None) -> dt.date:
    """The date checks judge by, noted as an input of the current check: `given` (a
    run's `Settings.today`), else $DATAPLAN_LINT_TODAY, else today in UTC."""
    day = given or current_date()
    active = _active.get()
    if active is not None and (TODAY, day.isoformat()) not in active:
        active.append((TODAY, day.isoformat()))
    return day


def current_date() -> dt.date:
    """$DATAPLAN_LINT_TODAY (YYYY-MM-DD) when set, else today in UTC.

    The command line refuses a malformed value before checking (`date_problem`); here
    it falls back to the real date.
    """
    configured = os.environ.get(TODAY_ENV, "").strip()
    if configured and date_problem(configured) is None:
        return dt.date.fromisoformat(configured)
    return dt.datetime.now(dt.UTC).date()


def date_problem(value: str) -> str | None:
    """Why `value` cannot be $DATAPLAN_LINT_TODAY, or None when it can."""
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return f"{TODAY_ENV} must be a date written YYYY-MM-DD, not {value[:40]!r}"
    if len(value) != 10:
        return f"{TODAY_ENV} must be a date written YYYY-MM-DD, not {value[:40]!r}"
    return None


def current_digest(path: str, max_bytes: int = MAX_DEPENDENCY_BYTES) -> str:
    """What `record` notes for `path` now: "" when it is missing, a marker when it is
    not a file the reader may read (a folder, a device, a link out, too big), else the
    digest of its bytes (for `TODAY`: the date a check would judge by now). Read through
    files/reader.py: an entry of a forged cache can name any path."""
    from dataplan_lint.files.reader import read_optional

    if path == TODAY:
        return current_date().isoformat()
    if not os.path.lexists(path):
        return ""
    data = read_optional(path, max_bytes)
    return _UNREADABLE if data is None else digest(data)


@contextmanager
def recording() -> Iterator[list[Dependency]]:
    """Collect what `record` notes while the block runs (one plan's check)."""
    noted: list[Dependency] = []
    token = _active.set(noted)
    try:
        yield noted
    finally:
        _active.reset(token)
