"""What to write instead of a value that misses its schema `pattern` (DP016).

A regex tells a reader little; the schema's own description and examples say what the
value is for. The message names what is expected (the description's first sentence), and
a value to write: the written one made to fit (`Web Clicks` -> `web_clicks`) when that
matches the pattern, else the schema's first example. A property without a description
keeps the pattern in the message.
"""

from __future__ import annotations

from typing import Any

MAX_CANDIDATE = 200  # longer values are not rewritten into a suggestion
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_.-")


def pattern_message(where: str, value: Any, schema: Any, pattern: Any) -> str:
    """The DP016 message for `value` at `where` (already quoted) missing `pattern`."""
    described = _expected(schema)
    if described is None:
        return f"{where} is {value!r}, which does not match the pattern {pattern!r}"
    write = _candidate(value, pattern) or _example(schema)
    advice = f" - write `{write}`" if write is not None else ""
    return f"{where} is {value!r}; expected {described}{advice}"


def _expected(schema: Any) -> str | None:
    description = schema.get("description") if isinstance(schema, dict) else None
    if not isinstance(description, str) or not description.strip():
        return None
    first = description.strip().split(". ", 1)[0].rstrip(".")
    return first[:1].lower() + first[1:]


def _example(schema: Any) -> str | None:
    examples = schema.get("examples") if isinstance(schema, dict) else None
    if isinstance(examples, list) and examples and isinstance(examples[0], str):
        return examples[0]
    return None


def _candidate(value: Any, pattern: Any) -> str | None:
    """`value` lower-cased with every run of other characters as one `_`, if that fits."""
    if not isinstance(value, str) or not isinstance(pattern, str) or len(value) > MAX_CANDIDATE:
        return None
    out: list[str] = []
    for char in value.strip().lower():
        if char in _NAME_CHARS:
            out.append(char)
        elif out and out[-1] != "_":
            out.append("_")
    candidate = "".join(out).strip("_")
    if not candidate or candidate == value:
        return None
    from dataplan_lint.schema.errors import schema_regex

    return candidate if schema_regex(pattern).search(candidate) else None
