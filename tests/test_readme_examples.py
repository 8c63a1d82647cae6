"""The README shows what a new user will see: its example runs are re-run here.

Every `$ dataplan-lint check ...` shown with its output in a README console block is
run from the repository root and must print exactly that output with the exit code the
README's exit-code table gives (0 when the output says all checks passed, else 1). The
rule count quoted under "Rules and configuration" must match `dataplan-lint rules`, and
the quick start keeps its two commands, the second being what `.ci/run` runs.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from dataplan_lint.cli.commands import cli
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
CONSOLE_BLOCK = re.compile(r"^```console\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def _console_blocks(text: str = README) -> list[str]:
    return CONSOLE_BLOCK.findall(text)


def _shown_check_runs() -> list[tuple[str, str]]:
    """(command, shown output) for every check run over the bundled examples."""
    runs = []
    for block in _console_blocks():
        lines = block.splitlines()
        if not lines or not lines[0].startswith("$ dataplan-lint check ") or len(lines) < 2:
            continue
        if "examples/" not in lines[0] or "--base" in lines[0]:
            continue
        runs.append((lines[0][2:], "\n".join(lines[1:]) + "\n"))
    return runs


SHOWN_RUNS = _shown_check_runs()


def test_readme_shows_the_example_runs() -> None:
    # The finding example and the tour; if a block is reworded away, this says so.
    commands = [command for command, _ in SHOWN_RUNS]
    assert any("examples/invalid/" in command for command in commands)
    assert any("examples/tour" in command for command in commands)


@pytest.mark.parametrize(("command", "shown"), SHOWN_RUNS, ids=[c for c, _ in SHOWN_RUNS])
def test_readme_example_run_prints_what_the_readme_shows(
    command: str, shown: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    args = shlex.split(command)[1:]
    result = CliRunner().invoke(cli, args, env={"NO_COLOR": "1", "GITHUB_ACTIONS": None})
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stdout == shown
    assert result.exit_code == (0 if "All checks passed" in shown else 1)


def test_readme_rule_counts_match_the_catalogue() -> None:
    match = re.search(
        r"^(\d+) rules \(`dataplan-lint rules`, or `--format json`\): (\d+) file and "
        r"schema checks and (\d+)\s+rules over the twelve gates",
        README,
        re.MULTILINE,
    )
    assert match is not None, "the rule count sentence moved; update this test"
    total, file_checks, gate_rules = (int(n) for n in match.groups())
    result = CliRunner().invoke(cli, ["rules", "--format", "json"])
    assert result.exit_code == 0
    rules = json.loads(result.stdout)
    assert total == len(rules)
    assert file_checks == sum(1 for rule in rules if rule["gate"] == 0)
    assert gate_rules == sum(1 for rule in rules if rule["gate"] != 0)


def test_quick_start_is_make_demo_then_make_test_and_ci_runs_make_test() -> None:
    section = README.split("## Quick start", 1)[1]
    first_block = _console_blocks(section)[0]
    commands = [line.split("#", 1)[0].strip() for line in first_block.splitlines()]
    assert commands == ["make demo", "make test"]
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert [line.strip() for line in ci_lines if line.strip()][-1] == "make test"


def _fenced(text: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", text, re.MULTILINE | re.DOTALL)


RULES_README = (ROOT / "rules" / "README.md").read_text(encoding="utf-8")
CONFIGURATION_PAGE = (ROOT / "references" / "configuration.md").read_text(encoding="utf-8")
DOCS = (
    ("README.md", README),
    ("rules/README.md", RULES_README),
    ("references/configuration.md", CONFIGURATION_PAGE),
)
# (document, configuration file name, the example as shown)
CONFIG_EXAMPLES = [
    (name, "pyproject.toml", block)
    for name, text in DOCS
    for block in _fenced(text, "toml")
    if block.startswith(("[tool.dataplan-lint]", "# pyproject.toml"))
] + [
    (name, ".dataplan-lint.yaml", block)
    for name, text in DOCS
    for block in _fenced(text, "yaml")
    if block.startswith("# .dataplan-lint.yaml")
]


def test_docs_show_configuration_examples() -> None:
    assert {(name, file) for name, file, _ in CONFIG_EXAMPLES} == {
        ("README.md", "pyproject.toml"),
        ("rules/README.md", "pyproject.toml"),
        ("references/configuration.md", ".dataplan-lint.yaml"),
    }


@pytest.mark.parametrize(
    ("doc", "file_name", "example"),
    CONFIG_EXAMPLES,
    ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(CONFIG_EXAMPLES)],
)
def test_documented_configuration_is_accepted(
    doc: str, file_name: str, example: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A configuration error exits 2 and names the key: every example must load as shown.
    (tmp_path / ".git").mkdir()
    (tmp_path / file_name).write_text(example, encoding="utf-8")
    plan = ROOT / "examples" / "clickstream-sessions" / "dataplan.yaml"
    (tmp_path / "dataplan.yaml").write_bytes(plan.read_bytes())
    ruleset = next(b for b in _fenced(RULES_README, "yaml") if b.startswith("# lint/acme"))
    (tmp_path / "lint").mkdir()
    (tmp_path / "lint" / "acme-rules.yaml").write_text(ruleset, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check", "--no-snippets", "dataplan.yaml"])
    assert "error" not in result.stderr, (doc, result.stderr)
    assert result.exit_code in (0, 1), (doc, result.output)
