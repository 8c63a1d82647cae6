"""`enum`: the value is one of `values` (and, with `not`, none of those).

Absent values are not reported. Template values: `allowed` (the list as text).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.core.findings import Finding
from dataplan_lint.engine.context import RuleContext


def enum(
    ctx: RuleContext, value: Any, pointer: str, options: Mapping[str, Any]
) -> Iterator[Finding]:
    if value is None:
        return
    allowed = options.get("values")
    if allowed is not None and value not in allowed:
        yield ctx.report(pointer, allowed=", ".join(str(item) for item in allowed))
        return
    forbidden = options.get("not")
    if forbidden is not None and value in forbidden:
        yield ctx.report(pointer, allowed="anything but " + ", ".join(map(str, forbidden)))
