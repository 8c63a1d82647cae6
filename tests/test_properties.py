"""Property-based tests: arbitrary text and YAML never crash the loader or the CLI."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dataplan_lint.cli.commands import cli
from dataplan_lint.files.loader import load_bytes, load_text
from dataplan_lint.schema.check import check

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20)
)
yaml_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(min_size=1, max_size=12), children, max_size=4)
    ),
    max_leaves=25,
)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_loader_never_crashes_on_bytes(raw: bytes) -> None:
    result = load_bytes(raw, "fuzz.yaml")
    assert result.plan is not None or result.findings
    if result.plan is not None:
        check(result.plan)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_loader_never_crashes_on_text(text: str) -> None:
    result = load_text(text, "fuzz.yaml")
    assert result.plan is not None or result.findings


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=yaml_values)
def test_cli_on_arbitrary_yaml(tmp_path: Path, value: object) -> None:
    from ruamel.yaml import YAML

    path = tmp_path / "dataplan.yaml"
    with path.open("w", encoding="utf-8") as handle:
        YAML(typ="safe", pure=True).dump({"apiVersion": "dataplan/v1", "x": value}, handle)
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code in (0, 1, 2)
    assert "Traceback" not in result.output
