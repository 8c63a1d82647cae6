"""The SARIF structure code scanning relies on, checked with a small schema of our own.

The full OASIS schema is not vendored; when a copy is available (SARIF_SCHEMA env var,
or the team's shared folder) the golden SARIF files are validated against it too.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from reporter_demo import REPO, demo_run, invalid_run

from dataplan_lint.core.findings import Finding, Span
from dataplan_lint.core.report import FileReport
from dataplan_lint.engine.catalog import all_rules
from dataplan_lint.report import sarif
from dataplan_lint.report.model import REFERENCE_BASE_URL, Run

TEXT = {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}}
REGION = {
    "type": "object",
    "required": ["startLine", "startColumn", "endLine", "endColumn"],
    "properties": {
        key: {"type": "integer", "minimum": 1}
        for key in ("startLine", "startColumn", "endLine", "endColumn")
    },
}
PHYSICAL = {
    "type": "object",
    "required": ["physicalLocation"],
    "properties": {
        "physicalLocation": {
            "type": "object",
            "required": ["artifactLocation"],
            "properties": {
                "artifactLocation": {
                    "type": "object",
                    "required": ["uri", "uriBaseId"],
                    "properties": {
                        "uri": {"type": "string", "pattern": "^[^/]"},
                        "uriBaseId": {"const": "%SRCROOT%"},
                    },
                },
                "region": REGION,
            },
        }
    },
}
RULE = {
    "type": "object",
    "required": [
        "id",
        "name",
        "shortDescription",
        "fullDescription",
        "help",
        "defaultConfiguration",
        "properties",
    ],
    "properties": {
        "shortDescription": {**TEXT, "properties": {"text": {"maxLength": 1024}}},
        "fullDescription": {**TEXT, "properties": {"text": {"maxLength": 1024}}},
        "help": {"type": "object", "required": ["text", "markdown"]},
        "defaultConfiguration": {
            "type": "object",
            "required": ["level"],
            "properties": {"level": {"enum": ["note", "warning", "error"]}},
        },
        "properties": {
            "type": "object",
            "required": ["tags", "precision", "problem.severity"],
            "properties": {
                "tags": {"type": "array", "maxItems": 10, "items": {"type": "string"}},
                "precision": {"enum": ["very-high", "high", "medium", "low"]},
                "problem.severity": {"enum": ["error", "warning", "recommendation"]},
            },
        },
    },
}
RESULT = {
    "type": "object",
    "required": ["ruleId", "ruleIndex", "level", "message", "locations", "partialFingerprints"],
    "properties": {
        "level": {"enum": ["note", "warning", "error"]},
        "message": TEXT,
        "locations": {"type": "array", "minItems": 1, "maxItems": 1, "items": PHYSICAL},
        "partialFingerprints": {
            "type": "object",
            "required": [sarif.FINGERPRINT_KEY],
            "not": {"required": ["primaryLocationLineHash"]},
        },
        # A related location in the checkout has a physical location; one on the git base
        # side has none (no file of that name exists), only a message naming ref and line.
        "relatedLocations": {
            "type": "array",
            "maxItems": sarif.MAX_RELATED,
            "items": {
                "anyOf": [
                    {**PHYSICAL, "required": ["id", "message", "physicalLocation"]},
                    {
                        "type": "object",
                        "required": ["id", "message"],
                        "not": {"required": ["physicalLocation"]},
                        "properties": {"message": TEXT},
                    },
                ]
            },
        },
        "suppressions": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["kind"],
                "properties": {"kind": {"enum": ["inSource", "external"]}},
            },
        },
    },
}
SUBSET_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["$schema", "version", "runs"],
    "properties": {
        "version": {"const": "2.1.0"},
        "runs": {
            "type": "array",
            "minItems": 1,
            "maxItems": 1,
            "items": {
                "type": "object",
                "required": [
                    "tool",
                    "results",
                    "automationDetails",
                    "originalUriBaseIds",
                    "invocations",
                ],
                "properties": {
                    "tool": {
                        "type": "object",
                        "required": ["driver"],
                        "properties": {
                            "driver": {
                                "type": "object",
                                "required": ["name", "version", "informationUri", "rules"],
                                "properties": {"rules": {"type": "array", "items": RULE}},
                            }
                        },
                    },
                    "automationDetails": {
                        "type": "object",
                        "required": ["id"],
                        "properties": {"id": {"pattern": "^dataplan-lint/[^/]+/$"}},
                    },
                    "originalUriBaseIds": {"type": "object", "required": ["%SRCROOT%"]},
                    "results": {"type": "array", "maxItems": sarif.MAX_RESULTS, "items": RESULT},
                    "invocations": {
                        "type": "array",
                        "minItems": 1,
                        "maxItems": 1,
                        "items": {
                            "type": "object",
                            "required": ["executionSuccessful"],
                            "properties": {"executionSuccessful": {"type": "boolean"}},
                        },
                    },
                },
            },
        },
    },
}


def render(run: Run) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(sarif.render(run))
    return document


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def test_demo_matches_subset_schema() -> None:
    jsonschema.validate(render(demo_run()), SUBSET_SCHEMA)


def test_invalid_examples_match_subset_schema(in_repo: None) -> None:
    jsonschema.validate(render(invalid_run()), SUBSET_SCHEMA)


def test_a_clean_run_describes_no_rules() -> None:
    """The driver lists the rules the results use; a clean run's report stays small."""
    document = render(Run([FileReport("dataplan.yaml")], all_rules()))
    jsonschema.validate(document, SUBSET_SCHEMA)
    assert document["runs"][0]["tool"]["driver"]["rules"] == []
    assert len(json.dumps(document)) < 4000


def test_every_catalog_rule_is_described() -> None:
    """Whatever the catalog holds today, each rule is in the driver with its page link
    when a result uses it."""
    rules = all_rules()
    report = FileReport("dataplan.yaml")
    report.findings = [
        Finding(rule.id, rule.severity, f"finding of {rule.id}", "dataplan.yaml", Span.point(1, 1))
        for rule in rules
    ]
    document = render(Run([report], rules))
    jsonschema.validate(document, SUBSET_SCHEMA)
    described = {rule["id"]: rule for rule in document["runs"][0]["tool"]["driver"]["rules"]}
    assert set(described) == {rule.id for rule in rules}
    for meta in rules:
        entry = described[meta.id]
        assert entry["name"] == meta.slug
        if meta.reference:
            url = REFERENCE_BASE_URL + meta.reference
            assert url in entry["help"]["markdown"]
            assert entry["helpUri"] == url
        tags = entry["properties"]["tags"]
        assert (f"gate-{meta.gate}" if meta.gate else "file-and-schema") in tags
        if meta.family:
            assert meta.family in tags


def test_results_point_at_their_rules() -> None:
    document = render(demo_run())
    run = document["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_demo_specifics() -> None:
    run = render(demo_run())["runs"][0]
    by_rule = {result["ruleId"]: result for result in run["results"]}
    assert run["automationDetails"]["id"] == "dataplan-lint/default/"
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file:///repo/"
    compat = by_rule["DP731"]
    assert compat["relatedLocations"][0]["message"]["text"].startswith("field 'customer_id'")
    assert compat["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 31,
        "startColumn": 5,
        "endLine": 37,
        "endColumn": 1,
    }
    assert by_rule["DP801"]["suppressions"] == [
        {"kind": "inSource", "justification": "threshold agreed in the launch review"}
    ]
    assert by_rule["DP901"]["suppressions"][0]["kind"] == "external"
    assert "suppressions" not in by_rule["DP301"]
    rule = run["tool"]["driver"]["rules"][by_rule["DP301"]["ruleIndex"]]
    assert rule["defaultConfiguration"]["level"] == "error"
    assert rule["properties"]["tags"] == ["gate-3", "consistency"]
    assert rule["properties"]["problem.severity"] == "error"


def test_fingerprint_survives_moved_lines() -> None:
    from dataclasses import replace

    from dataplan_lint.core.findings import Span

    original = demo_run()
    moved_findings = [
        replace(f, span=Span(f.line + 7, f.col, f.line + 7, f.col + 1))
        for f in original.reports[0].findings
    ]
    moved = Run([FileReport(original.reports[0].path, moved_findings)], original.rules)

    def fingerprints(run: Run) -> list[str]:
        return [
            r["partialFingerprints"][sarif.FINGERPRINT_KEY]
            for r in render(run)["runs"][0]["results"]
        ]

    assert fingerprints(original) == fingerprints(moved)


def _oasis_schema() -> Path | None:
    candidates = [
        os.environ.get("SARIF_SCHEMA", ""),
        "/work/shared/external/sarif-schema-2.1.0.json",
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


@pytest.mark.skipif(_oasis_schema() is None, reason="no copy of the OASIS SARIF schema here")
def test_golden_sarif_against_full_oasis_schema() -> None:
    path = _oasis_schema()
    assert path is not None
    schema = json.loads(path.read_text(encoding="utf-8"))
    validator = jsonschema.Draft4Validator(schema)
    golden = Path(__file__).resolve().parent / "golden"
    for name in ("demo.sarif", "invalid.sarif"):
        errors = sorted(validator.iter_errors(json.loads((golden / name).read_text())), key=str)
        assert not errors, f"{name}: {errors[0].message}"


def test_property_order_follows_the_sarif_object_model() -> None:
    """The reporter writes each object's properties in the order sarif-om (the SARIF
    object model, a dev dependency) declares them, so the text stays stable and familiar."""
    attr = pytest.importorskip("attr")
    om = pytest.importorskip("sarif_om")
    for name, written in sarif.PROPERTY_ORDER.items():
        declared = [f.metadata["schema_property_name"] for f in attr.fields(getattr(om, name))]
        assert set(written) <= set(declared), name
        assert sorted(written, key=declared.index) == list(written), name
