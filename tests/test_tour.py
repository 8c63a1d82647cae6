"""The tour (examples/tour/dataplan.yaml): 20 deliberate defects, exactly 20 findings.

Each defect is one edit of the clickstream example; each yields exactly one finding at
the edited line, and nothing else is reported (no noise). Every gate is visited.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from dataplan_lint.cli.commands import cli

TOUR = Path(__file__).resolve().parent.parent / "examples" / "tour" / "dataplan.yaml"

EXPECTED = [
    ("DP1201", 23, 10),  # plan owner "?"
    ("DP701", 69, 13),  # product-dashboard is critical but no contract lists it
    ("DP1201", 77, 14),  # consumer owner TBD
    ("DP105", 90, 18),  # near-real-time claimed, trigger is a schedule
    ("DP1201", 97, 12),  # source owner unknown
    ("DP201", 98, 15),  # contract clickstream_evnt does not exist
    ("DP307", 141, 13),  # late data dropped without a loss tolerance
    ("DP304", 176, 15),  # latency alert at 4m, end-to-end target 3m
    ("DP401", 203, 15),  # declared peak_eps 25000, derived 17361
    ("DP502", 279, 20),  # kafka_source depends on sessionize: a cycle
    ("DP510", 302, 22),  # 64 consumers for 48 partitions
    ("DP413", 308, 15),  # checkpoint interval 1m, timeout 45s
    ("DP607", 331, 7),  # stg_click_events keeps keyed state without a TTL
    ("DP605", 348, 18),  # int_user_sessions does not handle duplicates
    ("DP803", 557, 16),  # freshness check errors at 8m, SLO 5m
    ("DP901", 703, 15),  # alert on watermark_delay, which is not emitted
    ("DP1002", 792, 15),  # upsert idempotency without a key
    ("DP1007", 836, 9),  # rollback trigger without a threshold
    ("DP1106", 885, 11),  # AC-5 where AC-4 is expected
    ("DP1201", 923, 16),  # risk follow-up TODO
]


def test_tour_yields_exactly_the_twenty_defects() -> None:
    result = CliRunner().invoke(cli, ["check", "--format", "json", str(TOUR)])
    assert result.exit_code == 1
    findings = json.loads(result.stdout)["findings"]
    found = [(f["rule_id"], f["line"], f["column"]) for f in findings]
    assert found == EXPECTED


def test_tour_visits_every_gate() -> None:
    from dataplan_lint.engine.catalog import find

    gates = set()
    for rule_id, _, _ in EXPECTED:
        meta = find(rule_id)
        assert meta is not None
        gates.add(meta.gate)
    assert gates == set(range(1, 13))


def test_tour_text_output_summary() -> None:
    result = CliRunner().invoke(cli, ["check", "--no-snippets", str(TOUR)])
    assert result.stdout.rstrip().endswith(
        "Found 20 findings (16 errors, 4 warnings) in 1 file.\n"
        "[*] 2 fixable with `--fix` (1 more with `--unsafe-fixes`)."
    )
