"""The tool's own inputs - configuration and rulesets - checked against their schemas.

`schemas/config.schema.json` and `schemas/ruleset.schema.json` describe every key a
configuration or ruleset file may have; the walker that finds a plan's schema errors
(`schema.errors.Walker`) finds theirs, and each error becomes one line naming the file,
the line and column, the key and - for a misspelt key or value - the closest known one.
What a schema cannot say (a selector names a known rule, a regex compiles, a preset
chain ends) stays in the code that reads the file.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from functools import cache
from typing import Any

from dataplan_lint.core.pointers import build, display, join
from dataplan_lint.core.words import closest, did_you_mean
from dataplan_lint.schema.bundle import TOOL_SCHEMAS

CONFIG, RULESET = TOOL_SCHEMAS

# pointer, whether the key (True) or the value is meant -> (line, column), or None
Locate = Callable[[str, bool], "tuple[int, int] | None"]


@cache
def tool_schema(name: str) -> dict[str, Any]:
    """One of the committed input schemas (`CONFIG`, `RULESET`)."""
    from dataplan_lint.core.resources import schemas_dir
    from dataplan_lint.files.reader import read_package_file

    document: dict[str, Any] = json.loads(read_package_file(schemas_dir() / name))
    return document


def editor_copy(name: str, text: str) -> dict[str, Any]:
    """The schema as editors get it: the configuration's keys also in snake_case, as
    the tool accepts them."""
    document: dict[str, Any] = json.loads(text)
    if name == CONFIG:
        properties = document["properties"]
        for key in list(properties):
            if "-" in key:
                properties[key.replace("-", "_")] = {"$ref": f"#/properties/{key}"}
    return document


def first_problem(data: Any, name: str, source: str, locate: Locate) -> str | None:
    """The first problem in file order, saying how many follow (an error message is
    one line); None when `data` fits the schema."""
    found = problems(data, name, source, locate)
    if not found:
        return None
    more = len(found) - 1
    return found[0] + (f" (and {more} more problem{'s' if more > 1 else ''})" if more else "")


def problems(data: Any, name: str, source: str, locate: Locate) -> list[str]:
    """What is wrong with `data` for the schema `name`: `source:line:col: key: why`."""
    from dataplan_lint.schema.errors import Walker

    schema = tool_schema(name)
    found: dict[tuple[int, int, str], str] = {}
    for error in Walker(schema).errors(data, schema):
        for pointer, at_key, owner, text in _explain(error):
            position = locate(pointer, at_key)
            where = f"{source}:{position[0]}:{position[1]}" if position else source
            label = display(owner, data)
            prefix = "" if label == "(document root)" else f"{label}: "
            line, column = position or (0, 0)
            found.setdefault((line, column, text), f"{where}: {prefix}{text}")
    return [found[key] for key in sorted(found)]


def yaml_locator(plan: Any) -> Locate:
    """Positions from a file read by the plans' loader (`files.loader.LoadedPlan`)."""

    def locate(pointer: str, key: bool) -> tuple[int, int] | None:
        span = plan.key_span(pointer) if key else plan.span(pointer)
        return (span.start_line, span.start_col) if span is not None else None

    return locate


def _explain(error: Any) -> Iterator[tuple[str, bool, str, str]]:
    """(where, at its key?, the key the message is about, what is wrong) per walker error."""
    pointer = build(error.path)
    keyword, rule, value, schema = (
        error.validator,
        error.validator_value,
        error.instance,
        error.schema,
    )
    if keyword == "additionalProperties":
        yield from _unknown_keys(pointer, value, schema if pointer else {**schema, "title": ""})
    elif keyword == "required":
        missing = [repr(name) for name in rule if name not in value]
        known = schema.get("properties", {})
        misspelt = {f"{closest(str(key), rule)!r}" for key in value if key not in known}
        missing = [name for name in missing if name not in misspelt]  # said once, there
        if missing:
            keys = "key" if len(missing) == 1 else "keys"
            yield pointer, True, pointer, f"missing required {keys} {', '.join(missing)}"
    elif keyword == "type":
        from dataplan_lint.schema.values import describe_value, expected_types

        yield (
            pointer,
            False,
            pointer,
            f"expected {expected_types(rule)}, not {describe_value(value)}{_about(schema)}",
        )
    elif keyword in ("enum", "const"):
        yield (
            pointer,
            False,
            pointer,
            _unknown_value(value, rule if keyword == "enum" else [rule], schema),
        )
    elif keyword in ("minItems", "minLength"):
        yield pointer, False, pointer, "must not be empty"
    elif keyword == "minimum":
        yield pointer, False, pointer, f"must be at least {rule}, not {value!r}{_about(schema)}"
    elif keyword == "maximum":
        yield pointer, False, pointer, f"must be at most {rule}, not {value!r}{_about(schema)}"
    elif keyword == "pattern":
        from dataplan_lint.schema.pattern_hint import pattern_message

        yield pointer, False, pointer, pattern_message("the value", value, schema, rule)
    else:
        yield pointer, False, pointer, error.message


def _unknown_keys(
    pointer: str, value: Any, schema: Mapping[str, Any]
) -> Iterator[tuple[str, bool, str, str]]:
    allowed = sorted(schema.get("properties", {}))
    title = schema.get("title")
    where = f" in {title}" if isinstance(title, str) and title else ""
    known = ", ".join(allowed) or "none"
    for key in value:
        if key not in allowed:
            hint = did_you_mean(str(key), allowed)
            yield (
                join(pointer, str(key)),
                True,
                pointer,
                f"unknown key {key!r}{hint}{where}; known keys: {known}",
            )


def _unknown_value(value: Any, choices: list[Any], schema: Mapping[str, Any]) -> str:
    title = schema.get("title")
    noun = title if isinstance(title, str) and title else "value"
    words = [str(choice) for choice in choices]
    hint = did_you_mean(value, words) if isinstance(value, str) else ""
    return f"unknown {noun} {value!r}{hint}; expected one of: {', '.join(words)}"


def _about(schema: Mapping[str, Any]) -> str:
    """` (what the key is)`: the first sentence of its description, when it has one."""
    text = schema.get("description")
    if not isinstance(text, str) or not text.strip():
        return ""
    first = text.strip().split(". ", 1)[0].rstrip(".")
    return f" ({first[:1].lower()}{first[1:]})"
