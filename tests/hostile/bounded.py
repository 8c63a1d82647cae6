"""Run the real command line (or a Python snippet) in a child with a time and memory limit.

The hostile tests feed inputs that once hung a run or exhausted memory; running them in a
child turns a regression into a clear test failure (timeout or MemoryError) instead of a
stuck or killed test session. Used by the tests in this folder (imported by basename).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

MEMORY_LIMIT = 1 << 30  # 1 GiB of address space for the child
TIMEOUT = 60.0  # seconds; the cases take well under 5 s, this is for a loaded CI machine


def limit_memory() -> None:
    """preexec_fn: cap the child's address space (RLIMIT_AS)."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str

    def findings(self) -> list[dict[str, object]]:
        document = json.loads(self.stdout)
        found: list[dict[str, object]] = document["findings"]
        return found

    def rule_ids(self) -> set[str]:
        try:
            return {str(finding["rule_id"]) for finding in self.findings()}
        except (ValueError, KeyError):
            return set()


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("GITHUB_")}
    env["NO_COLOR"] = "1"
    env.setdefault("DATAPLAN_LINT_NO_CACHE", "1")
    return {**env, **(extra or {})}


def run_cli(
    args: list[str],
    cwd: Path,
    *,
    env: dict[str, str] | None = None,
    timeout: float = TIMEOUT,
    stdin: int = subprocess.DEVNULL,
) -> Outcome:
    """`dataplan-lint ARGS` in `cwd`; never a traceback, always exit 0, 1 or 2. `stdin`
    is a descriptor for standard input (default: empty)."""
    done = subprocess.run(
        [sys.executable, "-m", "dataplan_lint", *args],
        cwd=cwd,
        env=child_env(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=limit_memory,
        stdin=stdin,
    )
    outcome = Outcome(done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in outcome.stderr, outcome.stderr[-3000:]
    assert outcome.code in (0, 1, 2), outcome
    return outcome


def run_python(code: str, *, cwd: Path | None = None, timeout: float = TIMEOUT) -> str:
    """Run a Python snippet in a bounded child; return its stdout (fails on a non-zero exit)."""
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=limit_memory,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout
