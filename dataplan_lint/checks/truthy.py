"""`truthy`: the value exists and is not null, false, blank, zero or empty."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.checks._util import is_empty
from dataplan_lint.core.findings import Finding
from dataplan_lint.engine.context import RuleContext


def truthy(
    ctx: RuleContext, value: Any, pointer: str, options: Mapping[str, Any]
) -> Iterator[Finding]:
    if is_empty(value) or value is False or value == 0:
        yield ctx.report(pointer)
