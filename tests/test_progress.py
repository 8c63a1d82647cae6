"""The progress line: on a terminal for many files, never in a pipe or a CI log."""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "examples" / "clickstream-sessions" / "dataplan.yaml"


def _plans(tmp_path: Path, count: int) -> Path:
    for number in range(count):
        folder = tmp_path / f"p{number}"
        folder.mkdir(parents=True)
        shutil.copy(PLAN, folder / "dataplan.yaml")
    return tmp_path


def _run(folder: Path, *, tty: bool, ci: bool = False) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "GITHUB_ACTIONS")}
    env["DATAPLAN_LINT_JOBS"] = "1"
    env["DATAPLAN_LINT_CACHE"] = "0"
    if ci:
        env["CI"] = "true"
    command = [sys.executable, "-m", "dataplan_lint", "check", "--no-cache", str(folder)]
    if not tty:
        run = subprocess.run(command, capture_output=True, env=env, timeout=600, check=False)
        return run.returncode, run.stderr.decode()
    main, secondary = pty.openpty()
    try:
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=secondary, env=env, cwd=folder
        )
        os.close(secondary)
        chunks = []
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        code = process.wait(timeout=600)
    finally:
        os.close(main)
    return code, b"".join(chunks).decode()


def test_progress_on_a_terminal_is_erased_at_the_end(tmp_path: Path) -> None:
    code, stderr = _run(_plans(tmp_path, 12), tty=True)
    assert code == 0
    assert "\rdataplan-lint: checked 1/12 files" in stderr
    assert stderr.endswith("\r\x1b[K")


def test_no_progress_in_a_pipe_in_ci_or_for_few_files(tmp_path: Path) -> None:
    folder = _plans(tmp_path / "many", 12)
    assert _run(folder, tty=False) == (0, "")
    code, stderr = _run(folder, tty=True, ci=True)
    assert code == 0 and "checked" not in stderr
    code, stderr = _run(_plans(tmp_path / "few", 3), tty=True)
    assert code == 0 and "checked" not in stderr
