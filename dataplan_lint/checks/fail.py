"""`fail`: report every match. For rules whose `when` conditions say it all.

Example: `when: {kind: schedule, schedule: {exists: false}}` with `then: {field:
schedule, function: fail}` reports a scheduled trigger that has no schedule.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.core.findings import Finding
from dataplan_lint.engine.context import RuleContext


def fail(
    ctx: RuleContext, value: Any, pointer: str, options: Mapping[str, Any]
) -> Iterator[Finding]:
    yield ctx.report(pointer, at_key=bool(options.get("at-key", False)))
