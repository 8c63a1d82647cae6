"""`count-at-least`: a list has at least `min` entries (optionally only those matching `where`).

Options: `min` (default 1), `where` - a mapping of key -> value (or list of accepted
values) an entry must have to count. Template values: `count`, `min`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.core.findings import Finding
from dataplan_lint.engine.context import RuleContext


def _fits(item: Any, where: Mapping[str, Any]) -> bool:
    if not isinstance(item, dict):
        return False
    for key, wanted in where.items():
        accepted = wanted if isinstance(wanted, list) else [wanted]
        if item.get(key) not in accepted:
            return False
    return True


def count_at_least(
    ctx: RuleContext, value: Any, pointer: str, options: Mapping[str, Any]
) -> Iterator[Finding]:
    minimum = int(options.get("min", 1))
    items = value if isinstance(value, list) else []
    where = options.get("where")
    count = sum(1 for item in items if _fits(item, where)) if where else len(items)
    if count < minimum:
        yield ctx.report(pointer, count=count, min=minimum)
