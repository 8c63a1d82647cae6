"""Every row of the change x mode table (DOMAIN: schema evolution), for every mode and
its transitive variant, in each format whose field semantics the table describes.

A row gives the verdict for BACKWARD, FORWARD and FULL; the `_TRANSITIVE` form of a mode
gives the same verdict for a single step, and NONE allows everything. Transitivity over
several versions is tested separately below.
"""

from __future__ import annotations

from typing import Any

import pytest

from dataplan_lint.compat import diff as d
from dataplan_lint.compat.classify import MODES, breaks
from dataplan_lint.compat.diff import diff_schemas

from .helpers import expected_verdict, inline, verdicts

OK, BREAK = True, False

ID = {"name": "id", "type": "long", "required": True}


def opt(name: str, type_: str = "string", **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "type": type_,
        "required": False,
        "default": None,
        "nullable": True,
        **extra,
    }


def req(name: str, type_: str = "string", **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": type_, "required": True, **extra}


def enum(symbols: list[str], default: str | None = None) -> dict[str, Any]:
    field: dict[str, Any] = {"name": "status", "type": "enum", "required": True, "enum": symbols}
    if default is not None:
        field["enum_default"] = default
    return field


# (row, old fields, new fields, BACKWARD, FORWARD, FULL, expected change kinds)
ROWS: list[tuple[str, list[Any], list[Any], bool, bool, bool, set[str]]] = [
    ("add optional field (has default)", [ID], [ID, opt("note")], OK, OK, OK, {d.FIELD_ADDED}),
    ("add required field, no default", [ID], [ID, req("note")], BREAK, OK, BREAK, {d.FIELD_ADDED}),
    ("remove optional field", [ID, opt("note")], [ID], OK, OK, OK, {d.FIELD_REMOVED}),
    ("remove required field", [ID, req("note")], [ID], OK, BREAK, BREAK, {d.FIELD_REMOVED}),
    (
        "rename without alias, both optional",
        [ID, opt("note")],
        [ID, opt("remark", renamed_from="note")],
        OK,
        OK,
        OK,
        {d.FIELD_RENAMED},
    ),
    (
        "rename without alias, both required",
        [ID, req("note")],
        [ID, req("remark", renamed_from="note")],
        BREAK,
        BREAK,
        BREAK,
        {d.FIELD_RENAMED},
    ),
    (
        "rename without alias, optional to required",
        [ID, opt("note")],
        [ID, req("remark", renamed_from="note")],
        BREAK,
        OK,
        BREAK,
        {d.FIELD_RENAMED, d.NULLABLE_REMOVED, d.DEFAULT_CHANGED, d.REQUIRED_ADDED},
    ),
    (
        "rename without alias, required to optional",
        [ID, req("note")],
        [ID, opt("remark", renamed_from="note")],
        OK,
        BREAK,
        BREAK,
        {d.FIELD_RENAMED, d.NULLABLE_ADDED, d.DEFAULT_CHANGED, d.REQUIRED_REMOVED},
    ),
    (
        "rename without alias, unmarked (= remove + add)",
        [ID, req("note")],
        [ID, req("remark")],
        BREAK,
        BREAK,
        BREAK,
        {d.FIELD_ADDED, d.FIELD_REMOVED},
    ),
    (
        "widen type int -> long",
        [ID, req("n", "int")],
        [ID, req("n", "long")],
        OK,
        BREAK,
        BREAK,
        {d.TYPE_WIDENED},
    ),
    (
        "widen type long -> float",
        [ID, req("n", "long")],
        [ID, req("n", "float")],
        OK,
        BREAK,
        BREAK,
        {d.TYPE_WIDENED},
    ),
    (
        "widen type float -> double",
        [ID, req("n", "float")],
        [ID, req("n", "double")],
        OK,
        BREAK,
        BREAK,
        {d.TYPE_WIDENED},
    ),
    (
        "widen type int -> double",
        [ID, req("n", "int")],
        [ID, req("n", "double")],
        OK,
        BREAK,
        BREAK,
        {d.TYPE_WIDENED},
    ),
    (
        "narrow type long -> int",
        [ID, req("n", "long")],
        [ID, req("n", "int")],
        BREAK,
        OK,
        BREAK,
        {d.TYPE_NARROWED},
    ),
    (
        "narrow type double -> float",
        [ID, req("n", "double")],
        [ID, req("n", "float")],
        BREAK,
        OK,
        BREAK,
        {d.TYPE_NARROWED},
    ),
    (
        "other type change string -> long",
        [ID, req("n", "string")],
        [ID, req("n", "long")],
        BREAK,
        BREAK,
        BREAK,
        {d.TYPE_CHANGED},
    ),
    (
        "other type change boolean -> int",
        [ID, req("n", "boolean")],
        [ID, req("n", "int")],
        BREAK,
        BREAK,
        BREAK,
        {d.TYPE_CHANGED},
    ),
    (
        "add enum symbol, no reader enum default",
        [ID, enum(["a", "b"])],
        [ID, enum(["a", "b", "c"])],
        OK,
        BREAK,
        BREAK,
        {d.ENUM_SYMBOL_ADDED},
    ),
    (
        "add enum symbol, reader enum default",
        [ID, enum(["a", "b"], "a")],
        [ID, enum(["a", "b", "c"], "a")],
        OK,
        OK,
        OK,
        {d.ENUM_SYMBOL_ADDED},
    ),
    (
        "remove enum symbol, no reader enum default",
        [ID, enum(["a", "b", "c"])],
        [ID, enum(["a", "b"])],
        BREAK,
        OK,
        BREAK,
        {d.ENUM_SYMBOL_REMOVED},
    ),
    (
        "remove enum symbol, reader enum default",
        [ID, enum(["a", "b", "c"], "a")],
        [ID, enum(["a", "b"], "a")],
        OK,
        OK,
        OK,
        {d.ENUM_SYMBOL_REMOVED},
    ),
    (
        "non-null -> nullable",
        [ID, req("n")],
        [ID, req("n", nullable=True)],
        OK,
        BREAK,
        BREAK,
        {d.NULLABLE_ADDED},
    ),
    (
        "nullable -> non-null",
        [ID, req("n", nullable=True)],
        [ID, req("n")],
        BREAK,
        OK,
        BREAK,
        {d.NULLABLE_REMOVED},
    ),
    (
        "tighten a constraint: add a pattern",
        [ID, req("n")],
        [ID, req("n", constraints={"pattern": "^[A-Z]+$"})],
        BREAK,
        OK,
        BREAK,
        {d.CONSTRAINT_TIGHTENED},
    ),
    (
        "tighten a constraint: lower max length",
        [ID, req("n", constraints={"max_length": 64})],
        [ID, req("n", constraints={"max_length": 32})],
        BREAK,
        OK,
        BREAK,
        {d.CONSTRAINT_TIGHTENED},
    ),
    (
        "tighten a constraint: narrow a range",
        [ID, req("n", "int", constraints={"minimum": 0})],
        [ID, req("n", "int", constraints={"minimum": 1, "maximum": 10})],
        BREAK,
        OK,
        BREAK,
        {d.CONSTRAINT_TIGHTENED},
    ),
    (
        "loosen a constraint: drop a pattern",
        [ID, req("n", constraints={"pattern": "^[A-Z]+$"})],
        [ID, req("n")],
        OK,
        BREAK,
        BREAK,
        {d.CONSTRAINT_LOOSENED},
    ),
    (
        "loosen a constraint: raise max length",
        [ID, req("n", constraints={"max_length": 32})],
        [ID, req("n", constraints={"max_length": 64})],
        OK,
        BREAK,
        BREAK,
        {d.CONSTRAINT_LOOSENED},
    ),
    (
        "loosen a constraint: widen a range",
        [ID, req("n", "int", constraints={"minimum": 1})],
        [ID, req("n", "int", constraints={"minimum": 0})],
        OK,
        BREAK,
        BREAK,
        {d.CONSTRAINT_LOOSENED},
    ),
]

# Formats whose inline fields follow the table's field semantics: in Avro "optional" means
# "has a default"; in tables and (lenient) JSON Schema it means "not required".
FORMATS = [("avro", "strict"), ("table", "strict"), ("json-schema", "lenient")]


@pytest.mark.parametrize(("fmt", "policy"), FORMATS, ids=[f for f, _ in FORMATS])
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("row", ROWS, ids=[row[0] for row in ROWS])
def test_change_table(row: tuple[Any, ...], mode: str, fmt: str, policy: str) -> None:
    name, old_fields, new_fields, backward, forward, full, kinds = row
    old = inline(old_fields, fmt)
    new = inline(new_fields, fmt)
    got = verdicts(old, new, policy)[mode]
    assert got is expected_verdict(mode, backward, forward, full), (name, mode, fmt)
    seen = {change.kind for change in diff_schemas(old, new, policy)}
    if fmt == "avro":
        # Avro has no "required" flag of its own: a field is required when it has no default.
        seen -= {d.REQUIRED_ADDED, d.REQUIRED_REMOVED}
        kinds = kinds - {d.REQUIRED_ADDED, d.REQUIRED_REMOVED}
    assert seen == kinds


def test_the_modes_are_the_schema_s() -> None:
    """The classifier knows every mode a contract may declare, and no other."""
    from dataplan_lint.schema.bundle import bundled_schema

    contract = bundled_schema()["$defs"]["contracts"]["$defs"]["contract"]
    assert tuple(contract["properties"]["compatibility"]["enum"]) == MODES


def test_messages_name_change_path_and_reason() -> None:
    old = inline([ID, {"name": "user", "type": "record", "required": True, "fields": [req("id")]}])
    new = inline(
        [ID, {"name": "user", "type": "record", "required": True, "fields": [opt("email")]}]
    )
    removed = [c for c in diff_schemas(old, new) if c.kind == d.FIELD_REMOVED]
    assert len(removed) == 1
    change = removed[0]
    assert change.summary == "removing required field `user.id`"
    assert breaks("FORWARD", change.backward, change.forward) == "old readers still need it"
    assert breaks("BACKWARD", change.backward, change.forward) is None


# Transitive modes: a version can be compatible with the one before it and still break an
# older one. v1 has `b` as an int; v2 drops it; v3 brings it back as an optional string.
V1 = [ID, {"name": "b", "type": "int", "required": True}]
V2 = [ID]
V3 = [ID, {"name": "b", "type": "string", "required": False, "default": "x"}]


@pytest.mark.parametrize("fmt", ["avro", "table", "json-schema"])
def test_transitive_catches_what_the_last_step_hides(fmt: str) -> None:
    v1, v2, v3 = (inline(f, fmt) for f in (V1, V2, V3))
    assert verdicts(v1, v2, "lenient")["BACKWARD"] is True
    assert verdicts(v2, v3, "lenient")["BACKWARD"] is True
    assert verdicts(v1, v3, "lenient")["BACKWARD"] is False
    assert d.TYPE_CHANGED in [c.kind for c in diff_schemas(v1, v3, "lenient")]
