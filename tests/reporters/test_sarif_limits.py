"""SARIF fitted to GitHub code scanning: 25,000 results per run, 10 MB gzip, base-side
related locations without a bogus file URI; checked with the project's own subset schema
and, when a copy is present, the OASIS SARIF 2.1.0 schema."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from reporter_demo import DEMO_RULES, ROOT_URI, VERSION, many_run
from test_sarif_structure import SUBSET_SCHEMA, _oasis_schema

from dataplan_lint.core.findings import Finding, Related, Severity, Span
from dataplan_lint.core.report import FileReport
from dataplan_lint.report import sarif
from dataplan_lint.report.model import Run


def validate(document: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator(SUBSET_SCHEMA).validate(document)
    path = _oasis_schema()
    if path is not None:
        jsonschema.Draft4Validator(json.loads(path.read_text())).validate(document)


def test_26004_findings_keep_the_25000_most_severe_and_say_so() -> None:
    run = many_run(26_004)
    text = sarif.render(run)
    document = json.loads(text)
    results = document["runs"][0]["results"]
    assert len(results) == 25_000
    # Schema-check the log's shape on a sample of its results (validating 25,000 results
    # against the OASIS schema takes most of a minute and proves nothing more).
    sample = json.loads(text)
    sample["runs"][0]["results"] = results[:50] + results[-50:]
    validate(sample)
    # 26,004 at 2:2:1 -> 5,201 infos; 1,004 of them are left out, every error and warning kept.
    levels = [r["level"] for r in results]
    assert levels.count("error") == 10_402
    assert levels.count("warning") == 10_401
    assert levels.count("note") == 25_000 - 20_803
    lines = [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results]
    assert lines == sorted(lines)  # still in file order
    invocation = document["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is True
    [note] = invocation["toolExecutionNotifications"]
    assert note["level"] == "warning"
    assert note["message"]["text"].startswith("1,004 of 26,004 results were left out")
    assert len(gzip.compress(text.encode())) < sarif.MAX_GZIP_BYTES


def test_the_gzip_limit_drops_the_least_severe(monkeypatch: pytest.MonkeyPatch) -> None:
    run = many_run(3_000)
    full = sarif.render(run)
    monkeypatch.setattr(sarif, "MAX_GZIP_BYTES", len(gzip.compress(full.encode())) // 2)
    monkeypatch.setattr(sarif, "_GZIP_MARGIN", 0)
    text = sarif.render(run)
    assert len(gzip.compress(text.encode())) <= sarif.MAX_GZIP_BYTES
    document = json.loads(text)
    validate(document)
    results = document["runs"][0]["results"]
    assert 0 < len(results) < 3_000
    # Whatever is kept is the most severe: no note survives while an error was dropped.
    kept_errors = sum(r["level"] == "error" for r in results)
    if any(r["level"] == "note" for r in results):
        assert kept_errors == 1_200
    note = document["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]
    assert f"{3_000 - len(results):,} of 3,000 results were left out" in note["message"]["text"]


def test_base_side_related_locations_name_ref_and_line() -> None:
    finding = Finding(
        "DP731",
        Severity.ERROR,
        "changing the type of `id` breaks BACKWARD compatibility",
        "dataplan.yaml",
        Span(12, 9, 12, 11),
        "/contracts/0/fields/0/type",
        related=(
            Related("master:dataplan.yaml", Span(10, 9, 10, 11), "`id` at the base"),
            Related("master:schemas/o.avsc", None, "the base schema"),
            Related("schemas/o.avsc", Span(3, 1, 3, 5), "`id` now"),
        ),
    )
    run = Run(
        [FileReport("dataplan.yaml", [finding])],
        DEMO_RULES,
        version=VERSION,
        root_uri=ROOT_URI,
        base_ref="master",
    )
    document = json.loads(sarif.render(run))
    validate(document)
    related = document["runs"][0]["results"][0]["relatedLocations"]
    assert related[0] == {
        "id": 1,
        "message": {"text": "`id` at the base (dataplan.yaml line 10 at master)"},
    }
    assert related[1] == {
        "id": 2,
        "message": {"text": "the base schema (schemas/o.avsc at master)"},
    }
    assert related[2]["physicalLocation"]["artifactLocation"]["uri"] == "schemas/o.avsc"
    assert "%3A" not in json.dumps(document)


def test_related_locations_are_capped() -> None:
    related = tuple(Related("a.avsc", Span(i, 1, i, 2), f"r{i}") for i in range(1, 300))
    finding = Finding(
        "DP731", Severity.ERROR, "m", "dataplan.yaml", Span(1, 1, 1, 2), related=related
    )
    run = Run([FileReport("dataplan.yaml", [finding])], DEMO_RULES, root_uri=ROOT_URI)
    document = json.loads(sarif.render(run))
    validate(document)
    assert len(document["runs"][0]["results"][0]["relatedLocations"]) == sarif.MAX_RELATED


def test_a_real_base_comparison_has_no_bogus_artifact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess

    from click.testing import CliRunner

    from dataplan_lint.cli.commands import cli

    root = Path(__file__).resolve().parents[2]
    plan = (root / "examples" / "clickstream-sessions" / "dataplan.yaml").read_text()
    subprocess.run(["git", "init", "-q", "-b", "master", str(tmp_path)], check=True)
    (tmp_path / "dataplan.yaml").write_text(plan)
    ident = ["-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(["git", *ident, "add", "-A"], cwd=tmp_path, check=True)
    subprocess.run(["git", *ident, "commit", "-qm", "base"], cwd=tmp_path, check=True)
    broken = plan.replace("  - name: clickstream_event\n", "  - name: clickstream_events\n", 1)
    assert broken != plan
    (tmp_path / "dataplan.yaml").write_text(broken)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        cli,
        [
            "check",
            "dataplan.yaml",
            "--base",
            "master",
            "--format",
            "sarif",
            "--select",
            "compatibility",
        ],
    )
    assert result.exit_code == 1, result.output
    document = json.loads(result.stdout)
    validate(document)
    text = json.dumps(document)
    assert "master%3A" not in text and '"uri": "master:' not in text
    related = [r for res in document["runs"][0]["results"] for r in res.get("relatedLocations", [])]
    assert any("at master)" in r["message"]["text"] for r in related), related
