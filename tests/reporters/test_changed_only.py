"""`--changed-only --base REF`: findings on lines changed since a git base, via real repos."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from dataplan_lint.cli.commands import cli
from dataplan_lint.pipeline.changed_lines import changed_lines

REPO = Path(__file__).resolve().parents[2]
BAD_ENUM = REPO / "examples" / "invalid" / "bad-enum.dataplan.yaml"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(name, raising=False)
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "dataplan.yaml").write_bytes(BAD_ENUM.read_bytes())  # DP014 at 30:11
    git(tmp_path, "add", "dataplan.yaml")
    git(tmp_path, "commit", "-q", "-m", "base")
    return tmp_path


def findings(*args: str) -> tuple[int, list[tuple[str, int]]]:
    result = CliRunner().invoke(cli, ["check", *args, "--format", "json"])
    if result.exit_code == 2:
        return 2, []
    document = json.loads(result.output)
    # Only the file and schema findings: the rule catalog grows independently of this test.
    found = [
        (f["rule_id"], f["line"])
        for f in document["findings"]
        if f["family"] in ("file", "schema") and f["suppression"] is None
    ]
    return result.exit_code, found


def test_changed_lines_counts_like_git() -> None:
    old = "a\nb\nc\nd\n"
    assert changed_lines(old, old) == frozenset()
    assert changed_lines(old, "a\nB\nc\nd\n") == frozenset({2})
    assert changed_lines(old, "a\nb\nx\ny\nc\nd\n") == frozenset({3, 4})
    assert changed_lines(old, "a\nd\n") == frozenset({1, 2})  # deletion: both sides of the gap
    assert changed_lines("", "a\nb") == frozenset({1, 2})
    # Only LF ends a line: U+2028, NUL and a lone CR stay inside it.
    assert changed_lines("a\u2028b\nc\n", "a\u2028b\nC\n") == frozenset({2})
    assert changed_lines("a\x00b\nc\n", "a\x00b\nC\n") == frozenset({2})
    assert changed_lines("a\rb\nc\n", "a\rb\nC\n") == frozenset({2})


def test_only_findings_on_changed_lines(repo: Path) -> None:
    plan = repo / "dataplan.yaml"
    text = plan.read_text()
    assert "name: mini-clicks" in text
    plan.write_text(text.replace("name: mini-clicks", "name: Mini Clicks", 1))  # DP016 at line 6
    code, all_found = findings("dataplan.yaml")
    assert sorted(all_found) == [("DP014", 30), ("DP016", 6)]
    code, changed = findings("dataplan.yaml", "--changed-only", "--base", "HEAD")
    assert code == 1
    assert changed == [("DP016", 6)]


def test_moved_lines_do_not_count_as_changed_findings(repo: Path) -> None:
    plan = repo / "dataplan.yaml"
    plan.write_text("# new comment\n" + plan.read_text())
    _, changed = findings("dataplan.yaml", "--changed-only", "--base", "HEAD")
    assert changed == []


def test_untracked_plan_is_changed_throughout(repo: Path) -> None:
    (repo / "new.dataplan.yaml").write_bytes(BAD_ENUM.read_bytes())
    code, changed = findings("new.dataplan.yaml", "--changed-only", "--base", "HEAD")
    assert (code, changed) == (1, [("DP014", 30)])


def test_file_added_since_base_is_changed_throughout(repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "feature")
    (repo / "added.dataplan.yaml").write_bytes(BAD_ENUM.read_bytes())
    git(repo, "add", "added.dataplan.yaml")
    git(repo, "commit", "-q", "-m", "add")
    code, changed = findings("added.dataplan.yaml", "--changed-only", "--base", "main")
    assert (code, changed) == (1, [("DP014", 30)])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--changed-only", "--base", "--upload-pack=evil"], "may not be empty or start with '-'"),
        (["--changed-only", "--base", "no-such-ref"], "unknown base ref 'no-such-ref'"),
        (["--changed-only"], "--changed-only needs --base"),
    ],
)
def test_bad_refs_exit_2(repo: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, ["check", "dataplan.yaml", *args])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_changed_lines_stays_fast_and_never_hides_on_hostile_input() -> None:
    # Thousands of equal lines shifted by one are quadratic for a plain LCS match; the
    # patience-style diff marks the region without anchors as changed instead (a superset
    # of git's answer, so no finding is hidden). Timing lives in benchmarks/; here the
    # result must be a superset of the truly changed lines.
    old = "\n".join(["  required: true"] * 5000)
    new = "\n".join(["x: 1", *(["  required: true"] * 4998), "y: 2"])
    assert {1, 5000} <= changed_lines(old, new)
    # With unique lines to anchor on, the answer is exact.
    base = [f"line {i}" for i in range(5000)]
    moved = [*base[:2500], "inserted", *base[2500:]]
    assert changed_lines("\n".join(base), "\n".join(moved)) == frozenset({2501})
