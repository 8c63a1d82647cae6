"""Collect every schema error of an invalid plan, without importing jsonschema.

jsonschema costs about 60 ms to import, which a pre-commit hook pays on every failing
run. The bundled schemas use a small set of keywords, so this module walks the plan
against them and yields errors shaped like jsonschema's (`validator`, `validator_value`,
`instance`, `schema`, `absolute_path`, `message`, `cause`, `context`), which
`schema_check` turns into findings. `supports()` says whether a schema uses only those
keywords; a test holds the bundled schema to it and checks that the walker reports what
jsonschema reports.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from dataplan_lint.core import quantities, regexes

HANDLED = frozenset(
    {
        "$ref",
        "type",
        "properties",
        "additionalProperties",
        "required",
        "items",
        "enum",
        "const",
        "minimum",
        "maximum",
        "minItems",
        "minLength",
        "uniqueItems",
        "pattern",
        "format",
        "allOf",
        "if",
        "then",
        "else",
    }
)
ANNOTATIONS = frozenset(
    {
        "$schema",
        "$id",
        "$defs",
        "description",
        "title",
        "examples",
        "default",
        "$comment",
        "x-concrete",
    }
)


@dataclass(slots=True)
class SchemaError:
    validator: str
    validator_value: Any
    instance: Any
    schema: Mapping[str, Any]
    path: tuple[str | int, ...]
    message: str
    cause: Exception | None = None
    context: list[SchemaError] = field(default_factory=list)

    @property
    def absolute_path(self) -> deque[str | int]:
        return deque(self.path)


def supports(schema: Any) -> bool:
    """True when every keyword in `schema` is one this module evaluates or ignores."""
    if isinstance(schema, bool):
        return True
    if not isinstance(schema, Mapping):
        return False
    for key, value in schema.items():
        if key not in HANDLED and key not in ANNOTATIONS:
            return False
        if key in ("properties", "$defs"):
            subschemas = list(value.values())
        elif key == "allOf":
            subschemas = list(value)
        elif key in ("items", "additionalProperties", "if", "then", "else"):
            subschemas = [value]
        else:
            continue
        if not all(supports(sub) for sub in subschemas):
            return False
    return True


def _is_type(value: Any, name: str) -> bool:
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "string":
        return isinstance(value, str)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "null":
        return value is None
    if isinstance(value, bool):
        return False
    if name == "integer":
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    if name == "number":
        return isinstance(value, int | float)
    return False


def ecma_dollar(pattern: str) -> str:
    """`pattern` with `$` (outside a character class) rewritten as `\\Z`.

    In JSON Schema (ECMA 262) `$` ends the input; Python's `$` also matches before a final
    newline, so `^[a-z]+$` would accept "abc\\n". The generated validator (fastjsonschema)
    makes the same rewrite, so every validator gives the same answer.
    """
    out: list[str] = []
    escaped = in_class = False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "$":
            out.append("\\Z")
            continue
        out.append(char)
    return "".join(out)


def schema_regex(pattern: str) -> re.Pattern[str]:
    """A JSON Schema `pattern` compiled with JSON Schema's meaning of `$`."""
    return regexes.schema_pattern(ecma_dollar(pattern))


def _unique(items: list[Any]) -> bool:
    seen: list[Any] = []
    for item in items:
        # JSON equality: true is not 1.
        if any(type(item) is type(other) and item == other for other in seen):
            return False
        seen.append(item)
    return True


class Walker:
    def __init__(self, root: Mapping[str, Any]) -> None:
        self.root = root

    def resolve(self, ref: str) -> Any:
        if not ref.startswith("#"):
            raise ValueError(f"unsupported $ref {ref!r}")
        node: Any = self.root
        for token in ref[1:].split("/")[1:]:
            node = node[token.replace("~1", "/").replace("~0", "~")]
        return node

    def errors(
        self, value: Any, schema: Any, path: tuple[str | int, ...] = ()
    ) -> Iterator[SchemaError]:
        if schema is True:
            return
        if schema is False:
            yield SchemaError("false", False, value, {}, path, "False schema does not allow it")
            return
        if "$ref" in schema:
            yield from self.errors(value, self.resolve(schema["$ref"]), path)
        for keyword, rule in schema.items():
            check = _CHECKS.get(keyword)
            if check is not None:
                yield from check(self, value, rule, schema, path)


Check = Callable[
    [Walker, Any, Any, Mapping[str, Any], tuple[str | int, ...]], Iterator[SchemaError]
]


def _type(
    w: Walker, value: Any, rule: Any, schema: Mapping[str, Any], path: tuple[str | int, ...]
) -> Iterator[SchemaError]:
    names = [rule] if isinstance(rule, str) else list(rule)
    if not any(_is_type(value, name) for name in names):
        yield SchemaError(
            "type",
            rule,
            value,
            schema,
            path,
            f"{value!r} is not of type {', '.join(repr(n) for n in names)}",
        )


def _properties(
    w: Walker, value: Any, rule: Any, schema: Mapping[str, Any], path: tuple[str | int, ...]
) -> Iterator[SchemaError]:
    if isinstance(value, dict):
        for name, sub in rule.items():
            if name in value:
                yield from w.errors(value[name], sub, (*path, name))


def _additional(
    w: Walker, value: Any, rule: Any, schema: Mapping[str, Any], path: tuple[str | int, ...]
) -> Iterator[SchemaError]:
    if not isinstance(value, dict):
        return
    extra = [key for key in value if key not in schema.get("properties", {})]
    if not extra:
        return
    if rule is False:
        listed = ", ".join(repr(key) for key in sorted(extra, key=str))
        verb = "was" if len(extra) == 1 else "were"
        yield SchemaError(
            "additionalProperties",
            False,
            value,
            schema,
            path,
            f"Additional properties are not allowed ({listed} {verb} unexpected)",
        )
    elif isinstance(rule, Mapping):
        for key in extra:
            yield from w.errors(value[key], rule, (*path, key))


def _required(
    w: Walker, value: Any, rule: Any, schema: Mapping[str, Any], path: tuple[str | int, ...]
) -> Iterator[SchemaError]:
    if isinstance(value, dict):
        for name in rule:
            if name not in value:
                yield SchemaError(
                    "required", rule, value, schema, path, f"{name!r} is a required property"
                )


def _items(
    w: Walker, value: Any, rule: Any, schema: Mapping[str, Any], path: tuple[str | int, ...]
) -> Iterator[SchemaError]:
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield from w.errors(item, rule, (*path, index))


def _enum(
    w: Walker, value: Any, rule: Any, schema: Mapping[str, Any], path: tuple[str | int, ...]
) -> Iterator[SchemaError]:
    if not any(type(value) is type(choice) and value == choice for choice in rule) and not (
        _is_type(value, "number") and any(_is_type(c, "number") and c == value for c in rule)
    ):
        yield SchemaError("enum", rule, value, schema, path, f"{value!r} is not one of {rule!r}")


def _const(
    w: Walker, value: Any, rule: Any, schema: Mapping[str, Any], path: tuple[str | int, ...]
) -> Iterator[SchemaError]:
    yield from (
        SchemaError("const", rule, error.instance, schema, path, f"{rule!r} was expected")
        for error in _enum(w, value, [rule], schema, path)
    )


def _minimum(
    w: Walker, value: Any, rule: Any, schema: Mapping[str, Any], path: tuple[str | int, ...]
) -> Iterator[SchemaError]:
    if _is_type(value, "number") and value < rule:
        yield SchemaError(
            "minimum", rule, value, schema, path, f"{value!r} is less than the minimum of {rule!r}"
        )


def _maximum(
    w: Walker, value: Any, rule: Any, schema: Mapping[str, Any], path: tuple[str | int, ...]
) -> Iterator[SchemaError]:
    if _is_type(value, "number") and value > rule:
        yield SchemaError(
            "maximum",
            rule,
            value,
            schema,
            path,
            f"{value!r} is greater than the maximum of {rule!r}",
        )


def _min_items(
    w: Walker, value: Any, rule: Any, schema: Mapping[str, Any], path: tuple[str | int, ...]
) -> Iterator[SchemaError]:
    if isinstance(value, list) and len(value) < rule:
        text = "should be non-empty" if rule == 1 else "is too short"
        yield SchemaError("minItems", rule, value, schema, path, f"{value!r} {text}")


def _min_length(
    w: Walker, value: Any, rule: Any, schema: Mapping[str, Any], path: tuple[str | int, ...]
) -> Iterator[SchemaError]:
    if isinstance(value, str) and len(value) < rule:
        text = "should be non-empty" if rule == 1 else "is too short"
        yield SchemaError("minLength", rule, value, schema, path, f"{value!r} {text}")


def _unique_items(
    w: Walker, value: Any, rule: Any, schema: Mapping[str, Any], path: tuple[str | int, ...]
) -> Iterator[SchemaError]:
    if rule and isinstance(value, list) and not _unique(value):
        yield SchemaError(
            "uniqueItems", rule, value, schema, path, f"{value!r} has non-unique elements"
        )


def _pattern(
    w: Walker, value: Any, rule: Any, schema: Mapping[str, Any], path: tuple[str | int, ...]
) -> Iterator[SchemaError]:
    if isinstance(value, str) and schema_regex(rule).search(value) is None:
        yield SchemaError(
            "pattern", rule, value, schema, path, f"{value!r} does not match {rule!r}"
        )


def _format(
    w: Walker, value: Any, rule: Any, schema: Mapping[str, Any], path: tuple[str | int, ...]
) -> Iterator[SchemaError]:
    if not (isinstance(value, str) and isinstance(rule, str) and rule.startswith("dp-")):
        return
    try:
        quantities.parse(rule[3:], value)
    except quantities.QuantityError as exc:
        yield SchemaError(
            "format", rule, value, schema, path, f"{value!r} is not a {rule!r}", cause=exc
        )


def _all_of(
    w: Walker, value: Any, rule: Any, schema: Mapping[str, Any], path: tuple[str | int, ...]
) -> Iterator[SchemaError]:
    for sub in rule:
        yield from w.errors(value, sub, path)


def _if(
    w: Walker, value: Any, rule: Any, schema: Mapping[str, Any], path: tuple[str | int, ...]
) -> Iterator[SchemaError]:
    """`if`/`then`/`else`: the branch that applies (the tool's ruleset schema: a
    function's options depend on the function's name)."""
    holds = next(iter(w.errors(value, rule, path)), None) is None
    branch = schema.get("then" if holds else "else")
    if branch is not None:
        yield from w.errors(value, branch, path)


_CHECKS: dict[str, Check] = {
    "allOf": _all_of,
    "if": _if,
    "type": _type,
    "properties": _properties,
    "additionalProperties": _additional,
    "required": _required,
    "items": _items,
    "enum": _enum,
    "const": _const,
    "minimum": _minimum,
    "maximum": _maximum,
    "minItems": _min_items,
    "minLength": _min_length,
    "uniqueItems": _unique_items,
    "pattern": _pattern,
    "format": _format,
}
