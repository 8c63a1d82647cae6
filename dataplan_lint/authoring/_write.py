"""Write an output file atomically (shared helper when present, a local fallback otherwise)."""

from __future__ import annotations

import os

try:
    from dataplan_lint.atomic import write_atomic
except ImportError:  # pragma: no cover - only before the shared helper exists
    import tempfile
    from pathlib import Path

    def write_atomic(path: str | os.PathLike[str], data: str | bytes) -> None:
        target = Path(path)
        payload = data.encode("utf-8") if isinstance(data, str) else data
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or Path())
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            Path(tmp).replace(target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


__all__ = ["write_atomic"]
