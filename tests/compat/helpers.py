"""Small builders shared by the compatibility tests."""

from __future__ import annotations

from typing import Any

from dataplan_lint.compat.classify import MODES, breaks
from dataplan_lint.compat.diff import Change, diff_schemas
from dataplan_lint.compat.inline import read_inline
from dataplan_lint.compat.model import Schema


def inline(fields: list[dict[str, Any]], fmt: str = "avro", **contract: Any) -> Schema:
    holder = {"format": fmt, "fields": fields, **contract}
    return read_inline(holder, holder, None, "plan.yaml", "/contracts/0")


def verdicts(old: Schema, new: Schema, policy: str = "strict") -> dict[str, bool]:
    """Mode -> True when every difference is allowed under that mode (single step)."""
    changes = diff_schemas(old, new, policy)
    return {
        mode: all(breaks(mode, c.backward, c.forward) is None for c in changes) for mode in MODES
    }


def expected_verdict(mode: str, backward: bool, forward: bool, full: bool) -> bool:
    """A change-table row's verdict under `mode` (transitive forms judge one step alike)."""
    if mode == "NONE":
        return True
    base = mode.removesuffix("_TRANSITIVE")
    return {"BACKWARD": backward, "FORWARD": forward, "FULL": full}[base]


def kinds(changes: list[Change]) -> list[str]:
    return [change.kind for change in changes]


OPTIONAL = {"required": False, "default": None, "nullable": True}
REQUIRED = {"required": True}
