"""Inline suppressions: same line or line above, reasons, unused and unknown rules."""

from __future__ import annotations

from pathlib import Path

from enginehelpers import check_json, run, write_plan

from dataplan_lint.pipeline.suppression import parse

OWNER = "    owner: team-finops"


def rows(findings: list[dict[str, object]]) -> list[tuple[object, ...]]:
    return [(f["rule_id"], f["line"], f["column"], bool(f["suppression"])) for f in findings]


def test_trailing_comment_suppresses_and_run_passes(tmp_path: Path) -> None:
    path = write_plan(
        tmp_path,
        (OWNER, "    owner: TBD  # dataplan-lint: disable=DP1201 -- finops names an owner in Q3"),
    )
    code, findings = check_json(str(path))
    assert code == 0
    assert rows(findings) == [("DP1201", 41, 12, True)]
    assert findings[0]["suppression"]["reason"] == "finops names an owner in Q3"


def test_comment_on_the_line_above_by_slug(tmp_path: Path) -> None:
    path = write_plan(
        tmp_path,
        (
            OWNER,
            "    # dataplan-lint: disable=placeholder-value -- agreed in review\n    owner: TBD",
        ),
    )
    code, findings = check_json(str(path))
    assert code == 0
    assert rows(findings) == [("DP1201", 42, 12, True)]


def test_text_output_hides_suppressed_findings(tmp_path: Path) -> None:
    path = write_plan(tmp_path, (OWNER, "    owner: TBD  # dataplan-lint: disable=DP1201 -- ok"))
    result = run("check", "--no-snippets", str(path))
    assert result.exit_code == 0
    assert "DP1201" not in result.stdout


def test_missing_reason_is_dp018_but_still_suppresses(tmp_path: Path) -> None:
    path = write_plan(tmp_path, (OWNER, "    owner: TBD  # dataplan-lint: disable=DP1201"))
    code, findings = check_json(str(path))
    assert rows(findings) == [("DP1201", 41, 12, True), ("DP018", 41, 17, False)]
    assert code == 0  # DP018 is a warning


def test_unused_and_unknown_suppressions(tmp_path: Path) -> None:
    path = write_plan(
        tmp_path,
        (OWNER, "    owner: team-finops  # dataplan-lint: disable=DP1201,DP9999 -- stale"),
    )
    _, findings = check_json(str(path))
    assert rows(findings) == [("DP019", 41, 50, False), ("DP020", 41, 57, False)]
    assert "DP1201 is not reported on line 41" in findings[0]["message"]
    assert "'DP9999'" in findings[1]["message"]


def test_suppressing_an_ignored_rule_is_not_unused(tmp_path: Path) -> None:
    path = write_plan(
        tmp_path, (OWNER, "    owner: TBD  # dataplan-lint: disable=DP1201 -- off anyway")
    )
    (tmp_path / ".dataplan-lint.yaml").write_text("ignore: [DP1201]\n", encoding="utf-8")
    assert check_json(str(path))[1] == []


def test_only_the_named_rule_on_that_line_is_suppressed(tmp_path: Path) -> None:
    path = write_plan(
        tmp_path,
        (OWNER, "    owner: TBD  # dataplan-lint: disable=DP102 -- wrong rule"),
    )
    code, findings = check_json(str(path))
    assert code == 1
    assert rows(findings) == [("DP1201", 41, 12, False), ("DP019", 41, 42, False)]


def test_parse_targets() -> None:
    text = (
        "a: 1\n# dataplan-lint: disable=DP1, DP2 -- r\n\n# other comment\n"
        "b: 2  # dataplan-lint: disable=X9\n"
    )
    first, second = parse(text)
    assert (first.line, first.target, [n for n, _ in first.rules], first.reason) == (
        2,
        5,
        ["DP1", "DP2"],
        "r",
    )
    assert (second.line, second.target, second.reason) == (5, 5, "")


def test_file_level_findings_follow_per_file_ignores(tmp_path: Path) -> None:
    broken = tmp_path / "legacy" / "dataplan.yaml"
    broken.parent.mkdir()
    broken.write_text("apiVersion: [\n", encoding="utf-8")
    assert check_json(str(broken))[0] == 1
    (tmp_path / ".dataplan-lint.yaml").write_text(
        "per-file-ignores:\n  'legacy/*': [DP001]\n", encoding="utf-8"
    )
    assert check_json(str(broken)) == (0, [])
