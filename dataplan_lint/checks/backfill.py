"""Gate 10 backfill, cutover and rollback: the `backfill-*` rule functions.

The checks themselves are pure functions in `dataplan_lint.checks.domain.backfill`.
"""

from __future__ import annotations

from dataplan_lint.checks._domain import register
from dataplan_lint.checks.domain.backfill import CHECKS

register("backfill", CHECKS)
