"""The one sanitiser for text a plan, a schema file or a file name puts in our output.

Everything a pull request can change ends up in findings, changelogs and error messages,
and those go to a terminal or a CI log, where some text is not just text:

- a line break starts a new output line, which can then be forged;
- ESC starts ANSI/OSC sequences (colours, cursor moves, window titles, OSC 8 links);
  CR, NUL and the other C0/C1 controls rewrite or hide what was printed;
- bidi controls (U+202A-U+202E, U+2066-U+2069, U+200E/F, U+061C) reorder what is shown,
  U+2028/U+2029 break lines in some viewers, lone surrogates (from undecodable file
  names) are not text at all;
- GitHub Actions runs a line that starts (after blanks) with `::` as a workflow command
  (`::error::`, `::add-mask::`, `::stop-commands::`), and its older parser reads `##[`
  anywhere in a line.

`escape` shows each of those visibly (`\\n`, `\\x1b`, `\\u202e`) and breaks the command
openers (`\\x3a:`, `#\\x23[`), for one user-supplied piece of text. `escape_columns` does
the same and maps columns, so a caret under an echoed source line stays under the right
character. `guard` is the last pass over a whole human-readable output. The structured
formats keep the exact string: `dump_json` and `xml_lines` use their own escapes (`\\u0023`,
`&#35;`), which decode back to the original text, so no raw output line can open a command.
"""

from __future__ import annotations

import re
from typing import Any

from dataplan_lint.core import regexes

_UNSAFE_CHAR = regexes.UNSAFE_CHAR.compile()
# The second `#` of `##[` (GitHub's legacy command prefix, read anywhere in a line).
_LEGACY_OPENER = regexes.LEGACY_OPENER.compile()
# Blanks then `::` at the start of a line (GitHub's workflow-command prefix); the group is
# the first colon.
_COMMAND_OPENER = regexes.COMMAND_OPENER.compile()
_QUICK_CHECK = regexes.QUICK_CHECK.compile()
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape_char(char: str) -> str:
    """How one character is shown: `\\n`, `\\r`, `\\t`, else `\\xNN` or `\\uNNNN`."""
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _replacements(text: str, keep: str, line_start: bool = True) -> list[tuple[int, str]]:
    """(index, what to show instead of the character there), in index order."""
    found = {
        match.start(): escape_char(match.group())
        for match in _UNSAFE_CHAR.finditer(text)
        if match.group() not in keep
    }
    for match in _LEGACY_OPENER.finditer(text):
        found[match.start()] = "\\x23"
    opener = _COMMAND_OPENER.match(text) if line_start else None
    if opener is not None:
        found[opener.start(1)] = "\\x3a"
    return sorted(found.items())


def escape(text: str, *, keep: str = "", line_start: bool = True) -> str:
    """`text` with every unsafe character and command opener shown escaped.

    `keep` names characters a caller handles itself (the GitHub reporter keeps CR and LF
    for its own %-escaping; the Markdown summary turns line breaks into <br>).
    `line_start=False` is for text that can never begin an output line (a property of a
    GitHub annotation): a leading `::` is then left as it is.
    """
    if _QUICK_CHECK.search(text) is None:
        return text
    pieces: list[str] = []
    last = 0
    for index, shown in _replacements(text, keep, line_start):
        pieces.append(text[last:index])
        pieces.append(shown)
        last = index + 1
    pieces.append(text[last:])
    return "".join(pieces)


def escape_columns(text: str) -> tuple[str, list[int]]:
    """`escape(text)` and, for each 0-based column of `text` (and one past its end), the
    column where that character starts in the escaped text."""
    columns = list(range(len(text) + 1))
    if _QUICK_CHECK.search(text) is None:
        return text, columns
    pieces: list[str] = []
    last = 0
    shift = 0
    for index, shown in _replacements(text, ""):
        pieces.append(text[last:index])
        pieces.append(shown)
        for column in range(last, index + 1):
            columns[column] += shift
        shift += len(shown) - 1
        last = index + 1
    pieces.append(text[last:])
    for column in range(last, len(text) + 1):
        columns[column] += shift
    return "".join(pieces), columns


def guard(output: str, *, controls: bool = True) -> str:
    """A whole human-readable output made safe line by line: command openers always,
    control characters too unless `controls` is False (output we coloured ourselves,
    whose user-supplied parts went through `escape` already). TAB is left alone."""
    if _QUICK_CHECK.search(output) is None and "\n" not in output:
        return output
    lines = output.split("\n")
    if controls:
        return "\n".join(escape(line, keep="\t") for line in lines)
    return "\n".join(_break_openers(line) for line in lines)


def _break_openers(line: str) -> str:
    # A raw CR ends a line for the runner (it reads lines as .NET's ReadLine does).
    line = _LEGACY_OPENER.sub("\\\\x23", line.replace("\r", "\\r"))
    opener = _COMMAND_OPENER.match(line)
    if opener is not None:
        line = line[: opener.start(1)] + "\\x3a" + line[opener.end(1) :]
    return line


# JSON: these may only occur inside strings, where a \u escape decodes to the same text.
_JSON_UNSAFE = regexes.JSON_UNSAFE.compile()


def _json_escape(match: re.Match[str]) -> str:
    found = match.group()
    return "#\\u0023[" if found == "##[" else f"\\u{ord(found):04x}"


def json_safe(serialized: str) -> str:
    """JSON text (from json.dumps) with the characters above as \\u escapes: the decoded
    strings are unchanged, the raw text has no `##[`, bidi or C1 characters."""
    return _JSON_UNSAFE.sub(_json_escape, serialized)


def dump_json(document: Any, **options: Any) -> str:
    """Every JSON document we write: indented, UTF-8 text, `json_safe`, a final newline."""
    import json  # not at import time: a text-only run does not need it

    text = json.dumps(document, indent=2, ensure_ascii=False, **options)
    return json_safe(text) + "\n"


def _xml_escape(match: re.Match[str]) -> str:
    found = match.group()
    return "#&#35;[" if found == "##[" else f"&#x{ord(found):x};"


def xml_lines(serialized: str) -> str:
    """XML text (ElementTree output) made safe with character references, which parsers
    decode back to the exact text: a text node's line never opens a workflow command, and
    a CR (a line break to the runner) is kept as `&#13;`."""
    escaped = _JSON_UNSAFE.sub(_xml_escape, serialized).replace("\r", "&#13;")
    lines = escaped.split("\n")
    for number, line in enumerate(lines):
        opener = _COMMAND_OPENER.match(line)
        if opener is not None:
            lines[number] = line[: opener.start(1)] + "&#58;" + line[opener.end(1) :]
    return "\n".join(lines)
