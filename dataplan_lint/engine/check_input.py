"""`CheckInput`: the one object a check gets when it needs more than the plan's data.

A check declared with `check(...)` in `checks/table.py` is called as `fn(inp)` and reads
`inp.data` (the plan's data), `inp.options` (its rule's options), `inp.settings` (the
run's settings: tolerance, base, today...), `inp.plan` (the loaded plan: its path and
positions, for checks that read a file beside it) and `inp.memo` (the plan's memo, for
figures several rules derive: see engine/memo.py). It returns issues (engine/issues.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dataplan_lint.core.settings import Settings
    from dataplan_lint.engine.memo import PlanMemo
    from dataplan_lint.files.loader import LoadedPlan


class CheckInput:
    """What a check reads (a plain class: one is made per rule and plan)."""

    __slots__ = ("data", "memo", "options", "plan", "settings")

    def __init__(
        self,
        data: Any,
        options: Mapping[str, Any],
        settings: Settings,
        plan: LoadedPlan,
        memo: PlanMemo,
    ) -> None:
        self.data = data
        self.options = options
        self.settings = settings
        self.plan = plan
        self.memo = memo
