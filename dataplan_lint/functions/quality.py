"""Gate 8 data quality and reconciliation: the `quality-*` rule functions.

The checks themselves are pure functions in `dataplan_lint.domain.quality`.
"""

from __future__ import annotations

from dataplan_lint.domain.quality import CHECKS
from dataplan_lint.functions._domain import register

register("quality", CHECKS)
