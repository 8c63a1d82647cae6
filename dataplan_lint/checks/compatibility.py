"""Gate 7 compatibility: the `compatibility-*` rule functions.

The analysis (`dataplan_lint.compat.analysis`) runs once per plan and run; each rule
function reports the issues of its own check. Rules using these functions have
`given: ""` (the whole plan): one plan holds many contracts, and the base comparison
needs the whole file. With `--base REF` the base plan is read from git inside the
analysis (`settings.options["base"]`), cached for the run.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.compat.analysis import CHECKS, analyse
from dataplan_lint.core.findings import Finding
from dataplan_lint.engine.context import RuleContext
from dataplan_lint.engine.registry import RuleFunction, function


def _make(check: str) -> RuleFunction:
    def run(
        ctx: RuleContext, value: Any, pointer: str, options: Mapping[str, Any]
    ) -> Iterator[Finding]:
        for issue in analyse(ctx.plan, ctx.settings):
            if issue.check == check:
                yield ctx.report(
                    issue.pointer, at_key=issue.at_key, related=issue.related, **issue.values
                )

    run.__name__ = f"compatibility_{check.replace('-', '_')}"
    run.__doc__ = f"Report the `{check}` issues of the compatibility analysis."
    return run


for _check in CHECKS:
    function(f"compatibility-{_check}")(_make(_check))
