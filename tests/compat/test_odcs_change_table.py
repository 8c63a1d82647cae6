"""Every row of the change x mode table for contracts kept as ODCS v3 files.

Each side of a row is a real ODCS document (validated against the official schema by the
reader), written the way a data team writes ODCS: `required` for presence and nulls,
`physicalType` for the type, `logicalTypeOptions` and `unique` for constraints. What
ODCS has no word for (enum symbols, a rename marker) uses the `dataplan*`
customProperties that `export odcs` writes.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from dataplan_lint.compat import diff as d
from dataplan_lint.compat.classify import MODES
from dataplan_lint.compat.diff import diff_schemas
from dataplan_lint.compat.model import Schema
from dataplan_lint.compat.odcs import read_odcs

from .helpers import expected_verdict, verdicts

OK, BREAK = True, False

ID = {"name": "id", "logicalType": "integer", "physicalType": "bigint", "required": True}


def document(properties: list[dict[str, Any]], api: str = "v3.0.2") -> str:
    return yaml.safe_dump(
        {
            "apiVersion": api,
            "kind": "DataContract",
            "id": "orders",
            "version": "1.0.0",
            "status": "active",
            "schema": [{"name": "orders", "physicalType": "table", "properties": properties}],
        },
        sort_keys=False,
    )


def odcs(properties: list[dict[str, Any]]) -> Schema:
    return read_odcs(document(properties), "orders.odcs.yaml")


def col(name: str, physical: str = "varchar", **extra: Any) -> dict[str, Any]:
    logical = {"varchar": "string", "boolean": "boolean"}.get(physical, "integer")
    if physical in ("real", "double", "float"):
        logical = "number"
    return {"name": name, "logicalType": logical, "physicalType": physical, **extra}


def req(name: str, physical: str = "varchar", **extra: Any) -> dict[str, Any]:
    return col(name, physical, required=True, **extra)


def custom(**values: Any) -> list[dict[str, Any]]:
    return [{"property": "dataplan" + k[0].upper() + k[1:], "value": v} for k, v in values.items()]


def status(symbols: list[str], default: str | None = None) -> dict[str, Any]:
    extra = {"enum": symbols} if default is None else {"enum": symbols, "enumDefault": default}
    return req("status", "enum", logicalType="string", customProperties=custom(**extra))


def opts(**options: Any) -> dict[str, Any]:
    return {"logicalTypeOptions": options}


# (row, old properties, new properties, BACKWARD, FORWARD, FULL, expected change kinds)
ROWS: list[tuple[str, list[Any], list[Any], bool, bool, bool, set[str]]] = [
    ("add optional column", [ID], [ID, col("note")], OK, OK, OK, {d.FIELD_ADDED}),
    ("add required column", [ID], [ID, req("note")], BREAK, OK, BREAK, {d.FIELD_ADDED}),
    ("remove optional column", [ID, col("note")], [ID], OK, OK, OK, {d.FIELD_REMOVED}),
    ("remove required column", [ID, req("note")], [ID], OK, BREAK, BREAK, {d.FIELD_REMOVED}),
    (
        "rename, both optional",
        [ID, col("note")],
        [ID, col("remark", customProperties=custom(renamedFrom="note"))],
        OK,
        OK,
        OK,
        {d.FIELD_RENAMED},
    ),
    (
        "rename, both required",
        [ID, req("note")],
        [ID, req("remark", customProperties=custom(renamedFrom="note"))],
        BREAK,
        BREAK,
        BREAK,
        {d.FIELD_RENAMED},
    ),
    (
        "rename, optional to required",
        [ID, col("note")],
        [ID, req("remark", customProperties=custom(renamedFrom="note"))],
        BREAK,
        OK,
        BREAK,
        {d.FIELD_RENAMED, d.NULLABLE_REMOVED, d.REQUIRED_ADDED},
    ),
    (
        "rename, required to optional",
        [ID, req("note")],
        [ID, col("remark", customProperties=custom(renamedFrom="note"))],
        OK,
        BREAK,
        BREAK,
        {d.FIELD_RENAMED, d.NULLABLE_ADDED, d.REQUIRED_REMOVED},
    ),
    (
        "rename unmarked (= remove + add)",
        [ID, req("note")],
        [ID, req("remark")],
        BREAK,
        BREAK,
        BREAK,
        {d.FIELD_ADDED, d.FIELD_REMOVED},
    ),
    ("widen int -> bigint", [ID, req("n", "int")], [ID, req("n", "bigint")], OK, BREAK, BREAK,
     {d.TYPE_WIDENED}),
    ("widen bigint -> real", [ID, req("n", "bigint")], [ID, req("n", "real")], OK, BREAK, BREAK,
     {d.TYPE_WIDENED}),
    ("widen real -> double", [ID, req("n", "real")], [ID, req("n", "double")], OK, BREAK, BREAK,
     {d.TYPE_WIDENED}),
    (
        "widen decimal(10,2) -> decimal(12,2)",
        [ID, req("n", "decimal(10,2)", logicalType="number")],
        [ID, req("n", "decimal(12,2)", logicalType="number")],
        OK,
        BREAK,
        BREAK,
        {d.TYPE_WIDENED},
    ),
    ("narrow bigint -> int", [ID, req("n", "bigint")], [ID, req("n", "int")], BREAK, OK, BREAK,
     {d.TYPE_NARROWED}),
    ("narrow double -> real", [ID, req("n", "double")], [ID, req("n", "real")], BREAK, OK, BREAK,
     {d.TYPE_NARROWED}),
    (
        "other type change varchar -> bigint",
        [ID, req("n")],
        [ID, req("n", "bigint")],
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
        "logical type only: string -> integer",
        [ID, {"name": "n", "logicalType": "string", "required": True}],
        [ID, {"name": "n", "logicalType": "integer", "required": True}],
        BREAK,
        BREAK,
        BREAK,
        {d.TYPE_CHANGED},
    ),
    ("add enum symbol, no reader default", [ID, status(["a", "b"])],
     [ID, status(["a", "b", "c"])], OK, BREAK, BREAK, {d.ENUM_SYMBOL_ADDED}),
    ("add enum symbol, reader default", [ID, status(["a", "b"], "a")],
     [ID, status(["a", "b", "c"], "a")], OK, OK, OK, {d.ENUM_SYMBOL_ADDED}),
    ("remove enum symbol, no reader default", [ID, status(["a", "b", "c"])],
     [ID, status(["a", "b"])], BREAK, OK, BREAK, {d.ENUM_SYMBOL_REMOVED}),
    ("remove enum symbol, reader default", [ID, status(["a", "b", "c"], "a")],
     [ID, status(["a", "b"], "a")], OK, OK, OK, {d.ENUM_SYMBOL_REMOVED}),
    (
        "required -> not required (nullable)",
        [ID, req("n")],
        [ID, col("n")],
        OK,
        BREAK,
        BREAK,
        {d.NULLABLE_ADDED, d.REQUIRED_REMOVED},
    ),
    (
        "not required -> required (non-null)",
        [ID, col("n")],
        [ID, req("n")],
        BREAK,
        OK,
        BREAK,
        {d.NULLABLE_REMOVED, d.REQUIRED_ADDED},
    ),
    ("tighten: add a pattern", [ID, req("n")], [ID, req("n", **opts(pattern="^[A-Z]+$"))],
     BREAK, OK, BREAK, {d.CONSTRAINT_TIGHTENED}),
    ("tighten: lower maxLength", [ID, req("n", **opts(maxLength=64))],
     [ID, req("n", **opts(maxLength=32))], BREAK, OK, BREAK, {d.CONSTRAINT_TIGHTENED}),
    ("tighten: varchar(64) -> varchar(32)", [ID, req("n", "varchar(64)", logicalType="string")],
     [ID, req("n", "varchar(32)", logicalType="string")], BREAK, OK, BREAK,
     {d.CONSTRAINT_TIGHTENED}),
    ("tighten: narrow a range", [ID, req("n", "int", **opts(minimum=0))],
     [ID, req("n", "int", **opts(minimum=1, maximum=10))], BREAK, OK, BREAK,
     {d.CONSTRAINT_TIGHTENED}),
    ("tighten: add unique", [ID, req("n")], [ID, req("n", unique=True)], BREAK, OK, BREAK,
     {d.CONSTRAINT_TIGHTENED}),
    ("tighten: make it the primary key", [ID, req("n")], [ID, req("n", primaryKey=True)],
     BREAK, OK, BREAK, {d.CONSTRAINT_TIGHTENED}),
    ("loosen: drop a pattern", [ID, req("n", **opts(pattern="^[A-Z]+$"))], [ID, req("n")],
     OK, BREAK, BREAK, {d.CONSTRAINT_LOOSENED}),
    ("loosen: raise maxLength", [ID, req("n", **opts(maxLength=32))],
     [ID, req("n", **opts(maxLength=64))], OK, BREAK, BREAK, {d.CONSTRAINT_LOOSENED}),
    ("loosen: widen a range", [ID, req("n", "int", **opts(minimum=1))],
     [ID, req("n", "int", **opts(minimum=0))], OK, BREAK, BREAK, {d.CONSTRAINT_LOOSENED}),
    ("loosen: drop unique", [ID, req("n", unique=True)], [ID, req("n")], OK, BREAK, BREAK,
     {d.CONSTRAINT_LOOSENED}),
    (
        "nested object: add a required property",
        [ID, {"name": "addr", "logicalType": "object", "required": True,
              "properties": [req("city")]}],
        [ID, {"name": "addr", "logicalType": "object", "required": True,
              "properties": [req("city"), req("zip")]}],
        BREAK,
        OK,
        BREAK,
        {d.FIELD_ADDED},
    ),
    (
        "array items: widen int -> bigint",
        [ID, {"name": "ns", "logicalType": "array", "required": True,
              "items": {"logicalType": "integer", "physicalType": "int"}}],
        [ID, {"name": "ns", "logicalType": "array", "required": True,
              "items": {"logicalType": "integer", "physicalType": "bigint"}}],
        OK,
        BREAK,
        BREAK,
        {d.TYPE_WIDENED},
    ),
]  # fmt: skip


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("row", ROWS, ids=[row[0] for row in ROWS])
def test_odcs_change_table(row: tuple[Any, ...], mode: str) -> None:
    name, old_props, new_props, backward, forward, full, kinds = row
    old, new = odcs(old_props), odcs(new_props)
    assert old.format == new.format == "odcs"
    assert verdicts(old, new)[mode] is expected_verdict(mode, backward, forward, full), (name, mode)
    assert {change.kind for change in diff_schemas(old, new)} == kinds


def test_transitive_modes_compare_with_every_earlier_odcs_version() -> None:
    v1 = odcs([ID, req("b", "int")])
    v2 = odcs([ID])
    v3 = odcs([ID, col("b")])
    assert verdicts(v1, v2)["BACKWARD"] is True
    assert verdicts(v2, v3)["BACKWARD"] is True
    assert verdicts(v1, v3)["BACKWARD"] is False
    assert d.TYPE_CHANGED in {c.kind for c in diff_schemas(v1, v3)}
