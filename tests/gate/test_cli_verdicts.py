"""Input errors never look like success; --exit-zero, --statistics and stdin (`-`)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from dataplan_lint.cli.commands import cli

from .runcli import lint

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "examples" / "invalid" / "bad-enum.dataplan.yaml"
GOOD = ROOT / "examples" / "orders-cdc" / "dataplan.yaml"


def run(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    done = lint(*args, cwd=cwd, stdin=stdin)
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.encode(), done.stderr.encode()
    )


def test_a_missing_path_is_exit_2_and_never_all_checks_passed(tmp_path: Path) -> None:
    done = run("check", "nope.yaml", "--format", "text", "--format", "json", cwd=tmp_path)
    out = done.stdout.decode()
    assert done.returncode == 2
    assert "All checks passed" not in out
    assert "Check incomplete: 1 input error (see above); 0 files checked, 0 findings." in out
    summary = json.loads(out[out.index("{") :])["summary"]
    assert summary["failed"] is True
    assert summary["exit_code"] == 2
    assert summary["input_errors"] == ["nope.yaml: no such file or directory"]


def test_sarif_of_an_input_error_is_not_a_successful_run(tmp_path: Path) -> None:
    (tmp_path / "dataplan.yaml").write_bytes(GOOD.read_bytes())
    done = run("check", "dataplan.yaml", "typo.yaml", "--format", "sarif", cwd=tmp_path)
    assert done.returncode == 2
    invocation = json.loads(done.stdout)["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert invocation["exitCode"] == 2
    texts = [n["message"]["text"] for n in invocation["toolExecutionNotifications"]]
    assert texts == ["typo.yaml: no such file or directory"]


def test_a_bad_baseline_still_writes_a_failed_sarif(tmp_path: Path) -> None:
    (tmp_path / "dataplan.yaml").write_bytes(GOOD.read_bytes())
    (tmp_path / "stale.sarif").write_text("{}")
    done = run(
        "check", "dataplan.yaml", "--baseline", "missing.json",
        "--format", "sarif", "--output", "stale.sarif", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 2
    invocation = json.loads((tmp_path / "stale.sarif").read_text())["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert "cannot read baseline missing.json" in json.dumps(invocation)


def test_exit_zero_reports_findings_and_passes(tmp_path: Path) -> None:
    (tmp_path / "bad.dataplan.yaml").write_bytes(BAD.read_bytes())
    done = run("check", "bad.dataplan.yaml", "--exit-zero", "--no-snippets", cwd=tmp_path)
    assert done.returncode == 0
    assert b"bad.dataplan.yaml:30:11: DP014 [*] error" in done.stdout
    # ... but an input error still fails.
    done = run("check", "bad.dataplan.yaml", "nope.yaml", "--exit-zero", cwd=tmp_path)
    assert done.returncode == 2


def test_statistics_counts_per_rule(tmp_path: Path) -> None:
    (tmp_path / "bad.dataplan.yaml").write_bytes(BAD.read_bytes())
    done = run("check", "bad.dataplan.yaml", "--statistics", "--select", "DP014", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.decode().splitlines() == [
        "1\tDP014\terror\tinvalid-value",
        "Found 1 finding (1 error) in 1 file.",
    ]


def test_stdin_with_a_filename_uses_its_config_and_name(tmp_path: Path) -> None:
    folder = tmp_path / "pipelines" / "clicks"
    folder.mkdir(parents=True)
    (folder / ".dataplan-lint.yaml").write_text('per-file-ignores:\n  "*.dataplan.yaml": [DP014]\n')
    source = BAD.read_bytes()
    done = run(
        "check", "-", "--stdin-filename", "pipelines/clicks/x.dataplan.yaml",
        "--select", "DP014", "--no-snippets", cwd=tmp_path, stdin=source,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert b"All checks passed: 1 file checked" in done.stdout
    done = run(
        "check", "-", "--stdin-filename", "other/x.dataplan.yaml", "--select", "DP014",
        "--no-snippets", cwd=tmp_path, stdin=source,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stdout.decode().startswith("other/x.dataplan.yaml:30:11: DP014 [*] error")
    done = run("check", "-", "--no-snippets", "--select", "DP014", cwd=tmp_path, stdin=source)
    assert done.stdout.decode().startswith("-:30:11: DP014 [*] error")


def test_stdin_cannot_be_mixed_with_paths(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["check", "-", "x.yaml"], input="")
    assert result.exit_code == 2
    assert "cannot be mixed" in result.stderr


@pytest.mark.parametrize("fail_on", ["error", "warning"])
def test_schema_findings_count_against_their_gate(tmp_path: Path, fail_on: str) -> None:
    plan = GOOD.read_text().replace("      window: 3d\n", "      window: 3 parsecs\n", 1)
    (tmp_path / "dataplan.yaml").write_text(plan)
    done = run("check", "dataplan.yaml", "--format", "json", "--fail-on", fail_on, cwd=tmp_path)
    summary = json.loads(done.stdout)["summary"]
    assert summary["by_gate"]["3"] == 1  # event_semantics, not "file and schema checks"
    assert "0" not in summary["by_gate"]


def test_summary_counts_the_files_with_findings_apart_from_the_files_checked(
    tmp_path: Path,
) -> None:
    (tmp_path / "bad.dataplan.yaml").write_bytes(BAD.read_bytes())
    (tmp_path / "also-bad.dataplan.yaml").write_bytes(BAD.read_bytes())
    good = tmp_path / "good.dataplan.yaml"
    good.write_bytes(BAD.read_bytes())
    args = ("check", "--select", "DP014", "--no-snippets")
    done = run(*args, "bad.dataplan.yaml", "also-bad.dataplan.yaml", cwd=tmp_path)
    assert done.stdout.decode().splitlines()[-2] == "Found 2 findings (2 errors) in 2 files."
    (tmp_path / ".dataplan-lint.yaml").write_text(
        'per-file-ignores:\n  "good.dataplan.yaml": [DP014]\n'
    )
    done = run(*args, ".", cwd=tmp_path)
    assert done.returncode == 1
    assert "Found 2 findings (2 errors) in 2 of 3 files." in done.stdout.decode()
