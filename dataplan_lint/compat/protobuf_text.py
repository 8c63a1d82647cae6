"""Prepare `.proto` text for the parser: comments blanked, editions recognised.

protoc accepts a comment anywhere whitespace may stand (`[/*deprecated = true,*/
default = STRING]` in descriptor.proto); the grammar of the parser we use only takes
them between declarations. Comments are therefore replaced by spaces before parsing,
keeping every newline, so lines and columns stay those of the file. Text inside string
literals is left alone.
"""

from __future__ import annotations

from dataplan_lint.compat.sources import SchemaFileError


def blank_comments(text: str) -> str:
    """`text` with `//` and `/* */` comments replaced by spaces (newlines kept)."""
    out = list(text)
    index, size = 0, len(text)
    quote = ""
    while index < size:
        char = text[index]
        if quote:
            if char == "\\":
                index += 2
                continue
            if char == quote or char == "\n":
                quote = ""
            index += 1
            continue
        if char in "\"'":
            quote = char
            index += 1
            continue
        pair = text[index : index + 2]
        if pair == "//":
            end = text.find("\n", index)
            end = size if end < 0 else end
            _blank(out, index, end)
            index = end
        elif pair == "/*":
            end = text.find("*/", index + 2)
            if end < 0:
                line = text.count("\n", 0, index) + 1
                col = index - (text.rfind("\n", 0, index) + 1) + 1
                raise SchemaFileError("invalid protobuf: a `/*` comment is never closed", line, col)
            _blank(out, index, end + 2)
            index = end + 2
        else:
            index += 1
    return "".join(out)


def _blank(out: list[str], start: int, end: int) -> None:
    for position in range(start, end):
        if out[position] != "\n":
            out[position] = " "


def refuse_editions(text: str) -> None:
    """Raise a plain finding for a file written in a protobuf edition (comments blanked):
    editions change field presence and encoding by feature flags this reader does not
    model, so judging such a file as proto2 or proto3 would be guesswork."""
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped.startswith("edition"):
        return
    rest = stripped[len("edition") :].lstrip()
    if not rest.startswith("="):
        return
    offset = len(text) - len(stripped)
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    value = rest[1:].strip().split(";", 1)[0].strip()
    raise SchemaFileError(
        f"protobuf editions are not supported (the file declares `edition = {value}`); "
        "only proto2 and proto3 files are compared",
        line,
        col,
        fix="keep the contract's schema in a proto2 or proto3 file, or list its fields inline",
    )
