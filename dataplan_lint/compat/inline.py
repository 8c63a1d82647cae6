"""Read a contract's inline `fields:` (from the plan) into the field model."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dataplan_lint.compat.model import Constraints, Field, FieldType, Origin, Schema, normalise
from dataplan_lint.files.loader import LoadedPlan


def constraints_from(raw: Any, base: Constraints | None = None) -> Constraints:
    """Plan `constraints:` merged over what the type itself implies (varchar(n))."""
    base = base or Constraints()
    if not isinstance(raw, Mapping):
        return base

    def number(key: str, current: float | None) -> float | None:
        value = raw.get(key)
        return value if isinstance(value, int | float) and not isinstance(value, bool) else current

    def integer(key: str, current: int | None) -> int | None:
        value = raw.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else current

    pattern = raw.get("pattern")
    return Constraints(
        pattern=pattern if isinstance(pattern, str) else base.pattern,
        min_length=integer("min_length", base.min_length),
        max_length=integer("max_length", base.max_length),
        minimum=number("minimum", base.minimum),
        maximum=number("maximum", base.maximum),
        not_null=raw.get("not_null") is True or base.not_null,
        unique=raw.get("unique") is True or base.unique,
    )


class InlineReader:
    """Builds model objects from plan data, attaching plan positions to every field."""

    def __init__(self, plan: LoadedPlan | None, path: str) -> None:
        self.plan = plan
        self.path = path

    def origin(self, pointer: str) -> Origin:
        span = None
        if self.plan is not None:
            span = self.plan.values.get(pointer + "/name") or self.plan.span(pointer)
        return Origin(self.path, span, pointer)

    def element(self, raw: Mapping[str, Any], pointer: str) -> FieldType:
        written = raw.get("type")
        text = written if isinstance(written, str) else "unknown"
        base = normalise(text)
        constraints = constraints_from(raw.get("constraints"), base.constraints)
        nullable = raw.get("nullable") is True and not constraints.not_null
        precision = raw.get("precision")
        scale = raw.get("scale")
        kind = base.kind
        fields: tuple[Field, ...] = ()
        if isinstance(raw.get("fields"), list):
            fields = self.fields(raw["fields"], pointer + "/fields")
            if kind not in ("record",):
                kind = "record" if kind in ("unknown", "json") else kind
        items = raw.get("items")
        values = raw.get("values")
        symbols: tuple[str, ...] = ()
        if isinstance(raw.get("enum"), list):
            symbols = tuple(str(symbol) for symbol in raw["enum"])
        enum_default = raw.get("enum_default")
        return FieldType(
            kind=kind,
            text=text,
            nullable=nullable,
            precision=precision if isinstance(precision, int) else base.precision,
            scale=scale if isinstance(scale, int) else base.scale,
            unit=base.unit,
            fields=fields,
            items=self.element(items, pointer + "/items") if isinstance(items, Mapping) else None,
            values=(
                self.element(values, pointer + "/values") if isinstance(values, Mapping) else None
            ),
            symbols=symbols,
            enum_default=str(enum_default) if enum_default is not None else None,
            constraints=constraints,
        )

    def field(self, raw: Mapping[str, Any], pointer: str) -> Field | None:
        name = raw.get("name")
        if not isinstance(name, str):
            return None
        aliases = raw.get("aliases")
        renamed = raw.get("renamed_from")
        number = raw.get("number")
        return Field(
            name=name,
            type=self.element(raw, pointer),
            required=raw.get("required") is True,
            has_default="default" in raw,
            default=raw.get("default"),
            aliases=tuple(a for a in aliases if isinstance(a, str))
            if isinstance(aliases, list)
            else (),
            renamed_from=renamed if isinstance(renamed, str) else None,
            number=number if isinstance(number, int) and not isinstance(number, bool) else None,
            origin=self.origin(pointer),
        )

    def fields(self, raw: list[Any], pointer: str) -> tuple[Field, ...]:
        out: list[Field] = []
        for index, item in enumerate(raw):
            if isinstance(item, Mapping):
                made = self.field(item, f"{pointer}/{index}")
                if made is not None:
                    out.append(made)
        return tuple(out)


def read_inline(
    holder: Mapping[str, Any],
    contract: Mapping[str, Any],
    plan: LoadedPlan | None,
    path: str,
    pointer: str,
) -> Schema:
    """The schema given by `holder["fields"]` (a contract or one of its history entries)."""
    reader = InlineReader(plan, path)
    raw = holder.get("fields")
    fields = reader.fields(raw, pointer + "/fields") if isinstance(raw, list) else ()
    fmt = contract.get("format")
    content_model = contract.get("content_model")
    record = contract.get("record") or contract.get("message")
    return Schema(
        format=fmt if isinstance(fmt, str) else "table",
        fields=fields,
        name=record if isinstance(record, str) else None,
        content_model=content_model if isinstance(content_model, str) else None,
        origin=reader.origin(pointer),
    )
