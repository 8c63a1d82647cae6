"""The one way the tool writes a file it was asked to write (reports, baselines, bundles, plans).

What happens depends on what the path names, never on the command that writes:

- nothing yet, or a regular file: the data goes to a temporary file in the same folder
  (so the rename stays on one file system), is flushed to disk and replaces the path in
  one `os.replace`. A crash or a full disk leaves the old file (or none), never a torn
  one. A replaced file keeps its permission bits (and, where allowed, its owner).
- a symbolic link to a regular file, or a dangling one: the link itself is replaced. The
  report never writes through a link onto the file it points to, so a link planted in a
  checkout cannot aim the report at a file elsewhere.
- a FIFO or a character device (`/dev/null`, a terminal), directly or through a link:
  written in place, as a shell redirection would. Renaming over such a node would replace
  it (as root, `-o /dev/null` would otherwise turn /dev/null into a regular file).
- `/dev/stdout`, `/dev/stderr`, `/dev/fd/N`, `/proc/self/fd/N`: the data goes to that
  open file descriptor, after whatever the process has already written to it.
- a block device named directly: written in place; through a symbolic link: refused.
- a directory or a socket: refused.

Failures are `OSError`s with the path in the message; callers turn them into exit 2.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
from pathlib import Path

from dataplan_lint.core import regexes

# /dev/stdout, /dev/fd/3, /proc/self/fd/3, /proc/<pid>/fd/3 (this process only).
_FD_PATH = regexes.FD_PATH.compile()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_output(path: str | os.PathLike[str], data: str | bytes, *, durable: bool = True) -> None:
    """Write `data` (text as UTF-8) to `path` the way its kind of file needs (see above).

    `durable=False` skips the two fsyncs of a replaced regular file (the rename stays
    atomic): for reports a run can write again, where they cost more than the check.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    name = os.fspath(path)
    descriptor = _descriptor_of(name)
    if descriptor is not None:
        _write_descriptor(descriptor, payload)
        return
    if name.endswith(("/", os.sep)):  # names a folder, existing or not
        raise IsADirectoryError(errno.EISDIR, "is a directory, not a file", name)
    try:
        link = os.lstat(name)
    except FileNotFoundError:
        _replace(Path(name), payload, None, durable)
        return
    if stat.S_ISLNK(link.st_mode):
        try:
            final = Path(name).stat()
        except FileNotFoundError:  # a dangling link: replaced like a missing file
            _replace(Path(name), payload, None, durable)
            return
        if stat.S_ISFIFO(final.st_mode) or stat.S_ISCHR(final.st_mode):
            _write_in_place(name, payload, follow=True)
        elif stat.S_ISREG(final.st_mode):
            _replace(Path(name), payload, None, durable)
        elif stat.S_ISBLK(final.st_mode):
            raise OSError(
                errno.EPERM, "is a symbolic link to a block device; name the device itself", name
            )
        else:
            _refuse(name, final.st_mode)
        return
    if stat.S_ISREG(link.st_mode):
        _replace(Path(name), payload, link, durable)
    elif stat.S_ISFIFO(link.st_mode) or stat.S_ISCHR(link.st_mode) or stat.S_ISBLK(link.st_mode):
        _write_in_place(name, payload, follow=False)
    else:
        _refuse(name, link.st_mode)


def _refuse(name: str, mode: int) -> None:
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "is a directory, not a file", name)
    raise OSError(errno.EINVAL, "is not a file, a FIFO or a device", name)


def names_stdout(path: str) -> bool:
    """Whether `path` is another name for standard output (`/dev/stdout`, `/dev/fd/1`)."""
    return _descriptor_of(path) == 1


def _descriptor_of(name: str) -> int | None:
    """The open file descriptor a /dev/stdout-like path names, or None."""
    normal = os.path.normpath(name)
    if normal.startswith("//"):
        normal = normal[1:]
    match = _FD_PATH.fullmatch(normal)
    if match is None:
        return None
    if match["std"]:
        return 1 if match["std"] == "stdout" else 2
    if match["fd"] is not None:
        return int(match["fd"])
    if match["pid"] not in ("self", str(os.getpid())):
        return None  # another process's descriptor: an ordinary path (a link) from here
    return int(match["pfd"])


def _write_descriptor(descriptor: int, payload: bytes) -> None:
    """Write to an already open descriptor; 1 and 2 go through sys.stdout / sys.stderr so
    the bytes land after (not before) what the process wrote there already."""
    stream = {1: sys.stdout, 2: sys.stderr}.get(descriptor)
    if stream is not None:
        stream.flush()
        buffer = getattr(stream, "buffer", None)
        if buffer is not None:
            buffer.write(payload)
            buffer.flush()
        else:
            stream.write(payload.decode("utf-8"))
            stream.flush()
        return
    view = memoryview(payload)
    while view:
        written = os.write(descriptor, view)
        view = view[written:]


def _write_in_place(name: str, payload: bytes, *, follow: bool) -> None:
    """Open the node and write: O_NOFOLLOW when it was not a link (a swap of the path for
    a link between the check and the open fails instead of writing elsewhere), and a
    check after opening that it is still not a regular file or a directory."""
    flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(name, flags)
    try:
        mode = os.fstat(fd).st_mode
        if not (stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISBLK(mode)):
            raise OSError(errno.EAGAIN, "changed while it was being written", name)
        view = memoryview(payload)
        while view:
            written = os.write(fd, view)
            view = view[written:]
    finally:
        os.close(fd)


def _replace(
    target: Path, payload: bytes, existing: os.stat_result | None, durable: bool = True
) -> None:
    """Write a temporary file next to `target` and rename it over `target`."""
    import tempfile  # imported here: a run that writes no file does not pay for it

    folder = target.parent if str(target.parent) else Path()
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        tmp = Path(tmp_name)
        if existing is None:
            # mkstemp creates the file 0600; give it the mode a plain open() would have.
            tmp.chmod(0o666 & ~_umask())
        else:
            tmp.chmod(stat.S_IMODE(existing.st_mode))
            if hasattr(os, "chown") and (existing.st_uid, existing.st_gid) != _owner(tmp):
                with contextlib.suppress(OSError):
                    os.chown(tmp, existing.st_uid, existing.st_gid)
        tmp.replace(target)  # os.replace: atomic on POSIX and Windows
    except BaseException:
        with contextlib.suppress(OSError):
            Path(tmp_name).unlink()
        raise
    if durable:
        _fsync_folder(folder)


def _owner(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_uid, info.st_gid


def append_text(path: str | os.PathLike[str], text: str) -> None:
    """Append to a file other writers also append to (such as $GITHUB_STEP_SUMMARY)."""
    with Path(path).open("a", encoding="utf-8", newline="") as handle:
        handle.write(text)
        handle.flush()
        with contextlib.suppress(OSError):  # a FIFO or a device cannot be synced
            os.fsync(handle.fileno())


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable; not every platform lets a folder be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
