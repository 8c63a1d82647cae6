"""Every bundled example behaves as documented: good plans are clean, bad ones fail exactly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from dataplan_lint.cli.commands import cli
from dataplan_lint.core.settings import Settings
from dataplan_lint.files.discovery import Discovered
from dataplan_lint.pipeline.runner import check_file

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
GOOD_EXAMPLES = [
    EXAMPLES / "clickstream-sessions",
    EXAMPLES / "orders-cdc",
    EXAMPLES / "ride-trips",
]

CLASS_TO_RULE = {
    "yaml-syntax": "DP001",
    "duplicate-key": "DP002",
    "tab-indent": "DP003",
    "not-a-mapping": "DP004",
    "multi-document": "DP005",
    "non-utf8": "DP006",
    "empty-file": "DP007",
    "unknown-key": "DP011",
    "missing-required": "DP012",
    "wrong-type": "DP013",
    "bad-enum": "DP014",
    "bad-quantity": "DP015",
    "bad-pattern": "DP016",
}
EXPECT = re.compile(r"#\s*expect:\s*(?P<cls>[\w-]+)\s+(?P<line>\d+):(?P<col>\d+)")


def _expectation(path: Path) -> tuple[str, int, int]:
    sidecar = path.with_name(path.name + ".expect")
    source = sidecar if sidecar.exists() else path
    first = source.read_bytes().split(b"\n", 1)[0].decode("utf-8", "replace")
    match = EXPECT.search(first)
    assert match, f"{source} has no '# expect:' line"
    return CLASS_TO_RULE[match["cls"]], int(match["line"]), int(match["col"])


INVALID = sorted((EXAMPLES / "invalid").glob("*.dataplan.yaml"))


def test_every_failure_class_has_an_example() -> None:
    classes = {_expectation(path)[0] for path in INVALID}
    assert classes == set(CLASS_TO_RULE.values())


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_example_yields_the_expected_finding(path: Path) -> None:
    rule_id, line, col = _expectation(path)
    report = check_file(Discovered(path, path.name), Settings())
    # The small invalid plans may also miss things the rule engine wants; this test is
    # about the file and schema checks, which must report exactly the planted defect.
    found = [(f.rule_id, f.line, f.col) for f in report.findings if f.family in ("file", "schema")]
    assert found == [(rule_id, line, col)]


@pytest.mark.parametrize("folder", GOOD_EXAMPLES, ids=lambda p: p.name)
def test_good_examples_are_clean(folder: Path) -> None:
    report = check_file(Discovered(folder / "dataplan.yaml", "dataplan.yaml"), Settings())
    assert report.findings == []


def test_cli_exit_codes_and_summary() -> None:
    runner = CliRunner()
    good = runner.invoke(cli, ["check", *(str(p) for p in GOOD_EXAMPLES)])
    assert good.exit_code == 0, good.output
    assert "All checks passed: 3 files checked" in good.output

    bad = runner.invoke(cli, ["check", str(EXAMPLES / "invalid" / "unknown-key.dataplan.yaml")])
    assert bad.exit_code == 1
    assert ":36:5: DP011 [*] error unknown key 'partiton_key'" in bad.output
    assert "did you mean `partition_key`?" in bad.output
    assert "  36 |     partiton_key: user_id" in bad.output
    assert "\n           ^^^^^^^^^^^^\n" in bad.output

    missing = runner.invoke(cli, ["check", "does/not/exist.yaml"])
    assert missing.exit_code == 2
    assert "no such file or directory" in missing.output


def test_directories_are_searched_and_excludes_honoured(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "dataplan.yaml").write_text("- not a mapping\n")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "orders.dataplan.yml").write_text("- not a mapping\n")
    (tmp_path / "b" / "other.yaml").write_text("- ignored: not a plan name\n")
    runner = CliRunner()
    result = runner.invoke(cli, ["check", "--no-snippets", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.count("DP004") == 2
    result = runner.invoke(cli, ["check", "--exclude", "b", str(tmp_path)])
    assert result.output.count("DP004") == 1


def test_fail_on_threshold() -> None:
    runner = CliRunner()
    path = str(EXAMPLES / "invalid" / "bad-enum.dataplan.yaml")
    assert runner.invoke(cli, ["check", "--fail-on", "error", path]).exit_code == 1
    assert runner.invoke(cli, ["check", "--fail-on", "bogus", path]).exit_code == 2


def test_colour_only_when_asked_or_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    path = str(EXAMPLES / "invalid" / "bad-enum.dataplan.yaml")
    runner = CliRunner()
    assert "\x1b[" not in runner.invoke(cli, ["check", path]).output
    assert "\x1b[" in runner.invoke(cli, ["check", "--color", "always", path]).output
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in runner.invoke(cli, ["check", "--color", "auto", path]).output


def test_schema_command_prints_one_self_contained_document() -> None:
    import json

    result = CliRunner().invoke(cli, ["schema"])
    assert result.exit_code == 0
    document = json.loads(result.output)
    refs = re.findall(r'"\$ref": "([^"]+)"', result.output)
    assert refs and all(ref.startswith("#") for ref in refs)
    assert document["$schema"].endswith("2020-12/schema")
