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

from tests.conftest import copy_example

ROOT = Path(__file__).resolve().parent.parent
ACTION = ROOT / "action.yml"
RUN_SCRIPT = ROOT / "scripts" / "action-run.sh"
KEY_SCRIPT = ROOT / "scripts" / "action-cache-key.sh"
BAD = ROOT / "examples" / "invalid" / "bad-enum.dataplan.yaml"
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
        "version-file",
        "baseline",
        "exclude",
        "args",
    ):
        assert name in inputs, name
    assert inputs["base-ref"]["default"] == "${{ github.event.pull_request.base.sha }}"
    assert meta["outputs"]["sarif-file"]["value"] == "${{ steps.check.outputs.sarif-file }}"
    steps = meta["runs"]["steps"]
    uses = [step["uses"] for step in steps if "uses" in step]
    # Third-party actions are pinned by commit SHA (a tag can be moved); the tag is a comment.
    assert uses and all(
        re.fullmatch(r"[\w.-]+/[\w.-]+(/[\w.-]+)?@[0-9a-f]{40}", u) for u in uses
    ), uses
    raw = ACTION.read_text()
    for use in uses:
        assert re.search(re.escape(use) + r" # v\d+\.\d+\.\d+\n", raw), use
    assert any(u.startswith("actions/setup-python@") for u in uses)
    runs = [step for step in steps if "run" in step]
    assert any("scripts/action-install.sh" in step["run"] for step in runs)
    check = next(step for step in steps if step.get("id") == "check")
    assert "scripts/action-run.sh" in check["run"]
    # Inputs reach the scripts as environment variables, never inside the script text.
    for step in runs:
        assert "${{" not in step["run"], step["run"]
    for name in ("paths", "config", "base-ref", "fail-on", "sarif-file", "baseline", "args"):
        env_name = "INPUT_" + name.upper().replace("-", "_")
        assert check["env"][env_name] == "${{ inputs." + name + " }}"


def run_step(
    workspace: Path, tmp: Path, extra_env: dict[str, str] | None = None, **inputs: str
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
    env.update(extra_env or {})
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
    copy_example("orders-cdc", space, at="plans/orders")  # with its dbt project and ODCS file
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
    assert "plans/clicks/dataplan.yaml:30:11: DP014 [*] error" in stdout
    assert (
        "::error file=plans/clicks/dataplan.yaml,line=30,endLine=30,col=11,endColumn=19,"
        "title=DP014 invalid-value::`sources[web_clicks].kind` is 'streaming'" in stdout
    )
    annotations = [line for line in stdout.splitlines() if line.startswith("::")]
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in annotations)
    # Job summary.
    text = summary.read_text()
    assert text.startswith("## dataplan-lint: ❌ failed")
    assert "| 2 | Source inventory and contract ownership | ❌ 1 finding |" in text
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


VERDICTS = {
    0: "## dataplan-lint: ✅ passed",
    1: "## dataplan-lint: ❌ failed",
    2: "## dataplan-lint: ❌ error",
}


def assert_one_verdict(
    done: subprocess.CompletedProcess[str], summary: Path, outputs: Path, sarif: Path
) -> dict[str, Any]:
    """Exit status, step output, summary verdict, SARIF invocation and annotations agree."""
    code = done.returncode
    log = done.stdout + done.stderr
    assert f"exit-code={code}\n" in outputs.read_text(), log
    assert summary.read_text().startswith(VERDICTS[code]), summary.read_text()
    document: dict[str, Any] = json.loads(sarif.read_text())
    invocation = document["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is (code != 2), invocation
    if code == 2:
        notes = invocation["toolExecutionNotifications"]
        assert notes and all(note["level"] == "error" for note in notes)
    else:
        assert "toolExecutionNotifications" not in invocation
    errors = [line for line in done.stdout.splitlines() if line.startswith("::error")]
    assert bool(errors) is (code != 0), log
    oasis = Path("/work/shared/external/sarif-schema-2.1.0.json")
    if oasis.is_file():
        jsonschema.Draft4Validator(json.loads(oasis.read_text())).validate(document)
    return document


@needs_bash
@pytest.mark.parametrize(
    ("fail_on", "code", "dp014"),
    [
        ("error", 1, "::error "),
        ("warning", 1, "::error "),
        ("info", 1, "::error "),
        ("none", 0, "::warning "),
    ],
)
def test_every_fail_on_gives_one_verdict(
    workspace: Path, tmp_path: Path, fail_on: str, code: int, dp014: str
) -> None:
    done, summary, outputs = run_step(workspace, tmp_path, paths="plans", fail_on=fail_on)
    assert done.returncode == code, done.stdout + done.stderr
    document = assert_one_verdict(done, summary, outputs, workspace / "dataplan-lint.sarif")
    annotation = next(line for line in done.stdout.splitlines() if "title=DP014" in line)
    assert annotation.startswith(dp014 + "file=plans/clicks/dataplan.yaml,line=30,"), annotation
    # SARIF keeps each rule's own level whatever fail-on says.
    levels = {r["ruleId"]: r["level"] for r in document["runs"][0]["results"]}
    assert levels["DP014"] == "error"
    warnings = [line for line in done.stdout.splitlines() if line.startswith("::warning ")]
    if fail_on in ("warning", "info"):
        assert not warnings  # every warning finding fails the run: annotated as an error
    if fail_on == "none":
        assert "(error; does not fail this run)" in annotation
        assert "Findings do not fail this run" in summary.read_text()


@needs_bash
def test_clean_paths_pass(workspace: Path, tmp_path: Path) -> None:
    done, summary, outputs = run_step(workspace, tmp_path, paths="plans/orders\n")
    assert done.returncode == 0, done.stdout + done.stderr
    assert not [line for line in done.stdout.splitlines() if line.startswith("::")]
    document = assert_one_verdict(done, summary, outputs, workspace / "dataplan-lint.sarif")
    assert document["runs"][0]["results"] == []


@needs_bash
@pytest.mark.parametrize("fail_on", ["error", "none"])
def test_a_typo_in_paths_is_an_error_everywhere(
    workspace: Path, tmp_path: Path, fail_on: str
) -> None:
    done, summary, outputs = run_step(
        workspace, tmp_path, paths="plans/orders plans/ordres", fail_on=fail_on
    )
    assert done.returncode == 2, done.stdout + done.stderr
    document = assert_one_verdict(done, summary, outputs, workspace / "dataplan-lint.sarif")
    notes = document["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [note["message"]["text"] for note in notes] == [
        "plans/ordres: no such file or directory"
    ]
    assert "::error title=dataplan-lint%3A input error::plans/ordres: no such file" in done.stdout
    assert "All checks passed" not in done.stdout
    assert "Check incomplete: 1 input error" in done.stdout


@needs_bash
def test_a_stale_sarif_is_never_left_behind(workspace: Path, tmp_path: Path) -> None:
    sarif = workspace / "dataplan-lint.sarif"
    sarif.write_text('{"runs": [{"results": []}]}')  # a clean run from before
    done, summary, outputs = run_step(workspace, tmp_path, paths="plans", base_ref="no-such-ref")
    assert done.returncode == 2, done.stdout + done.stderr
    assert_one_verdict(done, summary, outputs, sarif)


@needs_bash
def test_bad_fail_on_is_a_usage_error(workspace: Path, tmp_path: Path) -> None:
    done, summary, _ = run_step(workspace, tmp_path, fail_on="sometimes")
    assert done.returncode == 2
    assert "::error title=dataplan-lint::fail-on must be" in done.stdout
    assert summary.read_text().startswith(VERDICTS[2])
    document = json.loads((workspace / "dataplan-lint.sarif").read_text())
    assert document["runs"][0]["invocations"][0]["executionSuccessful"] is False


@needs_bash
def test_baseline_exclude_and_args_inputs(workspace: Path, tmp_path: Path) -> None:
    recorded = subprocess.run(
        [str(BIN / "dataplan-lint"), "baseline", "plans", "-o", "base.json"],
        cwd=workspace,
        capture_output=True,
        text=True,
        check=False,
    )
    assert recorded.returncode == 0, recorded.stderr
    done, summary, outputs = run_step(
        workspace, tmp_path, paths="plans", baseline="base.json", fail_on="warning"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert_one_verdict(done, summary, outputs, workspace / "dataplan-lint.sarif")
    done, summary, outputs = run_step(workspace, tmp_path, paths="plans", exclude="clicks\n")
    assert done.returncode == 0, done.stdout + done.stderr
    done, summary, outputs = run_step(
        workspace, tmp_path, paths="plans", args="--select DP014 --statistics"
    )
    assert done.returncode == 1
    assert "1\tDP014\terror\tinvalid-value" in done.stdout
    assert_one_verdict(done, summary, outputs, workspace / "dataplan-lint.sarif")


@needs_bash
def test_install_step_reads_the_version_file(tmp_path: Path) -> None:
    fake = tmp_path / "python"
    log = tmp_path / "pip-args"
    fake.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {log}\n')
    fake.chmod(0o755)
    (tmp_path / "requirements-dev.txt").write_text("ruff==0.6\ndataplan-lint == 0.1.0\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_"))}
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        PYTHON=str(fake),
        GITHUB_WORKSPACE=str(tmp_path),
        GITHUB_ACTION_PATH=str(ROOT),
        INPUT_VERSION_FILE="requirements-dev.txt",
    )
    script = ROOT / "scripts" / "action-install.sh"
    done = subprocess.run(["bash", str(script)], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert log.read_text().splitlines()[-1] == "dataplan-lint==0.1.0"
    (tmp_path / "requirements-dev.txt").write_text("ruff==0.6\n")
    done = subprocess.run(["bash", str(script)], env=env, capture_output=True, text=True)
    assert done.returncode == 2
    assert "version-file names no dataplan-lint version" in done.stdout
    # Without version or version-file, the action installs its own checkout.
    env.pop("INPUT_VERSION_FILE")
    done = subprocess.run(["bash", str(script)], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert log.read_text().splitlines()[-1] == str(ROOT)


@needs_bash
def test_hostile_path_input_stays_data(workspace: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    done, _, _ = run_step(workspace, tmp_path, paths=f"plans/orders $(touch {marker})")
    assert not marker.exists()
    assert done.returncode == 2  # the odd "path" does not exist


@needs_bash
def test_changed_only_against_the_base_commit(workspace: Path, tmp_path: Path) -> None:
    ident = ["-c", "user.name=t", "-c", "user.email=t@example.com"]

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", *ident, *args], cwd=workspace, capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-qm", "base")
    base = git("rev-parse", "HEAD")
    # Unchanged since the base: the bad plan's findings are not this change's.
    done, summary, outputs = run_step(
        workspace, tmp_path, paths="plans", base_ref=base, changed_only="true"
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert_one_verdict(done, summary, outputs, workspace / "dataplan-lint.sarif")
    # Deleting the good plan removes its contracts: the gate fails on that alone.
    git("rm", "-q", "plans/orders/dataplan.yaml")
    git("commit", "-qm", "drop the orders plan")
    done, summary, outputs = run_step(
        workspace, tmp_path, paths="plans", base_ref=base, changed_only="true"
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert_one_verdict(done, summary, outputs, workspace / "dataplan-lint.sarif")
    assert "title=DP737 contract-removed::" in done.stdout


def test_readme_workflow_pins_actions_and_never_uploads_a_broken_run(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = next(b for b in readme.split("```yaml\n")[1:] if "upload-sarif" in b)
    workflow = block.split("```", 1)[0]
    loaded = YAML(typ="safe").load(workflow)
    steps = loaded["jobs"]["dataplan-lint"]["steps"]
    for step in steps:
        uses = step.get("uses", "")
        if uses and not uses.startswith("dataplan-lint/"):
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", uses), uses
            assert re.search(re.escape(uses) + r" # v\d+\.\d+\.\d+", workflow), uses
    upload = next(s for s in steps if "upload-sarif" in s.get("uses", ""))
    assert "steps.lint.outputs.exit-code != '2'" in upload["if"]
    tool = shutil.which("check-jsonschema", path=str(BIN)) or shutil.which("check-jsonschema")
    if tool is not None:
        (tmp_path / "workflow.yml").write_text(workflow)
        done = subprocess.run(
            [tool, "--builtin-schema", "vendor.github-workflows", str(tmp_path / "workflow.yml")],
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr


@needs_bash
def test_on_a_pull_request_the_default_reports_what_the_change_caused(
    workspace: Path, tmp_path: Path
) -> None:
    """changed-only defaults to true: with a base, known findings do not fail the step;
    `false` reports every finding and `lines` is accepted; anything else is exit 2."""
    ident = ["-c", "user.name=t", "-c", "user.email=t@example.com"]
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "base"]):
        subprocess.run(["git", *ident, *args], cwd=workspace, check=True)
    base = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=workspace, capture_output=True, text=True, check=True
    ).stdout.strip()
    done, _, _ = run_step(workspace, tmp_path, paths="plans", base_ref=base)
    assert done.returncode == 0, done.stdout + done.stderr
    for value, code in (("false", 1), ("lines", 0), ("maybe", 2)):
        done, _, _ = run_step(workspace, tmp_path, paths="plans", base_ref=base, changed_only=value)
        assert done.returncode == code, (value, done.stdout + done.stderr)


def test_the_result_cache_steps() -> None:
    """Restore before the check and save after it (also when it fails), with
    actions/cache at one pinned commit, keyed on `dataplan-lint cache key` plus the
    plans' contents; the check reads the cache only when that key exists."""
    meta = action()
    assert meta["inputs"]["cache"]["default"] == "true"
    steps = meta["runs"]["steps"]
    names = [step.get("id") or step["name"] for step in steps]
    key, restore, check = (names.index(n) for n in ("cache-key", "cache-restore", "check"))
    assert key < restore < check < len(steps) - 1
    assert "scripts/action-cache-key.sh" in steps[key]["run"]
    assert steps[key]["if"] == "inputs.cache == 'true' && inputs.base-ref == ''"
    save = steps[-1]
    assert save["uses"].startswith("actions/cache/save@")
    assert steps[restore]["uses"].replace("/restore@", "/save@") == save["uses"]
    assert save["if"].startswith("always() && steps.cache-key.outputs.key != ''")
    assert save["with"]["key"] == "${{ steps.cache-restore.outputs.cache-primary-key }}"
    assert steps[restore]["with"]["key"].startswith("${{ steps.cache-key.outputs.key }}-")
    assert steps[restore]["with"]["restore-keys"] == "${{ steps.cache-key.outputs.key }}-"
    assert "steps.cache-key.outputs.key != ''" in steps[check]["env"]["DATAPLAN_LINT_CACHE_DIR"]


def run_key_step(workspace: Path, tmp: Path, **extra: str) -> dict[str, str]:
    outputs = tmp / "key_output"
    outputs.write_text("")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_"))}
    env.update(
        {
            "PATH": f"{BIN}{os.pathsep}{env.get('PATH', '')}",
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_OUTPUT": str(outputs),
            "RUNNER_TEMP": str(tmp / "runner-temp"),
            **extra,
        }
    )
    done = subprocess.run(
        ["bash", str(KEY_SCRIPT)], cwd=tmp, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return dict(line.split("=", 1) for line in outputs.read_text().splitlines())


@needs_bash
def test_the_cache_key_follows_the_configuration_and_the_cache_serves_ci(
    workspace: Path, tmp_path: Path
) -> None:
    first = run_key_step(workspace, tmp_path)
    assert re.fullmatch(r"dataplan-lint-[\d.]+-[0-9a-f]{24}", first["key"]), first
    assert first["dir"] == str(tmp_path / "runner-temp" / "dataplan-lint-cache")
    assert run_key_step(workspace, tmp_path) == first
    (workspace / ".dataplan-lint.yaml").write_text("tolerance: 0.2\n")
    changed = run_key_step(workspace, tmp_path)
    assert changed["key"] != first["key"]
    (workspace / ".dataplan-lint.yaml").write_text("tolerance: [\n")  # the check reports it
    assert run_key_step(workspace, tmp_path)["key"] == ""  # no cache, and no failed step
    (workspace / ".dataplan-lint.yaml").unlink()
    # The check step with the folder the key step named (as action.yml passes it): in CI,
    # the second run reads every plan from the cache and prints the same report.
    cache = Path(first["dir"])
    in_ci = {"CI": "true", "DATAPLAN_LINT_NO_CACHE": ""}
    runs = [run_step(workspace, tmp_path, in_ci, paths="plans")[0]]
    assert runs[0].returncode == 1
    assert not cache.exists()  # without the folder the cache stays off in CI
    with_cache = {**in_ci, "DATAPLAN_LINT_CACHE_DIR": str(cache)}
    runs.append(run_step(workspace, tmp_path, with_cache, paths="plans")[0])
    stored = {p: p.stat().st_mtime_ns for p in cache.glob("v*/*/*.json")}
    assert len(stored) == 1  # the clicks plan (orders lists its dbt folder: never cached)
    runs.append(run_step(workspace, tmp_path, with_cache, paths="plans")[0])
    assert {p: p.stat().st_mtime_ns for p in cache.glob("v*/*/*.json")} == stored  # all hits
    assert runs[0].stdout == runs[1].stdout == runs[2].stdout
