"""Run the selected rules of the active configuration on one plan."""

from __future__ import annotations

import traceback
from collections.abc import Iterable, Iterator
from time import perf_counter
from typing import Any

from dataplan_lint.core.findings import Finding, Severity
from dataplan_lint.core.pointers import build, split
from dataplan_lint.core.rules import INTERNAL_ERROR, builtin_finding
from dataplan_lint.core.settings import Settings
from dataplan_lint.engine.context import RuleContext
from dataplan_lint.engine.matching import matches, resolve
from dataplan_lint.engine.model import Rule
from dataplan_lint.files.loader import LoadedPlan


def run_rules(
    plan: LoadedPlan,
    settings: Settings,
    active: Iterable[tuple[Rule, Severity | None]],
    timings: dict[str, float] | None = None,
) -> list[Finding]:
    """Findings of the `active` rules (each with its effective severity, or None for the
    rule's own); a crashing rule becomes a DP099 finding naming it. With `timings`, each
    rule's time is added there as `rule:<id><tab><ruleset file>` (`check --timings`)."""
    findings: list[Finding] = []
    schema_valid: bool | None = None
    for rule, severity in active:
        start = perf_counter() if timings is not None else 0.0
        try:
            findings.extend(run_rule(rule, plan, settings, severity))
        except Exception as exc:  # one broken rule must not hide the others' findings
            if schema_valid is None:
                from dataplan_lint.schema.check import is_valid

                schema_valid = is_valid(plan.data)
            findings.append(rule_crash(plan.path, rule, exc, schema_valid=schema_valid))
        if timings is not None:
            key = f"rule:{rule.id}\t{rule.source}"
            timings[key] = timings.get(key, 0.0) + perf_counter() - start
    return findings


def run_rule(
    rule: Rule, plan: LoadedPlan, settings: Settings, severity: Severity | None = None
) -> list[Finding]:
    from dataplan_lint.engine.registry import get
    from dataplan_lint.engine.when import holds

    ctx = RuleContext(plan, rule, settings, severity)
    out: list[Finding] = []
    functions = [(call, get(call.function)) for call in rule.then]
    for pointer, value in _given(plan.data, rule.given):
        if rule.when and not holds(plan.data, pointer, rule.when):
            continue
        for call, fn in functions:
            target, target_value = pointer, value
            if call.field:
                target = pointer + build(split("/" + call.field))
                target_value = resolve(value, "/" + call.field)
            out.extend(fn(ctx, target_value, target, call.options))
    return out


def _given(data: Any, patterns: Iterable[str]) -> Iterator[tuple[str, Any]]:
    for pattern in patterns:
        yield from matches(data, pattern)


_SHAPE_ERRORS = (TypeError, AttributeError, ValueError, KeyError, IndexError)


def rule_crash(path: str, rule: Rule, exc: BaseException, *, schema_valid: bool = True) -> Finding:
    """DP099 for a rule that raised.

    Rules may assume the shapes the schema promises. On a plan with schema errors, a
    rule that trips over a wrong-typed value is not a bug to report: the finding says
    the rule could not run and points at the schema findings.
    """
    frames = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
    origin = f" at {frames[0].filename.rsplit('/', 1)[-1]}:{frames[0].lineno}" if frames else ""
    if not schema_valid and isinstance(exc, _SHAPE_ERRORS):
        message = (
            f"rule {rule.id} ({rule.slug}) could not run: a value it reads does not have "
            "the shape the schema requires (see the schema findings for this file); it "
            "runs again once they are fixed"
        )
    else:
        message = (
            f"internal error in rule {rule.id} ({rule.slug}): {type(exc).__name__}: {exc}"
            f"{origin}; the rule was skipped for this file (please report this)"
        )
    return builtin_finding(INTERNAL_ERROR, message, path, data=(("rule", rule.id),))
