"""One hop from a rule to its code: the built-in table (`dataplan_lint/checks/table.py`).

Every function a bundled rule names has a row, every row resolves to code of the shape
its calling convention promises, every row is used by a rule or is a documented generic
function, and a run imports only the check modules its rules use.
"""

from __future__ import annotations

import importlib
import inspect
import json
import subprocess
import sys
from pathlib import Path

import pytest
from enginehelpers import CLICKSTREAM, run

from dataplan_lint.checks.table import FUNCTIONS, GENERIC
from dataplan_lint.engine import registry
from dataplan_lint.engine.rulesets import bundled

ROOT = Path(__file__).resolve().parent.parent


def _used() -> dict[str, list[str]]:
    used: dict[str, list[str]] = {}
    for rule in bundled().rules:
        for call in rule.then:
            used.setdefault(call.function, []).append(rule.id)
    return used


def test_every_function_a_rule_names_has_a_row() -> None:
    assert sorted(set(_used()) - set(FUNCTIONS)) == []


def test_every_row_is_used_by_a_rule_or_documented_for_users() -> None:
    unused = set(FUNCTIONS) - set(_used()) - GENERIC
    assert sorted(unused) == []


def test_gate_logic_is_written_in_one_style() -> None:
    """Per-match functions on the rule context are the generic building blocks only; all
    gate logic is a pure function of the plan (or one check of a shared analysis)."""
    per_match = {name for name, entry in FUNCTIONS.items() if entry.convention == "value"}
    assert per_match == GENERIC
    for name in set(FUNCTIONS) - GENERIC:
        assert FUNCTIONS[name].module.startswith(
            ("dataplan_lint.checks.domain.", "dataplan_lint.compat.", "dataplan_lint.checks.dbt")
        ), name


def test_the_generic_functions_are_the_ones_rules_readme_documents() -> None:
    readme = (ROOT / "rules" / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Built-in generic functions", 1)[1].split("\n\n", 2)[1]
    documented = {line.split("`")[1] for line in section.splitlines() if line.startswith("| `")}
    assert documented == GENERIC


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_row_resolves_to_code_of_its_convention(name: str) -> None:
    entry = FUNCTIONS[name]
    module_file = ROOT / entry.location.split(":")[0]
    assert module_file.is_file(), entry.location
    code = getattr(importlib.import_module(entry.module), entry.attribute)
    parameters = list(inspect.signature(code).parameters)
    if entry.convention == "value":
        assert parameters == ["ctx", "value", "pointer", "options"]
    elif entry.convention == "check":
        assert parameters == ["inp"]
    elif entry.convention == "plan":
        extra = (["settings"] if entry.settings else []) + (["plan"] if entry.loaded else [])
        assert parameters == ["data", "options", *extra]
    else:
        assert parameters == ["plan", "settings"]
        assert entry.check in importlib.import_module(entry.module).CHECKS
    assert callable(registry.get(name))


def test_each_analysis_check_has_a_row() -> None:
    for module in ("dataplan_lint.compat.analysis", "dataplan_lint.checks.dbt_compare"):
        checks = importlib.import_module(module).CHECKS
        rows = {
            entry.check
            for entry in FUNCTIONS.values()
            if entry.convention == "analysis" and entry.module == module
        }
        assert rows == set(checks), module


def test_explain_names_the_code_of_the_rule() -> None:
    result = run("explain", "DP411")
    assert result.exit_code == 0
    assert result.stdout.endswith(
        "Code: capacity-headroom-target in "
        "dataplan_lint/checks/domain/capacity.py:headroom_target\n"
    )
    assert run("explain", "DP730").stdout.endswith(
        "Code: compatibility-base in dataplan_lint/compat/analysis.py:analyse (its `base` issues)\n"
    )


_IMPORTED = """
import json, sys
from dataplan_lint.cli.entry import main
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m.startswith("dataplan_lint.checks"))))
"""


def _imported_checks(folder: Path, *args: str) -> list[str]:
    """The check modules a real `dataplan-lint check ARGS` process imported."""
    done = subprocess.run(
        [sys.executable, "-c", _IMPORTED, "check", "--no-cache", *args, "dataplan.yaml"],
        capture_output=True,
        text=True,
        check=False,
        cwd=folder,
    )
    return list(json.loads(done.stdout.strip().splitlines()[-1]))


def test_a_run_imports_only_the_check_modules_its_rules_use(tmp_path: Path) -> None:
    (tmp_path / "dataplan.yaml").write_bytes(CLICKSTREAM.read_bytes())
    only_sources = _imported_checks(tmp_path, "--select", "gate:2")
    assert "dataplan_lint.checks.domain.source" in only_sources
    assert "dataplan_lint.checks.reference_exists" in only_sources
    for unused in (
        "dataplan_lint.checks.domain.capacity",
        "dataplan_lint.checks.domain.event_time",
        "dataplan_lint.checks.dbt_compare",
        "dataplan_lint.checks.domain.latency",
    ):
        assert unused not in only_sources
    only_capacity = _imported_checks(tmp_path, "--select", "DP411")
    assert "dataplan_lint.checks.domain.capacity" in only_capacity
    assert "dataplan_lint.checks.domain.event_time" not in only_capacity


def test_the_dbt_cross_check_is_imported_only_for_a_plan_naming_dbt(tmp_path: Path) -> None:
    plan = CLICKSTREAM.read_text(encoding="utf-8")
    assert "\nmodeling:\n  layers:\n" in plan and "dbt" not in plan
    (tmp_path / "dataplan.yaml").write_text(plan, encoding="utf-8")
    assert "dataplan_lint.checks.dbt_compare" not in _imported_checks(tmp_path)
    with_dbt = plan.replace(
        "\nmodeling:\n  layers:\n", "\nmodeling:\n  dbt: {manifest: missing.json}\n  layers:\n"
    )
    (tmp_path / "dataplan.yaml").write_text(with_dbt, encoding="utf-8")
    assert "dataplan_lint.checks.dbt_compare" in _imported_checks(tmp_path)
