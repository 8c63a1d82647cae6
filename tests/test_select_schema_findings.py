"""`--select` filters schema findings (DP011-DP017) by the gate of the section they are in,
as it filters rules: a run over one gate does not report another section's schema errors."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from dataplan_lint.cli.commands import cli
from tests.compat.plans import line_of

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "clickstream-sessions"


def _check(folder: Path, *args: str) -> tuple[int, list[dict[str, Any]]]:
    before = Path.cwd()
    os.chdir(folder)
    try:
        result = CliRunner().invoke(cli, ["check", "--format", "json", *args, "dataplan.yaml"])
    finally:
        os.chdir(before)
    return result.exit_code, json.loads(result.stdout)["findings"]


@pytest.fixture
def plan(tmp_path: Path) -> tuple[Path, str]:
    """The clickstream example with one schema error in `capacity` (gate 4): an unknown
    key under `capacity.inputs`."""
    text = (EXAMPLE / "dataplan.yaml").read_text(encoding="utf-8")
    text = text.replace("capacity:\n  inputs:\n", "capacity:\n  inputs:\n    peak_facto: 3\n", 1)
    assert "peak_facto" in text
    (tmp_path / "dataplan.yaml").write_text(text, encoding="utf-8")
    return tmp_path, text


@pytest.mark.parametrize(
    ("selection", "reported"),
    [
        ((), True),
        (("--select", "gate:4"), True),
        (("--select", "DP011"), True),
        (("--select", "unknown-key"), True),
        (("--select", "schema"), True),
        (("--select", "all"), True),
        (("--select", "gate:6"), False),
        (("--select", "compatibility"), False),
        (("--select", "DP301"), False),
    ],
)
def test_schema_findings_follow_the_selection(
    plan: tuple[Path, str], selection: tuple[str, ...], reported: bool
) -> None:
    folder, text = plan
    code, findings = _check(folder, *selection)
    schema = [f for f in findings if f["rule_id"] == "DP011"]
    if reported:
        (finding,) = schema
        assert (finding["line"], finding["column"]) == (line_of(text, "peak_facto"), 5)
        assert code == 1
    else:
        assert schema == []
        assert code == 0, findings
