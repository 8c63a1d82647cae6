"""Every rule of gates 1, 2, 5, 6 and 12 has a position test and a near-miss."""

from __future__ import annotations

from pathlib import Path

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


# The dbt cross-check rules need a dbt project parsed by real dbt: their position tests
# (a mutated copy per rule, asserted line) and near-miss (the clean example) live there.
DBT_TESTS = Path(__file__).resolve().parents[1] / "dbt" / "test_dbt_crosscheck.py"
COVERED_BY_DBT_TESTS = {f"DP{n}" for n in range(609, 618)}


def test_every_rule_of_these_gates_has_a_case() -> None:
    dbt_tests = DBT_TESTS.read_text(encoding="utf-8")
    assert all(f'"{rule}"' in dbt_tests for rule in COVERED_BY_DBT_TESTS)
    for gate, module in MODULES.items():
        wanted = {rule.id for rule in bundled().rules if rule.gate == gate}
        tested = {case.rule for case in module.CASES} | COVERED_BY_DBT_TESTS
        assert wanted <= tested, f"gate {gate}: no test case for {sorted(wanted - tested)}"
