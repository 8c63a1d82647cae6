"""Positions between the tool (1-based, characters) and LSP (0-based, code units)."""

from __future__ import annotations

import pytest
from lsprotocol import types

from dataplan_lint.core.findings import Span
from dataplan_lint.lsp.positions import (
    Lines,
    line_start,
    next_line_start,
    offset_at,
    position_at,
)

TEXT = "a😀é: 1\r\nb: 2\rc: 3\n"


@pytest.mark.parametrize(
    ("encoding", "character"),
    [
        (types.PositionEncodingKind.Utf16, 4),  # the emoji is two UTF-16 units
        (types.PositionEncodingKind.Utf8, 7),  # four UTF-8 bytes, é two
        (types.PositionEncodingKind.Utf32, 3),
    ],
)
def test_columns_are_counted_in_the_agreed_units(encoding: str, character: int) -> None:
    lines = Lines(TEXT, encoding)

    assert lines.to_client(1, 4) == types.Position(line=0, character=character)  # the `:`
    assert lines.from_client(types.Position(line=0, character=character)) == (1, 4)


def test_lines_break_at_lf_crlf_and_cr_only() -> None:
    lines = Lines(TEXT + "d\u2028e: 4\n")

    assert lines.lines == ["a😀é: 1", "b: 2", "c: 3", "d\u2028e: 4"]
    assert lines.range(Span(3, 1, 3, 2)) == types.Range(
        start=types.Position(line=2, character=0), end=types.Position(line=2, character=1)
    )
    assert lines.range(None) == types.Range(  # a finding about the whole file: line 1
        start=types.Position(line=0, character=0), end=types.Position(line=0, character=7)
    )
    assert lines.to_client(99, 1) == types.Position(line=4, character=0)  # past the end


def test_offsets_and_positions_agree_on_every_line_end() -> None:
    for offset in range(len(TEXT) + 1):
        line, col = position_at(TEXT, offset)
        if TEXT[offset - 1 : offset + 1] != "\r\n":  # not inside a CRLF
            assert offset_at(TEXT, line, col) == offset
    assert position_at(TEXT, TEXT.index("b")) == (2, 1)
    assert position_at(TEXT, TEXT.index("c")) == (3, 1)
    assert line_start(TEXT, TEXT.index("2")) == TEXT.index("b")
    assert next_line_start(TEXT, TEXT.index("1")) == TEXT.index("b")  # past the CRLF
    assert next_line_start(TEXT, TEXT.index("b")) == TEXT.index("b")
    assert next_line_start(TEXT, len(TEXT)) == len(TEXT)
