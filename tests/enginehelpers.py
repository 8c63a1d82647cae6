"""Shared helpers for the engine, config and suppression tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from dataplan_lint.cli.commands import cli

ROOT = Path(__file__).resolve().parent.parent
CLICKSTREAM = ROOT / "examples" / "clickstream-sessions" / "dataplan.yaml"


def plan_text(*replacements: tuple[str, str]) -> str:
    text = CLICKSTREAM.read_text(encoding="utf-8")
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def write_plan(folder: Path, *replacements: tuple[str, str], name: str = "dataplan.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(plan_text(*replacements), encoding="utf-8")
    return path


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def check_json(*args: str) -> tuple[int, list[dict[str, Any]]]:
    result = run("check", "--format", "json", "--no-snippets", *args)
    if result.exit_code == 2:
        return 2, []
    document = json.loads(result.stdout)
    return result.exit_code, document["findings"]


def ids(findings: list[dict[str, Any]]) -> list[str]:
    return [f["rule_id"] for f in findings]


def acme_owner_rule(
    options: str = '{match: "^team-"}', *, function: str = "pattern", more: str = ""
) -> str:
    """ACME201, the project rule rules/README.md shows (source owners are team slugs).

    It is one item of a ruleset's `rules:` list; `function` and its `options` check the owner;
    `more` adds keys (description, examples...) after `then`.
    """
    return f"""\
  - id: ACME201
    slug: acme-source-owner-is-a-team
    family: completeness
    severity: error
    summary: Source owners are team slugs, not people.
    message: "source owner `{{value}}` is not a team slug (team-...)"
    given: /sources/*
    then:
      field: owner
      function: {function}
      options: {options}
{more}"""
