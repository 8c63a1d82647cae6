"""Comment headers and line endings: how a plan's lines are laid out must not matter.

A 20-line comment header once took 20 s (an exponential regex decided whether the file
held only comments) and a file with CR-only line endings was read as "no YAML document".
"""

from __future__ import annotations

from pathlib import Path

import pytest
from bounded import run_cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = (ROOT / "examples" / "clickstream-sessions" / "dataplan.yaml").read_text(encoding="utf-8")
WRONG_PEAK = EXAMPLE.replace("peak_eps: 17361", "peak_eps: 1", 1)


def header(lines: int) -> str:
    return "".join(f"# {index:04d} licence and owners header line\n" for index in range(lines))


def findings_at(outcome_stdout: str) -> list[tuple[str, int, int]]:
    import json

    document = json.loads(outcome_stdout)
    return sorted((item["rule_id"], item["line"], item["column"]) for item in document["findings"])


@pytest.mark.parametrize("lines", [25, 200, 5000])
def test_a_long_comment_header_is_read_quickly(tmp_path: Path, lines: int) -> None:
    (tmp_path / "dataplan.yaml").write_text(header(lines) + WRONG_PEAK, encoding="utf-8")
    outcome = run_cli(["check", "--format", "json", "dataplan.yaml"], tmp_path, timeout=30)
    assert outcome.code == 1, outcome
    found = findings_at(outcome.stdout)
    assert [(rule, line) for rule, line, _ in found] == [("DP401", 188 + lines)]


@pytest.mark.parametrize("body", ["", "\n\n", "   \n\t\n"])
def test_only_comments_is_an_empty_file(tmp_path: Path, body: str) -> None:
    (tmp_path / "dataplan.yaml").write_text(header(3000) + body, encoding="utf-8")
    outcome = run_cli(["check", "--format", "json", "dataplan.yaml"], tmp_path, timeout=30)
    assert outcome.code == 1
    assert outcome.rule_ids() == {"DP007"}


@pytest.mark.parametrize(
    "near_miss",
    [
        "#" * 50_000 + "\nx",  # one very long comment line, then content
        "\n" * 50_000 + "x: 1",
        "# a\r" * 20_000 + "x: 1",
        " \t" * 20_000 + "\n#\n" * 10_000 + "x: 1",
    ],
)
def test_near_comment_files_are_parsed_not_skipped(tmp_path: Path, near_miss: str) -> None:
    (tmp_path / "dataplan.yaml").write_bytes(near_miss.encode("utf-8"))
    outcome = run_cli(["check", "--format", "json", "dataplan.yaml"], tmp_path, timeout=30)
    assert outcome.code == 1
    assert "DP007" not in outcome.rule_ids()


@pytest.mark.parametrize("newline", ["\r", "\r\n"])
def test_cr_and_crlf_line_endings_read_like_lf(tmp_path: Path, newline: str) -> None:
    """YAML breaks lines at LF, CRLF and a lone CR; findings land on the same lines."""
    text = "# licence header\n# owners: team-x\n" + WRONG_PEAK
    (tmp_path / "lf").mkdir()
    (tmp_path / "other").mkdir()
    (tmp_path / "lf" / "dataplan.yaml").write_bytes(text.encode("utf-8"))
    (tmp_path / "other" / "dataplan.yaml").write_bytes(text.replace("\n", newline).encode("utf-8"))
    want = run_cli(["check", "--format", "json", "dataplan.yaml"], tmp_path / "lf")
    got = run_cli(["check", "--format", "json", "dataplan.yaml"], tmp_path / "other")
    assert want.code == got.code == 1
    assert findings_at(got.stdout) == findings_at(want.stdout) == [("DP401", 190, 15)]
