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
    return f"{pointer}/{escape(str(token))}"


def build(tokens: Iterable[str | int]) -> str:
    return "".join(f"/{escape(str(token))}" for token in tokens)


def split(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [unescape(token) for token in pointer[1:].split("/")]


def display(pointer: str) -> str:
    """Render a pointer the way people read plan paths: `sources[0].owner`."""
    out = ""
    for token in split(pointer):
        if token.isdigit():
            out += f"[{token}]"
        else:
            out += f".{token}" if out else token
    return out or "(document root)"


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
