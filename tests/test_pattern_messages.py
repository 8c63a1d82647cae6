"""DP016 says what to write, from the schema's description and examples, not the regex."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from dataplan_lint.cli.commands import cli
from dataplan_lint.schema.pattern_hint import pattern_message

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "clickstream-sessions" / "dataplan.yaml"


def dp016(tmp_path: Path, old: str, new: str) -> list[tuple[int, int, str]]:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    plan = tmp_path / "dataplan.yaml"
    plan.write_text(text.replace(old, new), encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(plan), "--format", "json"])
    assert result.exit_code == 1, result.output
    findings: list[dict[str, Any]] = json.loads(result.output)["findings"]
    return [(f["line"], f["column"], f["message"]) for f in findings if f["rule_id"] == "DP016"]


def test_a_name_gets_the_written_value_made_to_fit(tmp_path: Path) -> None:
    assert dp016(tmp_path, "  name: clickstream-sessions", "  name: Web Clicks") == [
        (
            7,
            9,
            "`metadata.name` is 'Web Clicks'; expected a stable machine name: starts with a "
            "lowercase letter, then lowercase letters, digits, `_`, `.` or `-` - write "
            "`web_clicks`",
        )
    ]


def test_a_value_that_cannot_be_made_to_fit_gets_the_schema_example(tmp_path: Path) -> None:
    found = dp016(tmp_path, 'validate_by: "2025-11-30"', 'validate_by: "30/11/2025"')
    assert found == [
        (
            26,
            18,
            "`assumptions[A-1].validate_by` is '30/11/2025'; expected a calendar date "
            "written as YYYY-MM-DD - write `2025-03-31`",
        )
    ]


def test_a_property_without_a_description_keeps_the_pattern() -> None:
    schema = {"type": "string", "pattern": "^[A-Z]{3}$"}
    assert pattern_message("`x`", "usd", schema, "^[A-Z]{3}$") == (
        "`x` is 'usd', which does not match the pattern '^[A-Z]{3}$'"
    )


def test_no_suggestion_when_neither_the_value_nor_an_example_fits() -> None:
    schema = {"description": "Currency of the prices (ISO 4217 code).", "pattern": "^[A-Z]{3}$"}
    assert pattern_message("`x`", "us dollar", schema, "^[A-Z]{3}$") == (
        "`x` is 'us dollar'; expected currency of the prices (ISO 4217 code)"
    )
