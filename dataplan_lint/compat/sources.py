"""Shared pieces of the schema-file readers: the error type and a position-aware reader
for JSON and YAML documents (JSON is YAML 1.2, so the plan loader gives us positions)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from dataplan_lint.findings import Span


class SchemaFileError(Exception):
    """A schema file that cannot be read as the contract's format, with its position."""

    def __init__(self, message: str, line: int | None = None, col: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col

    def where(self) -> str:
        if self.line is None:
            return ""
        return f" (line {self.line}" + (f", column {self.col})" if self.col else ")")


@dataclass(slots=True)
class Document:
    """Parsed JSON/YAML data plus the span of each value under its JSON pointer."""

    data: Any
    values: dict[str, Span] = field(default_factory=dict)

    def span(self, pointer: str) -> Span | None:
        while True:
            found = self.values.get(pointer)
            if found is not None or not pointer:
                return found
            pointer = pointer.rsplit("/", 1)[0]


def read_document(text: str, path: str) -> Document:
    """Parse JSON or YAML text, keeping positions; raise SchemaFileError when it fails."""
    from dataplan_lint.loader import load_text

    result = load_text(text, path)
    if result.plan is not None and not result.findings:
        return Document(result.plan.data, result.plan.values)
    try:  # a JSON file the YAML reader refuses (tabs for indentation, for example)
        return Document(json.loads(text))
    except ValueError as exc:
        lineno = getattr(exc, "lineno", None)
        colno = getattr(exc, "colno", None)
        if result.findings:
            first = result.findings[0]
            message = first.message
            if first.span is not None and lineno is None:
                lineno, colno = first.span.start_line, first.span.start_col
        else:
            message = getattr(exc, "msg", str(exc))
        raise SchemaFileError(message, lineno, colno) from None
