"""`referenced`: the value (a name) is used somewhere else, the inverse of `reference-exists`.

Options: `by` - a pattern (or a list) whose values are names or lists of names, for
example `/modeling/layers/*/reads_from`. Reports names nobody refers to, at the name.
Template values: `name`, `by`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.core.findings import Finding
from dataplan_lint.core.pointers import display
from dataplan_lint.engine.context import RuleContext


def referenced(
    ctx: RuleContext, value: Any, pointer: str, options: Mapping[str, Any]
) -> Iterator[Finding]:
    if not isinstance(value, str):
        return
    patterns = options["by"]
    if isinstance(patterns, str):
        patterns = [patterns]
    used = ctx.memo(("referenced", tuple(patterns)), lambda: _names_used(ctx, patterns))
    if value not in used:
        by = " or ".join(display(p).replace(".*", "[]").replace("[*]", "[]") for p in patterns)
        yield ctx.report(pointer, name=value, by=by)


def _names_used(ctx: RuleContext, patterns: list[str]) -> frozenset[str]:
    used: set[str] = set()
    for pattern in patterns:
        for found in ctx.values(pattern):
            if isinstance(found, list):
                used.update(str(item) for item in found)
            elif found is not None:
                used.add(str(found))
    return frozenset(used)
