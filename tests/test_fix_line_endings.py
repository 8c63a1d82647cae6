"""`check --fix` changes the lines it fixes and nothing else, line endings included: a
CR-only file stays CR-only, and in a mixed CRLF/LF file every line keeps its own ending.
Compared byte for byte."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from dataplan_lint.cli.commands import cli
from dataplan_lint.files.fixer import _transplant

ROOT = Path(__file__).resolve().parent.parent
TOUR = ROOT / "examples" / "tour" / "dataplan.yaml"


def fix(path: Path) -> None:
    result = CliRunner().invoke(cli, ["check", "--no-snippets", "--fix", str(path)])
    assert "fixed 2 findings in 1 file" in result.stderr, result.output


@pytest.fixture
def fixed_lf(tmp_path: Path) -> list[str]:
    """The tour's lines (LF) after `--fix`: the reference the other endings must match."""
    plan = tmp_path / "lf" / "dataplan.yaml"
    plan.parent.mkdir()
    shutil.copy(TOUR, plan)
    fix(plan)
    return plan.read_bytes().decode("utf-8").split("\n")


def with_endings(lines: list[str], ends: list[str]) -> bytes:
    return "".join(line + end for line, end in zip(lines, ends, strict=True)).encode("utf-8")


def test_a_cr_only_file_stays_cr_only(tmp_path: Path, fixed_lf: list[str]) -> None:
    plan = tmp_path / "dataplan.yaml"
    original = TOUR.read_bytes().replace(b"\n", b"\r")
    plan.write_bytes(original)

    fix(plan)

    assert plan.read_bytes() == "\r".join(fixed_lf).encode("utf-8")
    assert b"\n" not in plan.read_bytes()


@pytest.mark.parametrize("final_break", [True, False])
def test_a_mixed_file_keeps_each_lines_ending(
    tmp_path: Path, fixed_lf: list[str], final_break: bool
) -> None:
    lines = TOUR.read_text(encoding="utf-8").split("\n")[:-1]
    ends = ["\r\n" if index < 50 or index % 7 == 0 else "\n" for index in range(len(lines))]
    if not final_break:
        ends[-1] = ""
    plan = tmp_path / "dataplan.yaml"
    plan.write_bytes(with_endings(lines, ends))

    fix(plan)

    fixed = plan.read_bytes()
    assert fixed == with_endings(fixed_lf[: len(lines)], ends)
    changed = [
        index
        for index, (old, new) in enumerate(
            zip(with_endings(lines, ends).splitlines(True), fixed.splitlines(True), strict=True)
        )
        if old != new
    ]
    lf = TOUR.read_text(encoding="utf-8").split("\n")
    assert changed == [
        i for i, (old, new) in enumerate(zip(lf, fixed_lf, strict=True)) if old != new
    ]
    assert len(changed) == 2  # the two fixed lines only


def test_a_new_line_takes_the_ending_of_the_line_it_follows() -> None:
    original = "a: 1\r\nb:\n  c: 2\rd: 4"
    before = "a: 1\nb:\n  c: 2\nd: 4\n"
    after = "a: 1\nb:\n  c: 2\n  e: 3\nd: 4\n"

    assert _transplant(original, before, after) == "a: 1\r\nb:\n  c: 2\r  e: 3\rd: 4"


def test_only_lf_crlf_and_cr_break_lines() -> None:
    """A form feed or U+2028 inside a line is part of it, not a line break to rewrite."""
    original = "a: 'x\x0cy'\r\nb: 1\r\n"
    before = "a: 'x\x0cy'\nb: 1\n"
    after = "a: 'x\x0cy'\nb: 2\n"

    assert _transplant(original, before, after) == "a: 'x\x0cy'\r\nb: 2\r\n"
    assert re.fullmatch(r"[^\n]*\r\n[^\n]*\r\n", _transplant(original, before, after))
