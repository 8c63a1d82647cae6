"""One memo per plan: what rules derive from a plan, computed once and shared by them.

Several rules read the same plan-wide figures (the capacity arithmetic, a contract's
fields, the compatibility analysis, the dbt comparison). `run_rules` makes one `PlanMemo`
for each plan it checks and carries it in every rule's context (`ctx.memo`); a check
function reaches the memo of the plan being checked with `current()`. The memo lives as
long as that plan's rules run, so nothing outlives a plan and memory stays flat in the
number of plans. `current()` is a context variable: the language server checks on worker
threads, and each check sees only its own plan's memo.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar, cast

_T = TypeVar("_T")


class PlanMemo:
    """Values derived from one plan, by key (a key names the computation and its inputs)."""

    __slots__ = ("_values",)

    def __init__(self) -> None:
        self._values: dict[Hashable, object] = {}

    def get(self, key: Hashable, compute: Callable[[], _T]) -> _T:
        """`compute()`, once per `key` for this plan."""
        values = self._values
        if key in values:
            return cast(_T, values[key])
        value = compute()
        values[key] = value
        return value

    def put(self, key: Hashable, value: object) -> None:
        """Keep `value` under `key` (computed ahead, such as every `given` at once)."""
        self._values[key] = value


_current: ContextVar[PlanMemo | None] = ContextVar("dataplan_lint_plan_memo", default=None)


def current() -> PlanMemo:
    """The memo of the plan whose rules are running; a fresh one outside a run (a check
    called on its own computes everything, as it would for a new plan)."""
    return _current.get() or PlanMemo()


@contextmanager
def active(memo: PlanMemo) -> Iterator[PlanMemo]:
    """Make `memo` the current plan's memo while the block runs (one plan's rules)."""
    token = _current.set(memo)
    try:
        yield memo
    finally:
        _current.reset(token)
