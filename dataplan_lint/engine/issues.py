"""`Issue`: one problem a check found, before the engine turns it into a finding.

Every check that is not a per-match function reports issues: the pure checks of
`checks/domain/` and the whole-plan analyses (`compat.analysis`, `checks.dbt_compare`).
The registry (`engine/registry.py`) makes each one a finding of the rule that called the
check, its message template filled from `values`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from dataplan_lint.core.findings import Edit, Related


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem found by a check.

    `pointer` is where the finding belongs (a JSON pointer into the plan); `at_key` points
    at the key rather than the value (used when the problem is something missing below
    it). `values` fill the rule's message template. `related` lists other places that
    explain the issue, as (pointer, message) pairs in the plan or `Related` places in
    other files (a schema file). `fix` holds the edits that would repair it (offered only
    by rules that declare a fix). `check` names the check of a whole-plan analysis that
    found it (an analysis serves several rules, each reporting its own check's issues).
    """

    pointer: str
    values: Mapping[str, Any] = field(default_factory=dict)
    at_key: bool = False
    related: tuple[tuple[str, str] | Related, ...] = ()
    fix: tuple[Edit, ...] = ()
    check: str = ""
