"""Gate 12 concrete values: the `concrete-*` rule function.

The check is a pure function in `dataplan_lint.checks.domain.concrete`; the schema's
`x-concrete` marks say which fields it covers.
"""

from __future__ import annotations

from dataplan_lint.checks._domain import register
from dataplan_lint.checks.domain.concrete import CHECKS

register("concrete", CHECKS)
