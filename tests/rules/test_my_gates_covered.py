"""Every rule has a position test and a near-miss.

Gates 1, 2, 5, 6 and 12 keep one `CASES` table per gate; every gate's rules are found in
some table of `Case`s, or in the suites named below for the rules they need (a dbt
project, a git base, a contract history).
"""

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


# Rules whose position tests need more than an edited example plan, and where they live.
TESTED_ELSEWHERE = {
    **dict.fromkeys(COVERED_BY_DBT_TESTS, "tests/dbt/test_dbt_crosscheck.py"),
    **{f"DP{n}": "tests/compat/test_git_base.py" for n in range(730, 744)},
    "DP744": "tests/compat/test_protobuf_files.py",  # imports and $refs not followed
    "DP705": "tests/rules/test_gate07_contracts.py",
    "DP812": "tests/rules/test_one_defect_one_finding.py",
}


def _case_tables() -> set[str]:
    import importlib

    from rulecases import Case

    covered: set[str] = set()
    for path in sorted(Path(__file__).resolve().parent.glob("test_gate*.py")):
        for value in vars(importlib.import_module(path.stem)).values():
            if isinstance(value, list) and value and all(isinstance(c, Case) for c in value):
                covered |= {case.rule for case in value}
    return covered


def test_every_rule_of_every_gate_has_a_case_or_a_named_suite() -> None:
    root = Path(__file__).resolve().parents[2]
    for rule, suite in TESTED_ELSEWHERE.items():
        if rule.startswith("DP73") or rule.startswith("DP74"):
            # compat rules: asserted across the git-base and history suites
            suites = [root / suite, root / "tests" / "compat" / "test_history.py"]
            assert any(f'"{rule}"' in s.read_text(encoding="utf-8") for s in suites), rule
        else:
            assert f'"{rule}"' in (root / suite).read_text(encoding="utf-8"), (rule, suite)
    missing = {rule.id for rule in bundled().rules} - _case_tables() - set(TESTED_ELSEWHERE)
    assert not missing, f"no position test for {sorted(missing)}"
