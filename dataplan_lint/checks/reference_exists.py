"""`reference-exists`: a name (or each name of a list) names an element elsewhere.

Options: `in` - a `given`-style pattern (or a list of them) whose values are the valid
names, for example `/contracts/*/name`. Template values: `name` (the missing name),
`target` (where it was looked for), `hint` (core.words.did_you_mean's hint, or ""). A name with
one clear candidate is fixed to it (for rules that declare `fix`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.core.findings import Edit, Finding
from dataplan_lint.core.pointers import display, join
from dataplan_lint.core.words import did_you_mean, sole_candidate
from dataplan_lint.engine.context import RuleContext


def collect(ctx: RuleContext, patterns: Any) -> frozenset[str]:
    """The valid names: every non-null value the `in` patterns select."""
    if isinstance(patterns, str):
        patterns = [patterns]
    return frozenset(
        str(value) for pattern in patterns for value in ctx.values(pattern) if value is not None
    )


def _target(patterns: Any) -> str:
    if isinstance(patterns, str):
        patterns = [patterns]
    return " or ".join(display(p).replace("[*]", "[]").replace(".*", "[]") for p in patterns)


def reference_exists(
    ctx: RuleContext, value: Any, pointer: str, options: Mapping[str, Any]
) -> Iterator[Finding]:
    if value is None:
        return
    patterns = options["in"]
    names = ctx.memo(("reference-exists", str(patterns)), lambda: collect(ctx, patterns))
    items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
    for index, name in items:
        if isinstance(name, str) and name not in names:
            where = pointer if index is None else join(pointer, index)
            candidate = sole_candidate(name, names)
            yield ctx.report(
                where,
                name=name,
                target=_target(options["in"]),
                hint=did_you_mean(name, sorted(names)),
                fix_edits=(Edit(where, candidate),) if candidate else (),
            )
