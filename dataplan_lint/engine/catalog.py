"""Every rule the tool can report, for `rules`, `explain`, SARIF and suppressions.

The built-in checks (DP0xx) come from `core.rules`; the rule engine adds the rules of
the bundled rulesets (with their long descriptions, read only here).
"""

from __future__ import annotations

import dataclasses
from functools import cache
from typing import Any

from dataplan_lint.core.rules import BUILTIN_RULES, RuleMeta, find_rule

__all__ = [
    "RuleMeta",
    "all_rules",
    "builtin_rules",
    "describe",
    "find",
    "rule_summaries",
    "ruleset_rules",
]


def builtin_rules() -> list[RuleMeta]:
    return list(BUILTIN_RULES.values())


def ruleset_rules() -> list[RuleMeta]:
    """The rules of the bundled rulesets in rules/ (reads their descriptions)."""
    return [describe(rule.meta) for rule in _bundled_rules()]


def _bundled_rules() -> list[Any]:
    from dataplan_lint.engine.rulesets import bundled

    return list(bundled().rules)


@cache
def _documents() -> dict[str, Any]:
    from dataplan_lint.engine.rulesets import documents

    return documents()


@cache
def _check_documents() -> dict[str, Any]:
    from dataplan_lint.engine.rulesets import check_documents

    return check_documents()


def describe(rule: RuleMeta) -> RuleMeta:
    """`rule` with its long description from rules/ (parsing the YAML the first time;
    for a check written in code, only its own small file)."""
    if rule.description:
        return rule
    docs = _check_documents() if rule.id in BUILTIN_RULES else _documents()
    doc = docs.get(rule.id)
    return dataclasses.replace(rule, description=doc.description) if doc else rule


def _id_order(rule: RuleMeta) -> tuple[str, int]:
    prefix = rule.id.rstrip("0123456789")
    digits = rule.id[len(prefix) :]
    return (prefix, int(digits) if digits else 0)


@cache
def all_rules() -> tuple[RuleMeta, ...]:
    """Every rule: built-in checks and the bundled rulesets, in id order (DP101 < DP1001)."""
    return tuple(sorted(builtin_rules() + ruleset_rules(), key=_id_order))


@cache
def rule_summaries() -> tuple[RuleMeta, ...]:
    """Every rule without the long descriptions (no YAML parsed): what reports need
    until they describe a rule, when `describe` adds its description."""
    rules = builtin_rules() + [rule.meta for rule in _bundled_rules()]
    return tuple(sorted(rules, key=_id_order))


def find(rule: str) -> RuleMeta | None:
    """Look a rule up by id (DP301) or slug (watermark-exceeds-freshness-slo)."""
    return find_rule(all_rules(), rule)
