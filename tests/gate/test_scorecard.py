"""The job-summary scorecard and the bundle never claim a gate passed when its checks did
not run: `--select`, an ignored gate, a run stopped by an input error (issue 22, 4; issue
25, the scorecard after an input error). The real CLI in a child process."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from compat.plans import EXAMPLES

from .runcli import lint

TENFOLD = ("    events_per_day: 500M\n", "    events_per_day: 5B\n")


def scorecard(summary: str) -> dict[str, str]:
    """Gate -> result cell of the summary's scorecard."""
    rows = re.findall(r"^\| (\d+|-) \| [^|]+ \| ([^|]+) \|$", summary, flags=re.MULTILINE)
    return {gate: result.strip() for gate, result in rows}


def summarise(folder: Path, *args: str) -> tuple[int, str]:
    summary = folder / "summary.md"
    summary.write_text("", encoding="utf-8")
    env = {"GITHUB_STEP_SUMMARY": str(summary)}
    done = lint("check", "--format", "github", "--no-cache", *args, cwd=folder, env=env)
    return done.returncode, summary.read_text(encoding="utf-8")


@pytest.fixture
def tenfold(tmp_path: Path) -> Path:
    """The clickstream plan with a tenfold input: capacity (gate 4) findings."""
    plan = (EXAMPLES / "clickstream-sessions" / "dataplan.yaml").read_text(encoding="utf-8")
    (tmp_path / "dataplan.yaml").write_text(plan.replace(*TENFOLD), encoding="utf-8")
    return tmp_path


def test_every_gate_is_checked_by_default(tenfold: Path) -> None:
    code, summary = summarise(tenfold, "dataplan.yaml")
    card = scorecard(summary)
    assert code == 1 and len(card) == 13
    assert card["4"].startswith("❌")
    assert "not checked" not in summary


def test_a_selected_gate_leaves_the_others_not_checked(tenfold: Path) -> None:
    code, summary = summarise(tenfold, "--select", "gate:7", "dataplan.yaml")
    card = scorecard(summary)
    assert code == 0
    assert card["7"] == "✅ pass" and card["-"] == "✅ pass"
    assert card["4"] == "⚪ not checked"  # it holds capacity findings, none was looked for
    assert {card[str(gate)] for gate in (1, 2, 3, 5, 6, 8, 9, 10, 11, 12)} == {"⚪ not checked"}


def test_an_ignored_gate_is_not_checked(tenfold: Path) -> None:
    (tenfold / ".dataplan-lint.yaml").write_text("ignore: [gate:4]\n", encoding="utf-8")
    code, summary = summarise(tenfold, "dataplan.yaml")
    assert code == 0  # the findings it would have are in gate 4 alone
    card = scorecard(summary)
    assert card["4"] == "⚪ not checked"
    assert card["3"] == "✅ pass"


@pytest.mark.parametrize("problem", ["missing path", "config error"])
def test_after_an_input_error_no_gate_passes(tenfold: Path, problem: str) -> None:
    if problem == "config error":
        (tenfold / ".dataplan-lint.yaml").write_text("select: [DP9999]\n", encoding="utf-8")
        args: tuple[str, ...] = ("dataplan.yaml",)
    else:
        args = ("no-such.dataplan.yaml",)
    code, summary = summarise(tenfold, *args)
    assert code == 2
    assert summary.startswith("## dataplan-lint: ❌ error")
    card = scorecard(summary)
    assert len(card) == 13
    assert set(card.values()) == {"⚪ not checked"}, summary


def test_the_bundle_says_not_checked_for_an_ignored_gate(tenfold: Path) -> None:
    (tenfold / ".dataplan-lint.yaml").write_text("ignore: [gate:4]\n", encoding="utf-8")
    done = lint("bundle", "--format", "json", "dataplan.yaml", cwd=tenfold)
    assert done.returncode == 0, done.stderr
    statuses = {row["gate"]: row["status"] for row in json.loads(done.stdout)["lint"]["gates"]}
    assert statuses[4] == "not-checked"
    assert statuses[3] == "pass"
    markdown = lint("bundle", "dataplan.yaml", cwd=tenfold).stdout
    assert re.search(r"\| 4 \| [^|]+ \| not checked \|", markdown), markdown
