"""Waivers: planned breaking changes a contract accepts, each owned and time-boxed.

A waiver's `change` is free text written for people, for example
`remove field referrer` or "narrow the type of `amount`". It covers a difference when it
names the difference's field path (or the contract, for contract-level changes) as a
whole word and, if it uses any change verb at all, a verb that fits the difference.
An expired waiver covers nothing and is reported itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from dataplan_lint.compat import diff as d
from dataplan_lint.core import regexes

_VERBS: dict[str, tuple[str, ...]] = {
    "add": ("add", "adds", "adding", "added", "introduce", "new"),
    "remove": (
        "remove",
        "removes",
        "removing",
        "removed",
        "drop",
        "drops",
        "dropping",
        "delete",
        "deletes",
        "deleting",
    ),
    "rename": ("rename", "renames", "renaming", "renamed", "move", "moving"),
    "type": (
        "type",
        "widen",
        "widening",
        "narrow",
        "narrowing",
        "retype",
        "change",
        "changing",
        "promote",
    ),
    "null": ("null", "nullable", "non-null", "nulls"),
    "required": ("required", "optional", "require", "requires"),
    "enum": ("enum", "symbol", "symbols", "value", "values"),
    "constraint": (
        "constraint",
        "constraints",
        "pattern",
        "length",
        "minimum",
        "maximum",
        "tighten",
        "tightening",
        "loosen",
        "loosening",
        "not_null",
        "unique",
        "min_length",
        "max_length",
    ),
    "mode": ("mode", "compatibility", "weaken", "weakening"),
    "enforce": ("enforce", "enforced", "enforcement"),
}
_ALL_VERBS = {word for words in _VERBS.values() for word in words}

_KIND_VERBS: dict[str, tuple[str, ...]] = {
    d.FIELD_ADDED: ("add",),
    d.FIELD_REMOVED: ("remove",),
    d.FIELD_RENAMED: ("rename", "remove", "add"),
    d.TYPE_WIDENED: ("type",),
    d.TYPE_NARROWED: ("type",),
    d.TYPE_CHANGED: ("type",),
    d.TYPE_COMPATIBLE: ("type",),
    d.NULLABLE_ADDED: ("null", "type"),
    d.NULLABLE_REMOVED: ("null", "type", "required"),
    d.REQUIRED_ADDED: ("required",),
    d.REQUIRED_REMOVED: ("required",),
    d.ENUM_SYMBOL_ADDED: ("enum", "add"),
    d.ENUM_SYMBOL_REMOVED: ("enum", "remove"),
    d.CONSTRAINT_TIGHTENED: ("constraint",),
    d.CONSTRAINT_LOOSENED: ("constraint",),
    d.CONSTRAINT_CHANGED: ("constraint",),
    d.NUMBER_CHANGED: ("rename", "type"),
    d.NUMBER_REUSED: ("type", "add", "remove"),
    d.RESERVED_REUSED: ("add",),
    d.ONEOF_CHANGED: ("rename", "type"),
    d.CONTENT_MODEL_CHANGED: ("constraint", "type"),
    d.NAME_CHANGED: ("rename",),
    "contract-removed": ("remove",),
    "mode-weakened": ("mode",),
    "enforcement-dropped": ("enforce", "remove"),
}

_WORD = regexes.WAIVER_WORD.compile()


@dataclass(frozen=True, slots=True)
class Waiver:
    index: int
    pointer: str
    change: str
    reason: str
    owner: str
    expires: dt.date | None
    expires_text: str

    def expired(self, today: Callable[[], dt.date]) -> bool:
        """Whether the waiver has run out; asks for the date only when it has an expiry
        (the date is an input of the result: see files.dependencies.today)."""
        return self.expires is not None and self.expires < today()

    def covers(self, kind: str, path: str) -> bool:
        text = self.change.lower()
        if not path or not regexes.WAIVER_MENTION.compile(path.lower()).search(text):
            return False
        words = set(_WORD.findall(text.replace(path.lower(), " ")))
        used = words & _ALL_VERBS
        if not used:
            return True
        wanted = {word for group in _KIND_VERBS.get(kind, ()) for word in _VERBS[group]}
        return bool(used & wanted)


def read_waivers(contract: Mapping[str, Any], pointer: str) -> list[Waiver]:
    raw = contract.get("waivers")
    if not isinstance(raw, list):
        return []
    out = []
    for index, item in enumerate(raw):
        if not isinstance(item, Mapping) or not isinstance(item.get("change"), str):
            continue
        expires_text = str(item.get("expires", ""))
        try:
            expires: dt.date | None = dt.date.fromisoformat(expires_text)
        except ValueError:
            expires = None
        out.append(
            Waiver(
                index,
                f"{pointer}/waivers/{index}",
                item["change"],
                str(item.get("reason", "")),
                str(item.get("owner", "")),
                expires,
                expires_text,
            )
        )
    return out


def today(given: dt.date | None = None) -> dt.date:
    """The date waivers are judged on: `given` (`Settings.today`), else today (UTC, or
    $DATAPLAN_LINT_TODAY), noted as an input of the check (files.dependencies.today)."""
    from dataplan_lint.files.dependencies import today as judged_today

    return judged_today(given)
