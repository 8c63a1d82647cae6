"""Contract versions: parse and order them, and lay out the in-file history as steps.

Versions are compared by their `versioning` scheme (inferred when not declared):
`semver` compares numerically part by part and its first part is the major version;
`integer` and `date` versions have no minor part, so every increase counts as a major
bump (Schema Registry numbers every registered schema the same way).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dataplan_lint.core import regexes

_SEMVER = regexes.SEMVER.compile()
_DATE = regexes.ISO_DATE.compile()


@dataclass(frozen=True, slots=True)
class Version:
    text: str
    scheme: str  # semver, integer, date, or text when it cannot be parsed
    key: tuple[int, ...]
    major: tuple[int, ...]

    def __lt__(self, other: Version) -> bool:
        return self.key < other.key

    def comparable(self, other: Version) -> bool:
        return self.scheme == other.scheme and self.scheme != "text"


def parse_version(value: Any, versioning: str | None = None) -> Version:
    text = str(value)
    if isinstance(value, bool):
        return Version(text, "text", (), ())
    scheme = versioning if versioning in ("semver", "integer", "date") else _infer(value)
    if scheme == "integer":
        if isinstance(value, int) or text.isdigit():
            number = int(text)
            return Version(text, "integer", (number,), (number,))
        scheme = _infer(value)
    if scheme == "date":
        match = _DATE.match(text)
        if match:
            key = tuple(int(part) for part in match.groups())
            return Version(text, "date", key, key)
        scheme = _infer(value)
    if scheme == "semver":
        match = _SEMVER.match(text)
        if match:
            key = tuple(int(part or 0) for part in match.groups())
            return Version(text, "semver", key, key[:1])
    return Version(text, "text", (), ())


def _infer(value: Any) -> str:
    if isinstance(value, int):
        return "integer"
    text = str(value)
    if text.isdigit():
        return "integer"
    if _DATE.match(text):
        return "date"
    if _SEMVER.match(text):
        return "semver"
    return "text"


def is_major_bump(old: Version, new: Version) -> bool:
    return old.comparable(new) and new.major > old.major


@dataclass(frozen=True, slots=True)
class Entry:
    """One version of a contract as the plan records it (a history entry or the current)."""

    version: Version
    pointer: str  # JSON pointer of the object holding `fields` / `schema_file`
    holder: Mapping[str, Any]
    mode: str
    is_current: bool


def entries(contract: Mapping[str, Any], pointer: str) -> list[Entry]:
    """History entries (oldest first) followed by the current version."""
    versioning = contract.get("versioning")
    scheme = versioning if isinstance(versioning, str) else None
    mode = contract.get("compatibility")
    current_mode = mode if isinstance(mode, str) else "BACKWARD"
    out: list[Entry] = []
    history = contract.get("history")
    if isinstance(history, list):
        for index, item in enumerate(history):
            if not isinstance(item, Mapping) or "version" not in item:
                continue
            entry_mode = item.get("compatibility")
            out.append(
                Entry(
                    parse_version(item["version"], scheme),
                    f"{pointer}/history/{index}",
                    item,
                    entry_mode if isinstance(entry_mode, str) else current_mode,
                    False,
                )
            )
    if "version" in contract:
        out.append(
            Entry(parse_version(contract["version"], scheme), pointer, contract, current_mode, True)
        )
    return out


def bumped(highest: Version, level: str, today: str = "") -> str | int | None:
    """The next version after `highest` at `level` ("major" or "minor"), or None.

    Semver keeps the way it is written (a `v` prefix, two or three parts); an integer
    version goes up by one; a date version becomes `today` when that is later.
    """
    if highest.scheme == "integer":
        return highest.key[0] + 1
    if highest.scheme == "date":
        return today if today and today > highest.text else None
    if highest.scheme != "semver":
        return None
    major, minor, _ = highest.key
    parts = [major + 1, 0, 0] if level == "major" else [major, minor + 1, 0]
    written = _SEMVER.match(highest.text)
    count = 1 + sum(1 for group in (written.group(2), written.group(3)) if group) if written else 3
    prefix = "v" if highest.text.startswith("v") else ""
    return prefix + ".".join(str(part) for part in parts[: max(count, 2)])
