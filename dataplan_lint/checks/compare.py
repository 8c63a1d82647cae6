"""`compare`: a value against another field or a constant, optionally as quantities.

Options:
- `op`: one of `<`, `<=`, `>`, `>=`, `==`, `!=` (the relation that must hold);
- `other`: a pointer to the other value, absolute (`/event_semantics/watermark/delay`)
  or relative to the checked value (`../retention`); or `value`: a constant;
- `kind`: a quantity kind (duration, size, count, event-rate, byte-rate, percent) both
  sides are parsed as; without it both must be numbers;
- `factor`: multiply the other side first (default 1).

Nothing is reported when either side is absent or malformed (the schema reports
malformed quantities). Template values: `left`, `right` (as written), `op`,
`other_path`.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from dataplan_lint.checks._util import relative
from dataplan_lint.core.findings import Finding
from dataplan_lint.core.pointers import display
from dataplan_lint.engine.context import RuleContext

OPERATORS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}


def as_number(raw: Any, kind: str | None) -> float | None:
    if raw is None or isinstance(raw, bool):
        return None
    if kind is None:
        from dataplan_lint.core.quantities import finite_figure

        return finite_figure(raw)
    from dataplan_lint.core.quantities import QuantityError, parse

    try:
        return parse(kind, raw).value
    except QuantityError:
        return None


def compare(
    ctx: RuleContext, value: Any, pointer: str, options: Mapping[str, Any]
) -> Iterator[Finding]:
    op = str(options.get("op", "<="))
    check = OPERATORS[op]
    kind = options.get("kind")
    left = as_number(value, kind)
    if "other" in options:
        other_pointer = relative(pointer, str(options["other"]))
        right_raw = ctx.get(other_pointer)
        other_path = display(other_pointer, ctx.data)
    else:
        right_raw = options.get("value")
        other_path = str(right_raw)
    right = as_number(right_raw, kind)
    if left is None or right is None:
        return
    right *= float(options.get("factor", 1))
    if not check(left, right):
        yield ctx.report(pointer, left=value, right=right_raw, op=op, other_path=other_path)
