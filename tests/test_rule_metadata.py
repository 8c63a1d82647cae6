"""One rule-metadata type, the built-in DP0xx table defined once, one id-or-slug lookup."""

from __future__ import annotations

import re
from pathlib import Path

from dataplan_lint.core.findings import Severity, Span
from dataplan_lint.core.rules import BUILTIN_RULES, RuleMeta, builtin_finding, find_rule
from dataplan_lint.engine import catalog
from dataplan_lint.engine.rulesets import bundled

PACKAGE = Path(__file__).resolve().parent.parent / "dataplan_lint"


def test_builtin_table_lists_the_file_schema_suppression_and_internal_checks() -> None:
    expected = [f"DP{n:03d}" for n in range(1, 21)] + ["DP099"]
    assert list(BUILTIN_RULES) == expected
    assert BUILTIN_RULES["DP013"].family == "schema"
    assert BUILTIN_RULES["DP019"].severity is Severity.WARNING
    assert BUILTIN_RULES["DP099"].slug == "internal-error"
    assert BUILTIN_RULES["DP099"].reference == "plan-format.md#internal-error"


def test_every_rule_in_the_catalog_is_a_rule_meta() -> None:
    rules = catalog.all_rules()
    assert all(type(rule) is RuleMeta for rule in rules)
    ids = [rule.id for rule in rules]
    assert len(ids) == len(set(ids))
    bundled_rule = bundled().rules[0]
    assert catalog.find(bundled_rule.id) == catalog.find(bundled_rule.slug)
    assert catalog.find(bundled_rule.id).summary == bundled_rule.summary  # type: ignore[union-attr]


def test_lookup_by_id_or_slug_ignores_case_and_spaces() -> None:
    rules = list(BUILTIN_RULES.values())
    assert find_rule(rules, " dp002 ") is BUILTIN_RULES["DP002"]
    assert find_rule(rules, "Duplicate-Key") is BUILTIN_RULES["DP002"]
    assert find_rule(rules, "duplicate") is None
    rule = bundled().rules[0]
    assert find_rule(bundled().rules, rule.slug.upper()) is rule


def test_builtin_finding_takes_slug_family_and_severity_from_the_table() -> None:
    finding = builtin_finding("DP018", "why?", "plan.yaml", Span.point(3, 4))
    assert (finding.rule_id, finding.slug, finding.family, finding.severity) == (
        "DP018",
        "suppression-without-reason",
        "file",
        Severity.WARNING,
    )
    assert (finding.line, finding.col, finding.gate) == (3, 4, 0)
    at_start = builtin_finding("DP016", "no match", "p.yaml", pointer="/sources/0/id", gate=2)
    assert (at_start.line, at_start.col, at_start.gate, at_start.pointer) == (
        1,
        1,
        2,
        "/sources/0/id",
    )


def test_builtin_rules_are_declared_in_one_module() -> None:
    """A built-in rule's slug is written only in core/rules.py: no second table of them,
    and the suppression checks are not listed by hand ("DP018", "DP019", "DP020")."""
    slugs = {meta.slug for meta in BUILTIN_RULES.values()}
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if (path.name == "rules.py" and path.parent.name == "core") or "_generated" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for number, line in enumerate(text.splitlines(), 1):
            code = line.split("#", 1)[0]
            literals = set(re.findall(r"""["']([a-z-]+)["']""", code))
            if literals & slugs or re.search(r"""["']DP01[89]["']\s*,\s*["']DP0""", code):
                offenders.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    assert offenders == []


def test_one_gate_table_names_every_gate_and_plan_section() -> None:
    from dataplan_lint.authoring import bundle
    from dataplan_lint.core.gates import GATE_NAMES, GATE_TITLES, SECTION_GATES
    from dataplan_lint.report import summary
    from dataplan_lint.schema.bundle import bundled_schema

    assert sorted(GATE_TITLES) == list(range(13)) == sorted(GATE_NAMES)
    assert summary.GATE_TITLES is GATE_TITLES is bundle.GATE_TITLES
    sections = set(bundled_schema()["properties"]) - {"apiVersion", "kind"}
    assert set(SECTION_GATES) == sections
    assert (SECTION_GATES["event_semantics"], SECTION_GATES["risks"]) == (3, 12)
