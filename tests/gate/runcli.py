"""Run the real `dataplan-lint` console entry in a child process (exact bytes and codes)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def lint(
    *args: str, cwd: Path, stdin: bytes | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "dataplan_lint", *args],
        cwd=cwd,
        input=stdin.decode("utf-8", "surrogateescape") if stdin is not None else None,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**base, **(env or {})},
    )
