"""`rules` and `explain` include the rules of the project's own rulesets.

A project in tmp_path names a ruleset in its configuration, as rules/README.md shows;
the commands run there (the configuration is found upwards from the current folder, or
given with --config, as for `check`) and list and explain its rules with the file they
come from, their message, description and examples.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from enginehelpers import acme_owner_rule

from dataplan_lint.cli.commands import cli

ROOT = Path(__file__).resolve().parent.parent

RULESET = (
    "extends: recommended\ngate: 2\nrules:\n"
    + acme_owner_rule(
        more="""\
    description: >-
      Every source names the team that runs it, so a page reaches a rota rather than a
      person on holiday. Team slugs start with `team-`.


      People move; teams stay.
    reference: https://wiki.example.com/data/owners
    examples:
      fail: |
        sources:
          - owner: alice
      pass: |
        sources:
          - owner: team-web-collector
"""
    )
    + """\
  - id: ACME202
    slug: acme-source-has-retention
    family: completeness
    severity: warning
    fix: safe
    presets: [strict]
    summary: Sources state their retention.
    message: "source `{path}` states no retention"
    given: /sources/*
    then: {field: retention, function: present}
"""
)


def run(cwd: Path, *args: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.chdir(cwd)
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "lint").mkdir()
    (tmp_path / "lint" / "acme-rules.yaml").write_text(RULESET, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.dataplan-lint]\nrulesets = ["lint/acme-rules.yaml"]\n', encoding="utf-8"
    )
    (tmp_path / "plans").mkdir()
    return tmp_path


def test_rules_lists_project_rules_with_their_file(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run(project / "plans", "rules", monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    start = lines.index("Project rules from ../lint/acme-rules.yaml")  # a path from here
    first, second = lines[start + 1].split(), lines[start + 2].split()
    assert first[:3] == ["ACME201", "error", "acme-source-owner-is-a-team"]
    assert lines[start + 1].endswith("  Source owners are team slugs, not people.")
    assert second[:4] == ["ACME202", "warning", "[*]", "acme-source-has-retention"]
    assert lines[start + 2].endswith("Sources state their retention. (strict)")
    listed = json.loads(run(project, "rules", "--format", "json", monkeypatch=monkeypatch).output)
    own = [item for item in listed if item["ruleset"]]
    assert [(item["id"], item["ruleset"], item["presets"]) for item in own] == [
        ("ACME201", "lint/acme-rules.yaml", ["recommended", "strict"]),
        ("ACME202", "lint/acme-rules.yaml", ["strict"]),
    ]
    bundled = [item for item in listed if not item["ruleset"]]
    assert result.output.rstrip().splitlines()[-2] == (
        f"{len(listed)} rules (12 gates; 2 from the project's rulesets). "
        "`dataplan-lint explain ID` shows one in full."
    )
    # Outside the project the same command lists only the tool's rules.
    alone = run(project.parent, "rules", "--format", "json", monkeypatch=monkeypatch)
    assert len(json.loads(alone.output)) == len(bundled)


def test_explain_shows_a_project_rule_in_full(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run(project / "plans", "explain", "acme201", monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    page = result.output
    assert page.startswith(
        "ACME201 acme-source-owner-is-a-team\n\n"
        "gate 2 (sources) - completeness - default severity error\n"
        "defined in the project's ruleset ../lint/acme-rules.yaml\n"
        "enabled in: recommended, strict\n"
    )
    assert "Message\n  source owner `{value}` is not a team slug (team-...)\n" in page
    assert "  Every source names the team that runs it, so a page reaches a rota" in page
    assert "  People move; teams stay.\n" in page
    assert "Failing example\n  sources:\n    - owner: alice\n" in page
    assert "Fixed example\n  sources:\n    - owner: team-web-collector\n" in page
    assert page.endswith("Reference: https://wiki.example.com/data/owners\n")
    by_slug = run(project, "explain", "acme-source-has-retention", monkeypatch=monkeypatch)
    assert "fixable: `check --fix` repairs its findings" in by_slug.output
    assert "enabled in: strict\n" in by_slug.output


def test_a_project_rules_example_checks_as_it_says(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for which, expected in (("fail", {"ACME201"}), ("pass", set())):
        built = run(project, "explain", "ACME201", "--example", which, monkeypatch=monkeypatch)
        assert built.exit_code == 0, built.output
        plan = project / "plans" / f"{which}.dataplan.yaml"
        plan.write_bytes(built.stdout_bytes)
        checked = run(
            project, "check", "--no-cache", "--format", "json", str(plan), monkeypatch=monkeypatch
        )
        found = {f["rule_id"] for f in json.loads(checked.stdout)["findings"]}
        assert found == expected, checked.output


def test_config_option_names_the_configuration(
    project: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    config = str(project / "pyproject.toml")
    listed = run(elsewhere, "rules", "--config", config, monkeypatch=monkeypatch)
    assert "Project rules from " in listed.output and "ACME201" in listed.output
    page = run(elsewhere, "explain", "--config", config, "ACME201", monkeypatch=monkeypatch)
    assert page.exit_code == 0 and page.output.startswith("ACME201 ")
    unknown = run(elsewhere, "explain", "ACME201", monkeypatch=monkeypatch)
    assert unknown.exit_code == 2
    assert "unknown rule 'ACME201'" in unknown.stderr


def test_a_broken_project_ruleset_is_an_error_not_a_traceback(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "lint" / "acme-rules.yaml").write_text(
        RULESET.replace("function: pattern", "function: patern"), encoding="utf-8"
    )
    for command in (
        ["rules"],
        ["explain", "ACME201"],
        ["explain", "--config", "pyproject.toml", "DP001"],
    ):
        result = run(project, *command, monkeypatch=monkeypatch)
        assert result.exit_code == 2
        assert (
            "acme-rules.yaml: rule ACME201: unknown rule function 'patern' "
            "(did you mean `pattern`?)"
        ) in result.stderr
    # The tool's own pages do not depend on the project's configuration.
    assert run(project, "explain", "DP001", monkeypatch=monkeypatch).exit_code == 0


def test_hostile_project_rule_text_reaches_the_terminal_escaped(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "lint" / "acme-rules.yaml").write_text(
        RULESET.replace(
            "Source owners are team slugs, not people.",
            '"Owners \\e]8;;https://evil.example\\a click \\e[2J\\r::error::x"',
        ),
        encoding="utf-8",
    )
    for command in (["rules"], ["explain", "ACME201"]):
        result = run(project, *command, monkeypatch=monkeypatch)
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.output and "\a" not in result.output
        assert "\r" not in result.output


@pytest.mark.parametrize(
    ("example", "problem"),
    [
        ("{base: ../../../etc, yaml: 'a: 1'}", "unknown base plan '../../../etc'"),
        ("{file: 'x: 1', encoding: rot13}", "`encoding` must be one of: utf-8, latin-1, utf-16"),
        ("{replaces: 'no such line', text: 'x'}", "`replaces` must be lines found exactly once"),
        ("{yaml: '- a list'}", "the example is not a YAML mapping"),
        ("{remove: [/nowhere/0], yaml: ''}", "`remove`: '/nowhere/0' is not in the base plan"),
    ],
)
def test_a_project_rule_example_that_describes_no_file_is_an_error(
    project: Path, monkeypatch: pytest.MonkeyPatch, example: str, problem: str
) -> None:
    ruleset = project / "lint" / "acme-rules.yaml"
    text = ruleset.read_text(encoding="utf-8")
    start = text.index("    examples:\n      fail: |")
    end = text.index("  - id: ACME202")
    ruleset.write_text(
        text[:start] + f"    examples:\n      fail: {example}\n" + text[end:], encoding="utf-8"
    )
    page = run(project, "explain", "ACME201", monkeypatch=monkeypatch)
    assert page.exit_code == 0, page.output  # the page still shows what is written
    built = run(project, "explain", "ACME201", "--example", "fail", monkeypatch=monkeypatch)
    assert built.exit_code == 2
    assert built.stderr.startswith(f"dataplan-lint: error: {problem}"), built.stderr
    assert "Traceback" not in built.stderr and built.stdout == ""
