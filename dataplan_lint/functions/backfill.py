"""Gate 10 backfill, cutover and rollback: the `backfill-*` rule functions.

The checks themselves are pure functions in `dataplan_lint.domain.backfill`.
"""

from __future__ import annotations

from dataplan_lint.domain.backfill import CHECKS
from dataplan_lint.functions._domain import register

register("backfill", CHECKS)
