"""Gate 11 validation and acceptance: the `validation-*` rule functions.

The checks themselves are pure functions in `dataplan_lint.domain.validation`.
"""

from __future__ import annotations

from dataplan_lint.domain.validation import CHECKS
from dataplan_lint.functions._domain import register

register("validation", CHECKS)
