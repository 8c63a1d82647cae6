"""Protobuf's well-known types (`google/protobuf/*.proto`), as their wire shape.

protoc ships these files with its compiler, so repositories import them without holding
them. Only what the comparison needs is written here: each message's fields, numbers
and types (their documentation and options are left out).
"""

from __future__ import annotations

_HEADER = 'syntax = "proto3";\npackage google.protobuf;\n'

_WRAPPERS = "".join(
    f"message {name} {{ {kind} value = 1; }}\n"
    for name, kind in (
        ("DoubleValue", "double"),
        ("FloatValue", "float"),
        ("Int64Value", "int64"),
        ("UInt64Value", "uint64"),
        ("Int32Value", "int32"),
        ("UInt32Value", "uint32"),
        ("BoolValue", "bool"),
        ("StringValue", "string"),
        ("BytesValue", "bytes"),
    )
)

WELL_KNOWN = {
    "google/protobuf/timestamp.proto": "message Timestamp { int64 seconds = 1; int32 nanos = 2; }",
    "google/protobuf/duration.proto": "message Duration { int64 seconds = 1; int32 nanos = 2; }",
    "google/protobuf/wrappers.proto": _WRAPPERS,
    "google/protobuf/any.proto": "message Any { string type_url = 1; bytes value = 2; }",
    "google/protobuf/empty.proto": "message Empty {}",
    "google/protobuf/field_mask.proto": "message FieldMask { repeated string paths = 1; }",
    "google/protobuf/struct.proto": (
        "message Struct { map<string, Value> fields = 1; }\n"
        "message Value { oneof kind { NullValue null_value = 1; double number_value = 2; "
        "string string_value = 3; bool bool_value = 4; Struct struct_value = 5; "
        "ListValue list_value = 6; } }\n"
        "enum NullValue { NULL_VALUE = 0; }\n"
        "message ListValue { repeated Value values = 1; }"
    ),
}


def well_known(path: str) -> str | None:
    """The text of a well-known type file, or None for any other import."""
    body = WELL_KNOWN.get(path)
    return None if body is None else _HEADER + body + "\n"
