"""Record the files a plan's check reads besides the plan itself.

A plan's findings depend on more than its own bytes: a contract's `schema_file`, a dbt
manifest. The result cache (pipeline/result_cache.py) may reuse findings only while
every one of those files is unchanged, so each reader of such a file calls `record`
with the bytes it read (None when the file was missing or unreadable: creating it later
must invalidate the cached result too). Outside `recording()` the calls cost nothing.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# (absolute path, digest of the bytes or "" when the file could not be read)
Dependency = tuple[str, str]

MAX_DEPENDENCY_BYTES = 64 * 1024 * 1024

_active: list[Dependency] | None = None


def digest(data: bytes) -> str:
    """A collision-resistant digest (BLAKE2b without loading OpenSSL)."""
    try:
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - an interpreter without the builtin module
        from hashlib import blake2b
    return blake2b(data, digest_size=20).hexdigest()


def record(path: Path, data: bytes | None) -> None:
    """Note that the current check read `path` and saw `data` (None: could not read it)."""
    if _active is not None:
        _active.append((str(path.absolute()), "" if data is None else digest(data)))


UNCACHEABLE = ("", "uncacheable")


def record_listing() -> None:
    """Note that the check depended on which files a folder holds: such a result is not
    cached (a file added later must be seen), whatever else was recorded."""
    if _active is not None:
        _active.append(UNCACHEABLE)


def read_regular(path: str | Path, limit: int, *, follow: bool = True) -> bytes | None:
    """The bytes of `path` when it is a regular file of at most `limit` bytes, else None.

    Opened without blocking (and, with follow=False, without following a link): a path
    replaced by a FIFO or a device must not hang whoever reads it.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
            return None
        return handle.read(limit + 1)


def current_digest(path: str, max_bytes: int = MAX_DEPENDENCY_BYTES) -> str:
    """What `record` would note for `path` now: "" when it is missing, a marker when it
    is not a readable regular file, else the digest of its bytes."""
    if not os.path.lexists(path):
        return ""
    data = read_regular(path, max_bytes)
    return "not-a-readable-file" if data is None else digest(data)


@contextmanager
def recording() -> Iterator[list[Dependency]]:
    """Collect what `record` notes while the block runs (one plan's check)."""
    global _active
    outer, _active = _active, []
    try:
        yield _active
    finally:
        _active = outer
