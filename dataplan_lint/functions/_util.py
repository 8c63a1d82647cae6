"""Small helpers shared by the built-in functions."""

from __future__ import annotations

from typing import Any

from dataplan_lint.pointers import split


def is_empty(value: Any) -> bool:
    """Absent, null, blank text, or an empty list/mapping."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | dict | tuple):
        return len(value) == 0
    return False


def relative(pointer: str, path: str) -> str:
    """Resolve `path` against `pointer`: absolute (`/a/b`) or relative (`../b`, `b`)."""
    if path.startswith("/") or path == "":
        return path
    tokens = split(pointer)
    for part in path.split("/"):
        if part == "..":
            if tokens:
                tokens.pop()
        elif part and part != ".":
            tokens.append(part)
    return "".join("/" + token.replace("~", "~0").replace("/", "~1") for token in tokens)
