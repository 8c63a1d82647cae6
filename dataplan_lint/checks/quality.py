"""Gate 8 data quality and reconciliation: the `quality-*` rule functions.

The checks themselves are pure functions in `dataplan_lint.checks.domain.quality`.
"""

from __future__ import annotations

from dataplan_lint.checks._domain import register
from dataplan_lint.checks.domain.quality import CHECKS

register("quality", CHECKS)
