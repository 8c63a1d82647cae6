"""Issue 22, section 5: smaller truths the gate tells, through the real CLI."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from .runcli import lint


def test_a_baseline_matches_from_a_sub_folder_given_parent_paths(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "plans" / "sub").mkdir(parents=True)
    done = lint("init", "--one-shot", "--template", "cdc", "plans/cdc.dataplan.yaml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    done = lint("baseline", "-o", "baseline.json", "plans", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    entries = json.loads((tmp_path / "baseline.json").read_text())["entries"]
    assert len(entries) == 10
    assert {entry["path"] for entry in entries} == {"plans/cdc.dataplan.yaml"}
    sub = tmp_path / "plans" / "sub"
    args = ("check", "--no-cache", "--format", "json", "--baseline", "../../baseline.json", "..")
    done = lint(*args, cwd=sub)
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert [f["path"] for f in report["findings"]] == ["../cdc.dataplan.yaml"] * 10
    assert all(f["suppression"]["kind"] == "baseline" for f in report["findings"])


def test_version_answers_to_dash_capital_v(tmp_path: Path) -> None:
    short, long = lint("-V", cwd=tmp_path), lint("--version", cwd=tmp_path)
    assert short.returncode == long.returncode == 0
    assert short.stdout == long.stdout and short.stdout.startswith("dataplan-lint, version ")


def test_quiet_prints_the_findings_and_nothing_else(tmp_path: Path) -> None:
    plan = Path(__file__).resolve().parents[2] / "examples" / "tour" / "dataplan.yaml"
    (tmp_path / "dataplan.yaml").write_bytes(plan.read_bytes())
    loud = lint("check", "--no-cache", "--no-snippets", "dataplan.yaml", cwd=tmp_path)
    quiet = lint("check", "--no-cache", "--no-snippets", "-q", "dataplan.yaml", cwd=tmp_path)
    assert loud.returncode == quiet.returncode == 1
    findings = [line for line in loud.stdout.splitlines() if line.startswith("dataplan.yaml:")]
    assert findings and quiet.stdout.splitlines() == findings  # no summary, no fix hint
    assert "Found " in loud.stdout
    clean = tmp_path / "clean"
    clean.mkdir()
    source = Path(__file__).resolve().parents[2] / "examples" / "clickstream-sessions"
    (clean / "dataplan.yaml").write_bytes((source / "dataplan.yaml").read_bytes())
    done = lint("check", "--no-cache", "--quiet", "dataplan.yaml", cwd=clean)
    assert (done.returncode, done.stdout) == (0, "")


def test_explain_finds_a_rule_by_a_part_of_its_slug(tmp_path: Path) -> None:
    by_id = lint("explain", "DP301", cwd=tmp_path)
    by_part = lint("explain", "watermark-exceeds", cwd=tmp_path)
    assert by_part.returncode == 0 and by_part.stdout == by_id.stdout
    several = lint("explain", "watermark", cwd=tmp_path)
    assert several.returncode == 2
    assert "rules match 'watermark'" in several.stderr
    assert "  DP301 watermark-exceeds-freshness-slo" in several.stderr.splitlines()
    assert lint("explain", "no-such-thing-at-all", cwd=tmp_path).returncode == 2


def test_junit_follows_the_fail_level(tmp_path: Path) -> None:
    from xml.etree import ElementTree as ET

    plan = Path(__file__).resolve().parents[2] / "examples" / "tour" / "dataplan.yaml"
    (tmp_path / "dataplan.yaml").write_bytes(plan.read_bytes())

    def cases(fail_on: str) -> dict[str, ET.Element]:
        args = ("check", "--no-cache", "--format", "junit", "--fail-on", fail_on, "dataplan.yaml")
        done = lint(*args, cwd=tmp_path)
        assert done.returncode == 1, done.stderr
        return {case.get("name", ""): case for case in ET.fromstring(done.stdout).iter("testcase")}

    at_error = cases("error")
    [warning] = [name for name in at_error if name.startswith("DP701 ")]
    case = at_error[warning]
    assert case.find("failure") is None  # a warning does not fail a run that fails on error
    out = case.find("system-out")
    assert out is not None and "DP701 warning" in (out.text or "")
    assert any(c.find("failure") is not None for c in at_error.values())  # errors still fail
    assert cases("warning")[warning].find("failure") is not None


def test_a_full_commit_id_is_shown_short(tmp_path: Path) -> None:
    from compat.plans import schema_repo

    repo = schema_repo(tmp_path / "repo")
    commit = repo.git("rev-parse", "main").strip()
    repo.edit(
        "schemas/checkout.avsc",
        '{"name": "checkout_id", "type": "string"}',
        '{"name": "checkout_id", "type": "long"}',
    )
    done = lint("check", "--base", commit, "--changed-only", "--no-snippets", ".", cwd=repo.root)
    assert done.returncode == 1, done.stderr
    assert f"against the base {commit[:12]} " in done.stdout
    assert f"since {commit[:12]} caused" in done.stdout
    assert commit not in done.stdout


def test_the_job_summary_links_each_location_to_the_head_commit(tmp_path: Path) -> None:
    plan = Path(__file__).resolve().parents[2] / "examples" / "tour" / "dataplan.yaml"
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "dataplan.yaml").write_bytes(plan.read_bytes())
    (tmp_path / ".git").mkdir()
    summary = tmp_path / "summary.md"
    sha = "0123456789abcdef0123456789abcdef01234567"
    env = {
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": "acme/plans",
        "GITHUB_SHA": "f" * 40,  # the merge commit; the head wins when the action names it
        "DATAPLAN_LINT_HEAD_SHA": sha,
    }
    done = lint(
        "check",
        "--no-cache",
        "--format",
        "github",
        "dataplan.yaml",
        cwd=tmp_path / "plans",
        env=env,
    )
    assert done.returncode == 1, done.stderr
    text = summary.read_text(encoding="utf-8")
    link = f"(https://github.com/acme/plans/blob/{sha}/plans/dataplan.yaml#L23)"
    assert f"[dataplan.yaml:23:10]{link}" in text, text


def test_readme_install_snippets_name_no_release_that_does_not_exist() -> None:
    """Every `vX.Y.Z` the README names (pre-commit `rev:`, `uses: ...@`, raw URLs) is a
    tag of this repository; until the first release, snippets pin a commit."""
    import re

    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text(encoding="utf-8")
    ours = r"(?:dataplan-lint@|dataplan-lint/|rev:\s*)(v\d+\.\d+\.\d+)"
    named = set(re.findall(ours, readme))
    tags = subprocess.run(
        ["git", "tag", "--list"], cwd=root, capture_output=True, text=True, check=False
    ).stdout.split()
    assert named <= set(tags), f"README names releases that are not tags: {named - set(tags)}"
    assert "pip install 'dataplan-lint[lsp]'" not in readme  # not on an index yet
    assert "git+https://github.com/dataplan-lint/dataplan-lint@<commit-sha>" in readme
    assert (root / "RELEASING.md").is_file()
