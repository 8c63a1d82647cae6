"""Small helpers shared by the built-in functions."""

from __future__ import annotations

from typing import Any

from dataplan_lint.core.pointers import relative

__all__ = ["is_empty", "relative"]


def is_empty(value: Any) -> bool:
    """Absent, null, blank text, or an empty list/mapping."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | dict | tuple):
        return len(value) == 0
    return False
