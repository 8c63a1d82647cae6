"""Gate 12 operational constraints: the `constraints-*` rule functions.

The checks themselves are pure functions in `dataplan_lint.checks.domain.constraints`.
"""

from __future__ import annotations

from dataplan_lint.checks._domain import register
from dataplan_lint.checks.domain.constraints import CHECKS

register("constraints", CHECKS)
