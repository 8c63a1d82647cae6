"""Gate 7 compatibility: the `compatibility-*` rule functions.

The analysis (`dataplan_lint.compat.analysis`) runs once per plan and run; each rule
function reports the issues of its own check. Rules using these functions have
`given: ""` (the whole plan): one plan holds many contracts, and the base comparison
needs the whole file. With `--base REF` the base plan is read from git inside the
analysis (`settings.base`; the opened repository is kept in `settings.git_bases`).
"""

from __future__ import annotations

from dataplan_lint.checks._checked import Analyse, register_checks
from dataplan_lint.compat.analysis import CHECKS, analyse


def _analyse() -> Analyse:
    return analyse


register_checks("compatibility", CHECKS, _analyse)
