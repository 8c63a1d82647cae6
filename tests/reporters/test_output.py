"""`--format`/`--output` pairing, the GitHub Actions defaults, and atomic file output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dataplan_lint.cli.commands import cli
from dataplan_lint.report.output import OutputError, Target, pair_targets, summary_path

REPO = Path(__file__).resolve().parents[2]
BAD = REPO / "examples" / "invalid" / "bad-enum.dataplan.yaml"


def test_pairs_in_order_and_defaults_to_stdout() -> None:
    targets = pair_targets(["github", "sarif", "json"], ["-", "out.sarif"], {})
    assert targets == [
        Target("github", "-"),
        Target("sarif", "out.sarif"),
        Target("json", "-"),
    ]


def test_more_outputs_than_formats_is_an_error() -> None:
    with pytest.raises(OutputError, match="pairs with the --format"):
        pair_targets(["sarif"], ["a.sarif", "b.sarif"], {})


def test_two_formats_to_one_file_is_an_error() -> None:
    with pytest.raises(OutputError, match="same file"):
        pair_targets(["sarif", "json"], ["x", "x"], {})


def test_defaults_outside_and_inside_github_actions() -> None:
    assert pair_targets([], [], {}) == [Target("text", "-")]
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": "/s.md"}
    targets = pair_targets([], [], env)
    assert targets == [Target("text", "-"), Target("github", "-")]
    assert summary_path([], targets, env) == "/s.md"
    assert summary_path(["json"], pair_targets(["json"], [], env), env) is None
    assert summary_path([], targets, {"GITHUB_ACTIONS": "true"}) is None


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY", "GITHUB_WORKSPACE"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "dataplan.yaml").write_bytes(BAD.read_bytes())
    return tmp_path


def test_cli_writes_several_formats_in_one_run(workdir: Path) -> None:
    result = CliRunner().invoke(
        cli,
        [
            "check",
            "dataplan.yaml",
            "--format",
            "github",
            "--format",
            "sarif",
            "--format",
            "json",
            "--output",
            "-",
            "--output",
            "reports/out.sarif",
            "--output",
            "out.json",
        ],
    )
    assert result.exit_code == 1, result.output
    assert result.output.startswith("::error file=dataplan.yaml,line=")
    assert "::error file=dataplan.yaml,line=30,endLine=30,col=11,endColumn=19," in result.output
    document = json.loads((workdir / "reports" / "out.sarif").read_text())
    assert "DP014" in {r["ruleId"] for r in document["runs"][0]["results"]}
    assert json.loads((workdir / "out.json").read_text())["version"] == 1
    # Atomic writes leave no temporary files behind.
    assert sorted(p.name for p in (workdir / "reports").iterdir()) == ["out.sarif"]
    assert not list(workdir.glob(".*.tmp"))


def test_cli_replaces_an_existing_output(workdir: Path) -> None:
    (workdir / "out.json").write_text("old and longer than the new content " * 1000)
    result = CliRunner().invoke(
        cli, ["check", "dataplan.yaml", "--format", "json", "--output", "out.json"]
    )
    assert result.exit_code == 1
    assert json.loads((workdir / "out.json").read_text())["summary"]["errors"] >= 1


def test_github_actions_default_appends_summary(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summary = workdir / "summary.md"
    summary.write_text("# earlier step\n")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = CliRunner().invoke(cli, ["check", "dataplan.yaml", "--no-snippets"])
    assert result.exit_code == 1
    assert "dataplan.yaml:30:11: DP014 [*] error" in result.output  # text
    assert "::error file=dataplan.yaml,line=30,endLine=30,col=11," in result.output
    text = summary.read_text()
    assert text.startswith("# earlier step\n## dataplan-lint: ❌ failed")
    assert "| 2 | Source inventory and contract ownership | ❌ 1 finding |" in text
    assert "| - | File and schema checks | ✅ pass |" in text


def test_cli_usage_errors_exit_2(workdir: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["check", "dataplan.yaml", "--format", "yaml"])
    assert result.exit_code == 2
    result = runner.invoke(
        cli, ["check", "dataplan.yaml", "--format", "json", "--output", "a", "--output", "b"]
    )
    assert result.exit_code == 2
    assert "pairs with the --format" in result.output
    result = runner.invoke(
        cli, ["check", "dataplan.yaml", "--format", "json", "--output", "missing/dir/"]
    )
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_unwritable_output_is_exit_2(workdir: Path) -> None:
    (workdir / "locked").mkdir()
    (workdir / "locked").chmod(0o500)
    try:
        result = CliRunner().invoke(
            cli, ["check", "dataplan.yaml", "--format", "json", "--output", "locked/out.json"]
        )
    finally:
        (workdir / "locked").chmod(0o700)
    if result.exit_code != 2:
        pytest.skip("running as a user that may write anywhere (root)")
    assert "cannot write locked/out.json" in result.output
