"""`non-empty`: a list, mapping or text that has content.

Options: `min` (default 1) - the fewest entries a list or mapping needs.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.checks._util import is_empty
from dataplan_lint.core.findings import Finding
from dataplan_lint.engine.context import RuleContext


def non_empty(
    ctx: RuleContext, value: Any, pointer: str, options: Mapping[str, Any]
) -> Iterator[Finding]:
    minimum = int(options.get("min", 1))
    if is_empty(value):
        yield ctx.report(pointer, count=0, min=minimum)
    elif isinstance(value, list | dict) and len(value) < minimum:
        yield ctx.report(pointer, count=len(value), min=minimum)
