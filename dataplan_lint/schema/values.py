"""How schema errors name types and values, for plan findings and input errors alike."""

from __future__ import annotations

from collections.abc import Iterable

TYPE_WORDS = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}


def expected_types(names: str | Iterable[str]) -> str:
    """`a mapping or a list` for the JSON types of a `type` keyword."""
    listed = [names] if isinstance(names, str) else list(names)
    return " or ".join(TYPE_WORDS.get(name, name) for name in listed)


def describe_value(value: object) -> str:
    """A value as a message shows it: `the string 'x'`, `a list`, `int 3`."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the string {shown!r}"
    return f"{type(value).__name__} {value!r}"
