"""Numbers no figure can be: a finding at the value, never a silent pass or a crash.

`.nan`, `.inf`, `1e308` or a 400-digit integer in a capacity figure once made every
capacity check pass (comparisons with NaN are false, products overflow to infinity),
and a 4,000-digit integer was a DP099 (float() of it raises).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bounded import run_cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = (ROOT / "examples" / "clickstream-sessions" / "dataplan.yaml").read_text(encoding="utf-8")

HUGE = "9" * 400
HUGER = "9" * 4000
# key as written in the example -> its line and the column where the value starts
FIELDS = {
    "peak_factor: 3": (166, 18),  # capacity.inputs, a plain number
    "events_per_day: 500M": (165, 21),  # capacity.inputs, a count (integers allowed)
    "partitions: 48\n    retention_storage": (190, 17),  # capacity.declared, an integer
    "peak_eps: 17361": (188, 15),  # capacity.declared, compared with the derived figure
}


def check(tmp_path: Path, old: str, value: str) -> tuple[int, list[tuple[str, int, int, str]]]:
    key, _, rest = old.partition(": ")
    tail = rest.partition("\n")[2]
    new = f"{key}: {value}" + (f"\n{tail}" if tail else "")
    assert old in EXAMPLE
    (tmp_path / "dataplan.yaml").write_text(EXAMPLE.replace(old, new, 1), encoding="utf-8")
    outcome = run_cli(["check", "--format", "json", "dataplan.yaml"], tmp_path)
    found = [
        (str(f["rule_id"]), int(str(f["line"])), int(str(f["column"])), str(f["message"]))
        for f in outcome.findings()
    ]
    return outcome.code, found


@pytest.mark.parametrize("value", [".nan", ".NaN", ".inf", "-.inf", "1e308", "1e400", HUGE, HUGER])
@pytest.mark.parametrize("field", sorted(FIELDS))
def test_absurd_figure_is_a_finding_at_the_value(tmp_path: Path, field: str, value: str) -> None:
    code, found = check(tmp_path, field, value)
    assert code == 1, found
    line, column = FIELDS[field]
    at_value = [item for item in found if item[:3] == ("DP017", line, column)]
    assert at_value, found
    assert "not a finite number" in at_value[0][3] or "outside the range" in at_value[0][3]
    assert not any(item[0] == "DP099" for item in found), found


@pytest.mark.parametrize("value", [".nan", "1e308"])
def test_non_finite_numbers_are_refused_outside_capacity_too(tmp_path: Path, value: str) -> None:
    """A float literal beyond a double (or NaN) is refused anywhere; large integers only in
    capacity, where a column's int64 maximum elsewhere stays a valid bound."""
    plan = EXAMPLE.replace("kind: DataPlan", "kind: DataPlan\nx-note: .inf", 1)
    (tmp_path / "dataplan.yaml").write_text(plan, encoding="utf-8")
    outcome = run_cli(["check", "--format", "json", "dataplan.yaml"], tmp_path)
    assert any(
        f["rule_id"] == "DP017" and "not a finite number" in str(f["message"])
        for f in outcome.findings()
    ), outcome.stdout
    del value


def test_sane_figures_still_pass(tmp_path: Path) -> None:
    code, found = check(tmp_path, "peak_factor: 3", "3.0")
    assert (code, found) == (0, [])
