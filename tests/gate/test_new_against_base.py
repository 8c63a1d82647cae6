"""`check --changed-only` reports what a change caused, wherever its line is: findings the
base's version of the plan does not have, plus findings on changed lines (issue 22, 1).
Real git repositories, the real CLI in a child process."""

from __future__ import annotations

import json
import shutil
from typing import Any

import pytest
from compat.plans import Repo

from .runcli import lint

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

PLAN = "dataplan.yaml"
# Ten times the traffic: the source's volume and the capacity input that must agree with it.
TENFOLD = (
    ("    volume: 500M/day\n", "    volume: 5B/day\n"),
    ("    events_per_day: 500M\n", "    events_per_day: 5B\n"),
)


def tenfold(repo: Repo) -> None:
    for old, new in TENFOLD:
        repo.edit(PLAN, old, new)


def gate(repo: Repo, *options: str) -> tuple[int, list[dict[str, Any]]]:
    done = lint(
        "check", PLAN, "--base", "main", "--format", "json", "--no-snippets", *options,
        cwd=repo.root,
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stdout + done.stderr
    found = [f for f in json.loads(done.stdout)["findings"] if f["suppression"] is None]
    return done.returncode, found


def line_of(repo: Repo, text: str, after: str = "") -> int:
    """The line holding `text`, the first one after the line holding `after`."""
    lines = (repo.root / PLAN).read_text(encoding="utf-8").splitlines()
    start = next(number for number, line in enumerate(lines, 1) if after in line)
    return next(n for n, line in enumerate(lines, 1) if n >= start and text in line)


def test_a_tenfold_input_surfaces_the_findings_on_untouched_lines(clicks: Repo) -> None:
    tenfold(clicks)
    code, found = gate(clicks, "--changed-only")
    assert code == 1
    where = {(f["rule_id"], f["line"]) for f in found}
    assert (
        "DP402",
        line_of(clicks, "partitions: 48", after="declared:"),
    ) in where  # 48 partitions, 139 needed
    assert ("DP406", line_of(clicks, "consume_rate")) in where  # below the new peak
    # everything the change caused, as a full check shows (the base plan is clean)
    _, full = gate(clicks)
    assert sorted(where) == sorted((f["rule_id"], f["line"]) for f in full)
    assert len(found) >= 9
    # The line filter alone, kept under its own name, hides both: their lines are unchanged.
    code, by_lines = gate(clicks, "--changed-lines-only")
    assert code == 1
    assert {f["rule_id"] for f in by_lines}.isdisjoint({"DP402", "DP406"})


def test_rederived_declared_figures_do_not_hide_the_consequences(clicks: Repo) -> None:
    tenfold(clicks)
    done = lint("check", PLAN, "--fix", "--unsafe-fixes", "--no-cache", cwd=clicks.root)
    assert "fixed 7 findings" in done.stderr, done.stderr
    code, found = gate(clicks, "--changed-only")
    assert code == 1
    assert {"DP402", "DP406"} <= {f["rule_id"] for f in found}, found
    _, by_lines = gate(clicks, "--changed-lines-only")
    assert {f["rule_id"] for f in by_lines}.isdisjoint({"DP402", "DP406"})


def test_a_finding_the_base_already_had_stays_quiet(clicks: Repo) -> None:
    declared = "    peak_ingest: 5.2MB/s\n    partitions: "
    clicks.edit(PLAN, declared + "48\n", declared + "12\n")  # too few, at the base
    clicks.git("checkout", "-q", "main")
    clicks.commit("few partitions")
    clicks.git("checkout", "-q", "-B", "feature")
    full = lint("check", PLAN, "--format", "json", "--no-cache", cwd=clicks.root)
    assert "DP402" in full.stdout  # it is there ...
    # ... and moves down by two lines with an unrelated edit: still not this change's.
    clicks.edit(PLAN, "contracts:\n", "# reviewed\n# by the data team\ncontracts:\n")
    assert gate(clicks, "--changed-only") == (0, [])
