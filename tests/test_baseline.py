"""Baseline files: write, match by fingerprint across moved lines, fail only on new findings.

Assertions look at the file and schema findings of the invalid examples by id; the rule
catalog grows independently, so the number of other findings is not fixed here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from dataplan_lint.cli.commands import cli
from dataplan_lint.pipeline.baseline import BaselineError, parse

ROOT = Path(__file__).resolve().parent.parent
INVALID = ROOT / "examples" / "invalid"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "plans").mkdir()
    for name in ("bad-enum", "unknown-key"):
        source = INVALID / f"{name}.dataplan.yaml"
        (tmp_path / "plans" / source.name).write_bytes(source.read_bytes())
    return tmp_path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def check_json(*args: str) -> tuple[int, dict[str, Any]]:
    code, out = run("check", *args, "--format", "json")
    assert code in (0, 1), out
    document: dict[str, Any] = json.loads(out)
    return code, document


def active_ids(document: dict[str, Any]) -> set[str]:
    return {f["rule_id"] for f in document["findings"] if f["suppression"] is None}


def test_baseline_file_is_versioned_sorted_and_readable(project: Path) -> None:
    code, out = run("baseline", "plans", "-o", "baseline.json")
    assert code == 0, out
    document = json.loads((project / "baseline.json").read_text())
    entries = document["entries"]
    assert f"Wrote {len(entries)} baseline entr" in out
    assert document["version"] == 2
    keys = [(e["path"], e["rule_id"], e["pointer"], e["fingerprint"]) for e in entries]
    assert keys == sorted(keys)
    by_rule = {(e["rule_id"], e["path"]): e for e in entries}
    enum = by_rule[("DP014", "plans/bad-enum.dataplan.yaml")]
    assert enum["message"].startswith("`sources[web_clicks].kind` is 'streaming'")
    assert ("DP011", "plans/unknown-key.dataplan.yaml") in by_rule
    assert all(len(e["fingerprint"]) == 32 and e["count"] >= 1 for e in entries)
    # Writing it again gives the same bytes.
    before = (project / "baseline.json").read_bytes()
    run("baseline", "plans", "-o", "baseline.json")
    assert (project / "baseline.json").read_bytes() == before


def test_check_with_baseline_passes_and_survives_moved_lines(project: Path) -> None:
    run("baseline", "plans", "-o", "baseline.json")
    total = sum(e["count"] for e in json.loads((project / "baseline.json").read_text())["entries"])
    code, out = run("check", "plans", "--baseline", "baseline.json")
    assert code == 0, out
    assert f"{total} suppressed" in out
    # Unrelated edits above the findings move every line down.
    plan = project / "plans" / "bad-enum.dataplan.yaml"
    plan.write_text("# a new comment\n# and another\n\n" + plan.read_text())
    code, document = check_json("plans", "--baseline", "baseline.json")
    assert code == 0
    assert active_ids(document) == set()
    moved = next(f for f in document["findings"] if f["rule_id"] == "DP014")
    assert moved["line"] == 33  # was 30
    assert moved["suppression"]["kind"] == "baseline"
    assert document["baseline"]["stale"] == []


def test_only_new_findings_fail(project: Path) -> None:
    run("baseline", "plans", "-o", "baseline.json")
    plan = project / "plans" / "bad-enum.dataplan.yaml"
    plan.write_text(plan.read_text().replace("name: mini-clicks", "name: Mini Clicks", 1))
    code, document = check_json("plans", "--baseline", "baseline.json")
    assert code == 1
    new = active_ids(document)
    assert "DP016" in new
    assert not new & {"DP014", "DP011"}


def test_stale_entries_are_reported_in_text_and_json(project: Path) -> None:
    run("baseline", "plans", "-o", "baseline.json")
    plan = project / "plans" / "unknown-key.dataplan.yaml"
    plan.write_text(plan.read_text().replace("partiton_key", "partition_key"))
    _, out = run("check", "plans", "--baseline", "baseline.json", "--no-snippets")
    assert "baseline.json no longer occur" in out
    assert "  plans/unknown-key.dataplan.yaml: DP011 unknown key 'partiton_key'" in out
    _, document = check_json("plans", "--baseline", "baseline.json")
    stale = document["baseline"]["stale"]
    assert ("DP011", "plans/unknown-key.dataplan.yaml") in [
        (e["rule_id"], e["path"]) for e in stale
    ]
    assert "DP014" not in {e["rule_id"] for e in stale}


def test_entries_of_files_not_checked_are_not_stale(project: Path) -> None:
    run("baseline", "plans", "-o", "baseline.json")
    code, document = check_json("plans/bad-enum.dataplan.yaml", "--baseline", "baseline.json")
    assert code == 0
    assert document["baseline"]["stale"] == []


def test_baseline_suppressions_reach_sarif(project: Path) -> None:
    run("baseline", "plans", "-o", "baseline.json")
    code, out = run("check", "plans", "--baseline", "baseline.json", "--format", "sarif")
    assert code == 0
    results = json.loads(out)["runs"][0]["results"]
    assert {r["ruleId"] for r in results} >= {"DP014", "DP011"}
    baselined = [r for r in results if r["ruleId"] in ("DP014", "DP011")]
    assert all(r["suppressions"][0]["kind"] == "external" for r in baselined)


def test_entries_match_only_as_often_as_counted(project: Path) -> None:
    run("baseline", "plans", "-o", "baseline.json")
    document = json.loads((project / "baseline.json").read_text())
    document["entries"] = [e for e in document["entries"] if e["rule_id"] != "DP011"]
    (project / "baseline.json").write_text(json.dumps(document))
    code, result = check_json("plans", "--baseline", "baseline.json")
    assert code == 1
    assert "DP011" in active_ids(result)
    assert "DP014" not in active_ids(result)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "not valid JSON"),
        ('{"version": 3, "entries": []}', "has version 3"),
        ('{"version": 1}', "not a dataplan-lint baseline"),
        ('{"version": 1, "entries": [{"rule_id": "DP001"}]}', "has no fingerprint"),
        ('{"version": 1, "entries": [{"fingerprint": "x", "count": 0}]}', "bad count"),
    ],
)
def test_bad_baseline_files_exit_2(project: Path, content: str, message: str) -> None:
    (project / "baseline.json").write_text(content)
    with pytest.raises(BaselineError, match=message):
        parse(content, "baseline.json")
    code, out = run("check", "plans", "--baseline", "baseline.json")
    assert code == 2
    assert message in out
    assert "Traceback" not in out


def test_missing_baseline_exits_2(project: Path) -> None:
    code, out = run("check", "plans", "--baseline", "nope.json")
    assert code == 2
    assert "cannot read baseline nope.json" in out
