"""Run the selected rules of the active configuration on one plan."""

from __future__ import annotations

import traceback
from collections.abc import Iterable, Iterator
from typing import Any

from dataplan_lint.engine.context import RuleContext
from dataplan_lint.engine.matching import matches, resolve
from dataplan_lint.engine.model import Rule
from dataplan_lint.findings import Finding, Severity, Span
from dataplan_lint.loader import LoadedPlan
from dataplan_lint.pointers import build, split
from dataplan_lint.settings import Settings

RULE_CRASH = "DP099"


def run_rules(plan: LoadedPlan, settings: Settings) -> list[Finding]:
    """Findings of every active rule; a crashing rule becomes a DP099 finding naming it."""
    from dataplan_lint.config import config_of

    config = config_of(settings)
    if "tolerance" not in settings.options:
        settings.options["tolerance"] = config.tolerance
    findings: list[Finding] = []
    for rule, severity in config.active_rules():
        try:
            findings.extend(run_rule(rule, plan, settings, severity))
        except Exception as exc:  # one broken rule must not hide the others' findings
            findings.append(rule_crash(plan.path, rule, exc))
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


def rule_crash(path: str, rule: Rule, exc: BaseException) -> Finding:
    frames = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
    origin = f" at {frames[0].filename.rsplit('/', 1)[-1]}:{frames[0].lineno}" if frames else ""
    return Finding(
        rule_id=RULE_CRASH,
        severity=Severity.ERROR,
        message=(
            f"internal error in rule {rule.id} ({rule.slug}): {type(exc).__name__}: {exc}"
            f"{origin}; the rule was skipped for this file (please report this)"
        ),
        path=path,
        span=Span.point(1, 1),
        slug="internal-error",
        gate=0,
        family="file",
        data=(("rule", rule.id),),
    )
