"""Read an Open Data Contract Standard (ODCS v3) file into the field model.

The file is first validated against the official ODCS JSON Schema for its `apiVersion`
(vendored under `schemas/odcs/`); every schema error becomes its own problem with the
file's line and column. A valid file then maps one schema object (`object:` in the
contract picks it when the file has several) onto the field model:

* the type comes from `physicalType` when it names a type we know (`bigint`,
  `decimal(12,2)`, `varchar(3)`, ...), else from `logicalType` (and its `format`);
* `required: true` means the column is always present and never null; `required: false`
  (the default) means it may be missing or null;
* `primaryKey: true` adds the `unique` and `not_null` constraints; `unique` adds `unique`;
* `logicalTypeOptions` gives `pattern`, `minLength`, `maxLength`, `minimum`, `maximum`;
* `object` properties nest as records, `array` `items` as array elements.

What ODCS has no word for (enum symbols, defaults, aliases, a `nullable` that differs
from `required`) is read from `customProperties` named `dataplan*`, which is also what
`dataplan-lint export odcs` writes, so an exported contract reads back to the same model.
The type mapping is documented in `references/odcs.md`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.compat.model import (
    Constraints,
    Field,
    FieldType,
    Origin,
    Schema,
    normalise,
)
from dataplan_lint.compat.sources import SchemaFileError
from dataplan_lint.core import regexes
from dataplan_lint.core.findings import Span

# apiVersion -> vendored schema file; v3.0.0 and v3.0.1 files validate against v3.0.2
# (patch releases only clarified the text and accept the earlier version strings).
SCHEMA_FILES = {
    "v3.0.0": "odcs-json-schema-v3.0.2.json",
    "v3.0.1": "odcs-json-schema-v3.0.2.json",
    "v3.0.2": "odcs-json-schema-v3.0.2.json",
    "v3.1.0": "odcs-json-schema-v3.1.0.json",
}
MAX_PROBLEMS = 50
_MAX_DEPTH = 64
CUSTOM = "dataplan"  # prefix of our customProperties

_LOGICAL = {
    "string": "string",
    "date": "date",
    "timestamp": "timestamp_tz",
    "time": "time",
    "integer": "long",
    "number": "double",
    "boolean": "boolean",
    "object": "record",
    "array": "array",
}
_INTEGER_FORMATS = {
    "i8": "byte",
    "i16": "short",
    "i32": "int",
    "i64": "long",
    "u8": "short",
    "u16": "int",
    "u32": "long",
    "u64": "decimal",
}
_NUMBER_FORMATS = {"f32": "float", "f64": "double"}
_STRING_FORMATS = {"uuid": "uuid", "binary": "bytes", "byte": "bytes"}


class OdcsInvalid(SchemaFileError):
    """The file breaks the ODCS JSON Schema; `problems` holds each error with its place."""

    def __init__(self, problems: list[SchemaFileError]) -> None:
        first = problems[0]
        super().__init__(first.message, first.line, first.col)
        self.problems = problems


def read_odcs(text: str, path: str, object_name: str | None = None) -> Schema:
    from dataplan_lint.files.loader import LoadedPlan, load_text

    result = load_text(text, path)
    if result.plan is None or result.findings:
        first = result.findings[0] if result.findings else None
        span = first.span if first else None
        message = first.message if first else "the file is empty"
        if first is not None and first.rule_id == "DP004":  # the loader words it for plans
            message = "an ODCS file is a mapping at the top level"
        raise SchemaFileError(
            message,
            span.start_line if span else None,
            span.start_col if span else None,
        )
    document: LoadedPlan = result.plan
    data = document.data
    if not isinstance(data, Mapping):
        raise SchemaFileError("an ODCS file is a mapping at the top level", 1, 1)
    validate(data, document)
    objects = data.get("schema")
    if not isinstance(objects, list) or not objects:
        span = document.key_span("/schema") or document.span("")
        raise SchemaFileError(
            "the data contract defines no schema object",
            span.start_line if span else None,
            span.start_col if span else None,
        )
    index, chosen = _choose(objects, object_name, document)
    reader = _Reader(document, path)
    pointer = f"/schema/{index}"
    fields = reader.properties(chosen.get("properties"), f"{pointer}/properties", 0)
    name = chosen.get("name")
    return Schema(
        format="odcs",
        fields=fields,
        name=name if isinstance(name, str) else None,
        origin=Origin(path, document.span(f"{pointer}/name"), pointer),
        extra={"api_version": data.get("apiVersion"), "object": name},
    )


def validate(data: Mapping[str, Any], document: Any) -> None:
    """Raise OdcsInvalid with every schema error, in file order."""
    api = data.get("apiVersion")
    name = SCHEMA_FILES.get(api) if isinstance(api, str) else None
    if name is None and isinstance(api, str):
        span = document.span("/apiVersion")
        supported = ", ".join(SCHEMA_FILES)
        raise SchemaFileError(
            f"apiVersion {api!r} is not an ODCS version this tool reads ({supported})",
            span.start_line if span else None,
            span.start_col if span else None,
        )
    problems = [
        _problem(error, document) for error in _errors(name or SCHEMA_FILES["v3.0.2"], data)
    ]
    if problems:
        problems.sort(key=lambda p: (p.line or 0, p.col or 0, p.message))
        raise OdcsInvalid(problems[:MAX_PROBLEMS])


def _errors(name: str, data: Mapping[str, Any]) -> Iterator[Any]:
    from jsonschema.exceptions import best_match

    from dataplan_lint.compat.odcs_layers import layered_errors

    for error in layered_errors(name, data):
        # if/then branches and combinators nest the real cause: report the deepest.
        if error.context:
            yield best_match(error.context)
        else:
            yield error


_QUOTED = regexes.ODCS_QUOTED.compile()


def _problem(error: Any, document: Any) -> SchemaFileError:
    pointer = "".join(
        "/" + str(part).replace("~", "~0").replace("/", "~1") for part in error.absolute_path
    )
    span: Span | None = document.span(pointer)
    message = str(error.message)
    if error.validator in ("additionalProperties", "unevaluatedProperties"):
        keys = [k for k in _QUOTED.findall(message) if isinstance(error.instance, Mapping)]
        keys = [k for k in keys if k in error.instance]
        if keys:
            span = document.key_span(f"{pointer}/{keys[0]}") or span
            listed = ", ".join(f"`{k}`" for k in keys)
            message = f"unexpected key {listed} (not in the ODCS schema)"
    where = pointer or "/"
    return SchemaFileError(
        f"ODCS schema: {message} at `{where}`",
        span.start_line if span else None,
        span.start_col if span else None,
    )


def _choose(objects: list[Any], wanted: str | None, document: Any) -> tuple[int, Mapping[str, Any]]:
    named = [(i, o) for i, o in enumerate(objects) if isinstance(o, Mapping) and "name" in o]
    names = [str(o["name"]) for _, o in named]
    if wanted is None:
        if len(named) == 1:
            return named[0]
        span = document.key_span("/schema")
        raise SchemaFileError(
            f"the file has {len(named)} schema objects ({', '.join(names)}); "
            "name one with `object:` in the contract",
            span.start_line if span else None,
            span.start_col if span else None,
            fix="set `object` to one of them",
        )
    for index, item in named:
        if item["name"] == wanted:
            return index, item
    from dataplan_lint.core.words import did_you_mean

    hint = did_you_mean(wanted, names) or f" (it has {', '.join(names)})"
    raise SchemaFileError(
        f"the file defines no schema object named `{wanted}`{hint}",
        fix="set `object` to a schema object the file defines",
    )


def custom_properties(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Our `dataplan*` customProperties of one element, keyed without the prefix."""
    out: dict[str, Any] = {}
    items = raw.get("customProperties")
    if not isinstance(items, list):
        return out
    for item in items:
        if isinstance(item, Mapping):
            key = item.get("property")
            if isinstance(key, str) and key.startswith(CUSTOM) and len(key) > len(CUSTOM):
                name = key[len(CUSTOM)]
                out[name.lower() + key[len(CUSTOM) + 1 :]] = item.get("value")
    return out


class _Reader:
    def __init__(self, document: Any, path: str) -> None:
        self.document = document
        self.path = path

    def properties(self, raw: Any, pointer: str, depth: int) -> tuple[Field, ...]:
        if not isinstance(raw, list) or depth > _MAX_DEPTH:
            return ()
        out: list[Field] = []
        for index, item in enumerate(raw):
            if isinstance(item, Mapping) and isinstance(item.get("name"), str):
                out.append(self.field(item, f"{pointer}/{index}", depth))
        return tuple(out)

    def field(self, raw: Mapping[str, Any], pointer: str, depth: int) -> Field:
        custom = custom_properties(raw)
        required = raw.get("required") is True
        ftype = self.type(raw, pointer, depth, custom)
        nullable = custom.get("nullable")
        ftype = ftype.with_nullable(nullable if isinstance(nullable, bool) else not required)
        aliases = custom.get("aliases")
        renamed = custom.get("renamedFrom")
        return Field(
            name=raw["name"],
            type=ftype,
            required=required,
            has_default="default" in custom,
            default=custom.get("default"),
            aliases=tuple(a for a in aliases if isinstance(a, str))
            if isinstance(aliases, list)
            else (),
            renamed_from=renamed if isinstance(renamed, str) else None,
            origin=Origin(self.path, self.document.span(f"{pointer}/name"), pointer),
        )

    def element(self, raw: Mapping[str, Any], pointer: str, depth: int) -> FieldType:
        """An array's items or a map's values: not null unless they say so."""
        custom = custom_properties(raw)
        made = self.type(raw, pointer, depth, custom)
        return made.with_nullable(custom.get("nullable") is True)

    def type(
        self, raw: Mapping[str, Any], pointer: str, depth: int, custom: Mapping[str, Any]
    ) -> FieldType:
        logical = raw.get("logicalType")
        physical = raw.get("physicalType")
        options = raw.get("logicalTypeOptions")
        options = options if isinstance(options, Mapping) else {}
        base = _logical_type(logical, options)
        if logical not in ("object", "array") and isinstance(physical, str) and physical.strip():
            written = normalise(physical)
            if _known(written.kind) or base is None:
                base = written
        if base is None:
            base = FieldType("string" if logical is None else str(logical), "string")
        text = physical if isinstance(physical, str) and physical.strip() else str(logical)
        fields: tuple[Field, ...] = ()
        items = values = None
        map_values = custom.get("values")
        if logical == "object" and isinstance(map_values, Mapping) and depth <= _MAX_DEPTH:
            # A map (keys are strings), as `export odcs` writes it.
            values = self.element(map_values, f"{pointer}/customProperties", depth + 1)
            keys = custom.get("keys")
            if isinstance(keys, Mapping):
                items = self.element(keys, f"{pointer}/customProperties", depth + 1)
            base = FieldType("map", "map")
        elif base.kind == "record" or logical == "object":
            fields = self.properties(raw.get("properties"), f"{pointer}/properties", depth + 1)
        if logical == "array":
            raw_items = raw.get("items")
            if isinstance(raw_items, Mapping) and depth <= _MAX_DEPTH:
                items = self.element(raw_items, f"{pointer}/items", depth + 1)
        symbols = custom.get("enum")
        enum_default = custom.get("enumDefault")
        return FieldType(
            kind=base.kind,
            text=text,
            precision=base.precision,
            scale=base.scale,
            unit=base.unit,
            fields=fields,
            items=items,
            values=values,
            symbols=tuple(str(s) for s in symbols) if isinstance(symbols, list) else (),
            enum_default=str(enum_default) if enum_default is not None else None,
            constraints=_constraints(raw, options, base.constraints, custom),
        )


def _known(kind: str) -> bool:
    from dataplan_lint.compat.model import _ALIASES

    return kind in _ALIASES.values()


def _logical_type(logical: Any, options: Mapping[str, Any]) -> FieldType | None:
    if not isinstance(logical, str) or logical not in _LOGICAL:
        return None
    kind = _LOGICAL[logical]
    fmt = options.get("format")
    if isinstance(fmt, str):
        if logical == "integer":
            kind = _INTEGER_FORMATS.get(fmt, kind)
        elif logical == "number":
            kind = _NUMBER_FORMATS.get(fmt, kind)
        elif logical == "string":
            kind = _STRING_FORMATS.get(fmt, kind)
    if kind == "decimal":  # unsigned 64-bit integers need 20 digits
        return FieldType(kind, logical, precision=20, scale=0)
    return FieldType(kind, logical)


def _constraints(
    raw: Mapping[str, Any],
    options: Mapping[str, Any],
    base: Constraints,
    custom: Mapping[str, Any],
) -> Constraints:
    def integer(key: str, current: int | None) -> int | None:
        value = options.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else current

    def number(key: str, current: float | None) -> float | None:
        value = options.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value
        return current

    pattern = options.get("pattern")
    made = Constraints(
        pattern=pattern if isinstance(pattern, str) else base.pattern,
        min_length=integer("minLength", base.min_length),
        max_length=integer("maxLength", base.max_length),
        minimum=number("minimum", base.minimum),
        maximum=number("maximum", base.maximum),
        not_null=raw.get("primaryKey") is True or custom.get("notNull") is True,
        unique=raw.get("primaryKey") is True or raw.get("unique") is True,
    )
    extra = custom.get("constraints")
    if isinstance(extra, Mapping):
        from dataplan_lint.compat.inline import constraints_from

        made = constraints_from(extra, made)
    return made
