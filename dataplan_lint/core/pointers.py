"""JSON pointers (RFC 6901): the address of every element of a plan."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

_MISSING = object()


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def join(pointer: str, token: str | int) -> str:
    text = str(token)
    if "~" in text or "/" in text:
        text = escape(text)
    return f"{pointer}/{text}"


def build(tokens: Iterable[str | int]) -> str:
    return "".join(f"/{escape(str(token))}" for token in tokens)


def split(pointer: str) -> list[str]:
    if not pointer:
        return []
    tokens = pointer[1:].split("/")
    if "~" not in pointer:  # nearly every pointer: nothing to unescape
        return tokens
    return [unescape(token) for token in tokens]


NAME_KEYS = ("id", "name", "stage")


def display(pointer: str, data: Any = None) -> str:
    """Render a pointer the way people read plan paths: `sources[0].owner`.

    With the plan `data`, a list item that has an id or name is named by it
    (`alerts[consumer-lag].runbook`, `risks[R-2]`): indexes shift as lists are edited,
    names are what reviewers search for.
    """
    out = ""
    node = data
    for token in split(pointer):
        if token.isdigit():
            out += f"[{_item_name(node, int(token)) or token}]"
        else:
            out += f".{token}" if out else token
        node = _child(node, token)
    return out or "(document root)"


def _item_name(node: Any, index: int) -> str | None:
    if not isinstance(node, list) or index >= len(node) or not isinstance(node[index], Mapping):
        return None
    for key in NAME_KEYS:
        name = node[index].get(key)
        if isinstance(name, str) and name.strip() and len(name) <= 60 and "]" not in name:
            return name.strip()
    return None


def _child(node: Any, token: str) -> Any:
    if isinstance(node, Mapping):
        return node.get(token)
    if isinstance(node, list) and token.isdigit() and int(token) < len(node):
        return node[int(token)]
    return None


def resolve(data: Any, pointer: str, default: Any = None) -> Any:
    """The value at `pointer` in `data`, or `default` when any step is missing."""
    value = data
    for token in split(pointer):
        if isinstance(value, Mapping):
            value = value.get(token, _MISSING)
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            return default
        if value is _MISSING:
            return default
    return value


def exists(data: Any, pointer: str) -> bool:
    return resolve(data, pointer, _MISSING) is not _MISSING


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
    return build(tokens)
