"""`check --fix --unsafe-fixes` bumps a contract version to the level its change needs.

DP733 (a changed contract keeps its version) and DP734 (a breaking change without a new
major version) offer an unsafe fix: the next minor version for a compatible change, the
next major one for a breaking change, counted from every version the contract has had
(its history and, with `--base`, the base). Each case edits the clickstream example, runs
the real command line, and checks the exact line changed, that the fixed file is clean
of the finding (and of schema findings), and that a second run changes nothing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from enginehelpers import CLICKSTREAM, plan_text, run

VERSION_LINE = "    version: 2.1.0\n    versioning: semver\n"
PAGE_URL = (
    "      - name: page_url\n        type: string\n        required: true\n      - name: context"
)
# Changing the type of a required field breaks BACKWARD_TRANSITIVE (DP731 reports it).
PAGE_URL_LONG = PAGE_URL.replace("type: string", "type: long")
REFERRER = "        doc: Referring URL; added in 2.1.0.\n    history:\n"
# A new optional field with a default: a compatible change.
WITH_CAMPAIGN = (
    "        doc: Referring URL; added in 2.1.0.\n"
    "      - name: campaign\n"
    "        type: string\n"
    "        nullable: true\n"
    "        default: null\n"
    "    history:\n"
)


def version_of(text: str) -> str:
    """The clickstream contract's current version (the line above its `versioning`)."""
    lines = text.splitlines()
    return lines[lines.index("    versioning: semver") - 1].split(": ", 1)[1]


def rule_ids(output: str) -> list[str]:
    return [line.split(": ", 1)[1].split(" ")[0] for line in output.splitlines() if ": DP" in line]


def fixable(output: str) -> list[str]:
    return [line.split(": ", 1)[1].split(" ")[0] for line in output.splitlines() if " [*] " in line]


def fix_and_verify(plan: Path, rules: list[str], old: str, new: str, *extra: str) -> str:
    """Run the unsafe fix once and again; return the second run's report."""
    before = plan.read_text(encoding="utf-8")
    assert version_of(before) == old
    found = run("check", "--no-snippets", "--unsafe-fixes", *extra, str(plan))
    assert fixable(found.stdout) == rules, found.output
    safe_only = run("check", "--no-snippets", "--fix", *extra, str(plan))
    assert plan.read_text(encoding="utf-8") == before, "an unsafe fix needs --unsafe-fixes"
    assert set(rules) <= set(rule_ids(safe_only.stdout))

    result = run("check", "--no-snippets", "--fix", "--unsafe-fixes", *extra, str(plan))
    after = plan.read_text(encoding="utf-8")
    count = f"{len(rules)} finding{'s' if len(rules) > 1 else ''}"
    assert f"fixed {count} in 1 file" in result.stderr, result.output
    changed = [
        (a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b
    ]
    assert changed == [(f"    version: {old}", f"    version: {new}")]
    remaining = rule_ids(result.stdout)
    assert "DP733" not in remaining and "DP734" not in remaining
    assert not [r for r in remaining if r.startswith("DP0")], result.stdout  # still valid

    again = run("check", "--no-snippets", "--fix", "--unsafe-fixes", *extra, str(plan))
    assert plan.read_text(encoding="utf-8") == after
    assert "fixed" not in again.stderr
    assert rule_ids(again.stdout) == remaining
    diff = run("check", "--diff", "--unsafe-fixes", *extra, str(plan))
    assert diff.stdout == "" and "nothing to fix" in diff.stderr
    return str(again.stdout)


@pytest.mark.parametrize(
    ("replacements", "rules", "old", "new", "left"),
    [
        (
            # The current fields add `referrer` to 2.0.0 but the version stays 2.0.0.
            [(VERSION_LINE, VERSION_LINE.replace("2.1.0", "2.0.0"))],
            ["DP733"],
            "2.0.0",
            "2.1.0",
            [],
        ),
        (
            [(VERSION_LINE, VERSION_LINE.replace("2.1.0", "2.0.0")), (PAGE_URL, PAGE_URL_LONG)],
            ["DP733"],
            "2.0.0",
            "3.0.0",
            ["DP731"],  # the break itself still needs a person (or a waiver)
        ),
        (
            [(PAGE_URL, PAGE_URL_LONG)],
            ["DP734"],
            "2.1.0",
            "3.0.0",
            ["DP731"],
        ),
    ],
    ids=["compatible-same-version", "breaking-same-version", "breaking-minor-version"],
)
def test_version_bump_against_the_history(
    tmp_path: Path,
    replacements: list[tuple[str, str]],
    rules: list[str],
    old: str,
    new: str,
    left: list[str],
) -> None:
    plan = tmp_path / "dataplan.yaml"
    plan.write_text(plan_text(*replacements), encoding="utf-8")
    report = fix_and_verify(plan, rules, old, new)
    assert rule_ids(report) == left


def test_two_part_and_v_prefixed_versions_keep_their_form(tmp_path: Path) -> None:
    plan = tmp_path / "dataplan.yaml"
    text = plan_text(
        (VERSION_LINE, VERSION_LINE.replace("2.1.0", "v2.0")),
        ("      - version: 2.0.0\n", "      - version: v2.0\n"),
        (PAGE_URL, PAGE_URL_LONG),
    )
    plan.write_text(text, encoding="utf-8")
    fix_and_verify(plan, ["DP733"], "v2.0", "v3.0")


def git(root: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository whose `main` holds the clean clickstream plan (version 2.1.0)."""
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    shutil.copy(CLICKSTREAM, root / "dataplan.yaml")
    git(root, "add", "dataplan.yaml")
    git(root, "commit", "-q", "-m", "base")
    return root


@pytest.mark.parametrize(
    ("change", "rules", "new", "left"),
    [
        ((REFERRER, WITH_CAMPAIGN), ["DP733"], "2.2.0", []),
        # The break also shows against the history (2.0.0 -> 2.1.0 is not major): both
        # findings offer the same edit, applied once.
        ((PAGE_URL, PAGE_URL_LONG), ["DP733", "DP734"], "3.0.0", ["DP731"]),
    ],
    ids=["compatible", "breaking"],
)
def test_version_bump_against_the_base(
    repo: Path,
    change: tuple[str, str],
    rules: list[str],
    new: str,
    left: list[str],
    monkeypatch: Any,
) -> None:
    monkeypatch.chdir(repo)
    plan = repo / "dataplan.yaml"
    plan.write_text(plan_text(change), encoding="utf-8")
    report = fix_and_verify(plan, rules, "2.1.0", new, "--base", "main")
    assert rule_ids(report) == left
