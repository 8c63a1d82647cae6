"""Gate 9 streaming operations: the `operations-*` rule functions.

The checks themselves are pure functions in `dataplan_lint.checks.domain.operations`.
"""

from __future__ import annotations

from dataplan_lint.checks._domain import register
from dataplan_lint.checks.domain.operations import CHECKS

register("operations", CHECKS)
