"""Every rule's documentation holds: its `explain` examples behave as they say, its
reference anchor exists under references/, and its description and summary are set."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner
from ruleexamples import build

from dataplan_lint.cli.commands import cli
from dataplan_lint.config.file import LintConfig
from dataplan_lint.core.rules import BUILTIN_RULES
from dataplan_lint.core.settings import Settings
from dataplan_lint.engine.catalog import all_rules
from dataplan_lint.engine.docs import explain_text
from dataplan_lint.engine.examples import build as build_example
from dataplan_lint.engine.model import Rule
from dataplan_lint.engine.rulesets import bundled, check_documents, documents
from dataplan_lint.files.loader import load_text
from dataplan_lint.pipeline.runner import stages

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
REFERENCES = ROOT / "references"

RULES = bundled().rules
DOCS = documents()
PRESETS = {"recommended": LintConfig(preset="recommended"), "strict": LintConfig(preset="strict")}


def preset_of(rule: Rule) -> str:
    """Examples run under the preset that turns the rule on (strict-only rules: strict)."""
    return "recommended" if not rule.presets or "recommended" in rule.presets else "strict"


def skip_reason(rule: Rule) -> str | None:
    reason = DOCS[rule.id].examples.get("skip-reason")
    return str(reason) if reason else None


def findings_for(text: str, preset: str) -> list[tuple[str, int, str]]:
    result = load_text(text, "example.yaml")
    assert result.plan is not None, result.findings
    out = [(f.rule_id, f.line, f.message) for f in result.findings]
    config = PRESETS[preset]
    settings = Settings(config=config, tolerance=config.tolerance)
    for _, stage in stages():
        out += [(f.rule_id, f.line, f.message) for f in stage(result.plan, settings)]
    return out


def example_findings(rule: Rule, which: str) -> list[tuple[str, int, str]]:
    """(rule id, line, message) of what the rule's `fail` or `pass` example makes the
    checks find, under the rule's preset; skips a rule whose docs give a skip-reason."""
    reason = skip_reason(rule)
    if reason:
        pytest.skip(reason)
    example = DOCS[rule.id].examples.get(which)
    named = {"fail": "failing", "pass": "fixed"}[which]
    assert example is not None, f"{rule.id} has no {named} example"
    return findings_for(build(example, EXAMPLES), preset_of(rule))


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_failing_example_triggers_exactly_this_rule(rule: Rule) -> None:
    found = example_findings(rule, "fail")
    assert found, f"{rule.id}: the failing example triggers nothing"
    assert {rule_id for rule_id, _, _ in found} == {rule.id}, found


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_fixed_example_does_not_trigger_the_rule(rule: Rule) -> None:
    found = example_findings(rule, "pass")
    assert rule.id not in {rule_id for rule_id, _, _ in found}, found


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_rule_is_documented(rule: Rule) -> None:
    doc = DOCS[rule.id]
    assert len(doc.description) > 80, f"{rule.id}: describe what it checks and why"
    assert rule.summary.endswith("."), rule.summary
    assert rule.reference, f"{rule.id} has no reference"


def _github_anchor(heading: str) -> str:
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


@cache
def anchors(page: str) -> frozenset[str]:
    path = REFERENCES / page
    if not path.is_file():
        return frozenset()
    found: set[str] = set()
    in_code = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("```"):
            in_code = not in_code
            continue
        if in_code:
            continue
        heading = re.match(r"^#{1,6}\s+(.*?)\s*(?:\{#([\w-]+)\})?\s*$", line)
        if heading:
            found.add(heading.group(2) or _github_anchor(heading.group(1)))
        found.update(re.findall(r"<a\s+(?:id|name)=\"([^\"]+)\"", line))
    return frozenset(found)


@pytest.mark.parametrize("meta", all_rules(), ids=lambda meta: meta.id)
def test_reference_anchor_exists(meta) -> None:
    page, _, anchor = meta.reference.partition("#")
    assert page and anchor, f"{meta.id}: reference {meta.reference!r} is not page.md#anchor"
    assert (REFERENCES / page).is_file(), f"{meta.id}: references/{page} does not exist"
    assert anchor in anchors(page), f"{meta.id}: no anchor #{anchor} in references/{page}"


# --------------------------------------------------------------------------- DP0xx pages
# The checks written in code (file, schema and suppression checks) have their pages in
# rules/file-checks.yaml. Their examples are whole files, edited lines or overlays, and
# are checked here through the real command line with a configuration of their own.

CHECK_DOCS = check_documents()
CHECKS = sorted(BUILTIN_RULES.values(), key=lambda meta: meta.id)


def test_every_check_written_in_code_has_a_page_and_nothing_else_does() -> None:
    assert sorted(CHECK_DOCS) == sorted(BUILTIN_RULES)


@pytest.mark.parametrize("meta", CHECKS, ids=lambda meta: meta.id)
def test_check_page_says_what_and_why_with_examples(meta) -> None:
    doc = CHECK_DOCS[meta.id]
    assert len(doc.description) > 200, f"{meta.id}: say what it checks and why it matters"
    if doc.examples.get("skip-reason"):
        assert meta.id == "DP099"  # the only check no plan should trigger
        return
    assert doc.examples.get("fail") and doc.examples.get("pass")
    page = explain_text(meta)
    assert "What it checks and why" in page
    assert page.count("Failing example") == 1 and page.count("Fixed example") == 1


def ids_of_check(tmp_path: Path, example) -> list[str]:
    """Rule ids that `check` reports (not suppressed) on the file an example stands for."""
    built = build_example(example)
    plan = tmp_path / "dataplan.yaml"
    plan.write_bytes(built.content)
    config = tmp_path / ".dataplan-lint.yaml"
    lines = ["preset: recommended"] + [f"{key}: {value}" for key, value in built.config.items()]
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        ["check", "--no-cache", "--format", "json", "--config", str(config), str(plan)],
        catch_exceptions=False,
    )
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    return sorted({f["rule_id"] for f in report["findings"] if not f["suppression"]})


@pytest.mark.parametrize("meta", CHECKS, ids=lambda meta: meta.id)
def test_check_failing_example_reports_exactly_this_check(tmp_path: Path, meta) -> None:
    examples = CHECK_DOCS[meta.id].examples
    if examples.get("skip-reason"):
        pytest.skip(str(examples["skip-reason"]))
    assert ids_of_check(tmp_path, examples["fail"]) == [meta.id]


@pytest.mark.parametrize("meta", CHECKS, ids=lambda meta: meta.id)
def test_check_fixed_example_does_not_report_it(tmp_path: Path, meta) -> None:
    examples = CHECK_DOCS[meta.id].examples
    if examples.get("skip-reason"):
        pytest.skip(str(examples["skip-reason"]))
    assert meta.id not in ids_of_check(tmp_path, examples["pass"])


def test_explain_prints_the_whole_example_file(tmp_path: Path) -> None:
    """`explain --example` prints the very bytes the tests check (Latin-1 stays Latin-1)."""
    result = CliRunner().invoke(cli, ["explain", "DP006", "--example", "fail"])
    assert result.exit_code == 0
    assert result.stdout_bytes == build_example(CHECK_DOCS["DP006"].examples["fail"]).content
    assert b"caf\xe9" in result.stdout_bytes
    missing = CliRunner().invoke(cli, ["explain", "DP099", "--example", "fail"])
    assert missing.exit_code == 2
    assert "DP099 has no failing example: no plan should produce it" in missing.stderr
