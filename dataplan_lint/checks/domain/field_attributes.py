"""Gate 7: a field's own attributes agree with each other.

Readers fill a missing field with its default, so a `default: null` on a field that may
not be null (no `nullable: true`, or a `not_null` constraint) hands every old record a
value the contract forbids: Avro rejects such a schema, a table rejects the row. A
decimal keeps `scale` of its `precision` digits after the point, so a scale above the
precision describes no number at all. Every inline field is walked - nested records,
array items, map values and the versions kept in `history`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.checks.domain import Issue
from dataplan_lint.checks.domain import plan as p

MAX_DEPTH = 32  # the loader bounds nesting; this keeps a hostile plan's walk short too


def _fields(pointer: str, fields: Any, depth: int = 0) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(pointer, field) for each field below `pointer`, nested ones included."""
    if depth > MAX_DEPTH or not isinstance(fields, list):
        return
    for index, field in enumerate(fields):
        if not isinstance(field, Mapping):
            continue
        here = f"{pointer}/{index}"
        yield here, field
        yield from _fields(f"{here}/fields", field.get("fields"), depth + 1)
        for key in ("items", "values"):
            element = field.get(key)
            if isinstance(element, Mapping):
                yield from _fields(f"{here}/{key}/fields", element.get("fields"), depth + 1)


def _contract_fields(data: Any) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
    for pointer, contract in p.items(data, "/contracts"):
        name = str(contract.get("name"))
        yield name, pointer, contract
        for step_pointer, step in p.items(data, f"{pointer}/history"):
            yield name, step_pointer, step


def null_default_not_nullable(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    for contract, pointer, holder in _contract_fields(data):
        for field_pointer, field in _fields(f"{pointer}/fields", holder.get("fields")):
            if "default" not in field or field.get("default") is not None:
                continue
            if field.get("type") == "null":
                continue
            constraints = field.get("constraints")
            not_null = isinstance(constraints, Mapping) and constraints.get("not_null") is True
            if field.get("nullable") is True and not not_null:
                continue
            reason = (
                "its `not_null` constraint forbids null"
                if not_null
                else "it is not `nullable: true`"
            )
            yield Issue(
                f"{field_pointer}/default",
                {"field": str(field.get("name")), "contract": contract, "reason": reason},
            )


def scale_within_precision(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    for contract, pointer, holder in _contract_fields(data):
        for field_pointer, field in _fields(f"{pointer}/fields", holder.get("fields")):
            precision = field.get("precision")
            scale = field.get("scale")
            if isinstance(precision, bool) or isinstance(scale, bool):
                continue
            if not isinstance(precision, int) or not isinstance(scale, int):
                continue
            if scale <= precision:
                continue
            yield Issue(
                f"{field_pointer}/scale",
                {
                    "field": str(field.get("name")),
                    "contract": contract,
                    "scale": str(scale),
                    "precision": str(precision),
                },
                related=((f"{field_pointer}/precision", "the precision"),),
            )
