"""The one reader of every file the tool opens: bounded, confined, regular files only.

A pull request controls plans, schema and ODCS files, dbt files, configuration,
rulesets and baselines, and a checkout can carry a forged cache; any of them can be a
symlink to a secret, to `/dev/zero`, to `/dev/stdin` or to a FIFO. So every read goes
through `read_bytes` (or `read_capped`, which leaves the size verdict to the caller):

- confined: the path, every symlink resolved, must stay inside `root` (by default the
  repository holding the path as written: the nearest folder above it with `.git`, or
  outside one the working folder or the file's own folder). A link leading out is
  refused unopened, and the error never names where it leads;
- regular files only: the target is looked at before it is opened (a folder, device,
  FIFO or socket is refused without opening it, so opening has no side effect and
  nothing blocks), then opened without blocking and checked again;
- bounded: at most `limit + 1` bytes are ever read, whatever size the file claims
  (`/proc` files claim 0), and more than `limit` is refused as `TooLarge`.

Refusals are `OSError`s with a `strerror` that says why, so the callers' existing
"cannot read X: why" messages cover them. The package's own data files (schemas,
bundled rules) are read with `read_package_file`: bounded and regular, not confined
(an editable install may link them anywhere).
"""

from __future__ import annotations

import errno
import os
import stat
from functools import lru_cache
from pathlib import Path

StrPath = str | os.PathLike[str]

PACKAGE_FILE_LIMIT = 64 * 1024 * 1024
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class Refused(OSError):
    """A file the tool will not read (see the module docstring)."""


class NotRegular(Refused):
    def __init__(self) -> None:
        super().__init__(errno.EINVAL, "not a regular file (a FIFO, socket or device)")


class IsFolder(Refused, IsADirectoryError):
    def __init__(self) -> None:
        super().__init__(errno.EISDIR, "is a directory")


class TooLarge(Refused):
    def __init__(self, limit: int) -> None:
        super().__init__(errno.EFBIG, f"larger than the {limit:,}-byte limit")
        self.limit = limit


class Outside(Refused):
    def __init__(self) -> None:
        super().__init__(
            errno.EACCES, "a symbolic link leading outside the repository; refusing to read it"
        )


def enclosing_root(folder: Path) -> Path | None:
    """The nearest folder at or above `folder` holding `.git` (a folder, or a file in a
    worktree or submodule), found without running git. The one repository-root finder."""
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


@lru_cache(maxsize=256)
def repository_root(directory: str) -> Path:
    """The nearest folder at or above `directory` holding `.git`, else a fallback.

    The fallback is the working directory when `directory` is inside it, else
    `directory` itself. `directory` is absolute and not resolved (symlinks kept).
    """
    start = Path(directory)
    found = enclosing_root(start)
    if found is not None:
        return found
    cwd = Path.cwd()
    return cwd if start.is_relative_to(cwd) else start


def confinement_root(path: StrPath) -> Path:
    """The folder a file's symlinks must stay in: the repository holding the path as
    written (symlinks kept), else the working folder or the file's own folder."""
    absolute = Path(os.path.abspath(path))  # noqa: PTH100 (lexical: symlinks kept)
    return repository_root(str(absolute.parent))


def leads_outside(path: StrPath, root: StrPath | None = None) -> bool:
    """Whether `path`, its symlinks resolved, leaves `root` (default: `confinement_root`)."""
    try:
        _confined(path, root)
    except Outside:
        return True
    except OSError:
        return False
    return False


def _confined(path: StrPath, root: StrPath | None) -> str:
    """`path` resolved; Outside when it leaves `root`, OSError for a symlink loop."""
    resolved = os.path.realpath(path, strict=False)
    if resolved != os.path.abspath(path):  # noqa: PTH100 (a link on the way)
        inside = os.path.realpath(confinement_root(path) if root is None else root)
        if resolved != inside and not resolved.startswith(inside.rstrip(os.sep) + os.sep):
            raise Outside()
    return resolved


def _check_kind(mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise IsFolder()
    if not stat.S_ISREG(mode):
        raise NotRegular()


def _read_open(target: str, limit: int, flags: int) -> bytes:
    _check_kind(Path(target).stat().st_mode)  # before opening: a device is never opened
    fd = os.open(target, flags)
    try:
        _check_kind(os.fstat(fd).st_mode)  # the same file, had it been swapped meanwhile
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_capped(path: StrPath, limit: int, *, root: StrPath | None = None) -> bytes:
    """At most `limit + 1` bytes of `path` (more than `limit`: the caller reports the
    size). Raises OSError: missing, unreadable, Outside, NotRegular, IsFolder."""
    return _read_open(_confined(path, root), limit, _FLAGS | _NOFOLLOW)


def read_bytes(path: StrPath, limit: int, *, root: StrPath | None = None) -> bytes:
    """The bytes of `path`, at most `limit`; raises OSError (TooLarge beyond it)."""
    data = read_capped(path, limit, root=root)
    if len(data) > limit:
        raise TooLarge(limit)
    return data


def read_text(path: StrPath, limit: int, *, root: StrPath | None = None) -> str:
    """`read_bytes` decoded as UTF-8 (a BOM is dropped); UnicodeDecodeError if not."""
    return read_bytes(path, limit, root=root).decode("utf-8-sig")


def read_optional(path: StrPath, limit: int, *, root: StrPath | None = None) -> bytes | None:
    """`read_bytes`, or None when the file cannot or may not be read."""
    try:
        return read_bytes(path, limit, root=root)
    except (OSError, ValueError):  # ValueError: a NUL in the path
        return None


def read_package_file(path: StrPath, limit: int = PACKAGE_FILE_LIMIT) -> bytes:
    """A data file of the installed package (bounded, regular; links followed)."""
    data = _read_open(os.fspath(path), limit, _FLAGS)
    if len(data) > limit:
        raise TooLarge(limit)
    return data
