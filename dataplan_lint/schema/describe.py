"""What the bundled schema says about one key: for the language server's hover.

The key is named by its JSON pointer in the plan; the schema is walked along it
(`properties`, `items`, `additionalProperties`, local `$ref`s). The exported editor
schema is used, so a quantity's description lists its accepted units.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from dataplan_lint.core.pointers import split

MAX_REFS = 32  # a `$ref` chain longer than this is a loop


@dataclass(frozen=True, slots=True)
class KeyHelp:
    """The schema's word on one key."""

    descriptions: tuple[str, ...]  # the key's own, then its value type's
    types: tuple[str, ...] = ()
    allowed: tuple[Any, ...] = ()  # `enum`, or the one `const`
    examples: tuple[Any, ...] = ()
    minimum: float | None = None
    maximum: float | None = None


@cache
def _schema() -> dict[str, Any]:
    from dataplan_lint.schema.editor import editor_schema

    return editor_schema()


def _target(root: dict[str, Any], ref: str) -> Any:
    if not ref.startswith("#"):
        return None
    node: Any = root
    for token in split(ref[1:]):
        if not isinstance(node, dict) or token not in node:
            return None
        node = node[token]
    return node


def _chain(root: dict[str, Any], node: Any) -> list[dict[str, Any]]:
    """`node` and the schemas its `$ref`s lead to, in order."""
    out: list[dict[str, Any]] = []
    while isinstance(node, dict) and len(out) < MAX_REFS:
        out.append(node)
        ref = node.get("$ref")
        node = _target(root, ref) if isinstance(ref, str) else None
    return out


def _child(root: dict[str, Any], node: Any, token: str) -> Any:
    for schema in _chain(root, node):
        properties = schema.get("properties")
        if isinstance(properties, dict) and token in properties:
            return properties[token]
        items = schema.get("items")
        if token.isdigit() and isinstance(items, dict):
            return items
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict) and not token.isdigit():
            return extra
    return None


def _first(chain: list[dict[str, Any]], key: str) -> Any:
    return next((schema[key] for schema in chain if key in schema), None)


def key_help(pointer: str) -> KeyHelp | None:
    """What the schema says about the key at `pointer` (None when it defines no such key)."""
    root = _schema()
    node: Any = root
    for token in split(pointer):
        node = _child(root, node, token)
        if node is None:
            return None
    chain = _chain(root, node)
    descriptions: list[str] = []
    for schema in chain:
        text = schema.get("description")
        if isinstance(text, str) and text.strip() and text not in descriptions:
            descriptions.append(text.strip())
    kind = _first(chain, "type")
    types = tuple(kind) if isinstance(kind, list) else (kind,) if isinstance(kind, str) else ()
    enum = _first(chain, "enum")
    const = _first(chain, "const")
    allowed = tuple(enum) if isinstance(enum, list) else (const,) if const is not None else ()
    examples = _first(chain, "examples")
    minimum, maximum = _first(chain, "minimum"), _first(chain, "maximum")
    return KeyHelp(
        descriptions=tuple(descriptions),
        types=types,
        allowed=allowed,
        examples=tuple(examples) if isinstance(examples, list) else (),
        minimum=minimum if isinstance(minimum, int | float) else None,
        maximum=maximum if isinstance(maximum, int | float) else None,
    )
