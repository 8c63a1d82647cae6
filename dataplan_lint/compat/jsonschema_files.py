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

Local `$ref`s (`#/$defs/...`, `#/definitions/...`) are followed, and so are references to
other files of the repository (`common.json#/$defs/Money`, relative to the referring
file), read through the analysis's bounded, confined `Fetch`; a reference that cannot be
followed (a URL, a missing file) stays an opaque type and is noted (DP744).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from dataplan_lint.compat.model import Constraints, Field, FieldType, Origin, Schema
from dataplan_lint.compat.references import Fetch
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


def read_json_schema(
    text: str, path: str, declared_model: str | None = None, fetch: Fetch | None = None
) -> Schema:
    """`fetch` reads the files `$ref`s point at (None: such references are not followed,
    and said so)."""
    document = read_document(text, path)
    if not isinstance(document.data, Mapping | bool):
        raise SchemaFileError("a JSON Schema is an object or a boolean")
    if isinstance(document.data, Mapping):
        _check_valid(document.data)
    notes: list[str] = []
    reader = _Reader(document, path, _Files(fetch, notes))
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
        extra={"not_followed": tuple(notes)},
    )


class _Files:
    """The other files of one schema: each read once through `fetch`, with its reader."""

    def __init__(self, fetch: Fetch | None, notes: list[str]) -> None:
        self.fetch = fetch
        self.notes = notes
        self.readers: dict[str, _Reader | None] = {}

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def reader(self, base: str, ref: str) -> tuple[_Reader | None, str]:
        """The reader of the file `ref` names (relative to the file `base`), and the
        fragment to read in it; None (noted) when the file cannot be read."""
        from dataplan_lint.compat.references import join

        target, _, fragment = ref.partition("#")
        fetch = self.fetch
        base_rel = base.removeprefix(fetch.prefix) if fetch is not None else base
        rel = join(base_rel, target)
        if rel is None:
            self.note(f"`$ref` {ref!r} is not a file in the repository; that part is not compared")
            return None, fragment
        if fetch is None:
            self.note(f"`$ref` {ref!r} to another file is not followed here")
            return None, fragment
        if rel not in self.readers:
            self.readers[rel] = None
            try:
                shown = fetch.prefix + rel
                document = read_document(fetch.text(rel), shown)
                self.readers[rel] = _Reader(document, shown, self)
            except SchemaFileError as exc:
                self.note(f"`$ref` {ref!r} (`{rel}`) cannot be read: {exc.message}")
        return self.readers[rel], fragment


def _check_valid(data: Mapping[str, Any]) -> None:
    """Reject documents that are not JSON Schemas at all, with the validator's words."""
    from jsonschema.exceptions import SchemaError
    from jsonschema.validators import Draft7Validator, validator_for

    declared = data.get("$schema")
    if declared is not None and not isinstance(declared, str):
        raise SchemaFileError("invalid JSON Schema: `$schema` must be a string (a draft's URI)")
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
    def __init__(self, document: Document, path: str, files: _Files) -> None:
        self.document = document
        self.path = path
        self.files = files
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
        if schema is False:
            return FieldType("never", "false")
        if not isinstance(schema, Mapping):
            return FieldType("unknown", str(schema))
        ref = schema.get("$ref")
        if isinstance(ref, str) and not ref.startswith("#"):
            return self.external(ref, depth)
        if isinstance(ref, str) and _only_ref(schema):
            return self.reference(schema, ref, pointer, depth)
        schema, pointer = self.resolve(schema, pointer, depth)
        if not isinstance(schema, Mapping):
            return self.type(schema, pointer, depth + 1)
        every = schema.get("allOf")
        if isinstance(every, list) and every:
            # A product type: read as the one schema its members add up to.
            merged = self.merge_all(schema, every, pointer, depth)
            return self.type(merged, pointer, depth + 1)
        negated = schema.get("not")
        if negated is not None:
            rest = {key: value for key, value in schema.items() if key != "not"}
            inner = self.type(negated, f"{pointer}/not", depth + 1)
            return replace(self.type(rest or True, pointer, depth + 1), negated=inner)
        if "const" in schema and "enum" not in schema:
            schema = {**schema, "enum": [schema["const"]]}
        for combinator in ("oneOf", "anyOf"):
            options = schema.get(combinator)
            if isinstance(options, list) and options and "type" not in schema:
                members = [
                    self.type(o, f"{pointer}/{combinator}/{i}", depth + 1)
                    for i, o in enumerate(options)
                ]
                return _union(members, combinator)
        raw_type = schema.get("type")
        if raw_type == []:  # what an allOf of disjoint types leaves: no value is valid
            return FieldType("never", "no type")
        types = raw_type if isinstance(raw_type, list) else [raw_type]
        nullable = "null" in types
        names = [t for t in types if isinstance(t, str) and t != "null"]
        if not names and raw_type is None:
            # Untyped: the keywords say what it constrains (an object, an array).
            if any(key in schema for key in _OBJECT_KEYWORDS):
                names = ["object"]
            elif any(key in schema for key in _ARRAY_KEYWORDS):
                names = ["array"]
            elif isinstance(schema.get("enum"), list):
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
        if kind == "array":
            return self.array(schema, pointer, depth, nullable, constraints)
        items = None
        return FieldType(
            kind,
            name if not fmt else f"{name} ({fmt})",
            nullable=nullable,
            unit=unit,
            items=items,
            symbols=symbols,
            constraints=constraints,
        )

    def external(self, ref: str, depth: int) -> FieldType:
        """A `$ref` to another file: its target read by that file's reader (once, like a
        local target); opaque, compared by the reference's text, when it cannot be read."""
        other, fragment = self.files.reader(self.path, ref)
        if other is None or depth > _MAX_REF_DEPTH:
            return FieldType(f"ref:{ref}", ref)
        local = "#" + fragment
        try:
            return other.reference({"$ref": local}, local, fragment, depth + 1)
        except SchemaFileError as exc:
            self.files.note(f"`$ref` {ref!r}: {exc.message}")
            return FieldType(f"ref:{ref}", ref)

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
        if made.kind == "record" and made.name is None:
            made = replace(made, name=ref)  # so union branches pair by definition
        self.refs[ref] = made
        return made

    def merge_all(
        self, schema: Mapping[str, Any], members: list[Any], pointer: str, depth: int
    ) -> dict[str, Any]:
        merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        for index, member in enumerate(members):
            if isinstance(member, Mapping) and isinstance(member.get("$ref"), str):
                member, _ = self.resolve(member, f"{pointer}/allOf/{index}", depth)
            if member is False:
                merged["type"] = []
            elif isinstance(member, Mapping):
                if isinstance(member.get("allOf"), list):
                    member = self.merge_all(member, member["allOf"], pointer, depth)
                _merge_into(merged, member)
        return merged

    def array(
        self,
        schema: Mapping[str, Any],
        pointer: str,
        depth: int,
        nullable: bool,
        constraints: Constraints,
    ) -> FieldType:
        """An array: one item type, or a tuple (`prefixItems`, or `items` as a list before
        2020-12) whose positions are compared like properties, with `items` /
        `additionalItems` as the content model of positions past the tuple."""
        prefix = schema.get("prefixItems")
        raw_items = schema.get("items")
        if isinstance(prefix, list):
            positions, extra, extra_key = prefix, raw_items if "items" in schema else True, "items"
            key = "prefixItems"
        elif isinstance(raw_items, list) or "additionalItems" in schema:
            positions = raw_items if isinstance(raw_items, list) else []
            extra, extra_key, key = schema.get("additionalItems", True), "additionalItems", "items"
        else:
            items = self.type(
                raw_items if raw_items is not None else True, f"{pointer}/items", depth + 1
            )
            return FieldType(
                "array", "array", nullable=nullable, items=items, constraints=constraints
            )
        fields = []
        for index, sub in enumerate(positions):
            here = f"{pointer}/{key}/{index}"
            fields.append(
                Field(
                    name=f"[{index}]",
                    type=self.type(sub, here, depth + 1),
                    origin=Origin(self.path, self.document.span(here), here),
                )
            )
        if extra is False:
            model, additional = "closed", None
        elif extra is True or extra == {} or extra is None:
            model, additional = "open", None
        else:
            model = "partial"
            additional = self.type(extra, f"{pointer}/{extra_key}", depth + 1)
        return FieldType(
            "array",
            "tuple",
            nullable=nullable,
            items=FieldType("json", "any"),
            fields=tuple(fields),
            content_model=model,
            additional=additional,
            constraints=constraints,
        )

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
        if isinstance(required, list):
            # A name `required` lists without a property: the object must hold it, of any
            # type extra properties may have (registries compare the `required` set itself).
            declared = set(properties) if isinstance(properties, Mapping) else set()
            for index, name in enumerate(required):
                if not isinstance(name, str) or name in declared:
                    continue
                declared.add(name)
                here = f"{pointer}/required/{index}"
                fields.append(
                    Field(
                        name=name,
                        type=additional or self.type({}, here, depth + 1),
                        required=True,
                        origin=Origin(self.path, self.document.span(here), here),
                    )
                )
        patterns: list[tuple[str, FieldType]] = []
        raw_patterns = schema.get("patternProperties")
        if isinstance(raw_patterns, Mapping):
            for key, sub in raw_patterns.items():
                here = f"{pointer}/patternProperties/{_escape(str(key))}"
                patterns.append((str(key), self.type(sub, here, depth + 1)))
        return FieldType(
            "record",
            "object",
            nullable=nullable,
            fields=tuple(fields),
            content_model=model,
            additional=additional,
            patterns=tuple(patterns),
            constraints=_constraints(schema),
        )

    def content_model(
        self, schema: Mapping[str, Any], pointer: str, depth: int
    ) -> tuple[str, FieldType | None]:
        extra = schema.get("additionalProperties")
        patterns = schema.get("patternProperties")
        if extra is False or schema.get("unevaluatedProperties") is False:
            # Closed but for the names patternProperties admit.
            return ("partial" if isinstance(patterns, Mapping) and patterns else "closed"), None
        if isinstance(extra, Mapping) and extra:
            return "partial", self.type(extra, f"{pointer}/additionalProperties", depth + 1)
        if isinstance(patterns, Mapping) and patterns:
            return "partial", None
        return "open", None


_OBJECT_KEYWORDS = (
    "properties",
    "additionalProperties",
    "patternProperties",
    "required",
    "minProperties",
    "maxProperties",
    "dependencies",
    "dependentRequired",
    "dependentSchemas",
    "propertyNames",
    "unevaluatedProperties",
)
_ARRAY_KEYWORDS = (
    "items",
    "prefixItems",
    "additionalItems",
    "minItems",
    "maxItems",
    "uniqueItems",
    "contains",
)
_LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
_UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")


def _types_of(value: Any) -> set[str]:
    return {t for t in (value if isinstance(value, list) else [value]) if isinstance(t, str)}


def _merge_into(merged: dict[str, Any], member: Mapping[str, Any]) -> None:
    """Add one allOf member's keywords to `merged`: types intersect, bounds tighten,
    `required` and `properties` combine, `enum` keeps the common values."""
    for key, value in member.items():
        if key not in merged:
            merged[key] = value
            continue
        current = merged[key]
        if key == "type":
            left, right = _types_of(current), _types_of(value)
            both = left & right
            if _integer_meets_number(left, right) or _integer_meets_number(right, left):
                both.add("integer")  # an integer is a number
            merged[key] = sorted(both)
        elif key == "required" and isinstance(current, list) and isinstance(value, list):
            merged[key] = list(dict.fromkeys([*current, *value]))
        elif key == "enum" and isinstance(current, list) and isinstance(value, list):
            merged[key] = [item for item in current if item in value]
        elif key == "properties" and isinstance(current, Mapping) and isinstance(value, Mapping):
            combined = dict(current)
            for name, sub in value.items():
                combined[name] = {"allOf": [combined[name], sub]} if name in combined else sub
            merged[key] = combined
        elif key in _LOWER_BOUNDS and _is_number(current) and _is_number(value):
            merged[key] = max(current, value)
        elif key in _UPPER_BOUNDS and _is_number(current) and _is_number(value):
            merged[key] = min(current, value)


def _integer_meets_number(left: set[str], right: set[str]) -> bool:
    return "integer" in left and "number" in right


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


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
    dependencies: dict[str, str] = {}
    for key in ("dependencies", "dependentRequired", "dependentSchemas"):
        raw = schema.get(key)
        if isinstance(raw, Mapping):
            for name, needs in raw.items():
                dependencies[str(name)] = json.dumps(needs, sort_keys=True, default=str)
    multiple = number("multipleOf")
    return Constraints(
        pattern=pattern if isinstance(pattern, str) else None,
        min_length=integer("minLength"),
        max_length=integer("maxLength"),
        minimum=number("minimum", "exclusiveMinimum"),
        maximum=number("maximum", "exclusiveMaximum"),
        unique=schema.get("uniqueItems") is True,
        multiple_of=multiple if multiple and multiple > 0 else None,
        min_items=integer("minItems"),
        max_items=integer("maxItems"),
        min_properties=integer("minProperties"),
        max_properties=integer("maxProperties"),
        dependencies=tuple(sorted(dependencies.items())),
    )
