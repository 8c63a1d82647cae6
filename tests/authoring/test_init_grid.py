"""`init` over a grid of answers: every template writes a plan that passes its own
rules as written, and carries no detail of another product."""

from __future__ import annotations

import dataclasses
import itertools
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from dataplan_lint.authoring import answers
from dataplan_lint.authoring.init import render
from dataplan_lint.cli.commands import cli

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "rules"))
from ruleplans import check_text

TEMPLATES = ("streaming", "cdc", "batch")
# Lateness that fits each SLO: a plan whose lateness alone exceeds its SLO is an answer
# conflict that `check` is right to report (see test_init).
SLOS = {"streaming": ("2m", "15m", "1h"), "cdc": ("15m", "1h", "6h"), "batch": ("6h", "1d")}
LATENESS = {"2m": "5s", "15m": "30s", "1h": "2m", "6h": "10m", "1d": "1h"}
GRID = list(itertools.product(["100k", "20M", "500M", "5B"], [1.0, 3.0, 10.0], ["200B", "20KB"]))


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_guided_plan_on_the_grid_passes_its_own_rules(template: str) -> None:
    failures = []
    for slo in SLOS[template]:
        for events, peak, size in GRID:
            chosen = dataclasses.replace(
                answers.DEFAULTS[template],
                freshness_slo=slo,
                lateness_p99=LATENESS[slo],
                events_per_day=events,
                peak_factor=peak,
                bytes_per_event=size,
                monthly_budget=1e8,  # a budget below the cost is a real finding (DP908)
            )
            found = [
                f"{f.rule_id} {f.message}" for f in check_text(render(template, chosen, False))
            ]
            if found:
                failures.append(((slo, events, peak, size), found))
    assert failures == []


PAYMENTS = {
    "name": "payments-ledger",
    "decision": "Ledger balances for the payments service",
    "source_system": "PostgreSQL payments-db (public.transfers) via Debezium",
}


@pytest.mark.parametrize("template", TEMPLATES)
def test_a_payments_plan_carries_no_clickstream_or_dashboard_details(template: str) -> None:
    chosen = dataclasses.replace(answers.DEFAULTS[template], **PAYMENTS)
    text = render(template, chosen, False)
    for leftover in ("dashboard", "page_view", "click", "session", "Identity stitching"):
        assert leftover not in text, leftover
    assert "kind: service" in text
    assert "payments-ledger-service" in text
    assert check_text(text) == []


def test_init_into_a_new_folder_writes_dataplan_yaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(cli, ["init", "--template", "cdc", "plans/"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "plans" / "dataplan.yaml").is_file()
    assert "Wrote plans/dataplan.yaml" in result.output
    named = runner.invoke(cli, ["init", "--template", "batch", "reports"])
    assert named.exit_code == 0, named.output
    assert (tmp_path / "reports" / "dataplan.yaml").is_file()
    # a file name in a folder that does not exist stays a usage error
    missing = runner.invoke(cli, ["init", "nowhere/plan.yaml"])
    assert missing.exit_code == 2 and "not a folder" in missing.output
