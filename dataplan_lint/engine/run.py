"""Run the selected rules of the active configuration on one plan."""

from __future__ import annotations

import traceback
from collections.abc import Iterable
from time import perf_counter
from typing import Any

from dataplan_lint.core.findings import Finding, Severity
from dataplan_lint.core.pointers import build, split
from dataplan_lint.core.rules import INTERNAL_ERROR, builtin_finding
from dataplan_lint.core.settings import Settings
from dataplan_lint.engine.context import RuleContext
from dataplan_lint.engine.matching import match_all, matches, resolve
from dataplan_lint.engine.memo import PlanMemo
from dataplan_lint.engine.memo import active as active_memo
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
    memo = PlanMemo()  # shared by the rules on this plan, dropped with it
    rules = list(active)
    _match_given(plan.data, rules, memo)
    with active_memo(memo):
        for rule, severity in rules:
            start = perf_counter() if timings is not None else 0.0
            try:
                findings.extend(run_rule(rule, plan, settings, severity, memo))
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
    rule: Rule,
    plan: LoadedPlan,
    settings: Settings,
    severity: Severity | None = None,
    memo: PlanMemo | None = None,
) -> list[Finding]:
    from dataplan_lint.engine.registry import get
    from dataplan_lint.engine.when import holds

    ctx = RuleContext(plan, rule, settings, severity, memo)
    out: list[Finding] = []
    functions = [
        (get(call.function), call.options, build(split("/" + call.field)) if call.field else "")
        for call in rule.then
    ]
    data = plan.data
    for pattern in rule.given:
        # Rules share their `given` patterns ("/", "/contracts/*"): each is walked once
        # per plan, its matches kept in the plan's memo.
        for pointer, value in _matches(ctx, data, pattern):
            if rule.when and not holds(data, pointer, rule.when):
                continue
            for fn, options, below in functions:
                if below:
                    out.extend(fn(ctx, resolve(value, below), pointer + below, options))
                else:
                    out.extend(fn(ctx, value, pointer, options))
    return out


def _match_given(data: Any, rules: list[tuple[Rule, Severity | None]], memo: PlanMemo) -> None:
    """Every `given` pattern of the run's rules matched in one walk of the plan, into the
    memo where `run_rule` looks them up (patterns shared by rules are matched once)."""
    patterns = tuple(dict.fromkeys(pattern for rule, _ in rules for pattern in rule.given))
    for pattern, found in match_all(data, patterns).items():
        memo.put(("given", pattern), tuple(found))


def _matches(ctx: RuleContext, data: Any, pattern: str) -> tuple[tuple[str, Any], ...]:
    """The (pointer, value) pairs `pattern` selects, walked once per plan."""
    return ctx.memo(("given", pattern), lambda: tuple(matches(data, pattern)))


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
