"""`owner-set`: an owner is given and is not a placeholder (TBD, TODO, unknown, <owner>, ?).

Options: `placeholders` - extra words treated as placeholders.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.checks.domain.concrete import placeholder
from dataplan_lint.core.findings import Finding
from dataplan_lint.engine.context import RuleContext


def is_placeholder(text: str, extra: frozenset[str] = frozenset()) -> bool:
    return text.strip().lower() in extra or placeholder(text) is not None


def owner_set(
    ctx: RuleContext, value: Any, pointer: str, options: Mapping[str, Any]
) -> Iterator[Finding]:
    extra = frozenset(str(word).lower() for word in options.get("placeholders", ()))
    if value is None:
        yield ctx.report(pointer, owner="(none)", problem="is missing")
    elif isinstance(value, str) and is_placeholder(value, extra):
        yield ctx.report(pointer, owner=value, problem=f"is the placeholder {value!r}")
