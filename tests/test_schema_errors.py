"""The built-in error walker reports exactly what jsonschema reports, on every input."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from dataplan_lint.files.loader import read_file
from dataplan_lint.schema import check as schema_check
from dataplan_lint.schema.bundle import bundled_schema
from dataplan_lint.schema.errors import Walker, supports
from tests.jsonschema_reference import full_validator

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = read_file(ROOT / "examples/clickstream-sessions/dataplan.yaml", "x").plan
assert EXAMPLE is not None


def ours(data: Any) -> list[tuple[str, tuple[Any, ...], str]]:
    schema = bundled_schema()
    return sorted(
        (e.validator, tuple(e.absolute_path), str(e.cause or e.message))
        for e in Walker(schema).errors(data, schema)
    )


def theirs(data: Any) -> list[tuple[str, tuple[Any, ...], str]]:
    return sorted(
        (e.validator, tuple(e.absolute_path), str(e.cause or e.message))
        for e in full_validator().iter_errors(data)
    )


def test_the_bundled_schema_only_uses_walkable_keywords() -> None:
    assert supports(bundled_schema())
    assert not supports({"type": "object", "properties": {"a": {"oneOf": [{"type": "string"}]}}})


def test_invalid_examples_agree_with_jsonschema() -> None:
    for path in sorted((ROOT / "examples").rglob("*.yaml")):
        loaded = read_file(path, path.name)
        if loaded.plan is not None:
            assert ours(loaded.plan.data) == theirs(loaded.plan.data), path


ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-3, max_value=3),
    st.floats(min_value=-2, max_value=2, allow_nan=False),
    st.sampled_from(["", "x", "15m", "five", "10XB", "-1s", "stream", "TBD", "1e400GB"]),
    st.lists(st.sampled_from(["a", "a", 1, True]), max_size=3),
    st.just({}),
    st.just({"unexpected": 1}),
)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_mutated_plans_agree_with_jsonschema(data: st.DataObject) -> None:
    plan = copy.deepcopy(EXAMPLE.data)
    pointers = sorted(EXAMPLE.values)
    for _ in range(data.draw(st.integers(min_value=1, max_value=4))):
        pointer = data.draw(st.sampled_from(pointers))
        tokens = pointer.split("/")[1:]
        if not tokens:
            continue
        parent = plan
        try:
            for token in tokens[:-1]:
                parent = parent[int(token)] if isinstance(parent, list) else parent[token]
            last: Any = int(tokens[-1]) if isinstance(parent, list) else tokens[-1]
            if data.draw(st.booleans()) and isinstance(parent, dict):
                parent.pop(last, None)
            else:
                parent[last] = data.draw(ODD_VALUES)
        except (KeyError, IndexError, TypeError, ValueError):
            continue
    assert ours(plan) == theirs(plan)


def test_findings_are_the_same_from_jsonschema_errors(monkeypatch: Any) -> None:
    """The walker is the tool's one source of errors; fed jsonschema's errors instead,
    the findings are the same."""
    path = ROOT / "examples/invalid/unknown-key.dataplan.yaml"
    plan = read_file(path, "p").plan
    assert plan is not None
    walked = schema_check.check(plan)
    monkeypatch.setattr(
        schema_check, "all_errors", lambda data: iter(full_validator().iter_errors(data))
    )
    assert schema_check.check(plan) == walked
    assert [f.rule_id for f in walked] == ["DP011"]


def test_a_stale_generated_validator_gives_way_to_the_walker(monkeypatch: Any) -> None:
    """After a schema edit without `schema.codegen`, validity comes from the walker (no
    compiler at run time): the same verdicts."""
    invalid = read_file(ROOT / "examples/invalid/unknown-key.dataplan.yaml", "p").plan
    assert invalid is not None and EXAMPLE is not None
    monkeypatch.setattr(schema_check, "_fast_validator", lambda: None)
    assert schema_check.is_valid(EXAMPLE.data)
    assert not schema_check.is_valid(invalid.data)


def test_an_invalid_plan_does_not_import_jsonschema() -> None:
    import subprocess
    import sys

    code = (
        "import sys; from pathlib import Path;"
        "from dataplan_lint.files.loader import read_file;"
        "from dataplan_lint.schema import check as schema_check;"
        f"p = read_file(Path({str(ROOT / 'examples/invalid/wrong-type.dataplan.yaml')!r}), 'p');"
        "assert [f.rule_id for f in schema_check.check(p.plan)] == ['DP013'];"
        "print('jsonschema' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
