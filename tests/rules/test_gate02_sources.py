"""Gate 2 rules: each triggers at an exact position, and a near-miss does not."""

from __future__ import annotations

from rulecases import Case, assert_near_miss, assert_triggers, parametrize

DUPLICATE_SOURCE = """  - id: {id}
    system: Kafka topic web.clickstream.v3
    kind: stream
    owner: team-web-collector
    contract: clickstream_event
    mutation: append-only
    corrections:
      how: none
    delivery: at-least-once
    retention: 7d

event_semantics:"""

CASES = [
    Case(
        "DP201",
        (("    contract: clickstream_event", "    contract: clickstream_evnt"),),
        "contract: clickstream_evnt",
        "clickstream_evnt",
        (("    contract: clickstream_event", "    contract: session_summary"),),
    ),
    Case(
        "DP1201",
        (("    owner: team-web-collector\n    contract", "    owner: unknown\n    contract"),),
        "owner: unknown",
        "unknown",
        (("    owner: team-web-collector\n    contract", "    owner: team-web\n    contract"),),
    ),
    Case(
        "DP203",
        (("\nevent_semantics:", "\n" + DUPLICATE_SOURCE.format(id="web_clickstream")),),
        "  - id: web_clickstream",
        "web_clickstream",
        (("\nevent_semantics:", "\n" + DUPLICATE_SOURCE.format(id="web_clickstream_v3")),),
        nth=1,
    ),
    Case(
        "DP204",
        (
            (
                "      how: cdc-update\n      description: Cancellations, refunds and address "
                "fixes update the order row; each update emits a change event.\n",
                "      how: cdc-update\n",
            ),
        ),
        "    corrections:",
        "corrections",
        (
            (
                "      description: Cancellations, refunds and address fixes",
                "      description: Refunds and address fixes",
            ),
        ),
        example="orders",
        nth=0,
    ),
    Case(
        "DP1201",
        (("    owner: team-web-collector\n    consumers", "    owner: TBA\n    consumers"),),
        "owner: TBA",
        "TBA",
        (("    owner: team-web-collector\n    consumers", "    owner: team-web\n    consumers"),),
    ),
    Case(
        "DP206",
        (("    mutation: append-only", "    mutation: upsert"),),
        "      how: none",
        "none",
        (("      how: none", "      how: compensating-event"),),
    ),
    Case(
        "DP206",
        (("      how: none", "      how: cdc-update"),),
        "      how: cdc-update",
        "cdc-update",
        (("    mutation: append-only", "    mutation: append-only"),),
    ),
    Case(
        "DP207",
        (("    partition_key: anonymous_id\n", ""),),
        "    high_cardinality_keys: [anonymous_id, page_url]",
        "high_cardinality_keys",
        (("    partition_key: anonymous_id\n", "    partition_key: page_url\n"),),
    ),
    Case(
        "DP207",
        (
            ("    partitions: 48\n    retention: 7d\n    high", "    retention: 7d\n    high"),
            ("    high_cardinality_keys: [anonymous_id, page_url]\n", ""),
        ),
        "    skew_risk: medium",
        "skew_risk",
        (
            ("    partitions: 48\n    retention: 7d\n    high", "    retention: 7d\n    high"),
            ("    high_cardinality_keys: [anonymous_id, page_url]\n", ""),
            ("skew_risk: medium", "skew_risk: low"),
        ),
    ),
]


@parametrize(CASES)
def test_rule_triggers_at_position(case: Case) -> None:
    assert_triggers(case)


@parametrize(CASES)
def test_near_miss_is_clean(case: Case) -> None:
    assert_near_miss(case)
