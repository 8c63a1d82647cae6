"""A crash in one stage or rule on one file is a finding and a failing exit, never a pass."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from dataplan_lint.cli.commands import cli
from dataplan_lint.pipeline import parallel, runner

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "clickstream-sessions" / "dataplan.yaml"


@pytest.fixture
def clean_plan(tmp_path: Path) -> Path:
    path = tmp_path / "dataplan.yaml"
    path.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    assert CliRunner().invoke(cli, ["check", str(path)]).exit_code == 0
    return path


def _json_findings(args: list[str]) -> tuple[int, list[dict[str, Any]]]:
    result = CliRunner().invoke(cli, ["check", "--format", "json", *args])
    return result.exit_code, json.loads(result.stdout)["findings"]


def _crashing_stage(plan: object, settings: object, timings: object = None) -> Iterable[Any]:
    raise ZeroDivisionError("injected")


def test_a_crashing_stage_is_a_finding_and_exit_1(
    clean_plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = runner.stages()
    monkeypatch.setattr(runner, "stages", lambda: [*real, ("boom", _crashing_stage)])
    code, findings = _json_findings([str(clean_plan)])
    assert code == 1
    crashes = [f for f in findings if f["rule_id"] == "DP099"]
    assert len(crashes) == 1
    assert "internal error in boom: ZeroDivisionError: injected" in crashes[0]["message"]
    assert crashes[0]["line"] == 1 and crashes[0]["column"] == 1


def _break_one_function(monkeypatch: pytest.MonkeyPatch, error: type[Exception]) -> None:
    from dataplan_lint.engine import registry

    real_get = registry.get
    broken: list[str] = []

    def get(name: str) -> Any:
        function = real_get(name)
        if broken and name != broken[0]:
            return function
        broken[:] = [name]

        def crash(*args: object, **kwargs: object) -> Any:
            raise error("injected")

        return crash

    monkeypatch.setattr(registry, "get", get)


def test_a_rule_tripping_over_schema_invalid_data_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = tmp_path / "dataplan.yaml"
    text = EXAMPLE.read_text(encoding="utf-8").replace("status: approved", "status: aproved")
    plan.write_text(text, encoding="utf-8")
    _break_one_function(monkeypatch, TypeError)
    code, findings = _json_findings([str(plan)])
    assert code == 1
    crashes = [f for f in findings if f["rule_id"] == "DP099"]
    assert crashes
    assert all("could not run" in f["message"] for f in crashes)
    assert all("see the schema findings" in f["message"] for f in crashes)
    assert any(f["rule_id"] == "DP014" for f in findings)

    # On a schema-valid plan the same TypeError is a bug to report.
    plan.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    code, findings = _json_findings([str(plan)])
    assert code == 1
    crashes = [f for f in findings if f["rule_id"] == "DP099"]
    assert crashes and all("internal error in rule DP" in f["message"] for f in crashes)


def test_a_crashing_rule_names_the_rule_and_the_others_still_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = tmp_path / "dataplan.yaml"
    text = EXAMPLE.read_text(encoding="utf-8").replace("status: approved", "status: aproved")
    plan.write_text(text, encoding="utf-8")
    _break_one_function(monkeypatch, ZeroDivisionError)
    code, findings = _json_findings([str(plan)])
    assert code == 1
    crashes = [f for f in findings if f["rule_id"] == "DP099"]
    assert crashes, findings
    assert all("internal error in rule DP" in f["message"] for f in crashes)
    assert any(f["rule_id"] == "DP014" for f in findings), "the schema finding was lost"


def test_a_crashing_loader_is_a_finding(clean_plan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: object, **kwargs: object) -> Any:
        raise ValueError("loader bug")

    monkeypatch.setattr(runner, "load_limited", explode)
    code, findings = _json_findings([str(clean_plan)])
    assert code == 1
    assert [f["rule_id"] for f in findings] == ["DP099"]
    assert "internal error in loader: ValueError: loader bug" in findings[0]["message"]


def test_crashes_in_worker_processes_are_not_lost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for index in range(6):
        folder = tmp_path / f"svc-{index}"
        folder.mkdir()
        (folder / "dataplan.yaml").write_text(EXAMPLE.read_text(encoding="utf-8"))
    monkeypatch.setattr(parallel, "PARALLEL_MIN_FILES", 2)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 1)
    monkeypatch.setattr(parallel, "usable_cpus", lambda: 2)
    monkeypatch.delenv(parallel.JOBS_ENV, raising=False)
    real = runner.stages()
    monkeypatch.setattr(runner, "stages", lambda: [*real, ("boom", _crashing_stage)])
    code, findings = _json_findings([str(tmp_path)])
    assert code == 1
    assert len([f for f in findings if f["rule_id"] == "DP099"]) == 6


def test_sarif_and_json_files_are_whole_or_absent_after_an_interruption(
    clean_plan: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The run is interrupted while the SARIF file is being written: the old SARIF file
    stays as it was, the JSON file is whole (or absent) and no temporary file is left."""
    import os

    out = tmp_path / "out"
    out.mkdir()
    (out / "report.sarif").write_text("OLD", encoding="utf-8")
    real_replace = os.replace
    interrupted: list[str] = []

    def replace(source: str, target: str) -> None:
        """Interrupt right before the finished temporary SARIF file is renamed."""
        if Path(source).name.startswith(".report.sarif."):
            interrupted.append(str(source))
            raise KeyboardInterrupt
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    args = ["--format", "json", "--format", "sarif"]
    args += ["--output", str(out / "report.json"), "--output", str(out / "report.sarif")]
    result = CliRunner().invoke(cli, ["check", str(clean_plan), *args])
    assert interrupted, "the SARIF file was never written"
    assert result.exit_code != 0
    assert (out / "report.sarif").read_text(encoding="utf-8") == "OLD"
    if (out / "report.json").exists():
        json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert sorted(path.name for path in out.iterdir()) in (
        ["report.json", "report.sarif"],
        ["report.sarif"],
    )
