"""Gate 7 contract completeness: the `contracts-*` rule functions.

The checks themselves are pure functions in `dataplan_lint.domain.contracts`.
"""

from __future__ import annotations

from dataplan_lint.domain.contracts import CHECKS
from dataplan_lint.functions._domain import register

register("contracts", CHECKS)
