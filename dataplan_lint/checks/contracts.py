"""Gate 7 contract completeness: the `contracts-*` rule functions.

The checks themselves are pure functions in `dataplan_lint.checks.domain.contracts`.
"""

from __future__ import annotations

from dataplan_lint.checks._domain import register
from dataplan_lint.checks.domain.contracts import CHECKS

register("contracts", CHECKS)
