"""The domain checks never raise, whatever shape or value a plan element has.

The schema check reports malformed plans; the rule functions must stay quiet or report,
but never crash (a crash would hide every other finding of the rule).
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Iterator
from typing import Any

import pytest
from ruleplans import text_of

from dataplan_lint.checks import capacity_math
from dataplan_lint.checks.table import FUNCTIONS
from dataplan_lint.core.settings import Settings
from dataplan_lint.files.loader import load_text

# Every pure whole-plan check of the table (checks/domain/*).
CHECKS = [
    (getattr(importlib.import_module(entry.module), entry.attribute), entry.settings, entry.loaded)
    for entry in FUNCTIONS.values()
    if entry.convention == "plan"
]
ODD_NUMBERS = (float("nan"), 1e308, None)
ODD_TEXT = ("1e400GB", 5, [])
ODD_CONTAINERS = ("x", [1], {"a": [1]})
OPTIONS = {"figures": list(capacity_math.DECLARED_KINDS), "margin": "1d"}


def _walk(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, (*path, index))


def _variants(data: Any) -> Iterator[Any]:
    """`data` with one element replaced at a time (changed in place, then restored)."""
    for path, node in list(_walk(data)):
        if not path:
            continue
        if isinstance(node, dict | list):
            odd: tuple[Any, ...] = ODD_CONTAINERS
        elif isinstance(node, int | float) and not isinstance(node, bool):
            odd = ODD_NUMBERS
        else:
            odd = ODD_TEXT
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        for value in odd:
            parent[path[-1]] = value
            yield data
        parent[path[-1]] = node


@pytest.mark.parametrize("example", ["clickstream", "orders", "ride"])
def test_no_check_raises_on_odd_values(example: str) -> None:
    loaded = load_text(text_of(example), "dataplan.yaml")
    assert loaded.plan is not None
    for data in _variants(loaded.plan.data):
        capacity_math.derive(data)
        capacity_math.missing_inputs(data)
        plan = dataclasses.replace(loaded.plan, data=data)
        for check, takes_settings, takes_plan in CHECKS:
            extra = ([Settings()] if takes_settings else []) + ([plan] if takes_plan else [])
            list(check(data, OPTIONS, *extra))
