"""`unique`: no two entries of a list share a value (or the value of `key` in each).

Reported at the second occurrence; template values: `name` (the repeated value) and
`first` (the line of the first occurrence).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.core.findings import Finding
from dataplan_lint.core.pointers import join
from dataplan_lint.engine.context import RuleContext


def unique(
    ctx: RuleContext, value: Any, pointer: str, options: Mapping[str, Any]
) -> Iterator[Finding]:
    if not isinstance(value, list):
        return
    key = options.get("key")
    seen: dict[Any, str] = {}
    for index, item in enumerate(value):
        if key is not None:
            if not isinstance(item, dict) or item.get(key) is None:
                continue
            name, where = item[key], join(join(pointer, index), key)
        else:
            name, where = item, join(pointer, index)
        if isinstance(name, list | dict):
            continue
        if name in seen:
            first = ctx.span(seen[name])
            yield ctx.report(where, name=name, first=first.start_line if first else "?")
        else:
            seen[name] = where
