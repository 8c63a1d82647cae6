"""Gate 4 capacity figures: the `capacity-*` rule functions.

The checks themselves are pure functions in `dataplan_lint.domain.capacity`.
"""

from __future__ import annotations

from dataplan_lint.domain.capacity import CHECKS
from dataplan_lint.functions._domain import register

register("capacity", CHECKS)
