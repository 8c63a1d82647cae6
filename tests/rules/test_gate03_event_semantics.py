"""Gate 3 rules: each triggers at an exact position, and a near-miss does not."""

from __future__ import annotations

from ridecases import RIDE_CASES
from rulecases import Case, assert_near_miss, assert_triggers, parametrize

DEDUPE = "    dedupe:\n      key: [event_id]\n      window: 1h\n      state_ttl: 1h\n"
SINK = "    write_mode: upsert\n    idempotent: true\n"
CHECKPOINT = "    interval: 1m\n    timeout: 10m\n"
INGEST_DELIVERY = "  update_semantics: upsert\n  delivery: at-least-once"
WATERMARK_LEG = "        to: watermark passes the event\n        budget: 30s"

CASES = [
    Case(
        "DP370",
        (
            (
                "      kind: session\n      size: 4h\n      gap: 30m\n",
                "      kind: hopping\n      size: 4h\n      slide: 5h\n",
            ),
            ("    window_state: 7.2GB\n", ""),
        ),
        "slide: 5h",
        "5h",
        (
            (
                "      kind: session\n      size: 4h\n      gap: 30m\n",
                "      kind: hopping\n      size: 4h\n      slide: 4h\n",
            ),
            ("    window_state: 7.2GB\n", ""),
        ),
    ),
    Case(
        "DP301",
        (("    delay: 30s", "    delay: 6m"),),
        "delay: 6m",
        "6m",
        (("    delay: 30s", "    delay: 45s"), (WATERMARK_LEG, WATERMARK_LEG[:-3] + "45s")),
    ),
    Case(
        "DP302",
        (("end_to_end: 3m", "end_to_end: 2m"), ("alert_at: 150s", "alert_at: 100s")),
        "end_to_end: 2m",
        "2m",
        (("end_to_end: 3m", "end_to_end: 150s"),),
    ),
    Case(
        "DP303",
        (("end_to_end: 3m", "end_to_end: 6m"),),
        "end_to_end: 6m",
        "6m",
        (("end_to_end: 3m", "end_to_end: 5m"),),
    ),
    Case(
        "DP304",
        (("alert_at: 150s", "alert_at: 4m"),),
        "alert_at: 4m",
        "4m",
        (("alert_at: 150s", "alert_at: 3m"),),
    ),
    Case(
        "DP305",
        (("    delay: 30s", "    delay: 45s"),),
        "    legs:",
        "legs",
        (("    delay: 30s", "    delay: 45s"), (WATERMARK_LEG, WATERMARK_LEG[:-3] + "45s")),
    ),
    Case(
        "DP306",
        (
            (SINK, "    write_mode: append\n    idempotent: false\n"),
            (INGEST_DELIVERY, "  update_semantics: append\n  delivery: at-least-once"),
        ),
        "action: update",
        "update",
        ((SINK, "    write_mode: merge\n    idempotent: false\n"),),
    ),
    # idempotent does not make an appending sink absorb a changed late result
    Case(
        "DP306",
        (
            (SINK, "    write_mode: append\n    idempotent: true\n"),
            (INGEST_DELIVERY, "  update_semantics: append\n  delivery: at-least-once"),
        ),
        "action: update",
        "update",
        (
            (SINK, "    write_mode: overwrite\n    idempotent: true\n"),
            (INGEST_DELIVERY, "  update_semantics: append\n  delivery: at-least-once"),
        ),
    ),
    Case(
        "DP307",
        (("action: update", "action: drop"),),
        "action: drop",
        "drop",
        (("    action: update\n", "    action: drop\n    loss_tolerance: 0.1%\n"),),
    ),
    Case(
        "DP308",
        (("reconciliation: rec_events_vs_sessions", "reconciliation: rec_missing"),),
        "reconciliation: rec_missing",
        "rec_missing",
        (("action: update", "action: reprocess"),),
    ),
    Case(
        "DP309",
        (
            (DEDUPE, ""),
            ("    dedupe_state: 2.5GB\n", ""),
            (SINK, "    write_mode: overwrite\n    idempotent: false\n"),
            ("action: update", "action: side-output"),
            (INGEST_DELIVERY, INGEST_DELIVERY + "  # ingestion"),
        ),
        "delivery: at-least-once  #",
        "at-least-once",
        (
            (DEDUPE, ""),
            ("    dedupe_state: 2.5GB\n", ""),
            ("action: update", "action: side-output"),
        ),
    ),
    # an upstream dedupe does not protect an appending, non-transactional sink
    Case(
        "DP309",
        (
            (SINK, "    write_mode: append\n    idempotent: false\n"),
            (INGEST_DELIVERY, "  update_semantics: append\n  delivery: at-least-once"),
            ("action: update", "action: side-output"),
        ),
        "write_mode: append",
        "append",
        (
            (SINK, "    write_mode: append\n    idempotent: false\n"),
            (INGEST_DELIVERY, "  update_semantics: append\n  delivery: at-least-once"),
            ("action: update", "action: side-output"),
            ("    transactional: false\n", "    transactional: true\n"),
        ),
    ),
    Case(
        "DP310",
        (("partition_key: anonymous_id", "partition_key: event_id"),),
        "partition_key: event_id",
        "event_id",
        (
            ("partition_key: anonymous_id", "partition_key: event_id"),
            ("key: [anonymous_id]", "key: [event_id]"),
        ),
    ),
    Case(
        "DP311",
        (("scope: per-key", "scope: global"),),
        "partitions: 48",
        "48",
        (("scope: per-key", "scope: per-partition"),),
        nth=0,
    ),
    Case(
        "DP312",
        (("time: event-time", "time: processing-time"),),
        "time: processing-time",
        "processing-time",
        (("time: event-time", "time: processing-time"),),
        near_example="orders",
    ),
    Case(
        "DP313",
        (("  event_time_owner: team-web-collector\n", ""),),
        "event_semantics:",
        "event_semantics",
        (
            ("  event_time_owner: team-checkout\n", ""),
            ("time: event-time", "time: processing-time"),
        ),
        near_example="orders",
    ),
    Case(
        "DP314",
        (("event_time_field: event_time", "event_time_field: event_ts"),),
        "event_time_field: event_ts",
        "event_ts",
        (("event_time_field: event_time", "event_time_field: received_at"),),
    ),
    Case(
        "DP315",
        (("event_time_field: event_time", "event_time_field: page_url"),),
        "event_time_field: page_url",
        "page_url",
        (("event_time_field: event_time", "event_time_field: received_at"),),
    ),
    Case(
        "DP316",
        (("    p99: 20s", "    p99: 15m"),),
        "allowed_lateness: 10m",
        "10m",
        (("    p99: 20s", "    p99: 10m"),),
    ),
    Case(
        "DP317",
        ((CHECKPOINT, "    interval: 2h\n    timeout: 3h\n"),),
        "      window: 1h",
        "1h",
        ((CHECKPOINT, "    interval: 30m\n    timeout: 1h\n"),),
    ),
    Case(
        "DP318",
        (("    retention: 7d\n    high_card", "    retention: 3d\n    high_card"),),
        "retention: 3d",
        "3d",
        (("    retention: 7d\n    high_card", "    retention: 4d\n    high_card"),),
    ),
    Case(
        "DP319",
        (
            (
                "    source: log\n    source_name: web_clickstream",
                "    source: raw-layer\n    source_name: stg_click_events",
            ),
        ),
        "source_name: stg_click_events",
        "stg_click_events",
        (
            (
                "    source: log\n    source_name: web_clickstream",
                "    source: raw-layer\n    source_name: raw_clickstream",
            ),
        ),
    ),
    Case(
        "DP320",
        (("consumer_lag_threshold: 60s", "consumer_lag_threshold: 3m"),),
        "consumer_lag_threshold: 3m",
        "3m",
        (("consumer_lag_threshold: 60s", "consumer_lag_threshold: 2m"),),
    ),
    # issue 21: values weighed against their counterparts
    Case(
        "DP321",
        (("    p99: 20s", "    p99: 7h"),),
        "p99: 7h",
        "7h",
        (("    p99: 20s", "    p99: 5h"),),
    ),
    # a median above the p99 is reported at the median
    Case(
        "DP321",
        (("    p50: 2s", "    p50: 30s"),),
        "p50: 30s",
        "30s",
        (("    p50: 2s", "    p50: 15s"),),
    ),
    Case(
        "DP322",
        (("      window: 1h\n      state_ttl: 1h", "      window: 1h\n      state_ttl: 30m"),),
        "state_ttl: 30m",
        "30m",
        (("      window: 1h\n      state_ttl: 1h", "      window: 1h\n      state_ttl: 2h"),),
    ),
    Case(
        "DP323",
        (("      freshness: 5m\n", "      freshness: 4m\n"),),
        "    target: 5m",
        "5m",
        (("      freshness: 5m\n", "      freshness: 6m\n"),),
    ),
]


CASES += RIDE_CASES[3]  # the optional fields of issue 21, on ride-trips


@parametrize(CASES)
def test_rule_triggers_at_position(case: Case) -> None:
    assert_triggers(case)


@parametrize(CASES)
def test_near_miss_is_clean(case: Case) -> None:
    assert_near_miss(case)
