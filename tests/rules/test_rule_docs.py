"""Every rule's documentation holds: its `explain` examples behave as they say, its
reference anchor exists under references/, and its description and summary are set."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from ruleexamples import build

from dataplan_lint.config.file import LintConfig
from dataplan_lint.core.settings import Settings
from dataplan_lint.engine.catalog import all_rules
from dataplan_lint.engine.model import Rule
from dataplan_lint.engine.rulesets import bundled, documents
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


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_failing_example_triggers_exactly_this_rule(rule: Rule) -> None:
    if skip_reason(rule):
        pytest.skip(skip_reason(rule))
    example = DOCS[rule.id].examples.get("fail")
    assert example is not None, f"{rule.id} has no failing example"
    found = findings_for(build(example, EXAMPLES), preset_of(rule))
    assert found, f"{rule.id}: the failing example triggers nothing"
    assert {rule_id for rule_id, _, _ in found} == {rule.id}, found


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_fixed_example_does_not_trigger_the_rule(rule: Rule) -> None:
    if skip_reason(rule):
        pytest.skip(skip_reason(rule))
    example = DOCS[rule.id].examples.get("pass")
    assert example is not None, f"{rule.id} has no fixed example"
    found = findings_for(build(example, EXAMPLES), preset_of(rule))
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
