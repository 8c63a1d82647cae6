"""Whole-plan analyses (the registry's `analysis` convention): what they report, run once.

An analysis (`compat.analysis.analyse`, `checks.dbt_compare.analyse`) computes every issue
of a plan in one pass; each of its rules reports the issues naming its check. Several
rules ask for the same plan in one run, so the result is kept for the last plan asked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dataplan_lint.core.findings import Edit, Related

if TYPE_CHECKING:
    from dataplan_lint.core.settings import Settings
    from dataplan_lint.files.loader import LoadedPlan


@dataclass(frozen=True, slots=True)
class Issue:
    """One issue of an analysis, tagged with the check (rule function) that reports it."""

    check: str
    pointer: str
    values: dict[str, Any]
    related: tuple[Related, ...] = ()
    at_key: bool = False
    fix: tuple[Edit, ...] = ()


class LastPlan:
    """The issues of the last (plan, settings) an analysis was asked for.

    The slot is one tuple swapped as a whole, so concurrent runs on other plans (threads)
    never see a mix of two plans' results.
    """

    __slots__ = ("_slot",)

    def __init__(self) -> None:
        self._slot: tuple[LoadedPlan, Settings, list[Issue]] | None = None

    def get(
        self, plan: LoadedPlan, settings: Settings, compute: Callable[[], list[Issue]]
    ) -> list[Issue]:
        """The kept issues when `plan` and `settings` are the last ones, else `compute()`'s."""
        slot = self._slot
        if slot is not None and slot[0] is plan and slot[1] is settings:
            return slot[2]
        issues = compute()
        self._slot = (plan, settings, issues)
        return issues
