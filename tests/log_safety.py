"""Checks that an output is safe to print in a terminal or a GitHub Actions log.

The runner reads a log line by line (LF, CR and CRLF each end a line, as .NET's
ReadLine does) and runs a line that starts, after blanks, with `::` as a workflow
command; its older parser also acts on `##[` anywhere in a line. A terminal acts on ESC
and other control characters, and bidi controls reorder what is shown. Used by the
hostile-output tests and the fuzzing suite (imported by basename: tests/ is on sys.path).
"""

from __future__ import annotations

import re

# What a terminal must never receive raw (TAB is fine; LF and CR split lines).
RAW_CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
)
# A github reporter line: command, comma-separated key=value properties, `::`, data.
ANNOTATION = re.compile(
    r"::(?P<command>error|warning|notice)"
    r" (?P<props>[A-Za-z]+=[^:,]*(?:,[A-Za-z]+=[^:,]*)*)::(?P<data>.*)"
)
_DATA_ESCAPE = re.compile(r"%(?!25|0D|0A)")
_PROPERTY_ESCAPE = re.compile(r"%(?!25|0D|0A|3A|2C)")
LINE_END = re.compile(r"\r\n|\r|\n")
# Anchored with \A: unanchored, a long run of blanks is rescanned from every position.
WORKFLOW_COMMAND = re.compile(r"\A\s*::")
# Every pattern above reads the tool's output, which carries plan text a pull request
# wrote: tests/hostile/test_regex_growth.py audits them with the package's own.
PATTERNS = {
    "RAW_CONTROL": RAW_CONTROL,
    "ANNOTATION": ANNOTATION,
    "DATA_ESCAPE": _DATA_ESCAPE,
    "PROPERTY_ESCAPE": _PROPERTY_ESCAPE,
    "LINE_END": LINE_END,
    "WORKFLOW_COMMAND": WORKFLOW_COMMAND,
}


def log_lines(output: str) -> list[str]:
    return LINE_END.split(output)


def assert_annotation(line: str) -> None:
    """One of the github reporter's own lines, with its data and properties %-escaped."""
    match = ANNOTATION.fullmatch(line)
    assert match is not None, f"not a well-formed annotation: {line!r}"
    assert _DATA_ESCAPE.search(match["data"]) is None, f"unescaped % in data: {line!r}"
    for prop in match["props"].split(","):
        assert _PROPERTY_ESCAPE.search(prop) is None, f"unescaped % in property: {line!r}"


def assert_log_safe(output: str, *, annotations: bool = False, controls: bool = True) -> None:
    """No workflow command (but the github reporter's own, when `annotations`), no `##[`,
    and (when `controls`) no raw control, bidi or separator character."""
    for line in log_lines(output):
        if WORKFLOW_COMMAND.match(line):
            assert annotations, f"workflow command: {line!r}"
            assert_annotation(line)
        assert "##[" not in line, f"legacy workflow command: {line!r}"
        if controls:
            assert RAW_CONTROL.search(line) is None, f"raw control character: {line!r}"


def assert_markdown_tables_intact(markdown: str) -> None:
    """Every table row has its header's number of cells, and no user HTML survives."""
    header_cells = 0
    for line in markdown.split("\n"):
        assert "\r" not in line and RAW_CONTROL.search(line) is None, repr(line)
        assert "<" not in line.replace("<br>", ""), f"raw HTML: {line!r}"
        if not line.startswith("|"):
            header_cells = 0
            continue
        cells = len(re.findall(r"(?<!\\)\|", line))
        if header_cells == 0:
            header_cells = cells
        assert cells == header_cells, f"a cell broke the table: {line!r}"
