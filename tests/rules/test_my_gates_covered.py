"""Every rule of gates 1, 2, 5, 6 and 12 has a position test and a near-miss."""

from __future__ import annotations

import test_gate01_context
import test_gate02_sources
import test_gate05_ingestion
import test_gate06_modeling
import test_gate12_bundle

from dataplan_lint.engine.rulesets import bundled

MODULES = {
    1: test_gate01_context,
    2: test_gate02_sources,
    5: test_gate05_ingestion,
    6: test_gate06_modeling,
    12: test_gate12_bundle,
}


def test_every_rule_of_these_gates_has_a_case() -> None:
    for gate, module in MODULES.items():
        wanted = {rule.id for rule in bundled().rules if rule.gate == gate}
        tested = {case.rule for case in module.CASES}
        assert wanted <= tested, f"gate {gate}: no test case for {sorted(wanted - tested)}"
