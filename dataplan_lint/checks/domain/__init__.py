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
from dataclasses import dataclass, field
from typing import Any

from dataplan_lint.core.findings import Edit, Related


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem found by a check.

        `pointer` is where the finding belongs (a JSON pointer into the plan); `at_key`
        points at the key rather than the value (used when the problem is something
        missing below it). `values` fill the rule's message template. `related` lists other
        places that explain the issue, as (pointer, message) pairs in the plan or `Related`
    places in other files (a schema file). `fix` holds the edits
        that would repair it (offered only by rules that declare a fix).
    """

    pointer: str
    values: Mapping[str, Any] = field(default_factory=dict)
    at_key: bool = False
    related: tuple[tuple[str, str] | Related, ...] = ()
    fix: tuple[Edit, ...] = ()


Check = Callable[[Any, Mapping[str, Any]], Iterable[Issue]]
