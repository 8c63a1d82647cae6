"""Gate 10 rules: each triggers at an exact position, and a near-miss does not."""

from __future__ import annotations

from ridecases import RIDE_CASES
from rulecases import Case, assert_near_miss, assert_triggers, parametrize
from ruleplans import block

DEDUPE = ("    dedupe:\n      key: [event_id]\n      window: 1h\n      state_ttl: 1h\n", "")
DEDUPE_STATE = ("    dedupe_state: 2.5GB\n", "")
KEYED = "    strategy: upsert\n    key: [session_id]\n"
BOUNDARY_TO = "      to: Offsets at the moment the replay job is started\n"
BOUNDARIES = block("clickstream", "    boundaries:", "  idempotency:")
ESTIMATE = block("clickstream", "  estimate:", "  cutover:")
CHECKPOINTS = block("clickstream", "    checkpoints:", "    go_no_go:")
SECOND_CHECKPOINT = block("clickstream", "      - name: freshness_p99", "    go_no_go:")
GO_NO_GO = block("clickstream", "    go_no_go:", "  rollback:")
SAFEGUARDS = block("clickstream", "    safeguards:", "    owner: team-stream-processing")
FIRST_TRIGGER = (
    "      - metric: end_to_end_latency\n"
    '        comparator: ">"\n'
    "        threshold: 10m\n"
    "        for: 30m\n"
)

APPEND_SINK = (
    "  update_semantics: upsert\n  delivery: at-least-once\n  sink:\n"
    "    name: serving.session_metrics\n    kind: postgresql\n    write_mode: upsert\n",
    "  update_semantics: append\n  delivery: at-least-once\n  sink:\n"
    "    name: serving.session_metrics\n    kind: postgresql\n    write_mode: append\n",
)
LATE_SIDE_OUTPUT = ("    action: update\n", "    action: side-output\n")

CASES = [
    Case(
        "DP1070",
        (("    source_name: web_clickstream\n", "    source_name: web_clikstream\n"),),
        "source_name: web_clikstream",
        "web_clikstream",
        (("    source_name: web_clickstream\n", "    source_name: web_clickstream  # log\n"),),
    ),
    Case(
        "DP1011",
        (APPEND_SINK, LATE_SIDE_OUTPUT),
        "strategy: upsert",
        "upsert",
        (APPEND_SINK, LATE_SIDE_OUTPUT, (KEYED, "    strategy: overwrite-partition\n")),
    ),
    Case(
        "DP1001",
        ((KEYED, "    strategy: none\n"), DEDUPE, DEDUPE_STATE),
        "strategy: none",
        "none",
        ((KEYED, "    strategy: none\n"),),
    ),
    Case(
        "DP1002",
        ((KEYED, "    strategy: upsert\n"),),
        "strategy: upsert",
        "upsert",
        ((KEYED, "    strategy: overwrite-partition\n"),),
    ),
    Case(
        "DP1003",
        ((BOUNDARIES, ""),),
        "  replay:",
        "replay",
        ((BOUNDARY_TO, "      to: Offsets when the replay job starts\n"),),
        nth=1,
    ),
    Case(
        "DP1004",
        ((ESTIMATE, ""),),
        "backfill:",
        "backfill",
        ((ESTIMATE, ESTIMATE.replace("duration: 2h", "duration: 3h")),),
    ),
    Case(
        "DP1005",
        ((CHECKPOINTS, ""),),
        "  cutover:",
        "cutover",
        ((SECOND_CHECKPOINT, ""),),
    ),
    Case(
        "DP1005",
        (
            (
                '        metric: session_count_diff\n        comparator: "<="\n',
                "        metric: session_count_diff\n",
            ),
        ),
        "- name: session_count_match",
        "name",
        (
            (
                '        metric: session_count_diff\n        comparator: "<="\n',
                '        metric: session_count_diff\n        comparator: "<"\n',
            ),
        ),
    ),
    Case(
        "DP1006",
        ((GO_NO_GO, ""),),
        "  cutover:",
        "cutover",
        (("      - On-call rotation staffed and runbooks reviewed.\n", ""),),
    ),
    Case(
        "DP1007",
        ((FIRST_TRIGGER, FIRST_TRIGGER.replace("        threshold: 10m\n", "")),),
        "- metric: end_to_end_latency",
        "metric",
        ((FIRST_TRIGGER, FIRST_TRIGGER.replace("        for: 30m\n", "")),),
        nth=0,
    ),
    Case(
        "DP1008",
        ((SAFEGUARDS, ""),),
        "  rollback:",
        "rollback",
        (("      - The raw layer is append-only, so no data is lost during rollback.\n", ""),),
    ),
    Case(
        "DP1009",
        (("    window: 3d\n    source: log", "    window: 5d\n    source: log"),),
        "window: 5d",
        "5d",
        (("    window: 3d\n    source: log", "    window: 2d\n    source: log"),),
    ),
    Case(
        "DP1010",
        ((FIRST_TRIGGER, FIRST_TRIGGER.replace("end_to_end_latency", "e2e_latency_p99")),),
        "metric: e2e_latency_p99",
        "e2e_latency_p99",
        ((FIRST_TRIGGER, FIRST_TRIGGER.replace("10m", "15m")),),
    ),
    # issue 21: replay, cutover and rollback against each other
    Case(
        "DP1012",
        (
            (
                "    key: [session_id]\n    description: Session",
                "    key: [anonymous_id]\n    description: Session",
            ),
        ),
        "key: [anonymous_id]",
        "[anonymous_id]",
        (),
        nth=1,
    ),
    Case(
        "DP1013",
        (("        threshold: 2%\n", "        threshold: 0.3%\n"),),
        "threshold: 0.3%",
        "0.3%",
        (("        threshold: 2%\n", "        threshold: 1%\n"),),
    ),
    Case(
        "DP1014",
        (("        traffic: 100%", "        traffic: 10%"),),
        "traffic: 10%",
        "10%",
        (("        traffic: 20%", "        traffic: 50%"),),
    ),
]


CASES += RIDE_CASES[10]  # the optional fields of issue 21, on ride-trips


@parametrize(CASES)
def test_rule_triggers_at_position(case: Case) -> None:
    assert_triggers(case)


@parametrize(CASES)
def test_near_miss_is_clean(case: Case) -> None:
    assert_near_miss(case)
