"""A 500-finding run: annotation caps hold, and nothing is lost from summary or SARIF."""

from __future__ import annotations

import json
import re

from reporter_demo import many_run

from dataplan_lint.report import github, summary
from dataplan_lint.report import sarif as sarif_reporter


def test_annotations_capped_per_level_with_overflow_notice() -> None:
    run = many_run(500)  # 200 errors, 200 warnings, 100 infos
    lines = github.render(run).splitlines()
    errors = [line for line in lines if line.startswith("::error ")]
    warnings = [line for line in lines if line.startswith("::warning ")]
    notices = [line for line in lines if line.startswith("::notice ")]
    assert len(errors) == 10
    assert len(warnings) == 10
    # 9 info findings plus the closing notice: GitHub keeps 10 notices per step.
    assert len(notices) == 10
    assert len(lines) == 30
    # Most severe first: every error before every warning before every notice.
    kinds = [line.split(" ", 1)[0] for line in lines]
    assert kinds == sorted(kinds, key=["::error", "::warning", "::notice"].index)
    closing = lines[-1]
    assert "more findings were not annotated" in closing
    assert "471 more findings" in closing
    assert "190 errors, 190 warnings, 91 infos" in closing


def test_no_overflow_notice_when_everything_fits() -> None:
    run = many_run(25)  # 10 errors, 10 warnings, 5 infos
    lines = github.render(run).splitlines()
    assert len(lines) == 25
    assert not any("not annotated" in line for line in lines)


def test_summary_lists_every_finding() -> None:
    run = many_run(500)
    text = summary.render(run)
    rows = re.findall(r"^\| .* \| \[DP301\]", text, flags=re.MULTILINE)
    assert len(rows) == 500
    for index in range(500):
        assert f"finding number {index} of 500 |" in text
    assert "471 findings went beyond GitHub's limit" in text
    assert len(text.encode("utf-8")) < summary.MAX_BYTES


def test_sarif_holds_every_result() -> None:
    document = json.loads(sarif_reporter.render(many_run(500)))
    results = document["runs"][0]["results"]
    assert len(results) == 500
    assert {r["level"] for r in results} == {"error", "warning", "note"}


def test_summary_truncates_under_the_limit_with_a_note() -> None:
    run = many_run(20000)
    text = summary.render(run)
    size = len(text.encode("utf-8"))
    assert size <= summary.MAX_BYTES
    match = re.search(r"\*\*Truncated:\*\* (\d+) of 20000 findings are not listed", text)
    assert match, "the truncation must be stated"
    listed = len(re.findall(r"^\| .* \| \[DP301\]", text, flags=re.MULTILINE))
    assert listed + int(match.group(1)) == 20000


def test_summary_truncation_respects_a_small_limit() -> None:
    text = summary.render(many_run(500), limit=40_000)
    assert len(text.encode("utf-8")) <= 40_000
    assert "**Truncated:**" in text
