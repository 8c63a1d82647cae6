"""Gate 3 event-time semantics and freshness: the `event-time-*` rule functions.

The checks themselves are pure functions in `dataplan_lint.checks.domain.event_time`.
"""

from __future__ import annotations

from dataplan_lint.checks._domain import register
from dataplan_lint.checks.domain.event_time import CHECKS

register("event-time", CHECKS)
