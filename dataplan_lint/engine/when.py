"""`when`: conditions a `given` match must meet before the rule's functions run.

A mapping of path -> condition, all of which must hold. A path is relative to the match
(`corrections/how`) or absolute (`/ingestion/pattern`) and may contain `*`; then the
condition holds when it holds for any of the values found (`not` and `exists: false`:
for none of them). A condition is:

- a value: some value found equals it;  a list: some value found is in it;
- a mapping of operators, all of which must hold: `in` (list), `not` (value or list),
  `exists` (true/false: a non-null value is / is not found), `gt`, `ge`, `lt`, `le`
  (numbers).
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from typing import Any

from dataplan_lint.core.pointers import relative
from dataplan_lint.engine.matching import matches

OPERATORS = ("in", "not", "exists", "gt", "ge", "lt", "le")
_COMPARE = {
    "gt": operator.gt,
    "ge": operator.ge,
    "lt": operator.lt,
    "le": operator.le,
}


class WhenError(ValueError):
    pass


def validate(when: Mapping[str, Any]) -> None:
    for path, condition in when.items():
        if not isinstance(path, str):
            raise WhenError(f"path {path!r} must be text")
        if isinstance(condition, dict):
            for op, operand in condition.items():
                if op not in OPERATORS:
                    raise WhenError(f"{path}: unknown operator {op!r} (use {', '.join(OPERATORS)})")
                if op in ("gt", "ge", "lt", "le") and (
                    isinstance(operand, bool) or not isinstance(operand, int | float)
                ):
                    raise WhenError(f"{path}: `{op}` needs a number")
                if op == "exists" and not isinstance(operand, bool):
                    raise WhenError(f"{path}: `exists` is true or false")


def _same(value: Any, option: Any) -> bool:
    """Equal and of the same kind (so `true` does not match 1); numbers compare by value."""
    if _number(value) is not None and _number(option) is not None:
        return bool(value == option)
    return type(value) is type(option) and bool(value == option)


def _is_in(value: Any, wanted: Any) -> bool:
    options = wanted if isinstance(wanted, list) else [wanted]
    return any(_same(value, option) for option in options)


def _number(value: Any) -> int | float | None:
    """A number to compare, as it is: an int and a float compare exactly in Python, while
    float() of a 400-digit integer raises."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def _check(values: list[Any], condition: Any) -> bool:
    present = [value for value in values if value is not None]
    if not isinstance(condition, dict):
        return any(_is_in(value, condition) for value in values)
    for op, operand in condition.items():
        if op == "in" and not any(_is_in(value, operand) for value in values):
            return False
        if op == "not" and any(_is_in(value, operand) for value in values):
            return False
        if op == "exists" and bool(present) != operand:
            return False
        if op in ("gt", "ge", "lt", "le"):
            numbers = [n for n in map(_number, present) if n is not None]
            if not any(_COMPARE[op](n, float(operand)) for n in numbers):
                return False
    return True


def holds(data: Any, pointer: str, when: Mapping[str, Any]) -> bool:
    for path, condition in when.items():
        values = [value for _, value in matches(data, relative(pointer, path))]
        if not _check(values, condition):
            return False
    return True
