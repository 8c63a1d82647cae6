"""Gate 12 concrete values: the `concrete-*` rule function.

The check is a pure function in `dataplan_lint.domain.concrete`; the schema's
`x-concrete` marks say which fields it covers.
"""

from __future__ import annotations

from dataplan_lint.domain.concrete import CHECKS
from dataplan_lint.functions._domain import register

register("concrete", CHECKS)
