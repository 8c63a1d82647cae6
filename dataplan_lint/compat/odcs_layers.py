"""Validate an ODCS document against its JSON Schema one nesting level at a time.

The ODCS schema checks a property through `allOf`/`if` branches and
`unevaluatedProperties`, and jsonschema evaluates a nested property's subschema again for
each of those: validating a whole document costs a constant factor per nesting level,
so twenty nested objects take minutes. Here every schema object and property is
validated on its own, with its nested `properties` and `items` replaced by placeholders
that the schema accepts, and the nested ones are validated in turn: the work grows with
the number of properties, not exponentially with their depth. Errors keep their place in
the whole document (`absolute_path` from its top).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any

_OBJECT = "SchemaObject"
_PROPERTY = "SchemaProperty"
_ITEM = "SchemaItemProperty"
_PLACEHOLDER = {"name": "placeholder"}  # valid as a schema object and as a property


@cache
def schema_for(name: str) -> dict[str, Any]:
    """The vendored ODCS JSON Schema file `name`."""
    import json

    from dataplan_lint.core.resources import schemas_dir
    from dataplan_lint.files.reader import read_package_file

    loaded: dict[str, Any] = json.loads(read_package_file(schemas_dir() / "odcs" / name))
    return loaded


@cache
def whole_validator(name: str) -> Any:
    from jsonschema import Draft201909Validator

    return Draft201909Validator(schema_for(name))


@cache
def _part_validator(name: str, definition: str) -> Any:
    """A validator for one definition of the schema file `name` (its $defs kept)."""
    from jsonschema import Draft201909Validator

    whole = schema_for(name)
    part = {
        "$schema": whole.get("$schema"),
        "$defs": whole.get("$defs", {}),
        "$ref": f"#/$defs/{definition}",
    }
    return Draft201909Validator(part)


def _strip(
    node: Mapping[str, Any], lists: Mapping[str, str]
) -> tuple[dict[str, Any], list[tuple[tuple[Any, ...], str, Any]]]:
    """`node` with its nested elements replaced by placeholders, and those elements
    (path below `node`, the definition that validates them, the element). `lists` names
    the keys holding lists of elements and their definition."""
    shallow = dict(node)
    nested: list[tuple[tuple[Any, ...], str, Any]] = []
    for key, kind in lists.items():
        elements = shallow.get(key)
        if not isinstance(elements, list):
            continue
        kept: list[Any] = []
        for index, item in enumerate(elements):
            if isinstance(item, Mapping):
                nested.append(((key, index), kind, item))
                kept.append(_PLACEHOLDER)
            else:
                kept.append(item)
        shallow[key] = kept
    items = shallow.get("items")
    if "properties" in lists and isinstance(items, Mapping):
        nested.append((("items",), _ITEM, items))
        shallow["items"] = {}
    return shallow, nested


def layered_errors(name: str, data: Mapping[str, Any]) -> Iterator[Any]:
    """Every schema error of `data` under the ODCS schema file `name`, each with its
    `absolute_path` from the top of the document."""
    top, pending = _strip(data, {"schema": _OBJECT})
    yield from whole_validator(name).iter_errors(top)
    while pending:
        prefix, kind, node = pending.pop()
        shallow, nested = _strip(node, {"properties": _PROPERTY})
        for error in _part_validator(name, kind).iter_errors(shallow):
            error.path.extendleft(reversed(prefix))
            yield error
        pending += [((*prefix, *path), child_kind, child) for path, child_kind, child in nested]
