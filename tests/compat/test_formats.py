"""Format-specific resolution rules, as Schema Registry judges each format.

Avro: promotions, string<->bytes, aliases, namespaces, enum defaults, unions, defaults.
JSON Schema: open, closed and partially-open content models; strict and lenient policy.
Protobuf: field numbers, wire-compatible scalar groups, float<->double, oneofs, reserved.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dataplan_lint.compat import diff as d
from dataplan_lint.compat.avro import read_avro
from dataplan_lint.compat.diff import diff_schemas
from dataplan_lint.compat.jsonschema_files import read_json_schema
from dataplan_lint.compat.protobuf import read_proto
from dataplan_lint.compat.sources import SchemaFileError

from .helpers import inline, verdicts

FIXTURES = Path(__file__).resolve().parents[2] / "examples" / "compat" / "schemas"


# -- Avro --------------------------------------------------------------------------------


def avro(*fields: dict[str, Any], name: str = "Event", **extra: Any) -> Any:
    schema = {
        "type": "record",
        "name": name,
        "namespace": "com.example",
        "fields": list(fields),
        **extra,
    }
    return read_avro(json.dumps(schema, indent=2), "event.avsc")


def f(name: str, type_: Any, **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": type_, **extra}


@pytest.mark.parametrize(
    ("writer", "reader"),
    [
        ("int", "long"),
        ("int", "float"),
        ("int", "double"),
        ("long", "float"),
        ("long", "double"),
        ("float", "double"),
    ],
)
def test_avro_promotions_are_backward_only(writer: str, reader: str) -> None:
    got = verdicts(avro(f("n", writer)), avro(f("n", reader)))
    assert got["BACKWARD"] and not got["FORWARD"] and not got["FULL"]
    assert not verdicts(avro(f("n", reader)), avro(f("n", writer)))["BACKWARD"]


def test_avro_string_and_bytes_read_each_other() -> None:
    assert verdicts(avro(f("s", "string")), avro(f("s", "bytes")))["FULL_TRANSITIVE"]
    assert verdicts(avro(f("s", "bytes")), avro(f("s", "string")))["FULL"]


def test_avro_int_to_string_breaks_everything_but_none() -> None:
    got = verdicts(avro(f("n", "int")), avro(f("n", "string")))
    assert got == {**dict.fromkeys(got, False), "NONE": True}


def test_avro_optional_means_default_not_union() -> None:
    # A nullable union without a default is still required for a reader.
    got = verdicts(avro(f("id", "long")), avro(f("id", "long"), f("c", ["null", "string"])))
    assert not got["BACKWARD"] and got["FORWARD"]
    got = verdicts(
        avro(f("id", "long")), avro(f("id", "long"), f("c", ["null", "string"], default=None))
    )
    assert got["FULL"]


def test_avro_field_alias_makes_a_rename_backward_compatible() -> None:
    old = avro(f("zip", "string"))
    renamed = avro(f("postcode", "string", aliases=["zip"]))
    changes = diff_schemas(old, renamed)
    assert [c.kind for c in changes] == [d.FIELD_RENAMED]
    assert "alias kept" in changes[0].summary
    got = verdicts(old, renamed)
    assert got["BACKWARD"] and not got["FORWARD"]  # old readers still look for `zip`
    without_alias = verdicts(old, avro(f("postcode", "string")))
    assert not without_alias["BACKWARD"] and not without_alias["FORWARD"]


def test_avro_record_rename_needs_an_alias_and_namespace_moves_are_free() -> None:
    nested_old = avro(f("a", {"type": "record", "name": "Addr", "fields": [f("c", "string")]}))
    nested_new = avro(
        f(
            "a",
            {
                "type": "record",
                "name": "Address",
                "aliases": ["Addr"],
                "fields": [f("c", "string")],
            },
        )
    )
    got = verdicts(nested_old, nested_new)
    assert got["BACKWARD"] and not got["FORWARD"]
    moved = read_avro(
        json.dumps(
            {
                "type": "record",
                "name": "Event",
                "namespace": "org.other",
                "fields": [f("id", "long")],
            }
        ),
        "event.avsc",
    )
    changes = diff_schemas(avro(f("id", "long")), moved)
    assert [c.kind for c in changes] == [d.NAMESPACE_CHANGED]
    assert changes[0].compatible_both_ways


def enum_field(symbols: list[str], default: str | None = None) -> dict[str, Any]:
    spec: dict[str, Any] = {"type": "enum", "name": "Status", "symbols": symbols}
    if default:
        spec["default"] = default
    return f("status", spec)


def test_avro_enum_default_lets_old_readers_take_new_symbols() -> None:
    assert not verdicts(avro(enum_field(["A", "B"])), avro(enum_field(["A", "B", "C"])))["FORWARD"]
    assert verdicts(avro(enum_field(["A", "B"], "A")), avro(enum_field(["A", "B", "C"], "A")))[
        "FULL"
    ]
    got = verdicts(avro(enum_field(["A", "B", "C"])), avro(enum_field(["A", "B"])))
    assert not got["BACKWARD"] and got["FORWARD"]


def test_avro_unions() -> None:
    # adding a branch widens: new readers read old data, old readers cannot read the new branch
    got = verdicts(avro(f("v", ["int", "string"])), avro(f("v", ["int", "string", "boolean"])))
    assert got["BACKWARD"] and not got["FORWARD"]
    # a union of int and string read by a reader that promotes int to long
    got = verdicts(avro(f("v", ["int", "string"])), avro(f("v", ["long", "string"])))
    assert got["BACKWARD"] and not got["FORWARD"]
    # non-null -> nullable
    changes = diff_schemas(avro(f("v", "string")), avro(f("v", ["null", "string"])))
    assert [c.kind for c in changes] == [d.NULLABLE_ADDED]


def test_avro_decimal_precision_must_match() -> None:
    dec = {"type": "bytes", "logicalType": "decimal", "precision": 12, "scale": 2}
    wider = {**dec, "precision": 14}
    got = verdicts(avro(f("x", dec)), avro(f("x", wider)))
    assert not got["BACKWARD"] and not got["FORWARD"]
    # outside Avro, a wider decimal reads a narrower one
    old = inline([{"name": "x", "type": "decimal(12,2)", "required": True}], "table")
    new = inline([{"name": "x", "type": "NUMERIC(14, 2)", "required": True}], "table")
    got = verdicts(old, new)
    assert got["BACKWARD"] and not got["FORWARD"]


def test_avro_nested_record_paths() -> None:
    old = read_avro((FIXTURES / "checkout.avsc").read_text(), "checkout.avsc")
    text = (
        (FIXTURES / "checkout.avsc")
        .read_text()
        .replace('{"name": "country", "type": "string"},', "")
    )
    new = read_avro(text, "checkout.avsc")
    changes = diff_schemas(old, new)
    removed = "CheckoutCompleted.address.country"
    assert [(c.kind, c.path) for c in changes] == [(d.FIELD_REMOVED, removed)]
    assert changes[0].old is not None and changes[0].old.span is not None
    assert changes[0].old.span.start_line == 27
    assert changes[0].new is not None and changes[0].new.span is not None  # the `address` field


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '{"type": "record", "name": "E", "fields": [{"name": "x", "type": "Nope"}]}',
            "unknown type `Nope`",
        ),
        (
            '{"type": "record", "name": "E", "fields": [{"name": "x", "type": "int", '
            '"default": "a"}]}',
            "Default value",
        ),
        ('{"type": "record", "name": "E", "fields": [\n  {"name": "x" "type": "int"}]}', "line 2"),
    ],
)
def test_avro_errors_are_explained(text: str, expected: str) -> None:
    with pytest.raises(SchemaFileError) as caught:
        read_avro(text, "bad.avsc")
    assert expected in caught.value.message + caught.value.where()


def test_avro_record_by_name_in_a_union_file() -> None:
    text = json.dumps(
        [
            {"type": "record", "name": "A", "namespace": "x", "fields": [f("a", "int")]},
            {"type": "record", "name": "B", "namespace": "x", "fields": [f("b", "int")]},
        ]
    )
    assert [fld.name for fld in read_avro(text, "u.avsc", "x.B").fields] == ["b"]
    with pytest.raises(SchemaFileError, match=r"no record named `x\.C`"):
        read_avro(text, "u.avsc", "x.C")


def test_avro_recursive_record_does_not_loop() -> None:
    text = json.dumps(
        {
            "type": "record",
            "name": "Node",
            "fields": [f("value", "int"), f("next", ["null", "Node"], default=None)],
        }
    )
    schema = read_avro(text, "node.avsc")
    assert [fld.name for fld in schema.fields] == ["value", "next"]
    assert diff_schemas(schema, schema) == []


# -- JSON Schema -------------------------------------------------------------------------


def js(properties: dict[str, Any], required: list[str] | None = None, **extra: Any) -> Any:
    schema = {"type": "object", "properties": properties, "required": required or [], **extra}
    return read_json_schema(json.dumps(schema, indent=2), "event.json")


ID = {"id": {"type": "string"}}


def test_json_open_model_strict_policy() -> None:
    old, new = js(ID, ["id"]), js({**ID, "note": {"type": "string"}}, ["id"])
    got = verdicts(old, new, "strict")
    assert not got["BACKWARD"] and got["FORWARD"]  # old data may hold any `note`
    got = verdicts(new, old, "strict")  # removing a property from an open object
    assert got["BACKWARD"] and not got["FORWARD"]


def test_json_open_model_lenient_policy() -> None:
    old, new = js(ID, ["id"]), js({**ID, "note": {"type": "string"}}, ["id"])
    assert verdicts(old, new, "lenient")["FULL"]
    assert verdicts(new, old, "lenient")["FULL"]


def test_json_closed_model() -> None:
    closed = {"additionalProperties": False}
    old, new = js(ID, ["id"], **closed), js({**ID, "note": {"type": "string"}}, ["id"], **closed)
    got = verdicts(old, new, "strict")
    assert got["BACKWARD"] and not got["FORWARD"]  # old readers reject `note`
    got = verdicts(new, old, "strict")
    assert not got["BACKWARD"] and got["FORWARD"]  # new readers reject `note` in old data


def test_json_partially_open_model() -> None:
    partial = {"additionalProperties": {"type": "string"}}
    old = js(ID, ["id"], **partial)
    fits = js({**ID, "note": {"type": "string"}}, ["id"], **partial)
    misfits = js({**ID, "count": {"type": "integer"}}, ["id"], **partial)
    assert verdicts(old, fits, "strict")["FULL"]
    got = verdicts(old, misfits, "strict")
    # Old data may already hold `count` as a string (Schema Registry:
    # PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL), and old readers check
    # it as a string: broken both ways.
    assert not got["BACKWARD"] and not got["FORWARD"]


def test_json_content_model_changes() -> None:
    open_ = js(ID, ["id"])
    closed = js(ID, ["id"], additionalProperties=False)
    got = verdicts(open_, closed, "strict")
    assert not got["BACKWARD"] and got["FORWARD"]
    assert [c.kind for c in diff_schemas(open_, closed)] == [d.CONTENT_MODEL_CHANGED]
    got = verdicts(closed, open_, "strict")
    assert got["BACKWARD"] and not got["FORWARD"]


def test_json_required_types_refs_and_enums() -> None:
    # integer -> number widens
    got = verdicts(js({"n": {"type": "integer"}}, ["n"]), js({"n": {"type": "number"}}, ["n"]))
    assert got["BACKWARD"] and not got["FORWARD"]
    # becoming required breaks BACKWARD
    got = verdicts(
        js({**ID, "n": {"type": "string"}}, ["id"]),
        js({**ID, "n": {"type": "string"}}, ["id", "n"]),
        "lenient",
    )
    assert not got["BACKWARD"] and got["FORWARD"]
    # type: [string, null] is a nullable string; $ref is followed
    refd = read_json_schema(
        json.dumps(
            {
                "type": "object",
                "$defs": {"money": {"type": ["number", "null"], "minimum": 0}},
                "properties": {"amount": {"$ref": "#/$defs/money"}},
            }
        ),
        "m.json",
    )
    assert refd.fields[0].type.describe() == "double?"
    assert refd.fields[0].type.constraints.minimum == 0
    # adding an enum value loosens (old readers do not know it)
    got = verdicts(
        js({"m": {"type": "string", "enum": ["a"]}}),
        js({"m": {"type": "string", "enum": ["a", "b"]}}),
        "lenient",
    )
    assert got["BACKWARD"] and not got["FORWARD"]


def test_json_fixture_nested_closed_object() -> None:
    old = read_json_schema((FIXTURES / "payment.schema.json").read_text(), "payment.json")
    text = (
        (FIXTURES / "payment.schema.json")
        .read_text()
        .replace(
            '"reviewed": {"type": "boolean"}',
            '"reviewed": {"type": "boolean"},\n        "reviewer": {"type": "string"}',
        )
    )
    changes = diff_schemas(old, read_json_schema(text, "payment.json"))
    assert [(c.kind, c.path) for c in changes] == [(d.FIELD_ADDED, "$.risk.reviewer")]
    assert changes[0].forward and "closed content model" in changes[0].forward


def test_json_invalid_schema_is_explained() -> None:
    with pytest.raises(SchemaFileError, match="invalid JSON Schema"):
        read_json_schema('{"type": "object", "properties": {"a": {"type": 5}}}', "bad.json")
    with pytest.raises(SchemaFileError) as caught:
        read_json_schema('{"type": "object",\n "properties": {', "bad.json")
    assert caught.value.line is not None


# -- Protobuf ----------------------------------------------------------------------------


def proto(body: str, syntax: str = "proto3") -> Any:
    text = f'syntax = "{syntax}";\npackage test.v1;\nmessage Event {{\n{body}\n}}\n'
    return read_proto(text, "event.proto")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("int32", "int64"),
        ("int64", "uint64"),
        ("uint32", "bool"),
        ("sint32", "sint64"),
        ("fixed32", "sfixed32"),
        ("fixed64", "sfixed64"),
        ("string", "bytes"),
    ],
)
def test_protobuf_wire_compatible_groups(old: str, new: str) -> None:
    changes = diff_schemas(proto(f"  {old} v = 1;"), proto(f"  {new} v = 1;"))
    assert [c.kind for c in changes] == [d.TYPE_COMPATIBLE]
    assert verdicts(proto(f"  {old} v = 1;"), proto(f"  {new} v = 1;"))["FULL_TRANSITIVE"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("float", "double"),
        ("double", "float"),
        ("int32", "sint32"),
        ("fixed32", "int32"),
        ("string", "int32"),
        ("fixed32", "fixed64"),
    ],
)
def test_protobuf_incompatible_scalar_changes(old: str, new: str) -> None:
    got = verdicts(proto(f"  {old} v = 1;"), proto(f"  {new} v = 1;"))
    assert not got["BACKWARD"] and not got["FORWARD"]


def test_protobuf_fields_match_by_number() -> None:
    renamed = diff_schemas(proto("  string a = 1;"), proto("  string b = 1;"))
    assert [c.kind for c in renamed] == [d.FIELD_RENAMED]
    assert renamed[0].compatible_both_ways
    reused = diff_schemas(proto("  string a = 1;"), proto("  int64 b = 1;"))
    assert [c.kind for c in reused] == [d.NUMBER_REUSED]
    assert not verdicts(proto("  string a = 1;"), proto("  int64 b = 1;"))["BACKWARD"]
    moved = diff_schemas(proto("  string a = 1;"), proto("  string a = 2;"))
    assert [c.kind for c in moved] == [d.NUMBER_CHANGED, d.NOT_RESERVED]
    assert moved[1].summary == "removing field `a` without reserving its number 1"


def test_protobuf_adding_and_removing_fields_and_reserved() -> None:
    assert verdicts(proto("  string a = 1;"), proto("  string a = 1;\n  int32 b = 2;"))["FULL"]
    removed = diff_schemas(proto("  string a = 1;\n  int32 b = 2;"), proto("  string a = 1;"))
    assert [c.kind for c in removed] == [d.FIELD_REMOVED, d.NOT_RESERVED]
    reserved = diff_schemas(
        proto("  string a = 1;\n  int32 b = 2;"),
        proto('  string a = 1;\n  reserved 2;\n  reserved "b";'),
    )
    assert [c.kind for c in reserved] == [d.FIELD_REMOVED]
    reuse = diff_schemas(
        proto("  string a = 1;\n  reserved 2;"), proto("  string a = 1;\n  string c = 2;")
    )
    assert d.RESERVED_REUSED in [c.kind for c in reuse]
    assert not verdicts(
        proto("  string a = 1;\n  reserved 2;"), proto("  string a = 1;\n  string c = 2;")
    )["BACKWARD"]


def test_protobuf_oneof_moves() -> None:
    into_new = diff_schemas(proto("  string a = 1;"), proto("  oneof o {\n    string a = 1;\n  }"))
    assert [c.kind for c in into_new] == [d.ONEOF_CHANGED]
    assert into_new[0].compatible_both_ways  # a single field into a new oneof is safe
    out = diff_schemas(
        proto("  oneof o {\n    string a = 1;\n    int32 b = 2;\n  }"),
        proto("  string a = 1;\n  oneof o {\n    int32 b = 2;\n  }"),
    )
    assert [c.kind for c in out] == [d.ONEOF_CHANGED]
    # Confluent: leaving a oneof for the top level only lifts the one-of restriction.
    assert out[0].compatible_both_ways
    assert "ONEOF_FIELD_MOVED_TO_TOP_LEVEL" in out[0].note


def test_protobuf_enums_are_open_and_proto2_required_counts() -> None:
    body = "  Kind k = 1;\n  enum Kind {{ {} }}"
    old = proto(body.format("K_UNSPECIFIED = 0; K_A = 1;"))
    new = proto(body.format("K_UNSPECIFIED = 0; K_A = 1; K_B = 2;"))
    assert verdicts(old, new)["FULL"]
    assert verdicts(new, old)["FULL"]
    got = verdicts(
        proto("  optional string a = 1;", "proto2"),
        proto("  optional string a = 1;\n  required int32 b = 2;", "proto2"),
    )
    # Schema Registry rejects adding (and removing) a proto2 required field both ways.
    assert not got["BACKWARD"] and not got["FORWARD"] and got["NONE"]


def test_protobuf_fixture_and_positions() -> None:
    schema = read_proto((FIXTURES / "shipment.proto").read_text(), "shipment.proto")
    by_name = {fld.name: fld for fld in schema.fields}
    assert by_name["address"].oneof == "destination"
    assert by_name["tracking_codes"].type.kind == "array"
    assert by_name["weight_kg"].origin is not None
    assert by_name["weight_kg"].origin.span is not None
    assert by_name["weight_kg"].origin.span.start_line == 10
    assert schema.number_reserved(13) and not schema.number_reserved(11)
    assert "legacy_status" in schema.reserved_names


def test_protobuf_syntax_error_has_a_position() -> None:
    with pytest.raises(SchemaFileError) as caught:
        read_proto('syntax = "proto3";\nmessage M {\n  int32 id = ;\n}\n', "m.proto")
    assert caught.value.line == 3
    assert caught.value.message.startswith("invalid protobuf")


def test_protobuf_message_selection() -> None:
    text = (
        'syntax = "proto3";\npackage p;\nmessage A { int32 a = 1; }\nmessage B { int32 b = 1; }\n'
    )
    assert [fld.name for fld in read_proto(text, "x.proto", "p.B").fields] == ["b"]
    assert [fld.name for fld in read_proto(text, "x.proto", "B").fields] == ["b"]
    with pytest.raises(SchemaFileError, match="no message named"):
        read_proto(text, "x.proto", "C")


# -- nested inline fields ----------------------------------------------------------------


def test_nested_arrays_maps_and_records() -> None:
    old = inline(
        [
            {
                "name": "items",
                "type": "array",
                "required": True,
                "items": {
                    "type": "record",
                    "fields": [{"name": "sku", "type": "string", "required": True}],
                },
            },
            {"name": "props", "type": "map", "required": True, "values": {"type": "int"}},
        ],
        "table",
    )
    new = inline(
        [
            {
                "name": "items",
                "type": "array",
                "required": True,
                "items": {
                    "type": "record",
                    "fields": [{"name": "sku", "type": "long", "required": True}],
                },
            },
            {"name": "props", "type": "map", "required": True, "values": {"type": "long"}},
        ],
        "table",
    )
    changes = diff_schemas(old, new)
    assert [(c.kind, c.path) for c in changes] == [
        (d.TYPE_CHANGED, "items[].sku"),
        (d.TYPE_WIDENED, "props{}"),
    ]


def test_type_names_are_normalised() -> None:
    for old, new in [
        ("INT", "integer"),
        ("int4", "int32"),
        ("BIGINT", "long"),
        ("varchar", "TEXT"),
        ("timestamp_ntz", "DATETIME"),
        ("bool", "BOOLEAN"),
        ("number(38,0)", "NUMERIC(38, 0)"),
        ("double precision", "float8"),
    ]:
        a = inline([{"name": "c", "type": old}], "table")
        b = inline([{"name": "c", "type": new}], "table")
        assert diff_schemas(a, b) == [], (old, new)


DEEP_AVRO = (
    "".join(
        f'{{\t"type": "record", "name": "R{i}", "fields": [{{"name": "f", "type": '
        for i in range(400)
    )
    + '"int"'
    + "}]}" * 400
)


@pytest.mark.parametrize(
    "text",
    [
        "\x00\x01",
        "{",
        "[]",
        "null",
        "5",
        '"string"',
        "message {",
        '{"type": "record"}',
        DEEP_AVRO,
        '{"type":"object","properties":{"a":{"$ref":"#/nowhere"}}}',
    ],
    ids=[
        "control",
        "brace",
        "list",
        "null",
        "number",
        "string",
        "proto",
        "nameless",
        "deep",
        "dangling-ref",
    ],
)
@pytest.mark.parametrize("fmt", ["avro", "json-schema", "protobuf"])
def test_hostile_schema_files_become_explained_errors(text: str, fmt: str) -> None:
    from dataplan_lint.compat.schema_files import parse

    display = {"avro": "x.avsc", "json-schema": "x.json", "protobuf": "x.proto"}[fmt]
    if fmt == "avro" and text in ("[]", '"string"'):
        # An empty union and a primitive are Avro schemas a registry accepts at the root.
        assert parse(text, display, {"format": fmt}).root is not None
        return
    with pytest.raises(SchemaFileError) as caught:
        parse(text, display, {"format": fmt})
    assert caught.value.message


@pytest.mark.parametrize(
    ("text", "described"),
    [
        ('"string"', "string"),
        ('{"type": "enum", "name": "Colour", "symbols": ["RED"]}', "enum Colour"),
        ('["null", "long"]', "long?"),
        ('{"type": "map", "values": "int"}', "map<int>"),
        ('{"type": "fixed", "name": "Id", "size": 16}', "fixed Id"),
    ],
)
def test_avro_any_root_a_registry_accepts_is_read(text: str, described: str) -> None:
    schema = read_avro(text, "root.avsc")
    assert schema.root is not None and schema.root.describe() == described


def test_avro_record_option_naming_a_non_record_says_so() -> None:
    text = '{"type": "enum", "name": "Colour", "symbols": ["RED"]}'
    with pytest.raises(SchemaFileError) as caught:
        read_avro(text, "root.avsc", "Colour")
    assert caught.value.message == (
        "`Colour` is enum Colour, not a record (drop `record:` to compare the whole schema)"
    )


def test_paths_start_at_the_root_of_each_format() -> None:
    def order(qty: str) -> str:
        line = {"type": "record", "name": "Line", "fields": [{"name": "qty", "type": qty}]}
        lines = {"name": "lines", "type": {"type": "array", "items": line}}
        return json.dumps(
            {"type": "record", "name": "Order", "namespace": "shop", "fields": [lines]}
        )

    changes = diff_schemas(read_avro(order("int"), "o.avsc"), read_avro(order("string"), "o.avsc"))
    assert [c.path for c in changes] == ["Order.lines[].qty"]

    def payload(price: str) -> str:
        item = {"type": "object", "properties": {"price": {"type": price}}}
        items = {"type": "array", "items": item}
        return json.dumps(
            {
                "type": "object",
                "properties": {"payload": {"type": "object", "properties": {"items": items}}},
            }
        )

    old, new = (
        read_json_schema(payload("number"), "p.json"),
        read_json_schema(payload("string"), "p.json"),
    )
    assert [c.path for c in diff_schemas(old, new)] == ["$.payload.items[].price"]
    proto_old = read_proto('syntax = "proto3";\nmessage Order { int64 qty = 1; }\n', "o.proto")
    proto_new = read_proto('syntax = "proto3";\nmessage Order { double qty = 1; }\n', "o.proto")
    assert [c.path for c in diff_schemas(proto_old, proto_new)] == ["Order.qty"]


@pytest.mark.parametrize(
    ("old", "new", "full"),
    [
        ("long", {"type": "long", "logicalType": "timestamp-millis"}, True),
        (
            {"type": "long", "logicalType": "timestamp-millis"},
            {"type": "long", "logicalType": "timestamp-micros"},
            True,
        ),
        ({"type": "int", "logicalType": "date"}, "string", False),
    ],
)
def test_avro_logical_types_resolve_as_their_underlying_type(
    old: Any, new: Any, full: bool
) -> None:
    """Avro resolution ignores logical types other than decimal."""
    assert verdicts(avro(f("t", old)), avro(f("t", new)))["FULL"] is full


def test_protobuf_without_message_compares_every_message() -> None:
    def text(kind: str, extra: str = "") -> str:
        return (
            'syntax = "proto3";\npackage shop;\nmessage Order { int64 id = 1; }\n'
            f"message Refund {{ {kind} amount = 1; }}\n{extra}"
        )

    changes = diff_schemas(
        read_proto(text("int64"), "s.proto"), read_proto(text("string"), "s.proto")
    )
    assert [(c.kind, c.path) for c in changes] == [(d.TYPE_CHANGED, "Refund.amount")]
    removed = 'syntax = "proto3";\npackage shop;\nmessage Order { int64 id = 1; }\n'
    changes = diff_schemas(read_proto(text("int64"), "s.proto"), read_proto(removed, "s.proto"))
    assert [(c.kind, c.path, bool(c.backward)) for c in changes] == [
        (d.MESSAGE_REMOVED, "Refund", True)
    ]
    # With `message:` only that message is the contract.
    named = diff_schemas(
        read_proto(text("int64"), "s.proto", "shop.Order"),
        read_proto(text("string"), "s.proto", "shop.Order"),
    )
    assert named == []


def test_json_schema_with_a_non_string_dollar_schema_is_an_explained_error() -> None:
    with pytest.raises(SchemaFileError) as caught:
        read_json_schema('{"$schema": true, "type": "object"}', "x.json")
    assert caught.value.message == (
        "invalid JSON Schema: `$schema` must be a string (a draft's URI)"
    )


@pytest.mark.parametrize(
    ("schema", "kind"),
    [
        (
            {
                "$schema": "http://json-schema.org/draft-04/schema#",
                "type": "number",
                "maximum": 5,
                "exclusiveMaximum": True,
            },
            "double",
        ),
        (
            {
                "$schema": "https://json-schema.org/draft/2020-12/schema",
                "type": "array",
                "prefixItems": [{"type": "string"}],
                "items": False,
            },
            "array",
        ),
        (
            {
                "$schema": "https://json-schema.org/draft/2019-09/schema",
                "dependentRequired": {"a": ["b"]},
            },
            "record",
        ),
        ({"$schema": "http://json-schema.org/draft-06/schema#", "const": "x"}, "string"),
    ],
)
def test_json_schema_drafts_named_by_dollar_schema_are_read(schema: Any, kind: str) -> None:
    root = read_json_schema(json.dumps(schema), "x.json").root
    assert root is not None and root.kind == kind
