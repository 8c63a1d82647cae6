"""Where a key sits in a TOML file, for configuration errors with a line and column.

`tomllib` returns plain data without positions. This scans the text once for table
headers and `key = value` lines (dotted and quoted keys included, and the keys of an
inline table on the same line), which is as far as a configuration table goes; a value
inside a list is placed at its key.
"""

from __future__ import annotations

from collections.abc import Callable

from dataplan_lint.core import regexes
from dataplan_lint.core.pointers import split

_HEADER = regexes.TOML_HEADER.compile()
_KEY = regexes.TOML_KEY.compile()
_INLINE_KEY = regexes.TOML_INLINE_KEY.compile()
_PART = regexes.TOML_KEY_PART.compile()

Position = tuple[int, int]


def _parts(dotted: str) -> tuple[str, ...]:
    return tuple(
        next(g for g in match.groups() if g is not None) for match in _PART.finditer(dotted)
    )


def key_positions(text: str) -> dict[tuple[str, ...], Position]:
    """Every table and key path of `text` -> (line, column) of its name, 1-based."""
    found: dict[tuple[str, ...], Position] = {}
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header is not None:
            table = _parts(header.group(1))
            found.setdefault(table, (number, header.start(1) + 1))
            continue
        key = _KEY.match(line)
        if key is None:
            continue
        path = table + _parts(key.group(1))
        found.setdefault(path, (number, key.start(1) + 1))
        for inner in _INLINE_KEY.finditer(line, key.end()):
            found.setdefault(path + _parts(inner.group(1)), (number, inner.start(1) + 1))
    return found


def toml_locator(text: str, table: tuple[str, ...]) -> Callable[[str, bool], Position | None]:
    """Positions of the keys below `table` (`("tool", "dataplan-lint")`, or `()`)."""
    found = key_positions(text)

    def locate(pointer: str, key: bool) -> Position | None:
        path = table + tuple(split(pointer))
        while len(path) >= len(table):
            if path in found:
                return found[path]
            if not path:
                break
            path = path[:-1]
        return None

    return locate
