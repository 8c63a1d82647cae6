"""Metadata of every rule the tool can report, for `rules`, `explain` and SARIF.

The built-in file and schema checks (DP0xx) are defined in code next to the loader and
the schema check; the rule engine adds the rules of the bundled rulesets.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from dataplan_lint.findings import Severity


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
    from dataplan_lint.loader import LOADER_RULES
    from dataplan_lint.schema_check import SCHEMA_RULES

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


@cache
def all_rules() -> tuple[RuleMeta, ...]:
    """Every rule, sorted by id. The rule engine extends this with the bundled rulesets."""
    return tuple(sorted(builtin_rules(), key=lambda rule: rule.id))


def find(rule: str) -> RuleMeta | None:
    """Look a rule up by id (DP301) or slug (watermark-exceeds-freshness-slo)."""
    wanted = rule.strip()
    for meta in all_rules():
        if meta.id.upper() == wanted.upper() or meta.slug == wanted.lower():
            return meta
    return None
