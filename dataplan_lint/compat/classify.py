"""Judge differences: which reader/writer direction each one breaks, and what that means
for a compatibility mode.

Schema Registry semantics: BACKWARD means a reader on the *new* schema reads data
written with the *old* one; FORWARD means a reader on the *old* schema reads data
written with the *new* one; FULL is both. The `_TRANSITIVE` forms apply the same test
against every earlier version instead of only the latest; NONE checks nothing.

Each difference carries at most two reasons - why it breaks the backward direction and
why it breaks the forward direction - and `breaks(mode, ...)` turns those into a verdict.
Direction rules that depend on the format live here too: Avro resolution (promotions,
defaults), protobuf wire groups, JSON Schema content models.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from dataplan_lint.compat.model import NUMERIC_WIDENING, Field, FieldType, short_name

# How strongly each mode protects consumers (backward, forward, transitive), for "mode
# weakened" findings; the keys, in this order, are the modes the schema's enum lists.
_STRENGTH = {
    "BACKWARD": (True, False, False),
    "BACKWARD_TRANSITIVE": (True, False, True),
    "FORWARD": (False, True, False),
    "FORWARD_TRANSITIVE": (False, True, True),
    "FULL": (True, True, False),
    "FULL_TRANSITIVE": (True, True, True),
    "NONE": (False, False, False),
}
MODES = tuple(_STRENGTH)


def checks_backward(mode: str) -> bool:
    return _STRENGTH.get(mode, (False, False, False))[0]


def checks_forward(mode: str) -> bool:
    return _STRENGTH.get(mode, (False, False, False))[1]


def is_transitive(mode: str) -> bool:
    return _STRENGTH.get(mode, (False, False, False))[2]


def weakened(old: str, new: str) -> bool:
    """True when `new` gives up a guarantee `old` made (a direction or transitivity)."""
    if old not in _STRENGTH or new not in _STRENGTH:
        return False
    return any(
        before and not after for before, after in zip(_STRENGTH[old], _STRENGTH[new], strict=True)
    )


def breaks(mode: str, backward: str | None, forward: str | None) -> str | None:
    """The reason a difference breaks `mode`, or None when the mode allows it."""
    if checks_backward(mode) and backward:
        return backward
    if checks_forward(mode) and forward:
        return forward
    return None


@dataclass(frozen=True, slots=True)
class Context:
    """What the direction rules need to know besides the two fields."""

    format: str
    json_policy: str = "strict"


# ---------------------------------------------------------------------------------------
# Field presence


def tolerates_absence(field: Field, fmt: str) -> bool:
    """Can a reader with this field cope with data that lacks it?

    An Avro reader needs a default (there is no "optional" in Avro: a union with null
    still needs `"default": null`). Other formats need the field to be optional or to
    have a default; protobuf fields outside proto2 `required` always have one.
    """
    if fmt == "avro":
        return field.has_default
    return field.has_default or not field.required


# ---------------------------------------------------------------------------------------
# Type resolution: can a reader of type `reader` read a value written as `writer`?

_AVRO_PROMOTIONS = {
    ("int", "long"),
    ("int", "float"),
    ("int", "double"),
    ("long", "float"),
    ("long", "double"),
    ("float", "double"),
    ("string", "bytes"),
    ("bytes", "string"),
}

# Protobuf scalar types that share a wire encoding and may be swapped (values that do not
# fit are truncated as a C++ cast would): the varint group, zigzag, fixed widths, and
# length-delimited text. Enums are encoded as varints too. float and double are not
# interchangeable (different fixed widths).
_PROTO_GROUPS = (
    frozenset({"int32", "uint32", "int64", "uint64", "bool", "enum"}),
    frozenset({"sint32", "sint64"}),
    frozenset({"fixed32", "sfixed32"}),
    frozenset({"fixed64", "sfixed64"}),
    frozenset({"string", "bytes"}),
)


def readable(writer: FieldType, reader: FieldType, ctx: Context) -> bool:
    """Shallow type resolution: nested record fields and enum symbols are diffed apart."""
    if writer.kind == "never":  # JSON Schema `false`: nothing is ever written
        return True
    if reader.kind == "never":
        return False
    if writer.kind == "union" or reader.kind == "union":
        return _union_readable(writer, reader, ctx)
    fmt = ctx.format
    if fmt == "protobuf":
        return _proto_readable(writer, reader, ctx)
    logical = _avro_base(writer) != writer.kind or _avro_base(reader) != reader.kind
    if fmt == "avro" and logical:
        # Avro resolution ignores logical types other than decimal: the underlying types
        # decide (timestamp-millis and long, or millis and micros, read each other).
        base_writer = replace(writer, kind=_avro_base(writer), unit=None)
        base_reader = replace(reader, kind=_avro_base(reader), unit=None)
        return readable(base_writer, base_reader, ctx)
    if writer.kind == reader.kind:
        return _same_kind_readable(writer, reader, ctx)
    if fmt == "avro":
        return (writer.kind, reader.kind) in _AVRO_PROMOTIONS
    return _widened(writer, reader, fmt)


def _proto_readable(writer: FieldType, reader: FieldType, ctx: Context) -> bool:
    if (writer.kind == "array") != (reader.kind == "array"):
        # singular <-> repeated: length-delimited values (string, bytes, messages) read
        # as one element or as the last one; packed numbers do not.
        single = reader if writer.kind == "array" else writer
        many = writer if writer.kind == "array" else reader
        return (
            single.kind in ("string", "bytes", "record")
            and many.items is not None
            and readable(many.items, single, ctx)
            and readable(single, many.items, ctx)
        )
    if writer.kind == reader.kind:
        if writer.kind in ("record", "enum"):
            return _names_match(writer, reader)
        return _containers_readable(writer, reader, ctx)
    return any(writer.kind in group and reader.kind in group for group in _PROTO_GROUPS)


def _same_kind_readable(writer: FieldType, reader: FieldType, ctx: Context) -> bool:
    """Two types of one kind (Avro and JSON Schema; protobuf has its own rules)."""
    fmt = ctx.format
    if writer.kind == "decimal":
        return _decimal_readable(writer, reader, strict=fmt == "avro")
    if writer.kind in ("timestamp", "timestamp_tz", "timestamp_ltz", "time"):
        return writer.unit == reader.unit or writer.unit is None or reader.unit is None
    if writer.kind == "fixed":
        return writer.size == reader.size and (fmt != "avro" or _names_match(writer, reader))
    if writer.kind in ("record", "enum") and fmt == "avro":
        return _names_match(writer, reader)
    return _containers_readable(writer, reader, ctx)


def _widened(writer: FieldType, reader: FieldType, fmt: str) -> bool:
    """Two kinds a reader may still read across: a wider number, an integer into a
    decimal with room for its digits, an enum as a string, anything as any JSON."""
    if writer.kind in NUMERIC_WIDENING and reader.kind in NUMERIC_WIDENING:
        return NUMERIC_WIDENING.index(writer.kind) <= NUMERIC_WIDENING.index(reader.kind)
    if reader.kind == "decimal" and writer.kind in ("byte", "short", "int", "long"):
        digits = {"byte": 3, "short": 5, "int": 10, "long": 19}[writer.kind]
        return (reader.precision or 38) - (reader.scale or 0) >= digits
    if fmt != "avro" and writer.kind == "enum" and reader.kind == "string":
        return True  # a set of strings is read by a plain string reader
    return reader.kind == "json"


_AVRO_LOGICAL_BASE = {"timestamp": "long", "date": "int", "uuid": "string"}


def _avro_base(ftype: FieldType) -> str:
    """The Avro primitive under a logical type (`time-millis` is an int, `-micros` a long)."""
    if ftype.kind == "time":
        return "int" if ftype.unit == "ms" else "long"
    return _AVRO_LOGICAL_BASE.get(ftype.kind, ftype.kind)


def _names_match(writer: FieldType, reader: FieldType) -> bool:
    """Avro/protobuf named types: same unqualified name, or the reader lists an alias."""
    if not writer.name or not reader.name:
        return True
    if short_name(writer.name) == short_name(reader.name):
        return True
    return writer.name in reader.aliases or short_name(writer.name) in reader.aliases


def _containers_readable(writer: FieldType, reader: FieldType, ctx: Context) -> bool:
    if writer.kind == "array" and writer.items is not None and reader.items is not None:
        return readable(writer.items, reader.items, ctx)
    if writer.kind == "map" and writer.values is not None and reader.values is not None:
        return readable(writer.values, reader.values, ctx)
    return True


def _decimal_readable(writer: FieldType, reader: FieldType, *, strict: bool) -> bool:
    wp, ws = writer.precision or 38, writer.scale or 0
    rp, rs = reader.precision or 38, reader.scale or 0
    if strict:
        # Avro resolution: decimals match only with the same precision and scale.
        return (wp, ws) == (rp, rs)
    return rs >= ws and (rp - rs) >= (wp - ws)


def _union_readable(writer: FieldType, reader: FieldType, ctx: Context) -> bool:
    writers = writer.members if writer.kind == "union" else (writer,)
    readers = reader.members if reader.kind == "union" else (reader,)
    return all(any(readable(w, r, ctx) for r in readers) for w in writers)


def type_change_label(backward_ok: bool, forward_ok: bool) -> str:
    if backward_ok and not forward_ok:
        return "widened"
    if forward_ok and not backward_ok:
        return "narrowed"
    if backward_ok and forward_ok:
        return "compatible"
    return "changed"


def proto_wire_note(old: FieldType, new: FieldType) -> str:
    """Extra words for protobuf swaps within a wire group (values may be truncated)."""
    ints = {"int32", "uint32", "int64", "uint64", "bool", "enum"}
    if old.kind in ints and new.kind in ints and old.kind != new.kind:
        return "same varint wire type; values that do not fit are truncated"
    if {old.kind, new.kind} == {"string", "bytes"}:
        return "same wire type; bytes must hold valid UTF-8 to be read as string"
    return "same wire type"
