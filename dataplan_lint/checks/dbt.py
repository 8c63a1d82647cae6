"""Gate 6 dbt cross-check: the `dbt-*` rule functions.

The comparison (`dataplan_lint.checks.dbt_compare`) runs once per plan and run; each rule
function reports the issues of its own check. Rules using these functions have
`given: ""`: they need the whole plan (layers, contracts, quality checks, SLO).
"""

from __future__ import annotations

from dataplan_lint.checks._checked import Analyse, register_checks

# Mirrors dataplan_lint.checks.dbt_compare.CHECKS (a test keeps them equal); not imported here so
# that plans without modeling.dbt never load the cross-check.
CHECKS = (
    "manifest",
    "layer-missing",
    "model-not-in-plan",
    "materialization",
    "incremental",
    "contract",
    "test-missing",
    "test-not-in-plan",
    "source-freshness",
)


def _analyse() -> Analyse:
    from dataplan_lint.checks.dbt_compare import analyse

    return analyse


register_checks("dbt", CHECKS, _analyse)
