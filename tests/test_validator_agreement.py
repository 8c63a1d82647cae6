"""The generated validator, the error walker and jsonschema give one answer.

`schema.check.is_valid` (the generated fastjsonschema module) decides whether a plan is
valid; only an invalid plan is walked for its errors (`schema.errors.Walker`, or
jsonschema for keywords the walker lacks). If they disagreed, a plan could be "valid"
and finding-free to one and broken to the other. This compares all three on every
example plan and on plans mutated by hypothesis.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dataplan_lint.files.loader import read_file
from dataplan_lint.schema import check as schema_check
from dataplan_lint.schema.bundle import bundled_schema
from dataplan_lint.schema.errors import Walker, ecma_dollar
from tests.jsonschema_reference import full_validator

ROOT = Path(__file__).resolve().parent.parent
PLANS = sorted(
    path
    for path in (ROOT / "examples").rglob("*.yaml")
    if path.name == "dataplan.yaml" or path.name.endswith(".dataplan.yaml")
)
BASE = read_file(ROOT / "examples/clickstream-sessions/dataplan.yaml", "base").plan
assert BASE is not None


def verdicts(data: Any) -> tuple[bool, bool, bool]:
    """(generated validator, walker, jsonschema): True when the plan is valid."""
    schema = bundled_schema()
    walker = not any(True for _ in Walker(schema).errors(data, schema))
    full = not any(True for _ in full_validator().iter_errors(data))
    return schema_check.is_valid(data), walker, full


def test_the_examples_cover_valid_and_invalid_plans() -> None:
    loaded = [read_file(path, path.name).plan for path in PLANS]
    plans = [plan.data for plan in loaded if plan is not None]
    assert len(plans) >= 10
    answers = {verdicts(data)[0] for data in plans}
    assert answers == {True, False}


@pytest.mark.parametrize("path", PLANS, ids=lambda p: str(p.relative_to(ROOT)))
def test_validators_agree_on_every_example(path: Path) -> None:
    plan = read_file(path, path.name).plan
    if plan is None:
        pytest.skip("not loadable YAML (a file-level finding, never validated)")
    fast, walker, full = verdicts(plan.data)
    assert fast == walker == full, (fast, walker, full)


def test_dollar_ends_the_input_for_every_validator() -> None:
    """`^...$` does not accept a value with a trailing newline (a `|` block scalar)."""
    data = copy.deepcopy(BASE.data)
    data["sources"][0]["id"] += "\n"
    assert verdicts(data) == (False, False, False)
    yaml_text = BASE.text.replace(
        f"id: {BASE.data['sources'][0]['id']}\n",
        f"id: |\n      {BASE.data['sources'][0]['id']}\n",
        1,
    )
    plan = read_file_text(yaml_text)
    findings = schema_check.check(plan)
    assert [f.rule_id for f in findings] == ["DP016"]
    assert findings[0].pointer == "/sources/0/id"


def read_file_text(text: str) -> Any:
    from dataplan_lint.files.loader import load_limited

    plan = load_limited(text.encode("utf-8"), "plan.yaml", 10_000_000).plan
    assert plan is not None
    return plan


def test_ecma_dollar_leaves_escaped_and_bracketed_dollars() -> None:
    assert ecma_dollar("^a$") == "^a\\Z"
    assert ecma_dollar(r"^\$[$]$") == r"^\$[$]\Z"
    assert ecma_dollar("^(a|b$)") == "^(a|b\\Z)"


def _pointers(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            out += _pointers(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            out += _pointers(value, (*prefix, index))
    return out


SPOTS = _pointers(BASE.data)[1:]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(["10 MB", "5m", "2 GiB\n", "web_clicks\n", "1000/s", "", "p99", "x_y"]),
)
VALUES = st.one_of(
    SCALARS,
    st.lists(SCALARS, max_size=3),
    st.dictionaries(st.text(max_size=6), SCALARS, max_size=2),
)


@st.composite
def mutated_plans(draw: st.DrawFn) -> Any:
    data = copy.deepcopy(BASE.data)
    for _ in range(draw(st.integers(1, 3))):
        spot = draw(st.sampled_from(SPOTS))
        parent = data
        try:
            for step in spot[:-1]:
                parent = parent[step]
            action = draw(st.sampled_from(["replace", "delete", "suffix"]))
            if action == "delete" and isinstance(parent, dict):
                parent.pop(spot[-1], None)
            elif action == "suffix" and isinstance(parent[spot[-1]], str):
                parent[spot[-1]] += draw(st.sampled_from(["\n", " ", "$", "\n\n", "x"]))
            else:
                parent[spot[-1]] = draw(VALUES)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed this spot
    return data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_plans())
def test_validators_agree_on_mutated_plans(data: Any) -> None:
    fast, walker, full = verdicts(data)
    assert fast == walker == full, (fast, walker, full)
