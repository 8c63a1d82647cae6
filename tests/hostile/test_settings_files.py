"""Rulesets and configuration files are as hostile as plans.

They come from the repository, so a pull request can change them. They are read with a
size limit, from regular files only, through the plans' bounded loader (alias expansion,
nesting depth, tags), and a configuration may only name rulesets inside the repository.
Each case ends in exit 2 with the reason, never a traceback, hang or crash.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from bounded import run_cli
from enginehelpers import acme_owner_rule

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = (ROOT / "examples" / "clickstream-sessions" / "dataplan.yaml").read_text(encoding="utf-8")


def ruleset(options: str) -> str:
    """A ruleset of the one rule ACME201 with the given pattern options."""
    return "gate: 2\nrules:\n" + acme_owner_rule(options)


def alias_bomb(levels: int = 9) -> str:
    """A flow mapping whose anchors multiply by nine per level (9**levels strings)."""
    parts = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, levels + 1):
        previous = ", ".join([f"*l{level - 1}"] * 9)
        parts.append(f"l{level}: &l{level} [{previous}]")
    return "{" + ", ".join(parts) + ", match: '^team-'}"


def repo(tmp_path: Path, config: str, config_name: str = ".dataplan-lint.yaml") -> Path:
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "dataplan.yaml").write_text(EXAMPLE, encoding="utf-8")
    (root / config_name).write_text(config, encoding="utf-8")
    return root


def cache_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def test_alias_bomb_in_a_ruleset_is_refused_and_writes_no_cache(tmp_path: Path) -> None:
    root = repo(tmp_path, "rulesets: [acme.yaml]\n")
    bomb = ruleset(alias_bomb())
    assert len(bomb) < 1200
    (root / "acme.yaml").write_text(bomb, encoding="utf-8")
    cache = tmp_path / "cache"
    env = {"XDG_CACHE_HOME": str(cache), "DATAPLAN_LINT_NO_CACHE": ""}
    outcome = run_cli(["check", "dataplan.yaml"], root, env=env, timeout=30)
    assert outcome.code == 2, outcome
    assert "acme.yaml:" in outcome.stderr
    assert "alias" in outcome.stderr
    assert not cache.exists() or cache_bytes(cache) < 200_000


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        (".dataplan-lint.yaml", "preset: " + alias_bomb(), "alias"),
        (".dataplan-lint.yaml", "select: " + "[" * 30_000 + "]" * 30_000 + "\n", "nest"),
        (".dataplan-lint.yaml", "a:\n" + "- " * 30_000 + "x\n", "nest"),
        (".dataplan-lint.yaml", "select: [DP001]\nselect: [DP002]\n", "duplicate key 'select'"),
        (".dataplan-lint.yaml", "preset: !!python/name:os.system\n", "tag"),
        (".dataplan-lint.yaml", "preset: [unclosed\n", "not valid YAML"),
        (
            "pyproject.toml",
            "[tool.dataplan-lint]\nselect = " + "[" * 1000 + "]" * 1000 + "\n",
            "nest",
        ),
        (
            "pyproject.toml",
            "[tool.dataplan-lint]\nx = " + "{a = " * 1000 + "1" + "}" * 1000,
            "nest",
        ),
    ],
)
def test_hostile_configuration_is_exit_2(
    tmp_path: Path, name: str, content: str, reason: str
) -> None:
    root = repo(tmp_path, content, name)
    outcome = run_cli(["check", "dataplan.yaml"], root, timeout=30)
    assert outcome.code == 2, outcome
    assert "config error" in outcome.stderr
    assert reason in outcome.stderr


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("rules: " + "[" * 30_000 + "]" * 30_000 + "\n", "nest"),
        (ruleset("{match: !!binary aGVsbG8=}"), "tag"),
        (ruleset("{match: a, match: b}"), "duplicate key 'match'"),
        ("rules: []\n" + "# padding\n" * 120_000, "larger than 1,000,000 bytes"),
    ],
)
def test_hostile_ruleset_is_exit_2(tmp_path: Path, content: str, reason: str) -> None:
    root = repo(tmp_path, "rulesets: [acme.yaml]\n")
    (root / "acme.yaml").write_text(content, encoding="utf-8")
    outcome = run_cli(["check", "dataplan.yaml"], root, timeout=30)
    assert outcome.code == 2, outcome
    assert "acme.yaml" in outcome.stderr
    assert reason in outcome.stderr


@pytest.mark.parametrize(
    "name", ["/etc/passwd", "../outside.yaml", "link.yaml", "sub/../../x.yaml"]
)
def test_rulesets_outside_the_repository_are_refused(tmp_path: Path, name: str) -> None:
    root = repo(tmp_path, f"rulesets: [{name!r}]\n")
    (tmp_path / "outside.yaml").write_text(ruleset("{match: x}"), "utf-8")
    (tmp_path / "x.yaml").write_text("rules: []\n", encoding="utf-8")
    (root / "sub").mkdir()
    (root / "link.yaml").symlink_to(tmp_path / "outside.yaml")  # resolved before the check
    outcome = run_cli(["check", "dataplan.yaml"], root)
    assert outcome.code == 2, outcome
    assert "outside the repository" in outcome.stderr
    assert "root:" not in outcome.stderr  # nothing of /etc/passwd is read or shown


def test_rulesets_inside_the_repository_and_the_explicit_option(tmp_path: Path) -> None:
    root = repo(tmp_path, "rulesets: [../outside.yaml]\n")
    (tmp_path / "outside.yaml").write_text(ruleset("{match: x}"), "utf-8")
    allowed = run_cli(["check", "--allow-external-rulesets", "dataplan.yaml"], root)
    assert allowed.code == 1, allowed  # the external rule ran and found the owner
    assert "ACME201" in allowed.stdout
    by_env = run_cli(
        ["check", "dataplan.yaml"], root, env={"DATAPLAN_LINT_ALLOW_EXTERNAL_RULESETS": "1"}
    )
    assert by_env.code == 1, by_env
    (root / "rules").mkdir()
    (root / "rules" / "acme.yaml").write_text(ruleset("{match: x}"), "utf-8")
    (root / ".dataplan-lint.yaml").write_text("rulesets: [rules/acme.yaml]\n", "utf-8")
    inside = run_cli(["check", "dataplan.yaml"], root)
    assert inside.code == 1, inside


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_ruleset_or_config_does_not_hang(tmp_path: Path) -> None:
    root = repo(tmp_path, "rulesets: [acme.yaml]\n")
    os.mkfifo(root / "acme.yaml")
    outcome = run_cli(["check", "dataplan.yaml"], root, timeout=30)
    assert outcome.code == 2, outcome
    assert "ruleset file 'acme.yaml' is not a regular file" in outcome.stderr
    os.mkfifo(root / "fifo.yaml")
    outcome = run_cli(["check", "--config", "fifo.yaml", "dataplan.yaml"], root, timeout=30)
    assert outcome.code == 2, outcome
    assert "not a regular file" in outcome.stderr


def test_configuration_symlinked_out_of_the_repository_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("hunter2-password: 1\n", encoding="utf-8")
    root = repo(tmp_path, "")
    (root / ".dataplan-lint.yaml").unlink()
    (root / ".dataplan-lint.yaml").symlink_to(secret)
    outcome = run_cli(["check", "dataplan.yaml"], root)
    assert outcome.code == 2, outcome
    assert "outside the repository" in outcome.stderr
    assert "hunter2" not in outcome.stdout + outcome.stderr
    explicit = run_cli(["check", "--config", str(secret), "dataplan.yaml"], root)
    assert explicit.code == 2 and "unknown key" in explicit.stderr  # read: the user chose it
