"""Gate 11 validation and acceptance: the `validation-*` rule functions.

The checks themselves are pure functions in `dataplan_lint.checks.domain.validation`.
"""

from __future__ import annotations

from dataplan_lint.checks._domain import register
from dataplan_lint.checks.domain.validation import CHECKS

register("validation", CHECKS)
