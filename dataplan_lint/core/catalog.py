"""Metadata of every rule the tool can report, for `rules`, `explain` and SARIF.

The built-in file and schema checks (DP0xx) are defined in code next to the loader and
the schema check; the rule engine adds the rules of the bundled rulesets.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from dataplan_lint.core.findings import Severity


@dataclass(frozen=True, slots=True)
class RuleMeta:
    id: str
    slug: str
    gate: int
    family: str
    severity: Severity
    summary: str
    description: str = ""
    reference: str = ""  # "page.md#anchor" under references/


def builtin_rules() -> list[RuleMeta]:
    from dataplan_lint.files.loader import LOADER_RULES
    from dataplan_lint.schema.check import SCHEMA_RULES

    rules = [
        RuleMeta(
            rule_id, slug, 0, "file", Severity.ERROR, summary, reference=f"plan-format.md#{slug}"
        )
        for rule_id, (slug, summary) in LOADER_RULES.items()
    ]
    rules += [
        RuleMeta(
            rule_id, slug, 0, "schema", Severity.ERROR, summary, reference=f"plan-format.md#{slug}"
        )
        for rule_id, (slug, summary) in SCHEMA_RULES.items()
    ]
    from dataplan_lint.pipeline.suppression import SUPPRESSION_RULES

    rules += [
        RuleMeta(
            rule_id,
            slug,
            0,
            "file",
            Severity.WARNING,
            summary,
            reference=f"configuration.md#{slug}",
        )
        for rule_id, (slug, summary) in SUPPRESSION_RULES.items()
    ]
    rules.append(
        RuleMeta(
            "DP099",
            "internal-error",
            0,
            "file",
            Severity.ERROR,
            "A check crashed on this file; the file was not fully checked.",
            reference="plan-format.md#internal-error",
        )
    )
    return rules


def ruleset_rules() -> list[RuleMeta]:
    """The rules of the bundled rulesets in rules/ (reads their descriptions)."""
    from dataplan_lint.engine.rulesets import bundled, documents

    docs = documents()
    return [
        RuleMeta(
            rule.id,
            rule.slug,
            rule.gate,
            rule.family,
            rule.severity,
            rule.summary,
            description=docs[rule.id].description if rule.id in docs else "",
            reference=rule.reference,
        )
        for rule in bundled().rules
    ]


def _id_order(rule: RuleMeta) -> tuple[str, int]:
    prefix = rule.id.rstrip("0123456789")
    digits = rule.id[len(prefix) :]
    return (prefix, int(digits) if digits else 0)


@cache
def all_rules() -> tuple[RuleMeta, ...]:
    """Every rule: built-in checks and the bundled rulesets, in id order (DP101 < DP1001)."""
    return tuple(sorted(builtin_rules() + ruleset_rules(), key=_id_order))


def find(rule: str) -> RuleMeta | None:
    """Look a rule up by id (DP301) or slug (watermark-exceeds-freshness-slo)."""
    wanted = rule.strip()
    for meta in all_rules():
        if meta.id.upper() == wanted.upper() or meta.slug == wanted.lower():
            return meta
    return None
