"""references/schema-evolution.md states, per format, what each mode allows; every row
names corpus cases. Each named case is re-run under BACKWARD, FORWARD and FULL and must
give the row's verdicts, and the BACKWARD column must be the registry's own verdict.
Every listed deviation from the references is explained in the same document."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from .corpus_cases import cases, deviations, run_case

DOC = Path(__file__).resolve().parents[2] / "references" / "schema-evolution.md"
TEXT = DOC.read_text(encoding="utf-8")
BY_ID = {case["id"]: case for case in cases()}
MODES = ("BACKWARD", "FORWARD", "FULL")
ROW = re.compile(
    r"^\| (?P<change>[^|]+) \| (?P<b>ok|breaks) \| (?P<f>ok|breaks) \| (?P<full>ok|breaks) "
    r"\| (?P<ids>[a-z]{3}-\d{3}(?:, [a-z]{3}-\d{3})*) \|$"
)


def _rows() -> list[tuple[str, str, dict[str, str]]]:
    section = TEXT.split("### What each mode allows, by format", 1)[1]
    found = []
    for line in section.splitlines():
        match = ROW.match(line)
        if match:
            wanted = {"BACKWARD": match["b"], "FORWARD": match["f"], "FULL": match["full"]}
            for case_id in match["ids"].split(", "):
                found.append((match["change"], case_id, wanted))
    return found


ROWS = _rows()


def test_every_format_has_a_table_of_many_rows() -> None:
    formats = {BY_ID[case_id]["format"] for _, case_id, _ in ROWS}
    assert formats == {"avro", "json-schema", "protobuf"}
    assert len(ROWS) >= 50


@pytest.mark.parametrize(("change", "case_id", "wanted"), ROWS, ids=[r[1] for r in ROWS])
def test_table_row_matches_the_engine_and_the_reference(
    change: str, case_id: str, wanted: dict[str, str], tmp_path: Path
) -> None:
    case: dict[str, Any] = BY_ID[case_id]
    assert case["mode"] == "BACKWARD" and len(case["old"]) == 1
    reference = "ok" if case["expected"] == "compatible" else "breaks"
    assert wanted["BACKWARD"] == reference, f"{change}: the reference says {reference}"
    for mode in MODES:
        got, why = run_case({**case, "mode": mode}, tmp_path / mode)
        assert ("ok" if got == "compatible" else "breaks") == wanted[mode], (mode, why)


def test_every_deviation_is_explained_in_the_reference() -> None:
    section = TEXT.split("### Where the references disagree", 1)[1].split("###", 1)[0]
    for case_id in deviations():
        assert f"**{case_id}**" in section
