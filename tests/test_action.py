"""The composite GitHub Action: its metadata validates, and its check step, run locally
with the GITHUB_* variables a runner sets, prints annotations, writes the job summary,
the SARIF file and the step outputs, and fails per `fail-on`."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
ACTION = ROOT / "action.yml"
RUN_SCRIPT = ROOT / "scripts" / "action-run.sh"
BAD = ROOT / "examples" / "invalid" / "bad-enum.dataplan.yaml"
GOOD = ROOT / "examples" / "orders-cdc" / "dataplan.yaml"
BIN = Path(sys.executable).parent

needs_bash = pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")


def action() -> dict[str, Any]:
    loaded: dict[str, Any] = YAML(typ="safe").load(ACTION.read_text())
    return loaded


def test_action_validates_against_the_github_actions_schema() -> None:
    tool = shutil.which("check-jsonschema", path=str(BIN)) or shutil.which("check-jsonschema")
    if tool is None:
        pytest.skip("check-jsonschema is not installed")
    done = subprocess.run(
        [tool, "--builtin-schema", "vendor.github-actions", str(ACTION)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_action_shape() -> None:
    meta = action()
    assert meta["runs"]["using"] == "composite"
    inputs = meta["inputs"]
    for name in (
        "paths",
        "config",
        "base-ref",
        "fail-on",
        "sarif-file",
        "python-version",
        "version",
    ):
        assert name in inputs, name
    assert inputs["base-ref"]["default"] == "${{ github.event.pull_request.base.sha }}"
    assert meta["outputs"]["sarif-file"]["value"] == "${{ steps.check.outputs.sarif-file }}"
    steps = meta["runs"]["steps"]
    uses = [step["uses"] for step in steps if "uses" in step]
    assert uses and all(re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+\.\d+\.\d+", u) for u in uses), uses
    assert any(u.startswith("actions/setup-python@") for u in uses)
    runs = [step for step in steps if "run" in step]
    assert any("scripts/action-install.sh" in step["run"] for step in runs)
    check = next(step for step in steps if step.get("id") == "check")
    assert "scripts/action-run.sh" in check["run"]
    # Inputs reach the scripts as environment variables, never inside the script text.
    for step in runs:
        assert "${{" not in step["run"], step["run"]
    for name in ("paths", "config", "base-ref", "fail-on", "sarif-file"):
        env_name = "INPUT_" + name.upper().replace("-", "_")
        assert check["env"][env_name] == "${{ inputs." + name + " }}"


def run_step(
    workspace: Path, tmp: Path, **inputs: str
) -> tuple[subprocess.CompletedProcess[str], Path, Path]:
    summary = tmp / "step_summary.md"
    outputs = tmp / "github_output"
    summary.write_text("")
    outputs.write_text("")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_"))}
    env.update(
        {
            "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}",
            "GITHUB_ACTIONS": "true",
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_STEP_SUMMARY": str(summary),
            "GITHUB_OUTPUT": str(outputs),
            "GITHUB_ACTION_PATH": str(ROOT),
            "NO_COLOR": "1",
        }
    )
    for key, value in inputs.items():
        env["INPUT_" + key.upper()] = value
    done = subprocess.run(
        ["bash", str(RUN_SCRIPT)],
        cwd=tmp,  # the script itself moves to the workspace
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return done, summary, outputs


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    space = tmp_path / "workspace"
    (space / "plans" / "orders").mkdir(parents=True)
    (space / "plans" / "orders" / "dataplan.yaml").write_bytes(GOOD.read_bytes())
    (space / "plans" / "clicks").mkdir(parents=True)
    (space / "plans" / "clicks" / "dataplan.yaml").write_bytes(BAD.read_bytes())
    return space


@needs_bash
def test_check_step_with_findings(workspace: Path, tmp_path: Path) -> None:
    done, summary, outputs = run_step(
        workspace, tmp_path, paths="plans", sarif_file="reports/dataplan.sarif", fail_on="error"
    )
    assert done.returncode == 1, done.stdout + done.stderr
    stdout = done.stdout
    # Text report and annotations, paths relative to the workspace.
    assert "plans/clicks/dataplan.yaml:30:11: DP014 error" in stdout
    assert (
        "::error file=plans/clicks/dataplan.yaml,line=30,endLine=30,col=11,endColumn=19,"
        "title=DP014 invalid-value::`sources[0].kind` is 'streaming'" in stdout
    )
    annotations = [line for line in stdout.splitlines() if line.startswith("::")]
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in annotations)
    # Job summary.
    text = summary.read_text()
    assert text.startswith("## dataplan-lint: ❌ failed")
    assert "| - | File and schema checks | ❌ 1 finding |" in text
    assert re.search(r"\| 12 \| Final plan bundle \| ", text)
    assert "plans/clicks/dataplan.yaml:30:11" in text
    # SARIF named by the step output.
    assert "sarif-file=reports/dataplan.sarif\n" in outputs.read_text()
    assert "exit-code=1\n" in outputs.read_text()
    document = json.loads((workspace / "reports" / "dataplan.sarif").read_text())
    results = document["runs"][0]["results"]
    enum = next(r for r in results if r["ruleId"] == "DP014")
    location = enum["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {
        "uri": "plans/clicks/dataplan.yaml",
        "uriBaseId": "%SRCROOT%",
    }
    assert location["region"]["startLine"] == 30
    root_uri = document["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert root_uri == workspace.resolve().as_uri() + "/"
    oasis = Path("/work/shared/external/sarif-schema-2.1.0.json")
    if oasis.is_file():
        jsonschema.Draft4Validator(json.loads(oasis.read_text())).validate(document)


@needs_bash
def test_fail_on_none_reports_but_passes(workspace: Path, tmp_path: Path) -> None:
    done, _, outputs = run_step(workspace, tmp_path, paths="plans", fail_on="none")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "::error file=plans/clicks/dataplan.yaml" in done.stdout
    assert "exit-code=1" in outputs.read_text()
    assert (workspace / "dataplan-lint.sarif").is_file()


@needs_bash
def test_clean_paths_pass(workspace: Path, tmp_path: Path) -> None:
    done, summary, _ = run_step(workspace, tmp_path, paths="plans/orders\n")
    assert done.returncode == 0, done.stdout + done.stderr
    assert not [line for line in done.stdout.splitlines() if line.startswith("::")]
    assert summary.read_text().startswith("## dataplan-lint: ✅ passed")
    results = json.loads((workspace / "dataplan-lint.sarif").read_text())["runs"][0]["results"]
    assert results == []


@needs_bash
def test_bad_fail_on_is_a_usage_error(workspace: Path, tmp_path: Path) -> None:
    done, _, _ = run_step(workspace, tmp_path, fail_on="sometimes")
    assert done.returncode == 2
    assert "::error title=dataplan-lint::fail-on must be" in done.stdout


@needs_bash
def test_hostile_path_input_stays_data(workspace: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    done, _, _ = run_step(workspace, tmp_path, paths=f"plans/orders $(touch {marker})")
    assert not marker.exists()
    assert done.returncode == 2  # the odd "path" does not exist
