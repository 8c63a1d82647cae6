"""`given` patterns: JSON pointers where `*` matches every list index or mapping key."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dataplan_lint.core.pointers import exists, join, resolve, split

__all__ = ["exists", "matches", "resolve"]


def matches(data: Any, pattern: str) -> Iterator[tuple[str, Any]]:
    """Every (pointer, value) in `data` that `pattern` selects, in document order."""
    yield from _walk(data, "", split(pattern))


def _walk(value: Any, pointer: str, tokens: list[str]) -> Iterator[tuple[str, Any]]:
    if not tokens:
        yield pointer, value
        return
    head, rest = tokens[0], tokens[1:]
    if head == "*":
        if isinstance(value, dict):
            for key, child in value.items():
                yield from _walk(child, join(pointer, key), rest)
        elif isinstance(value, list):
            for index, child in enumerate(value):
                yield from _walk(child, join(pointer, index), rest)
        return
    if isinstance(value, dict):
        if head in value:
            yield from _walk(value[head], join(pointer, head), rest)
    elif isinstance(value, list) and head.isdigit() and int(head) < len(value):
        yield from _walk(value[int(head)], join(pointer, head), rest)
