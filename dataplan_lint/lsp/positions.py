"""Positions between the tool and the Language Server Protocol.

The tool counts lines and columns from 1, columns in characters (code points), with
lines broken at LF, CRLF and CR. LSP counts both from 0, and columns in the code units
the client and server agreed on: UTF-16 unless the client offered another encoding.
Lines are broken at the same three line ends in both, so only columns need converting.
"""

from __future__ import annotations

from lsprotocol import types

from dataplan_lint.core.findings import Span
from dataplan_lint.files.loader import text_lines


def _units(text: str, encoding: str) -> int:
    if encoding == types.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8", "surrogatepass"))
    if encoding == types.PositionEncodingKind.Utf32:
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


class Lines:
    """A document's lines, converting positions for one position encoding."""

    def __init__(self, text: str, encoding: str = types.PositionEncodingKind.Utf16) -> None:
        self.lines = text_lines(text)
        self.encoding = encoding

    def line(self, number: int) -> str:
        """Line `number` (1-based); '' past the end."""
        return self.lines[number - 1] if 1 <= number <= len(self.lines) else ""

    def to_client(self, line: int, col: int) -> types.Position:
        """The LSP position of the tool's 1-based (line, col), clamped to the text."""
        if line > len(self.lines):
            return types.Position(line=len(self.lines), character=0)
        row = max(line, 1) - 1
        text = self.lines[row]
        index = min(max(col, 1) - 1, len(text))
        return types.Position(line=row, character=_units(text[:index], self.encoding))

    def from_client(self, position: types.Position) -> tuple[int, int]:
        """The tool's 1-based (line, col) of an LSP position."""
        line = position.line + 1
        text = self.line(line)
        units = 0
        for index, char in enumerate(text):
            if units >= position.character:
                return line, index + 1
            units += _units(char, self.encoding)
        return line, len(text) + 1

    def whole_line(self, line: int) -> Span:
        """The span of a whole line (what a finding without a place is shown on)."""
        return Span(line, 1, line, len(self.line(line)) + 1)

    def range(self, span: Span | None) -> types.Range:
        """The LSP range of a span; the first line for a finding about the whole file."""
        if span is None:
            span = self.whole_line(1)
        return types.Range(
            start=self.to_client(span.start_line, span.start_col),
            end=self.to_client(span.end_line, span.end_col),
        )


# Offsets into the text (indexes of characters) and the tool's positions.


def _next_break(text: str, offset: int) -> int:
    ends = [found for found in (text.find("\n", offset), text.find("\r", offset)) if found >= 0]
    return min(ends) if ends else -1


def line_start(text: str, offset: int) -> int:
    """The offset where the line holding `offset` starts."""
    return max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset)) + 1


def next_line_start(text: str, offset: int) -> int:
    """`offset` when a line starts there, else where the next line starts (or the end)."""
    if offset == 0 or (text[offset - 1] in "\n\r" and not text.startswith("\r\n", offset - 1)):
        return offset
    found = _next_break(text, offset)
    if found < 0:
        return len(text)
    return found + (2 if text.startswith("\r\n", found) else 1)


def position_at(text: str, offset: int) -> tuple[int, int]:
    """The tool's 1-based (line, col) of an offset."""
    before = text[:offset]
    line = before.count("\n") + before.count("\r") - before.count("\r\n") + 1
    return line, offset - line_start(text, offset) + 1


def offset_at(text: str, line: int, col: int) -> int:
    """The offset of the tool's 1-based (line, col)."""
    index = 0
    for _ in range(line - 1):
        found = _next_break(text, index)
        if found < 0:
            return len(text)
        index = found + (2 if text.startswith("\r\n", found) else 1)
    return index + col - 1
