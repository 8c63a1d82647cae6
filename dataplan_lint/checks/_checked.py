"""Rule functions that report one check's share of a whole-plan analysis.

The compatibility analysis and the dbt cross-check each run once per plan and run and
tag every issue with the check it belongs to; each rule function reports its own
check's issues at the issue's pointer, with its related locations and message values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Protocol

from dataplan_lint.core.findings import Finding, Related
from dataplan_lint.core.settings import Settings
from dataplan_lint.engine.context import RuleContext
from dataplan_lint.engine.registry import RuleFunction, function
from dataplan_lint.files.loader import LoadedPlan


class CheckIssue(Protocol):
    @property
    def check(self) -> str: ...
    @property
    def pointer(self) -> str: ...
    @property
    def values(self) -> dict[str, Any]: ...
    @property
    def related(self) -> tuple[Related, ...]: ...
    @property
    def at_key(self) -> bool: ...


Analyse = Callable[[LoadedPlan, Settings], Iterable[CheckIssue]]


def register_checks(prefix: str, checks: Iterable[str], analyse: Callable[[], Analyse]) -> None:
    """Register `<prefix>-<check>` for each check; `analyse()` imports the analysis lazily."""

    def make(check: str) -> RuleFunction:
        def run(
            ctx: RuleContext, value: Any, pointer: str, options: Mapping[str, Any]
        ) -> Iterator[Finding]:
            for issue in analyse()(ctx.plan, ctx.settings):
                if issue.check == check:
                    yield ctx.report(
                        issue.pointer,
                        at_key=issue.at_key,
                        related=issue.related,
                        # An analysis may offer edits that repair the issue (optional).
                        fix_edits=getattr(issue, "fix", ()),
                        **issue.values,
                    )

        run.__name__ = f"{prefix}_{check.replace('-', '_')}"
        run.__doc__ = f"Report the `{check}` issues of the {prefix} analysis."
        return run

    for check in checks:
        function(f"{prefix}-{check}")(make(check))
