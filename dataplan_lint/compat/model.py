"""A tool-neutral model of one version of a contract: its fields and their types.

Every source (inline plan fields, Avro, JSON Schema, protobuf, ODCS) is read into this model;
the differ and the classifier only ever see it. Two attributes that schema languages
blur are kept apart on purpose:

* `required` - writers must always set the field (so a reader may rely on it), and
* `has_default` - a reader has a value to use when the field is absent.

Whether a reader copes with a missing field depends on both and on the format (an Avro
reader needs a default; a JSON Schema or table reader only needs the field to be
optional), which is the classifier's business, not the model's.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from dataplan_lint.core import regexes
from dataplan_lint.core.findings import Span

FORMATS = ("avro", "protobuf", "json-schema", "table", "odcs")


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an element was declared: a file (plan or schema file) and a span in it."""

    path: str
    span: Span | None = None
    pointer: str = ""

    def describe(self) -> str:
        return f"{self.path}:{self.span.start_line}" if self.span else self.path


@dataclass(frozen=True, slots=True)
class Constraints:
    """Value constraints; `None` / `False` means "not constrained"."""

    pattern: str | None = None
    min_length: int | None = None
    max_length: int | None = None
    minimum: float | None = None
    maximum: float | None = None
    not_null: bool = False
    unique: bool = False
    multiple_of: float | None = None
    min_items: int | None = None
    max_items: int | None = None
    min_properties: int | None = None
    max_properties: int | None = None
    # JSON Schema `dependencies` / `dependentRequired` / `dependentSchemas`: property name
    # -> the canonical JSON of what it requires.
    dependencies: tuple[tuple[str, str], ...] = ()

    def is_empty(self) -> bool:
        return self == Constraints()


@dataclass(frozen=True, slots=True)
class FieldType:
    """A normalised value type.

    `kind` is the normalised name (`int`, `long`, `decimal`, `string`, `record`, `array`,
    `map`, `enum`, `union`, `fixed`, or an opaque lower-cased name for anything else);
    `text` is the type as written, for messages.
    """

    kind: str
    text: str
    nullable: bool = False
    precision: int | None = None
    scale: int | None = None
    unit: str | None = None  # timestamp precision (ms, us) when the format says
    size: int | None = None  # Avro fixed size
    name: str | None = None  # full name of a named type (Avro record/enum/fixed, proto message)
    aliases: tuple[str, ...] = ()
    fields: tuple[Field, ...] = ()
    items: FieldType | None = None
    values: FieldType | None = None
    symbols: tuple[str, ...] = ()
    enum_default: str | None = None
    members: tuple[FieldType, ...] = ()  # non-null union branches
    constraints: Constraints = Constraints()
    content_model: str | None = None  # JSON Schema objects and tuples: open, closed, partial
    additional: FieldType | None = None  # JSON Schema partially-open: type of extra props
    # JSON Schema `patternProperties`: (pattern, type) of extra properties by name.
    patterns: tuple[tuple[str, FieldType], ...] = ()
    negated: FieldType | None = None  # JSON Schema `not`: values of this type are refused

    def describe(self) -> str:
        """The type as a reader would say it, after normalisation."""
        if self.kind == "decimal" and self.precision is not None:
            base = f"decimal({self.precision},{self.scale or 0})"
        elif self.kind == "array" and self.items is not None:
            base = f"array<{self.items.describe()}>"
        elif self.kind == "map" and self.values is not None:
            base = f"map<{self.values.describe()}>"
        elif self.kind == "union":
            base = "union<" + ",".join(member.describe() for member in self.members) + ">"
        elif self.kind in ("record", "enum", "fixed") and self.name:
            base = f"{self.kind} {short_name(self.name)}"
        elif self.kind == "timestamp" and self.unit:
            base = f"timestamp({self.unit})"
        else:
            base = self.kind
        return f"{base}?" if self.nullable else base

    def with_nullable(self, nullable: bool) -> FieldType:
        return replace(self, nullable=nullable)


@dataclass(frozen=True, slots=True)
class Field:
    """A named field of a record."""

    name: str
    type: FieldType
    required: bool = False
    has_default: bool = False
    default: Any = None
    aliases: tuple[str, ...] = ()
    renamed_from: str | None = None
    number: int | None = None  # protobuf field number
    oneof: str | None = None  # protobuf oneof the field belongs to
    origin: Origin | None = None

    @property
    def nullable(self) -> bool:
        return self.type.nullable


@dataclass(frozen=True, slots=True)
class Schema:
    """One version of a contract's record, in any format."""

    format: str
    fields: tuple[Field, ...]
    name: str | None = None
    aliases: tuple[str, ...] = ()
    content_model: str | None = None  # JSON Schema: open, closed or partial
    additional: FieldType | None = None  # JSON Schema partially-open: type of extra props
    reserved_numbers: tuple[tuple[int, int], ...] = ()  # protobuf reserved ranges
    reserved_names: frozenset[str] = frozenset()
    origin: Origin | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
    # The whole top-level type as read from a schema file: a registry accepts any type at
    # the root (an Avro `int`, enum or union; any JSON Schema), and a record root is
    # compared field by field through `fields` above.
    root: FieldType | None = field(default=None, compare=False)

    def root_type(self) -> FieldType:
        if self.root is not None:
            return self.root
        return FieldType(
            "record",
            self.name or "record",
            name=self.name,
            aliases=self.aliases,
            fields=self.fields,
            content_model=self.content_model,
            additional=self.additional,
        )

    def number_reserved(self, number: int) -> bool:
        return any(low <= number <= high for low, high in self.reserved_numbers)


def short_name(full: str) -> str:
    return full.rsplit(".", 1)[-1]


# ---------------------------------------------------------------------------------------
# Type-name normalisation (inline plan fields, table columns, JSON Schema formats)

_ALIASES: dict[str, str] = {}
for _kind, _names in {
    "boolean": ("boolean", "bool"),
    "byte": ("tinyint", "byte", "int1"),
    "short": ("short", "smallint", "int16", "int2"),
    "int": ("int", "integer", "int32", "int4", "mediumint"),
    "long": ("long", "bigint", "int64", "int8"),
    "float": ("float", "float32", "real", "float4"),
    "double": ("double", "float64", "float8", "double precision"),
    "decimal": ("decimal", "numeric", "number", "dec", "bignumeric", "bigdecimal"),
    "string": (
        "string",
        "str",
        "text",
        "varchar",
        "char",
        "character",
        "character varying",
        "nvarchar",
        "nchar",
        "utf8",
        "keyword",
    ),
    "bytes": ("bytes", "binary", "varbinary", "blob", "bytea"),
    "timestamp": (
        "timestamp",
        "timestamp_ntz",
        "datetime",
        "timestamp without time zone",
        "datetime2",
    ),
    "timestamp_tz": ("timestamp_tz", "timestamptz", "timestamp with time zone"),
    "timestamp_ltz": ("timestamp_ltz",),
    "date": ("date",),
    "time": ("time", "time_ntz", "time without time zone"),
    "uuid": ("uuid",),
    "json": ("json", "jsonb", "variant"),
    "record": ("record", "struct", "object", "message", "row"),
    "array": ("array", "list", "repeated"),
    "map": ("map",),
    "enum": ("enum",),
    "fixed": ("fixed",),
}.items():
    for _name in _names:
        _ALIASES[_name] = _kind

_SIZED = regexes.SIZED_TYPE.compile()
_TIMESTAMP_UNITS = {"3": "ms", "6": "us", "9": "ns"}


def normalise(text: str) -> FieldType:
    """Parse a type as written (`BIGINT`, `decimal(12,2)`, `varchar(3)`) into a FieldType.

    Size parameters of strings become a `max_length` constraint, so widening a
    varchar reads as loosening a constraint; decimal precision and scale are kept.
    Unknown names are kept (lower-cased) as opaque kinds compared by equality.
    """
    lowered = " ".join(text.strip().lower().split())
    sized = _SIZED.match(lowered)
    args: tuple[int, int | None] | None = None
    if sized:
        lowered = sized.group(1).strip()
        args = (int(sized.group(2)), int(sized.group(3)) if sized.group(3) is not None else None)
    kind = _ALIASES.get(lowered, lowered)
    if kind == "decimal":
        if args is None:
            # Snowflake NUMBER / ANSI NUMERIC without arguments default to (38, 0).
            return FieldType("decimal", text, precision=38, scale=0)
        return FieldType("decimal", text, precision=args[0], scale=args[1] or 0)
    if kind == "string" and args is not None:
        return FieldType("string", text, constraints=Constraints(max_length=args[0]))
    if kind in ("timestamp", "timestamp_tz", "timestamp_ltz", "time") and args is not None:
        return FieldType(kind, text, unit=_TIMESTAMP_UNITS.get(str(args[0]), str(args[0])))
    return FieldType(kind, text)


NUMERIC_WIDENING = ("byte", "short", "int", "long", "float", "double")
