"""Paths and messages holding `%`, `,`, `:`, CR and LF survive every format intact."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

from reporter_demo import DEMO_RULES, ROOT_URI, VERSION

from dataplan_lint.core.findings import Finding, Severity, Span
from dataplan_lint.core.report import FileReport
from dataplan_lint.report import github, gitlab, json_report, junit, rdjson, sarif, summary
from dataplan_lint.report.model import Run

NASTY_PATH = "odd,dir:x/50%/a\r\nb.dataplan.yaml"
NASTY_MESSAGE = "100% sure: a, b, c\r\nsecond line\nthird %0A line"


def nasty_run() -> Run:
    finding = Finding(
        "DP301",
        Severity.ERROR,
        NASTY_MESSAGE,
        NASTY_PATH,
        Span(3, 5, 3, 9),
        "/x",
        "watermark-exceeds-freshness-slo",
        3,
        "consistency",
    )
    return Run([FileReport(NASTY_PATH, [finding])], DEMO_RULES, version=VERSION, root_uri=ROOT_URI)


def test_escape_data_exact() -> None:
    assert github.escape_data("a%b\rc\nd:e,f") == "a%25b%0Dc%0Ad:e,f"
    # `%` goes first, so an already-escaped-looking sequence is escaped again.
    assert github.escape_data("%0A") == "%250A"


def test_escape_property_exact() -> None:
    assert github.escape_property("a%b\rc\nd:e,f") == "a%25b%0Dc%0Ad%3Ae%2Cf"


def test_annotation_line_exact() -> None:
    out = github.render(nasty_run())
    assert out == (
        "::error file=odd%2Cdir%3Ax/50%25/a%0D%0Ab.dataplan.yaml,line=3,endLine=3,col=5,"
        "endColumn=8,title=DP301 watermark-exceeds-freshness-slo::"
        "100%25 sure: a, b, c%0D%0Asecond line%0Athird %250A line\n"
    )
    assert out.count("\n") == 1 and "\r" not in out


def test_sarif_keeps_message_and_encodes_uri() -> None:
    document = json.loads(sarif.render(nasty_run()))
    result = document["runs"][0]["results"][0]
    assert result["message"]["text"] == NASTY_MESSAGE
    location = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location["uri"] == "odd%2Cdir%3Ax/50%25/a%0D%0Ab.dataplan.yaml"
    assert location["uriBaseId"] == "%SRCROOT%"


def test_json_formats_round_trip() -> None:
    run = nasty_run()
    assert json.loads(json_report.render(run))["findings"][0]["message"] == NASTY_MESSAGE
    assert json.loads(json_report.render(run))["findings"][0]["path"] == NASTY_PATH
    assert json.loads(gitlab.render(run))[0]["location"]["path"] == NASTY_PATH
    assert json.loads(rdjson.render(run))["diagnostics"][0]["message"] == NASTY_MESSAGE


def test_junit_is_well_formed() -> None:
    root = ET.fromstring(junit.render(nasty_run()).encode("utf-8"))
    failure = root.find("./testsuite/testcase/failure")
    assert failure is not None
    # XML attribute values normalise CR/LF on parsing, the text keeps the message.
    assert "100% sure: a, b, c" in (failure.text or "")


def test_summary_rows_stay_on_one_line() -> None:
    text = summary.render(nasty_run())
    rows = [line for line in text.splitlines() if "DP301" in line]
    assert len(rows) == 1
    row = rows[0]
    assert "\r" not in text
    assert "100% sure: a, b, c<br>second line<br>third %0A line" in row
    assert "odd,dir:x/50%/a<br>b.dataplan.yaml:3:5" in row
    # A pipe in a message must not open a new table column.
    piped = Run(
        [
            FileReport(
                "p.dataplan.yaml", [Finding("DP301", Severity.ERROR, "a | b", "p.dataplan.yaml")]
            )
        ],
        DEMO_RULES,
    )
    assert "a \\| b" in summary.render(piped)


def test_markdown_and_html_are_neutralised() -> None:
    assert summary.cell("<script>x</script> **b** [l](u)") == (
        "&lt;script&gt;x&lt;/script&gt; \\*\\*b\\*\\* \\[l\\](u)"
    )
