"""A bare number where the plan format expects a quantity gets the exact correction."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).resolve().parents[1] / "examples/clickstream-sessions/dataplan.yaml"


def _check(tmp_path: Path, text: str) -> list[str]:
    plan = tmp_path / "x.dataplan.yaml"
    plan.write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "dataplan_lint", "check", "--no-cache", "--no-snippets", plan.name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    return [line for line in done.stdout.splitlines() if " DP" in line]


@pytest.mark.parametrize(
    ("old", "new", "correction"),
    [
        ("    delay: ", "    delay: 45\n", "write `45s` or `45m`"),
    ],
)
def test_a_bare_number_is_told_its_unit(
    tmp_path: Path, old: str, new: str, correction: str
) -> None:
    lines = EXAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(n for n, line in enumerate(lines) if line.startswith(old))
    lines[index] = new
    found = _check(tmp_path, "".join(lines))
    assert found == [
        f"x.dataplan.yaml:{index + 1}:12: DP013 error `event_semantics.watermark.delay` must be "
        f"a string, not int 45 - the number needs its unit: {correction}"
    ]


def test_a_quantity_with_its_unit_is_not_corrected(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    plan = tmp_path / "x.dataplan.yaml"
    plan.write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "dataplan_lint", "check", "--no-cache", plan.name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout
    assert "needs its unit" not in done.stdout
