"""Gate 3 event-time semantics and freshness: the `event-time-*` rule functions.

The checks themselves are pure functions in `dataplan_lint.domain.event_time`.
"""

from __future__ import annotations

from dataplan_lint.domain.event_time import CHECKS
from dataplan_lint.functions._domain import register

register("event-time", CHECKS)
