"""Avro's name grammar (specification, "Names"), checked with the place of each name.

A name part starts with a letter or `_` and continues with letters, digits or `_`
(ASCII); a full name or namespace is parts joined by dots; record fields, enum symbols
and field aliases are single parts. fastavro accepts names outside the grammar (an enum
named `2d2`) that other Avro implementations reject, so a schema that passes here is one
every reader can load.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dataplan_lint.compat.sources import Document, SchemaFileError

_NAMED = ("record", "error", "enum", "fixed")
_GRAMMAR = "a name starts with a letter or `_` and goes on with letters, digits or `_`"


def _is_part(part: str) -> bool:
    first = part[:1]
    return (
        bool(first)
        and first.isascii()
        and (first.isalpha() or first == "_")
        and all(c.isascii() and (c.isalnum() or c == "_") for c in part)
    )


def _is_dotted(name: str) -> bool:
    return all(_is_part(part) for part in name.split("."))


def check_names(document: Document) -> None:
    """Raise SchemaFileError at the first name that breaks the grammar."""
    _walk(document, document.data, "")


def _refuse(document: Document, pointer: str, what: str, name: str) -> None:
    raise SchemaFileError.at(
        f"invalid Avro schema: {what} `{name}` is not a valid Avro name ({_GRAMMAR}; "
        "full names and namespaces join such names with dots)",
        document.span(pointer),
        fix="rename it to a valid Avro name",
    )


def _walk(document: Document, schema: Any, pointer: str) -> None:
    if isinstance(schema, list):
        for index, member in enumerate(schema):
            _walk(document, member, f"{pointer}/{index}")
        return
    if not isinstance(schema, Mapping):
        return
    kind = schema.get("type")
    if kind in _NAMED:
        name = schema.get("name")
        if isinstance(name, str) and not _is_dotted(name):
            _refuse(document, f"{pointer}/name", f"the {kind} name", name)
        namespace = schema.get("namespace")
        if isinstance(namespace, str) and namespace and not _is_dotted(namespace):
            _refuse(document, f"{pointer}/namespace", "the namespace", namespace)
        _aliases(document, schema, pointer, _is_dotted)
    if kind == "enum" and isinstance(schema.get("symbols"), list):
        for index, symbol in enumerate(schema["symbols"]):
            if isinstance(symbol, str) and not _is_part(symbol):
                _refuse(document, f"{pointer}/symbols/{index}", "the enum symbol", symbol)
    if kind in ("record", "error") and isinstance(schema.get("fields"), list):
        for index, item in enumerate(schema["fields"]):
            if not isinstance(item, Mapping):
                continue
            where = f"{pointer}/fields/{index}"
            name = item.get("name")
            if isinstance(name, str) and not _is_part(name):
                _refuse(document, f"{where}/name", "the field name", name)
            _aliases(document, item, where, _is_part)
            _walk(document, item.get("type"), f"{where}/type")
    for key in ("items", "values"):
        if key in schema:
            _walk(document, schema[key], f"{pointer}/{key}")
    if isinstance(kind, (Mapping, list)):
        _walk(document, kind, f"{pointer}/type")


def _aliases(document: Document, holder: Mapping[str, Any], pointer: str, valid: Any) -> None:
    aliases = holder.get("aliases")
    if isinstance(aliases, list):
        for index, alias in enumerate(aliases):
            if isinstance(alias, str) and not valid(alias):
                _refuse(document, f"{pointer}/aliases/{index}", "the alias", alias)
