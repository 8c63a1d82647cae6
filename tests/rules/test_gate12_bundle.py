"""Gate 12 rules: each triggers at an exact position, and a near-miss does not."""

from __future__ import annotations

from ridecases import RIDE_CASES
from rulecases import Case, assert_near_miss, assert_triggers, parametrize

R3_DUE = '    follow_up: Benchmark a partitioned table at 50k upserts/s.\n    due: "2026-03-31"'
R3_NO_DUE = "    follow_up: Benchmark a partitioned table at 50k upserts/s."

RESIDENCY = "    residency: EU (eu-west-1); no copy leaves the EU, backups included.\n"

CASES = [
    Case(
        "DP1210",
        ((RESIDENCY, ""),),
        "    pii: true",
        "true",
        ((RESIDENCY, "    residency: EU\n"),),
    ),
    Case(
        "DP1211",
        (("    retention: 400d", "    retention: 3d"),),
        "    retention: 7d\n    high_card"[:-15],
        "7d",
        (("    retention: 400d", "    retention: 7d"),),
        nth=0,
    ),
    Case(
        "DP1212",
        (("    on_call_members: 5", "    on_call_members: 2"),),
        "    on_call_members: 2",
        "2",
        (
            ("    on_call_members: 5", "    on_call_members: 2"),
            ("    coverage: 24x7", "    coverage: business-hours"),
        ),
    ),
    Case(
        "DP1212",
        (("    on_call_members: 5", "    on_call_members: 8"),),
        "    on_call_members: 8",
        "8",
        (("    on_call_members: 5", "    on_call_members: 6"),),
    ),
    Case(
        "DP1213",
        (('    validate_by: "2025-11-30"', '    validate_by: "2026-01-30"'),),
        '    validate_by: "2026-01-30"',
        '"2026-01-30"',
        (('    validate_by: "2025-11-30"', '    validate_by: "2025-12-01"'),),
    ),
    Case(
        "DP1213",
        (('    launch_by: "2025-12-01"', '    launch_by: "2025-09-01"'),),
        '    launch_by: "2025-09-01"',
        '"2025-09-01"',
        (('    launch_by: "2025-12-01"', '    launch_by: "2025-11-30"'),),
    ),
    # fields that only the x-concrete mechanism covers
    Case(
        "DP1201",
        (("  event_time_owner: team-web-collector", "  event_time_owner: unknown"),),
        "event_time_owner: unknown",
        "unknown",
        (("  event_time_owner: team-web-collector", "  event_time_owner: team-web"),),
    ),
    Case(
        "DP1201",
        (("    measured_at: max(updated_at) of serving", "    measured_at: n/a  # of serving"),),
        "measured_at: n/a",
        "n/a",
        (
            (
                "    measured_at: max(updated_at) of serving",
                "    measured_at: updated_at of serving",
            ),
        ),
    ),
    Case(
        "DP1201",
        (("docs/runbooks/clickstream-sessions.md#hot-keys", "TBD"),),
        "      runbook: TBD",
        "TBD",
        (("docs/runbooks/clickstream-sessions.md#hot-keys", "docs/runbooks/skew.md"),),
    ),
    Case(
        "DP1201",
        (("      - Stop the Flink job with a savepoint.", "      - '-'"),),
        "      - '-'",
        "'-'",
        (("      - Stop the Flink job with a savepoint.", "      - Stop the Flink job."),),
    ),
    Case(
        "DP1201",
        (("    rotation: stream-processing-primary", "    rotation: xxx"),),
        "    rotation: xxx",
        "xxx",
        (("    rotation: stream-processing-primary", "    rotation: sp-primary"),),
    ),
    Case(
        "DP1201",
        (("  owner: team-web-analytics\n  version", '  owner: "?"\n  version'),),
        '  owner: "?"',
        '"?"',
        (("  owner: team-web-analytics\n  version", "  owner: web-analytics\n  version"),),
    ),
    Case(
        "DP1201",
        (("    owner: team-finops", "    owner: TBD"),),
        "    owner: TBD",
        "TBD",
        (("    owner: team-finops", "    owner: finops@example.com"),),
    ),
    Case(
        "DP1201",
        (("    owner: team-data-platform\n    likelihood", "    owner: nobody\n    likelihood"),),
        "    owner: nobody",
        "nobody",
        (
            (
                "    owner: team-data-platform\n    likelihood",
                "    owner: team-dba\n    likelihood",
            ),
        ),
    ),
    Case(
        "DP1201",
        ((R3_NO_DUE, "    follow_up: TODO"),),
        "    follow_up: TODO",
        "TODO",
        ((R3_NO_DUE, "    follow_up: Write down the todo list for the benchmark."),),
    ),
    Case(
        "DP1201",
        (
            (
                "    mitigation: Batched upserts, only changed sessions emitted per early firing.",
                "    mitigation: TBD",
            ),
        ),
        "    mitigation: TBD",
        "TBD",
        (
            (
                "    mitigation: Batched upserts, only changed sessions emitted per early firing.",
                "    mitigation: Batched upserts.",
            ),
        ),
    ),
    Case(
        "DP1205",
        (
            ("  mode: guided", "  mode: one-shot"),
            ("\nassumptions:\n", "\nassumptions: []\nx_assumptions:\n"),
        ),
        "assumptions: []",
        "[]",
        (("  mode: guided", "  mode: one-shot"),),
    ),
    Case(
        "DP1206",
        (("  - id: R-3", "  - id: R-1"),),
        "  - id: R-1",
        "R-1",
        (("  - id: R-3", "  - id: R-4"),),
        nth=1,
    ),
    Case(
        "DP1206",
        (("  - id: A-4", "  - id: A-2"),),
        "  - id: A-2",
        "A-2",
        (("  - id: A-4", "  - id: A-5"),),
        nth=1,
    ),
    Case(
        "DP1207",
        ((R3_DUE, R3_NO_DUE),),
        "  - id: R-3",
        "id",
        ((R3_DUE, R3_NO_DUE), ("    impact: high", "    impact: medium")),
    ),
    Case(
        "DP1201",
        (
            (
                "    statement: Object storage and instance prices are the 2025 list prices",
                "    statement: TBD - prices",
            ),
        ),
        "    statement: TBD - prices",
        "TBD",
        (
            (
                "    statement: Object storage and instance prices are the 2025 list prices",
                "    statement: Prices",
            ),
        ),
    ),
    Case(
        "DP1209",
        (("\nrisks:\n", "\nrisks: []\nx_risks:\n"),),
        "risks: []",
        "[]",
        (("\nrisks:\n", "\nrisks: []\nx_risks:\n"), ("  status: approved", "  status: review")),
    ),
]


CASES += RIDE_CASES[12]  # the optional fields of issue 21, on ride-trips


@parametrize(CASES)
def test_rule_triggers_at_position(case: Case) -> None:
    assert_triggers(case)


@parametrize(CASES)
def test_near_miss_is_clean(case: Case) -> None:
    assert_near_miss(case)
