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

from tests.conftest import copy_example

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / ".pre-commit-hooks.yaml"
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
        ("dataplan/other.yaml", False),
        # the files plans read: the hook checks the plans that read them
        ("schemas/clicks.avsc", True),
        ("proto/orders.proto", True),
        ("dataplan.json", True),
        ("dbt/target/manifest.json", True),
        ("dbt/dbt_project.yml", True),
        ("dbt/models/fct_orders.sql", True),
        ("contracts/orders.odcs.yaml", True),
        ("contracts/orders.yaml", False),
        ("README.md", False),
    ],
)
def test_files_pattern(name: str, matches: bool) -> None:
    found = hooks()
    assert sorted(found) == ["dataplan-lint", "dataplan-lint-compat"]  # never an empty loop
    for hook in found.values():
        assert bool(re.search(hook["files"], name)) is matches


def test_compat_hook_passes_base_and_runs_serially() -> None:
    found = hooks()
    assert found["dataplan-lint"]["entry"] == "dataplan-lint check --"
    compat = found["dataplan-lint-compat"]
    words = compat["entry"].split()
    assert words[words.index("--base") + 1] == "HEAD"
    assert {"--skip-missing-base", "--base-only"} <= set(words)
    assert compat["require_serial"] is True
    assert all(hook["language"] == "python" for hook in found.values())
    # pre-commit appends file names after the entry: every entry ends the options.
    assert all(hook["entry"].split()[-1] == "--" for hook in found.values())


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
    copy_example("orders-cdc", repo, at="good")  # with its dbt project and ODCS file
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
    assert "bad/dataplan.yaml:30:11: DP014 [*] error" in output


CLICKS = ROOT / "examples" / "clickstream-sessions" / "dataplan.yaml"


def git(
    repo: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    identity = ["-c", "user.name=test", "-c", "user.email=test@example.com"]
    return subprocess.run(
        ["git", *identity, *args], cwd=repo, capture_output=True, text=True, env=env, check=False
    )


def hook_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "PRE_COMMIT"))}
    env.update(PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never", NO_COLOR="1")
    env.pop("VIRTUAL_ENV", None)
    return env


@pytest.fixture(scope="module")
def fresh_repo(tmp_path_factory: pytest.TempPathFactory, hook_repo: Path) -> Path:
    """A brand-new repository (no commit yet) with both hooks installed as its git hook."""
    repo = tmp_path_factory.mktemp("fresh")
    assert git(repo, "init", "-q", "-b", "main").returncode == 0
    rev = git(hook_repo, "rev-parse", "HEAD").stdout.strip()
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hook_repo}\n    rev: {rev}\n    hooks:\n"
        "      - id: dataplan-lint\n      - id: dataplan-lint-compat\n        verbose: true\n"
    )
    return repo


def commit(repo: Path, home: Path, message: str) -> subprocess.CompletedProcess[str]:
    env = hook_env(home)
    installed = subprocess.run(
        [sys.executable, "-m", "pre_commit", "install"], cwd=repo, env=env,
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stdout + installed.stderr
    git(repo, "add", "-A", env=env)
    return git(repo, "commit", "-m", message, env=env)


@needs_git
@network
def test_both_hooks_on_a_brand_new_repository(fresh_repo: Path, hook_home: Path) -> None:
    # First commit: no HEAD to compare with. The compat hook says so once and passes.
    (fresh_repo / "dataplan.yaml").write_bytes(CLICKS.read_bytes())
    done = commit(fresh_repo, hook_home, "first plan")
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert re.search(r"dataplan-lint \(contract compatibility[^\n]*\.+Passed", output), output
    notices = [line for line in output.splitlines() if "notice:" in line]
    assert len(notices) == 1 and "comparison with the base is skipped" in notices[0], output
    assert git(fresh_repo, "rev-parse", "--verify", "HEAD").returncode == 0

    # A bad plan is blocked by the first hook, each finding printed once.
    (fresh_repo / "bad").mkdir()
    (fresh_repo / "bad" / "dataplan.yaml").write_bytes(BAD.read_bytes())
    done = commit(fresh_repo, hook_home, "bad plan")
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert output.count("bad/dataplan.yaml:30:11: DP014 [*] error") == 1, output
    assert git(fresh_repo, "rev-list", "--count", "HEAD").stdout.strip() == "1"
    git(fresh_repo, "rm", "-r", "-q", "--cached", "bad")
    shutil.rmtree(fresh_repo / "bad")

    # A breaking contract change is blocked by the compat hook, reported once.
    plan = fresh_repo / "dataplan.yaml"
    text = plan.read_text()
    broken = text.replace(
        "      - name: event_id\n        type: string\n",
        "      - name: event_id\n        type: long\n", 1,
    )  # fmt: skip
    assert broken != text
    plan.write_text(broken)
    done = commit(fresh_repo, hook_home, "break the contract")
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    breaking = [
        line for line in output.splitlines() if re.match(r"dataplan\.yaml:\d+:\d+: DP7", line)
    ]
    assert breaking, output
    assert len(breaking) == len(set(breaking)), output
    # The compat hook adds what only the comparison with HEAD finds; the type change
    # itself is reported once, by the first hook (against the plan's own history).
    assert any("since the base HEAD" in line for line in breaking), output
    assert sum(" DP731 " in line for line in breaking) == 1, output


@needs_git
@network
def test_files_named_like_options_stay_paths(
    tmp_path: Path, hook_home: Path, hook_repo: Path
) -> None:
    repo = tmp_path / "named"
    repo.mkdir()
    assert git(repo, "init", "-q").returncode == 0
    bad = BAD.read_bytes()
    (repo / "orders.dataplan.yaml").write_bytes(bad)
    (repo / "--exclude=*.dataplan.yaml").write_bytes(b"")
    (repo / "--output=orders.dataplan.yaml").write_bytes(b"")
    git(repo, "add", "-A")
    done = pre_commit("try-repo", str(hook_repo), "--all-files", cwd=repo, home=hook_home)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert output.count("orders.dataplan.yaml:30:11: DP014 [*] error") == 1, output
    assert (repo / "orders.dataplan.yaml").read_bytes() == bad  # not overwritten
    # The odd names were checked as (empty) plan files, not read as options.
    assert "--exclude=*.dataplan.yaml:1:1:" in output, output


@needs_git
@network
def test_a_commit_of_only_a_schema_file_runs_both_hooks(
    tmp_path: Path, hook_home: Path, hook_repo: Path
) -> None:
    """The hooks match schema files and check the plans that read them: a breaking edit
    made only in an .avsc is blocked; a commit of an unreferenced .json passes at once."""
    from compat import plans

    repo = plans.schema_repo(tmp_path / "schemas").root
    rev = git(hook_repo, "rev-parse", "HEAD").stdout.strip()
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {hook_repo}\n    rev: {rev}\n    hooks:\n"
        "      - id: dataplan-lint\n      - id: dataplan-lint-compat\n"
    )
    git(repo, "add", "-A")
    assert git(repo, "commit", "-q", "--no-verify", "-m", "hooks").returncode == 0
    schema = repo / "schemas" / "checkout.avsc"
    text = schema.read_text()
    field = '{"name": "checkout_id", "type": "string"}'
    assert field in text
    schema.write_text(text.replace(field, '{"name": "checkout_id", "type": "long"}'))
    done = commit(repo, hook_home, "checkout_id becomes a long")
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    assert "Skipped" not in output, output
    assert re.search(r"dataplan-lint \(contract compatibility[^\n]*\.+Failed", output), output
    assert re.search(r"dataplan\.yaml:\d+:\d+: DP73\d .*checkout_id", output), output
    assert git(repo, "rev-list", "--count", "HEAD").stdout.strip() == "2"  # blocked

    git(repo, "checkout", "HEAD", "--", "schemas/checkout.avsc")
    (repo / "data").mkdir()
    (repo / "data" / "sample.json").write_text('{"not": "a plan"}\n')
    done = commit(repo, hook_home, "an unrelated json file")
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert re.search(r"dataplan-lint\.+Passed", output), output
    assert git(repo, "rev-list", "--count", "HEAD").stdout.strip() == "3"
