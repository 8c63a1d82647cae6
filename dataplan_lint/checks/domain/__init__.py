"""Domain checks: what a data plan must get right, as pure functions over plan data.

Each topic module (`event_time`, `capacity`, `contracts`, `quality`, `operations`,
`backfill`, `validation`) exposes `CHECKS`, a mapping from a check name to a function
`check(data, options) -> Iterable[Issue]`, where `options` are the rule's own options. A
check that also needs a run-wide value (the capacity tolerance of the configuration) is
listed as `WithSettings(check)` and called as `check(data, options, settings)`. They know
nothing of the rule engine: the thin registered wrappers in `dataplan_lint.checks` turn
each `Issue` into a finding of the rule that names the check, with the rule's message
template filled from `Issue.values`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from dataplan_lint.core.findings import Edit
from dataplan_lint.core.settings import Settings


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem found by a check.

    `pointer` is where the finding belongs (a JSON pointer into the plan); `at_key`
    points at the key rather than the value (used when the problem is something
    missing below it). `values` fill the rule's message template. `related` lists other
    places that explain the issue, as (pointer, message) pairs. `fix` holds the edits
    that would repair it (offered only by rules that declare a fix).
    """

    pointer: str
    values: Mapping[str, Any] = field(default_factory=dict)
    at_key: bool = False
    related: tuple[tuple[str, str], ...] = ()
    fix: tuple[Edit, ...] = ()


Check = Callable[[Any, Mapping[str, Any]], Iterable[Issue]]
SettingsCheck = Callable[[Any, Mapping[str, Any], Settings], Iterable[Issue]]


class WithSettings:
    """A check that reads run-wide settings too (`Settings.tolerance`, for example).

    The rule adapter calls `check(data, options, settings)` with the run's settings;
    called as a plain `Check`, it runs under the default settings. (A plain class: a
    dataclass costs more at start-up than this one attribute is worth.)
    """

    __slots__ = ("check",)

    def __init__(self, check: SettingsCheck) -> None:
        self.check = check

    def __call__(self, data: Any, options: Mapping[str, Any]) -> Iterable[Issue]:
        return self.check(data, options, Settings())
