"""Write output files so a reader never sees half a file.

The data goes to a temporary file in the destination's own folder (so the final rename
stays on one file system), is flushed to disk, and then replaces the destination in one
`os.replace`. A crash or a full disk leaves the old file (or no file), never a torn one.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Replace `path` with `data` (text is written as UTF-8), creating missing folders."""
    import tempfile  # imported here: a run that writes no file does not pay for it

    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    folder = target.parent if str(target.parent) else Path()
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp creates the file 0600; give it the mode a plain open() would have.
        tmp = Path(tmp_name)
        tmp.chmod(0o666 & ~_umask())
        tmp.replace(target)  # os.replace: atomic on POSIX and Windows
    except BaseException:
        with contextlib.suppress(OSError):
            Path(tmp_name).unlink()
        raise
    _fsync_folder(folder)


def append_text(path: str | os.PathLike[str], text: str) -> None:
    """Append to a file other writers also append to (such as $GITHUB_STEP_SUMMARY)."""
    with Path(path).open("a", encoding="utf-8", newline="") as handle:
        handle.write(text)
        handle.flush()
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
