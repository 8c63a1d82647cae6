"""Domain checks: what a data plan must get right, as pure functions over plan data.

Each topic module (`event_time`, `capacity`, `contracts`, `quality`, `operations`,
`backfill`, `validation`, `constraints`, `concrete`) holds checks
`check(data, options) -> Iterable[Issue]`, `options` being the rule's own options; a
check that also reads run-wide settings (the capacity `tolerance`) takes them as a third
argument, `check(data, options, settings)`; one that looks fields up in a contract
takes the loaded plan last (`checks.contract_fields` reads a schema file beside it).
They know nothing of the rule engine:
`checks/table.py` names each one for the rules, and the engine's registry turns each
`Issue` into a finding of the rule, its message template filled from `Issue.values`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from dataplan_lint.engine.issues import Issue

__all__ = ["Check", "Issue"]


Check = Callable[[Any, Mapping[str, Any]], Iterable[Issue]]
