"""Gate 4 capacity figures: the `capacity-*` rule functions.

The checks themselves are pure functions in `dataplan_lint.checks.domain.capacity`.
"""

from __future__ import annotations

from dataplan_lint.checks._domain import register
from dataplan_lint.checks.domain.capacity import CHECKS

register("capacity", CHECKS)
