"""JSON pointers (RFC 6901): the address of every element of a plan."""

from __future__ import annotations

from collections.abc import Iterable


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
