"""The pre-commit hooks, for real: `pre-commit try-repo` installs this repository's
package into pre-commit's own environment and runs the hook on a temporary git repo.

try-repo needs git, and pip inside pre-commit's virtualenv fetches the build backend and
the dependencies from the package index (or a local mirror set with PIP_INDEX_URL /
PIP_FIND_LINKS). Set DATAPLAN_LINT_SKIP_NETWORK_TESTS=1 where no index is reachable.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / ".pre-commit-hooks.yaml"
GOOD = ROOT / "examples" / "orders-cdc" / "dataplan.yaml"
BAD = ROOT / "examples" / "invalid" / "bad-enum.dataplan.yaml"

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def hooks() -> dict[str, dict[str, Any]]:
    loaded = YAML(typ="safe").load(MANIFEST.read_text())
    return {hook["id"]: hook for hook in loaded}


def pre_commit(*args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "PRE_COMMIT"))}
    env["PRE_COMMIT_HOME"] = str(home)
    env["PRE_COMMIT_COLOR"] = "never"
    env.pop("VIRTUAL_ENV", None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_manifest_validates(tmp_path: Path) -> None:
    done = pre_commit("validate-manifest", str(MANIFEST), cwd=ROOT, home=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(
    ("name", "matches"),
    [
        ("dataplan.yaml", True),
        ("dataplan.yml", True),
        ("pipelines/orders/dataplan.yaml", True),
        ("orders.dataplan.yaml", True),
        ("a/b/orders.dataplan.yml", True),
        ("mydataplan.yaml", False),
        ("dataplan.yaml.bak", False),
        ("dataplan.json", False),
        ("dataplan/other.yaml", False),
    ],
)
def test_files_pattern(name: str, matches: bool) -> None:
    for hook in hooks().values():
        assert bool(re.search(hook["files"], name)) is matches


def test_compat_hook_passes_base_and_runs_serially() -> None:
    found = hooks()
    assert found["dataplan-lint"]["entry"] == "dataplan-lint check"
    compat = found["dataplan-lint-compat"]
    assert "--base" in compat["entry"].split()
    assert compat["require_serial"] is True
    assert all(hook["language"] == "python" for hook in found.values())


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-commit copy of this checkout's working tree (tracked and new files).

    try-repo on the checkout itself only sees committed and modified tracked files; a
    snapshot also carries new modules that are not committed yet.
    """
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    snapshot = tmp_path_factory.mktemp("hook-repo")
    for name in filter(None, listed.stdout.decode("utf-8", "surrogateescape").split("\0")):
        source = ROOT / name
        if source.is_file():
            target = snapshot / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    identity = ["-c", "user.name=test", "-c", "user.email=test@example.com"]
    subprocess.run(["git", "init", "-q"], cwd=snapshot, check=True)
    subprocess.run(["git", "add", "-A"], cwd=snapshot, check=True)
    subprocess.run(
        ["git", *identity, "commit", "-q", "--no-verify", "-m", "snapshot"],
        cwd=snapshot,
        check=True,
    )
    return snapshot


@pytest.fixture(scope="module")
def plan_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("plans")
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    (repo / "good").mkdir()
    (repo / "good" / "dataplan.yaml").write_bytes(GOOD.read_bytes())
    (repo / "bad").mkdir()
    (repo / "bad" / "dataplan.yaml").write_bytes(BAD.read_bytes())
    subprocess.run(["git", "add", "."], cwd=repo, check=True)
    return repo


@pytest.fixture(scope="module")
def hook_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


network = pytest.mark.skipif(
    os.environ.get("DATAPLAN_LINT_SKIP_NETWORK_TESTS") == "1",
    reason="pre-commit builds its environment from a package index",
)


@needs_git
@network
def test_try_repo_passes_a_good_plan(plan_repo: Path, hook_home: Path, hook_repo: Path) -> None:
    done = pre_commit(
        "try-repo", str(hook_repo), "dataplan-lint", "--files", "good/dataplan.yaml",
        cwd=plan_repo, home=hook_home,
    )  # fmt: skip
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert re.search(r"dataplan-lint\.+Passed", output), output


@needs_git
@network
def test_try_repo_fails_a_bad_plan_with_the_finding(
    plan_repo: Path, hook_home: Path, hook_repo: Path
) -> None:
    done = pre_commit(
        "try-repo", str(hook_repo), "dataplan-lint", "--files", "bad/dataplan.yaml",
        cwd=plan_repo, home=hook_home,
    )  # fmt: skip
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert re.search(r"dataplan-lint\.+Failed", output), output
    assert "bad/dataplan.yaml:30:11: DP014 error" in output
