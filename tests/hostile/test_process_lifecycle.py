"""Ctrl-C, killed runs and unreadable paths end cleanly.

Ctrl-C on the click path (`check --base`, `baseline`) printed "Aborted!" and exited 1
(and each worker process printed a KeyboardInterrupt traceback); worker processes
outlived a killed main process; a symlink loop was a traceback that stopped the run.
These run real process trees: a child in its own session, signalled as a terminal or a
CI runner would signal it.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bounded import child_env, limit_memory, run_cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = (ROOT / "examples" / "clickstream-sessions" / "dataplan.yaml").read_text(encoding="utf-8")
PLANS = 400  # enough work that the run is still going when the signal arrives

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX signals and /proc")


def many_plans(root: Path, count: int = PLANS) -> None:
    for index in range(count):
        folder = root / f"svc-{index:04d}"
        folder.mkdir(parents=True)
        (folder / "dataplan.yaml").write_text(EXAMPLE, encoding="utf-8")


def git_repo(root: Path) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    for command in (["init", "-q"], ["add", "."], ["commit", "-qm", "plans"]):
        subprocess.run(["git", *command], cwd=root, env=env, check=True, capture_output=True)


def start(args: list[str], cwd: Path, jobs: str = "2") -> subprocess.Popen[str]:
    """The CLI in its own session (process group), as a terminal's foreground job."""
    return subprocess.Popen(
        [sys.executable, "-m", "dataplan_lint", *args],
        cwd=cwd,
        env=child_env({"DATAPLAN_LINT_JOBS": jobs}),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=_as_a_terminal_job,
    )


def _as_a_terminal_job() -> None:
    """A foreground job's signal dispositions: a test suite started in the background
    (`make test &`) ignores SIGINT, which its children - and Python's Ctrl-C handling
    in them - would otherwise inherit."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    limit_memory()


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(word) for word in (task / "children").read_text().split()}
        except OSError:
            continue
    return found


def alive(pid: int) -> bool:
    """Running, not a zombie waiting for a (possibly absent) init to reap it."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    state = next(line for line in status.splitlines() if line.startswith("State:"))
    return "Z" not in state.split()[1]


def cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def wait_for_workers(process: subprocess.Popen[str], timeout: float = 60) -> set[int]:
    """The forked worker processes (same command line as the parent; not `git` children)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        own = cmdline(process.pid)
        workers = {pid for pid in children(process.pid) if cmdline(pid) == own}
        if len(workers) >= 2:
            return workers
        time.sleep(0.02)
    raise AssertionError("the run never started its worker processes")


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")
@pytest.mark.parametrize("command", [["check", "--base", "HEAD", "."], ["check", "."]])
def test_ctrl_c_is_exit_130_without_tracebacks(tmp_path: Path, command: list[str]) -> None:
    many_plans(tmp_path)
    git_repo(tmp_path)
    process = start(command, tmp_path)
    wait_for_workers(process)
    os.killpg(process.pid, signal.SIGINT)  # Ctrl-C: the whole foreground process group
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, (out[-2000:], err[-2000:])
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err[-3000:]
    assert "dataplan-lint: interrupted" in err


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")
def test_ctrl_c_during_baseline_is_exit_130(tmp_path: Path) -> None:
    many_plans(tmp_path)
    process = start(["baseline", "-o", "baseline.json", "."], tmp_path)
    wait_for_workers(process)  # the signal arrives while the plans are being checked
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, (out[-2000:], err[-2000:])
    assert not (tmp_path / "baseline.json").exists()  # no half-written baseline
    assert "Traceback" not in err, err[-3000:]


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_with_the_main_process(tmp_path: Path, sig: signal.Signals) -> None:
    many_plans(tmp_path)
    process = start(["check", "."], tmp_path)
    workers = wait_for_workers(process)
    process.send_signal(sig)  # only the main process, as an OOM killer or `kill` would
    process.communicate(timeout=60)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(alive(pid) for pid in workers):
        time.sleep(0.05)
    survivors = [pid for pid in workers if alive(pid)]
    for pid in survivors:  # do not leave them running whatever the outcome
        os.kill(pid, signal.SIGKILL)
    assert survivors == []


def test_symlink_loop_is_one_error_and_the_rest_is_checked(tmp_path: Path) -> None:
    (tmp_path / "a.dataplan.yaml").symlink_to("b.dataplan.yaml")
    (tmp_path / "b.dataplan.yaml").symlink_to("a.dataplan.yaml")
    (tmp_path / "self").symlink_to("self")
    (tmp_path / "dataplan.yaml").symlink_to("self")
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "dataplan.yaml").write_text("- not a mapping\n", encoding="utf-8")
    for args in (["check", "."], ["check", "a.dataplan.yaml", "bad"]):
        outcome = run_cli([*args, "--format", "json"], tmp_path)
        assert outcome.code == 2, outcome
        assert "a.dataplan.yaml: cannot read: Too many levels of symbolic links" in outcome.stderr
        assert outcome.rule_ids() == {"DP004"}  # the other plan was still checked
