"""Gate 9 streaming operations: the `operations-*` rule functions.

The checks themselves are pure functions in `dataplan_lint.domain.operations`.
"""

from __future__ import annotations

from dataplan_lint.domain.operations import CHECKS
from dataplan_lint.functions._domain import register

register("operations", CHECKS)
