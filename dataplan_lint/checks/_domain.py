"""Adapter from the pure domain checks (`dataplan_lint.checks.domain`) to rule functions.

Each topic module here calls `register(prefix, CHECKS)`, which registers every check of
a domain module as the rule function `<prefix>-<check name>`. The function runs the
check on the whole plan (rules using it have `given: ""`) with the rule's own options
(and, for a `WithSettings` check, the run's settings: the configuration's `tolerance`
reaches the capacity checks as `settings.tolerance`), and turns each `Issue` into a
finding of the rule.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.checks.domain import Check, WithSettings
from dataplan_lint.core.findings import Finding, Related
from dataplan_lint.engine.context import RuleContext
from dataplan_lint.engine.registry import RuleFunction, function


def adapt(check: Check) -> RuleFunction:
    def run(
        ctx: RuleContext, value: Any, pointer: str, options: Mapping[str, Any]
    ) -> Iterator[Finding]:
        if isinstance(check, WithSettings):
            issues = check.check(ctx.data, options, ctx.settings)
        else:
            issues = check(ctx.data, options)
        for issue in issues:
            related = tuple(
                Related(ctx.plan.path, ctx.span(where), message) for where, message in issue.related
            )
            yield ctx.report(
                issue.pointer,
                at_key=issue.at_key,
                related=related,
                fix_edits=issue.fix,
                **issue.values,
            )

    named = check.check if isinstance(check, WithSettings) else check
    run.__doc__ = named.__doc__
    run.__name__ = getattr(named, "__name__", "check")
    return run


def register(prefix: str, checks: Mapping[str, Check]) -> None:
    for name, check in checks.items():
        function(f"{prefix}-{name}")(adapt(check))
