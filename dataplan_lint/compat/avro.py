"""Read an Avro schema (`.avsc`) into the field model.

fastavro's `parse_schema` validates the schema the way Avro would (unknown types, bad
names, defaults that do not match their type) and supplies the error message; our own
walk over the same JSON then builds the model and keeps positions for every field.

Resolution facts the classifier relies on (Avro specification, "Schema Resolution"):
records and enums match by unqualified name or a reader alias; a reader field missing
from the writer needs a default; int promotes to long, float and double, long to float
and double, float to double, and string and bytes read each other; a reader enum with
a `default` reads symbols it does not know; `["null", T]` is a nullable T.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from dataplan_lint.compat.model import Field, FieldType, Origin, Schema, short_name
from dataplan_lint.compat.sources import Document, SchemaFileError, read_document

_PRIMITIVES = {
    "null": "null",
    "boolean": "boolean",
    "int": "int",
    "long": "long",
    "float": "float",
    "double": "double",
    "bytes": "bytes",
    "string": "string",
}
_LOGICAL = {
    "timestamp-millis": ("timestamp", "ms"),
    "timestamp-micros": ("timestamp", "us"),
    "timestamp-nanos": ("timestamp", "ns"),
    "local-timestamp-millis": ("timestamp", "ms"),
    "local-timestamp-micros": ("timestamp", "us"),
    "date": ("date", None),
    "time-millis": ("time", "ms"),
    "time-micros": ("time", "us"),
    "uuid": ("uuid", None),
}


def read_avro(text: str, path: str, record: str | None = None) -> Schema:
    from dataplan_lint.compat.avro_names import check_names

    document = read_document(text, path)
    check_names(document)  # first: fastavro checks some names too, without a position
    _validate(document.data)
    reader = _Reader(document, path)
    root = reader.type(document.data, "", "")
    target = root
    if record:
        found = reader.named.get(record) or next(
            (t for name, t in reader.named.items() if short_name(name) == short_name(record)),
            None,
        )
        if found is None:
            raise SchemaFileError(
                f"the schema defines no record named `{record}`",
                fix="set `record` to a record the file defines",
            )
        target = found
    if record and target.kind != "record":
        raise SchemaFileError(
            f"`{record}` is {target.describe()}, not a record (drop `record:` to compare "
            "the whole schema)",
            fix="set `record` to a record, or drop it",
        )
    return Schema(
        format="avro",
        fields=target.fields,
        name=target.name,
        aliases=target.aliases,
        origin=Origin(path, document.span(""), ""),
        root=target,
    )


def _validate(data: Any) -> None:
    import fastavro

    try:
        fastavro.parse_schema(data, _write_hint=False, _force=True)
    except Exception as exc:  # fastavro raises several unrelated classes
        message = str(exc).strip() or type(exc).__name__
        if type(exc).__name__ == "UnknownType":
            message = f"unknown type `{message}`"
        raise SchemaFileError(f"invalid Avro schema: {message}") from None


class _Reader:
    def __init__(self, document: Document, path: str) -> None:
        self.document = document
        self.path = path
        self.named: dict[str, FieldType] = {}
        self.building: set[str] = set()

    def origin(self, pointer: str) -> Origin:
        return Origin(self.path, self.document.span(pointer), pointer)

    def full_name(self, name: str, namespace: str) -> str:
        if "." in name or not namespace:
            return name
        return f"{namespace}.{name}"

    def type(self, schema: Any, namespace: str, pointer: str) -> FieldType:
        if isinstance(schema, str):
            if schema in _PRIMITIVES:
                return FieldType(_PRIMITIVES[schema], schema)
            full = self.full_name(schema, namespace)
            found = self.named.get(full) or self.named.get(schema)
            if found is not None:
                return found
            if full in self.building or schema in self.building:
                # A recursive reference: name it without expanding it again.
                return FieldType("record", schema, name=full)
            return FieldType(schema.lower(), schema, name=full)
        if isinstance(schema, list):
            members = [self.type(m, namespace, f"{pointer}/{i}") for i, m in enumerate(schema)]
            nullable = any(m.kind == "null" for m in members)
            others = tuple(m for m in members if m.kind != "null")
            text = "[" + ", ".join(m.text for m in members) + "]"
            if len(others) == 1:
                return replace(others[0], nullable=nullable, text=text)
            if not members:  # the empty union: no value is ever written, any reader copes
                return FieldType("union", text)
            if not others:
                return FieldType("null", text, nullable=True)
            return FieldType("union", text, nullable=nullable, members=others)
        if not isinstance(schema, Mapping):
            return FieldType("unknown", str(schema))
        kind = schema.get("type")
        logical = schema.get("logicalType")
        if logical == "decimal":
            precision = schema.get("precision")
            scale = schema.get("scale", 0)
            made = FieldType(
                "decimal",
                f"decimal({precision},{scale})",
                precision=precision if isinstance(precision, int) else None,
                scale=scale if isinstance(scale, int) else 0,
            )
            if kind == "fixed":
                self.register(schema, namespace, made)
            return made
        if isinstance(logical, str) and logical in _LOGICAL:
            normal, unit = _LOGICAL[logical]
            return FieldType(normal, logical, unit=unit)
        if kind in ("record", "error"):
            return self.record(schema, namespace, pointer)
        if kind == "enum":
            full = self.full_name(str(schema.get("name", "")), _ns(schema, namespace))
            symbols = schema.get("symbols")
            default = schema.get("default")
            made = FieldType(
                "enum",
                f"enum {short_name(full)}",
                name=full,
                aliases=self.aliases(schema, namespace),
                symbols=tuple(str(s) for s in symbols) if isinstance(symbols, list) else (),
                enum_default=str(default) if default is not None else None,
            )
            self.named[full] = made
            return made
        if kind == "fixed":
            full = self.full_name(str(schema.get("name", "")), _ns(schema, namespace))
            size = schema.get("size")
            made = FieldType(
                "fixed",
                f"fixed {short_name(full)}",
                name=full,
                size=size if isinstance(size, int) else None,
                aliases=self.aliases(schema, namespace),
            )
            self.named[full] = made
            return made
        if kind == "array":
            items = self.type(schema.get("items"), namespace, f"{pointer}/items")
            return FieldType("array", "array", items=items)
        if kind == "map":
            values = self.type(schema.get("values"), namespace, f"{pointer}/values")
            return FieldType("map", "map", values=values)
        return self.type(kind, namespace, f"{pointer}/type")

    def register(self, schema: Mapping[str, Any], namespace: str, made: FieldType) -> None:
        name = schema.get("name")
        if isinstance(name, str):
            self.named[self.full_name(name, _ns(schema, namespace))] = made

    def aliases(self, schema: Mapping[str, Any], namespace: str) -> tuple[str, ...]:
        raw = schema.get("aliases")
        if not isinstance(raw, list):
            return ()
        out: list[str] = []
        for alias in raw:
            if isinstance(alias, str):
                out.append(alias)
                full = self.full_name(alias, _ns(schema, namespace))
                if full != alias:
                    out.append(full)
        return tuple(out)

    def record(self, schema: Mapping[str, Any], namespace: str, pointer: str) -> FieldType:
        name = str(schema.get("name", ""))
        own_namespace = _ns(schema, namespace)
        full = self.full_name(name, own_namespace)
        child_namespace = full.rpartition(".")[0]
        self.building.add(full)
        fields: list[Field] = []
        raw_fields = schema.get("fields")
        if isinstance(raw_fields, list):
            for index, raw in enumerate(raw_fields):
                if not isinstance(raw, Mapping) or not isinstance(raw.get("name"), str):
                    continue
                here = f"{pointer}/fields/{index}"
                ftype = self.type(raw.get("type"), child_namespace, f"{here}/type")
                has_default = "default" in raw
                aliases = raw.get("aliases")
                fields.append(
                    Field(
                        name=raw["name"],
                        type=ftype,
                        required=not has_default,
                        has_default=has_default,
                        default=raw.get("default"),
                        aliases=tuple(a for a in aliases if isinstance(a, str))
                        if isinstance(aliases, list)
                        else (),
                        origin=Origin(self.path, self.document.span(f"{here}/name"), here),
                    )
                )
        self.building.discard(full)
        made = FieldType(
            "record",
            f"record {name}",
            name=full,
            aliases=self.aliases(schema, namespace),
            fields=tuple(fields),
        )
        self.named[full] = made
        return made


def _ns(schema: Mapping[str, Any], namespace: str) -> str:
    value = schema.get("namespace")
    return value if isinstance(value, str) else namespace
