"""Shared pieces of the schema-file readers: the error type and a position-aware reader
for JSON and YAML documents (JSON is YAML 1.2, so the plan loader gives us positions)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from dataplan_lint.core.findings import Span


class SchemaFileError(Exception):
    """A schema file that cannot be read as the contract's format, with its position and,
    when the cause says it, what to do (`fix`; the finding falls back to "correct the file")."""

    def __init__(
        self, message: str, line: int | None = None, col: int | None = None, fix: str = ""
    ) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col
        self.fix = fix

    @classmethod
    def at(cls, message: str, span: Span | None, fix: str = "") -> SchemaFileError:
        """The error placed at `span` (None: no place known)."""
        return cls(
            message, span.start_line if span else None, span.start_col if span else None, fix
        )

    def remedy(self) -> str:
        """The fix clause of the DP741 finding."""
        if self.fix:
            return self.fix
        return "correct the file at that place" if self.line is not None else "correct the file"

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
    """Parse JSON or YAML text, keeping positions; raise SchemaFileError when it fails.

    Errors are worded for the file's language: JSON's for `.json`/`.avsc`, YAML's for
    `.yaml`/`.yml`.
    """
    from dataplan_lint.files.loader import load_text

    result = load_text(text, path)
    if result.plan is not None and not result.findings:
        return Document(result.plan.data, result.plan.values)
    try:  # JSON the YAML reader refuses (tabs for indentation, a scalar at the top, ...)
        return Document(json.loads(text))
    except RecursionError:
        raise SchemaFileError("the document nests too deeply to be read") from None
    except ValueError as exc:
        if path.lower().endswith((".yaml", ".yml")) and result.findings:
            first = result.findings[0]
            span = first.span
            raise SchemaFileError(
                first.message, span.start_line if span else None, span.start_col if span else None
            ) from None
        message = getattr(exc, "msg", str(exc))
        raise SchemaFileError(
            f"invalid JSON: {message}", getattr(exc, "lineno", None), getattr(exc, "colno", None)
        ) from None
