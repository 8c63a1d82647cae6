"""Read a JSON Schema (`.json`, `.yaml`, `.yml`) describing an object into the field model.

Content models, as Confluent's Schema Registry names them:

* **open** - `additionalProperties` absent or `true`: unknown properties are allowed;
* **closed** - `additionalProperties: false` (or `unevaluatedProperties: false`);
* **partially open** - `additionalProperties` (or `patternProperties`) is a schema that
  extra properties must match.

Two policies decide what adding or removing a property of an *open* object means:

* `strict` (default, Schema Registry's rule): an open object may already carry any value
  under any name, so adding a property can break new readers of old data (BACKWARD) and
  removing one can break old readers of new data (FORWARD);
* `lenient`: unknown properties are assumed to be ignored by readers, so only required
  properties and closed objects matter (the general field table).

Local `$ref`s (`#/$defs/...`, `#/definitions/...`) are followed; references to other
files are kept as opaque types.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from dataplan_lint.compat.model import Constraints, Field, FieldType, Origin, Schema
from dataplan_lint.compat.sources import Document, SchemaFileError, read_document

_SCALARS = {
    "string": "string",
    "integer": "long",
    "number": "double",
    "boolean": "boolean",
    "object": "record",
    "array": "array",
    "null": "null",
}
_FORMATS = {
    "date-time": ("timestamp_tz", None),
    "date": ("date", None),
    "time": ("time", None),
    "uuid": ("uuid", None),
}
_MAX_REF_DEPTH = 32


def read_json_schema(text: str, path: str, declared_model: str | None = None) -> Schema:
    document = read_document(text, path)
    if not isinstance(document.data, Mapping | bool):
        raise SchemaFileError("a JSON Schema is an object or a boolean")
    if isinstance(document.data, Mapping):
        _check_valid(document.data)
    reader = _Reader(document, path)
    reader.building.add("#")  # `{"$ref": "#"}` inside the root is the root itself
    root = reader.type(document.data, "", 0)
    reader.building.discard("#")
    model = root.content_model
    explicit = isinstance(document.data, Mapping) and "additionalProperties" in document.data
    if model == "open" and not explicit and declared_model:
        model = declared_model
        root = replace(root, content_model=model)
    return Schema(
        format="json-schema",
        fields=root.fields,
        content_model=model if root.kind == "record" else None,
        additional=root.additional,
        origin=Origin(path, document.span(""), ""),
        root=root,
    )


def _check_valid(data: Mapping[str, Any]) -> None:
    """Reject documents that are not JSON Schemas at all, with the validator's words."""
    from jsonschema.exceptions import SchemaError
    from jsonschema.validators import Draft7Validator, validator_for

    try:
        # The draft is the one `$schema` names (draft-04 to 2020-12); without one, draft-07,
        # the default of Confluent's JSON Schema support (tuple `items` arrays are valid).
        validator_for(data, default=Draft7Validator).check_schema(dict(data))
    except SchemaError as exc:
        where = "/".join(str(part) for part in exc.absolute_path)
        raise SchemaFileError(
            f"invalid JSON Schema: {exc.message}" + (f" at `{where}`" if where else "")
        ) from None


class _Reader:
    def __init__(self, document: Document, path: str) -> None:
        self.document = document
        self.path = path
        # Each `$ref` target is read once: a schema whose definitions reference the one
        # before them twice stays linear to read, and the differ meets the same object
        # again (and compares it once). A target still being read is a recursive type.
        self.refs: dict[str, FieldType] = {}
        self.building: set[str] = set()

    def resolve(self, schema: Mapping[str, Any], pointer: str, depth: int) -> tuple[Any, str]:
        ref = schema.get("$ref")
        seen = 0
        while isinstance(ref, str) and ref.startswith("#"):
            seen += 1
            if seen > _MAX_REF_DEPTH:
                return {}, pointer
            target: Any = self.document.data
            pointer = ref[1:]
            for part in [p for p in pointer.split("/") if p]:
                part = part.replace("~1", "/").replace("~0", "~")
                if isinstance(target, Mapping) and part in target:
                    target = target[part]
                else:
                    raise SchemaFileError(f"`$ref` {ref!r} points at nothing")
            if not isinstance(target, Mapping):
                return target, pointer
            merged = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
            schema = merged
            ref = target.get("$ref")
        return schema, pointer

    def type(self, schema: Any, pointer: str, depth: int) -> FieldType:
        if schema is True or schema == {}:
            return FieldType("json", "any")
        if not isinstance(schema, Mapping):
            return FieldType("unknown", str(schema))
        ref = schema.get("$ref")
        if isinstance(ref, str) and not ref.startswith("#"):
            return FieldType(f"ref:{ref}", ref)
        if isinstance(ref, str) and _only_ref(schema):
            return self.reference(schema, ref, pointer, depth)
        schema, pointer = self.resolve(schema, pointer, depth)
        if not isinstance(schema, Mapping):
            return FieldType("unknown", str(schema))
        for combinator in ("oneOf", "anyOf"):
            options = schema.get(combinator)
            if isinstance(options, list) and options and "type" not in schema:
                members = [
                    self.type(o, f"{pointer}/{combinator}/{i}", depth + 1)
                    for i, o in enumerate(options)
                ]
                return _union(members, combinator)
        raw_type = schema.get("type")
        types = raw_type if isinstance(raw_type, list) else [raw_type]
        nullable = "null" in types
        names = [t for t in types if isinstance(t, str) and t != "null"]
        if not names and "properties" in schema:
            names = ["object"]
        if not names and isinstance(schema.get("enum"), list):
            names = ["string"]
        if len(names) > 1:
            members = [self.type({**schema, "type": n}, pointer, depth + 1) for n in names]
            made = _union(members, "type")
            return made.with_nullable(True) if nullable else made
        name = names[0] if names else None
        if name is None:
            return FieldType("json", "any", nullable=nullable)
        kind = _SCALARS.get(name, name)
        unit = None
        fmt = schema.get("format")
        if kind == "string" and isinstance(fmt, str) and fmt in _FORMATS:
            kind, unit = _FORMATS[fmt]
        enum = schema.get("enum")
        symbols = tuple(str(s) for s in enum if s is not None) if isinstance(enum, list) else ()
        if isinstance(enum, list) and None in enum:
            nullable = True
        constraints = _constraints(schema)
        if kind == "record":
            return self.object(schema, pointer, depth, nullable)
        items = None
        if kind == "array":
            raw_items = schema.get("items")
            items = self.type(
                raw_items if raw_items is not None else True, f"{pointer}/items", depth + 1
            )
        return FieldType(
            kind,
            name if not fmt else f"{name} ({fmt})",
            nullable=nullable,
            unit=unit,
            items=items,
            symbols=symbols,
            constraints=constraints,
        )

    def reference(self, schema: Mapping[str, Any], ref: str, pointer: str, depth: int) -> FieldType:
        """A plain `$ref`: read its target once, by target."""
        found = self.refs.get(ref)
        if found is not None:
            return found
        if ref in self.building:
            return FieldType("record", ref, name=ref)
        self.building.add(ref)
        try:
            target, where = self.resolve(schema, pointer, depth)
            made = self.type(target, where, depth + 1)
        finally:
            self.building.discard(ref)
        self.refs[ref] = made
        return made

    def object(
        self, schema: Mapping[str, Any], pointer: str, depth: int, nullable: bool
    ) -> FieldType:
        properties = schema.get("properties")
        required = schema.get("required")
        required_names = set(required) if isinstance(required, list) else set()
        fields: list[Field] = []
        if isinstance(properties, Mapping):
            for name, sub in properties.items():
                here = f"{pointer}/properties/{_escape(str(name))}"
                ftype = self.type(sub, here, depth + 1)
                has_default = isinstance(sub, Mapping) and "default" in sub
                fields.append(
                    Field(
                        name=str(name),
                        type=ftype,
                        required=name in required_names,
                        has_default=has_default,
                        default=sub.get("default") if isinstance(sub, Mapping) else None,
                        origin=Origin(self.path, self.document.span(here), here),
                    )
                )
        model, additional = self.content_model(schema, pointer, depth)
        return FieldType(
            "record",
            "object",
            nullable=nullable,
            fields=tuple(fields),
            content_model=model,
            additional=additional,
        )

    def content_model(
        self, schema: Mapping[str, Any], pointer: str, depth: int
    ) -> tuple[str, FieldType | None]:
        extra = schema.get("additionalProperties")
        if extra is False or schema.get("unevaluatedProperties") is False:
            return "closed", None
        if isinstance(extra, Mapping) and extra:
            return "partial", self.type(extra, f"{pointer}/additionalProperties", depth + 1)
        patterns = schema.get("patternProperties")
        if isinstance(patterns, Mapping) and patterns:
            key, first = next(iter(patterns.items()))
            return "partial", self.type(
                first, f"{pointer}/patternProperties/{_escape(str(key))}", depth + 1
            )
        return "open", None


_ANNOTATIONS = frozenset({"$ref", "description", "title", "$comment", "examples", "default"})


def _only_ref(schema: Mapping[str, Any]) -> bool:
    return all(key in _ANNOTATIONS for key in schema) and "default" not in schema


def _escape(part: str) -> str:
    return part.replace("~", "~0").replace("/", "~1")


def _union(members: list[FieldType], how: str) -> FieldType:
    nullable = any(m.kind == "null" or m.nullable for m in members)
    others = tuple(m.with_nullable(False) for m in members if m.kind != "null")
    if len(others) == 1:
        return others[0].with_nullable(nullable)
    if not others:
        return FieldType("null", "null", nullable=True)
    return FieldType("union", how, nullable=nullable, members=others)


def _constraints(schema: Mapping[str, Any]) -> Constraints:
    def integer(key: str) -> int | None:
        value = schema.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def number(*keys: str) -> float | None:
        for key in keys:
            value = schema.get(key)
            if isinstance(value, int | float) and not isinstance(value, bool):
                return value
        return None

    pattern = schema.get("pattern")
    return Constraints(
        pattern=pattern if isinstance(pattern, str) else None,
        min_length=integer("minLength"),
        max_length=integer("maxLength"),
        minimum=number("minimum", "exclusiveMinimum"),
        maximum=number("maximum", "exclusiveMaximum"),
    )
