"""`given` patterns: JSON pointers where `*` matches every list index or mapping key."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from dataplan_lint.core.pointers import exists, join, resolve, split

__all__ = ["exists", "match_all", "matches", "resolve"]


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


class _Trie:
    """`given` patterns merged by their common steps (see `match_all`)."""

    __slots__ = ("children", "ends", "star")

    def __init__(self) -> None:
        self.children: dict[str, _Trie] = {}
        self.star: _Trie | None = None
        self.ends: list[str] = []


@lru_cache(maxsize=64)
def _trie(patterns: tuple[str, ...]) -> _Trie:
    root = _Trie()
    for pattern in patterns:
        node = root
        for token in split(pattern):
            if token == "*":
                node.star = node.star or _Trie()
                node = node.star
            else:
                node = node.children.setdefault(token, _Trie())
        if pattern not in node.ends:
            node.ends.append(pattern)
    return root


def match_all(data: Any, patterns: tuple[str, ...]) -> dict[str, list[tuple[str, Any]]]:
    """`matches(data, pattern)` for every pattern, in one walk of `data`.

    Patterns that share steps (`/contracts/*/fields/*/name`, `/contracts/*/owner`) are
    followed together, so the plan is walked once however many patterns there are. Each
    pattern's matches are in document order, as `matches` gives them.
    """
    found: dict[str, list[tuple[str, Any]]] = {pattern: [] for pattern in patterns}
    _walk_all(data, "", _trie(patterns), found)
    return found


def _walk_all(
    value: Any, pointer: str, node: _Trie, found: dict[str, list[tuple[str, Any]]]
) -> None:
    for pattern in node.ends:
        found[pattern].append((pointer, value))
    children, star = node.children, node.star
    if isinstance(value, dict):
        if star is not None:
            for key, child in value.items():
                below = join(pointer, key)
                literal = children.get(key)
                if literal is not None:
                    _walk_all(child, below, literal, found)
                _walk_all(child, below, star, found)
        else:
            for key, literal in children.items():
                if key in value:
                    _walk_all(value[key], join(pointer, key), literal, found)
    elif isinstance(value, list):
        if star is not None:
            for index, child in enumerate(value):
                below = join(pointer, index)
                literal = children.get(str(index))
                if literal is not None:
                    _walk_all(child, below, literal, found)
                _walk_all(child, below, star, found)
        else:
            for key, literal in children.items():
                if key.isdigit() and int(key) < len(value):
                    _walk_all(value[int(key)], join(pointer, key), literal, found)
