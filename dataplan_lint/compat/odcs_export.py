"""Write a plan's contracts as ODCS v3.0.2 files (`dataplan-lint export odcs`).

Each contract becomes one data contract with one schema object. The fields come from the
same field model the compatibility checks use (inline fields or the contract's schema
file), so a contract kept in Avro, JSON Schema or protobuf exports as well. What ODCS has
no word for is written as `dataplan*` customProperties, which the ODCS reader reads back:
exporting and then reading the file as a contract source gives the same field model.
Every file is validated against the official ODCS JSON Schema before it is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dataplan_lint.compat.model import Constraints, Field, FieldType, Schema, normalise
from dataplan_lint.compat.odcs import CUSTOM
from dataplan_lint.core import regexes

API_VERSION = "v3.0.2"
_SAFE_NAME = regexes.ODCS_SAFE_NAME.compile()

_INTEGERS = {"byte": "i8", "short": "i16", "int": "i32", "long": "i64"}
# Protobuf's integer kinds, by width and sign (ODCS reads them back as table integers).
PROTOBUF_INTEGERS = {
    "int32": "i32",
    "sint32": "i32",
    "sfixed32": "i32",
    "int64": "i64",
    "sint64": "i64",
    "sfixed64": "i64",
    "uint32": "u32",
    "fixed32": "u32",
    "uint64": "u64",
    "fixed64": "u64",
}
_NUMBERS = {"float": "f32", "double": "f64"}
_DATES = {"date", "timestamp", "timestamp_tz", "timestamp_ltz", "time"}
_UNIT_DIGITS = {"ms": "3", "us": "6", "ns": "9"}
MAX_PROPERTIES = 20_000
"""Properties one exported contract may have, nested ones included. ODCS has no way to
refer to a type written elsewhere, so a message or record used in several places is
written out at each; types that use the one before them twice would double with every
level and never finish writing."""


class ExportError(Exception):
    """The plan cannot be exported (it does not load, or the folder cannot be written)."""


@dataclass(slots=True)
class Exported:
    written: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "contract: why"


def export_plan(plan_path: str, output_dir: str) -> Exported:
    from dataplan_lint.compat.analysis import Analysis
    from dataplan_lint.compat.history import Entry, entries, parse_version
    from dataplan_lint.core.settings import Settings
    from dataplan_lint.files.loader import read_file

    try:
        loaded = read_file(Path(plan_path), plan_path, 10_000_000)
    except OSError as exc:
        raise ExportError(f"{plan_path}: cannot read: {exc.strerror or exc}") from None
    if loaded.plan is None or not isinstance(loaded.plan.data, Mapping):
        why = loaded.findings[0].message if loaded.findings else "not a plan"
        raise ExportError(f"{plan_path}: cannot be read as a plan: {why}")
    contracts = loaded.plan.data.get("contracts")
    if not isinstance(contracts, list):
        contracts = []
    target = Path(output_dir)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"{output_dir}: cannot create: {exc.strerror or exc}") from None
    analysis = Analysis(loaded.plan, Settings())
    result = Exported()
    for index, contract in enumerate(contracts):
        if not isinstance(contract, Mapping) or not isinstance(contract.get("name"), str):
            continue
        name = contract["name"]
        if not _SAFE_NAME.match(name):
            result.skipped.append(f"{name!r}: the name cannot be a file name")
            continue
        pointer = f"/contracts/{index}"
        entry = next((e for e in entries(contract, pointer) if e.is_current), None)
        if entry is None:  # no version: read the contract's own fields all the same
            entry = Entry(parse_version("0", None), pointer, contract, "BACKWARD", True)
        current = analysis.resolve(entry, contract)
        if current.schema is None:
            problems = [str(i.values["problem"]) for i in analysis.issues if "problem" in i.values]
            why = problems[-1] if problems else "it has neither fields nor a readable schema file"
            result.skipped.append(f"{name}: {why}")
            continue
        size = expanded_size(current.schema.fields)
        if size > MAX_PROPERTIES:
            result.skipped.append(
                f"{name}: its fields expand to {_count(size)} nested properties, more than "
                f"the {MAX_PROPERTIES:,} an export writes (ODCS cannot refer to a type "
                "written once; a record used in many places is written out at each)"
            )
            continue
        document = to_odcs(contract, current.schema)
        text = dump(document)
        _check_valid(document, name)
        path = target / f"{name}.odcs.yaml"
        from dataplan_lint.files.atomic import write_output

        try:
            write_output(path, text)
        except OSError as exc:
            raise ExportError(f"{path}: cannot write: {exc.strerror or exc}") from None
        result.written.append(path)
    return result


def expanded_size(fields: tuple[Field, ...]) -> int:
    """How many properties `fields` become when every shared type is written out, counted
    once per shared type (the field model reuses one object for a type used twice)."""
    memo: dict[int, int] = {}

    def of_type(ftype: FieldType | None) -> int:
        if ftype is None:
            return 0
        key = id(ftype)
        if key not in memo:
            memo[key] = 0  # a type reached again while it is counted adds nothing more
            memo[key] = (
                of_fields(ftype.fields)
                + of_type(ftype.items)
                + of_type(ftype.values)
                + sum(of_type(member) for member in ftype.members)
            )
        return memo[key]

    def of_fields(items: tuple[Field, ...]) -> int:
        return sum(1 + of_type(f.type) for f in items)

    return of_fields(fields)


def _count(size: int) -> str:
    return f"{size:,}" if size < 10**12 else f"about 10^{len(str(size)) - 1}"


def dump(document: Mapping[str, Any]) -> str:
    import yaml

    text: str = yaml.safe_dump(
        document, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100
    )
    return text


def _check_valid(document: Mapping[str, Any], name: str) -> None:
    from dataplan_lint.compat.odcs import SCHEMA_FILES
    from dataplan_lint.compat.odcs_layers import layered_errors

    errors = list(layered_errors(SCHEMA_FILES[API_VERSION], document))
    if errors:  # a bug in this module, never the plan's fault
        raise AssertionError(f"export of {name} breaks the ODCS schema: {errors[0].message}")


def to_odcs(contract: Mapping[str, Any], schema: Schema) -> dict[str, Any]:
    """The ODCS document of one contract, as plain data."""
    name = str(contract["name"])
    version = contract.get("version")
    kind = contract.get("kind")
    document: dict[str, Any] = {
        "apiVersion": API_VERSION,
        "kind": "DataContract",
        "id": name,
        "name": name,
        "version": str(version) if version is not None else "0",
        "status": "active",
    }
    owner = contract.get("owner")
    if isinstance(owner, str):
        document["team"] = [{"username": owner, "role": "owner"}]
    document["schema"] = [
        {
            "name": name,
            "physicalType": "topic" if kind == "event" else "table",
            "properties": [_property(f) for f in schema.fields],
        }
    ]
    about = {
        "compatibility": contract.get("compatibility"),
        "sourceFormat": contract.get("format"),
        "consumers": contract.get("consumers"),
    }
    custom = _custom(**{key: value for key, value in about.items() if value is not None})
    if custom:
        document["customProperties"] = custom
    return document


def _custom(**values: Any) -> list[dict[str, Any]]:
    return [
        {"property": CUSTOM + key[0].upper() + key[1:], "value": value}
        for key, value in values.items()
    ]


def _property(source: Field) -> dict[str, Any]:
    out: dict[str, Any] = {"name": source.name}
    out.update(_element(source.type))
    if source.required:
        out["required"] = True
    extra = out.pop("customProperties", [])
    if source.type.nullable == source.required:  # ODCS reads nullable as `not required`
        extra += _custom(nullable=source.type.nullable)
    if source.has_default:
        extra += _custom(default=source.default)
    if source.aliases:
        extra += _custom(aliases=list(source.aliases))
    if source.renamed_from:
        extra += _custom(renamedFrom=source.renamed_from)
    if extra:
        out["customProperties"] = extra
    return out


def _element(ftype: FieldType) -> dict[str, Any]:
    """logicalType, physicalType and what belongs to the type (options, nesting)."""
    kind = ftype.kind
    out: dict[str, Any] = {}
    options: dict[str, Any] = {}
    if kind == "record":
        out["logicalType"] = "object"
        out["physicalType"] = "struct"
        out["properties"] = [_property(f) for f in ftype.fields]
    elif kind == "map" and ftype.values is not None:
        # ODCS has no map: an object whose value type rides in a custom property.
        out["logicalType"] = "object"
        out["physicalType"] = "map"
        values = _element(ftype.values)
        if ftype.values.nullable:
            values.setdefault("customProperties", []).extend(_custom(nullable=True))
        out["customProperties"] = _custom(values=values)
        if ftype.items is not None:  # protobuf maps keep their key type
            out["customProperties"] += _custom(keys=_element(ftype.items))
    elif kind == "array":
        out["logicalType"] = "array"
        out["physicalType"] = "array"
        if ftype.items is not None:
            items = _element(ftype.items)
            if ftype.items.nullable:
                items.setdefault("customProperties", []).extend(_custom(nullable=True))
            out["items"] = items
    else:
        if kind in _INTEGERS or kind in PROTOBUF_INTEGERS:
            out["logicalType"] = "integer"
            options["format"] = _INTEGERS.get(kind) or PROTOBUF_INTEGERS[kind]
        elif kind in _NUMBERS:
            out["logicalType"] = "number"
            options["format"] = _NUMBERS[kind]
        elif kind == "decimal":
            out["logicalType"] = "number"
        elif kind == "boolean":
            out["logicalType"] = "boolean"
        elif kind in _DATES:
            out["logicalType"] = "date"
        else:
            out["logicalType"] = "string"
        out["physicalType"] = _physical(ftype)
    custom: list[dict[str, Any]] = out.pop("customProperties", [])
    native, rest = _split_constraints(ftype.constraints, out.get("logicalType"))
    options.update(native)
    if options and out.get("logicalType") not in ("object", "array"):
        out["logicalTypeOptions"] = options
    if ftype.constraints.unique:
        out["unique"] = True
    if rest:
        custom += _custom(constraints=rest)
    if ftype.constraints.not_null:
        custom += _custom(notNull=True)
    if ftype.symbols:
        custom += _custom(enum=list(ftype.symbols))
    if ftype.enum_default is not None:
        custom += _custom(enumDefault=ftype.enum_default)
    if custom:
        out["customProperties"] = custom
    return out


def _physical(ftype: FieldType) -> str:
    """The type as written when it reads back the same, else a canonical spelling."""
    written = normalise(ftype.text)
    if (written.kind, written.precision, written.scale, written.unit) == (
        ftype.kind,
        ftype.precision,
        ftype.scale,
        ftype.unit,
    ) and written.constraints.max_length in (None, ftype.constraints.max_length):
        return ftype.text
    if ftype.kind == "decimal":
        return f"decimal({ftype.precision or 38},{ftype.scale or 0})"
    if ftype.unit in _UNIT_DIGITS and ftype.kind in _DATES:
        return f"{ftype.kind}({_UNIT_DIGITS[ftype.unit]})"
    return ftype.kind


def _split_constraints(
    constraints: Constraints, logical: str | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Constraints ODCS can say for this logical type, and the rest (plan spelling)."""
    native: dict[str, Any] = {}
    rest: dict[str, Any] = {}
    for plan_key, odcs_key, allowed in (
        ("pattern", "pattern", ("string",)),
        ("min_length", "minLength", ("string",)),
        ("max_length", "maxLength", ("string",)),
        ("minimum", "minimum", ("integer", "number")),
        ("maximum", "maximum", ("integer", "number")),
    ):
        value = getattr(constraints, plan_key)
        if value is None:
            continue
        if logical in allowed:
            native[odcs_key] = value
        else:
            rest[plan_key] = value
    return native, rest
