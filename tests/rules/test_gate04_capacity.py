"""Gate 4 rules: each triggers at an exact position, and a near-miss does not."""

from __future__ import annotations

from ridecases import RIDE_CASES
from rulecases import Case, assert_near_miss, assert_triggers, parametrize
from ruleplans import check_text, edit

PARTITIONS_48 = "    partitions: 48\n    retention_storage"
PARALLELISM_12 = ("max_consumer_parallelism: 24", "max_consumer_parallelism: 12")
CHANGES = "      - Topic partitions 48 to 192, announced to consumers one release ahead.\n"
POSTGRES_10X = (
    "      - PostgreSQL serving moves to a partitioned table with a write batch of 2,000 rows.\n"
)
THROUGHPUT_10X = (
    "Grow the topic to 192 partitions during a planned maintenance window (keys remap, so"
)

CASES = [
    Case(
        "DP474",
        (("    rto: 15m\n", "    rto: 45m\n"),),
        "outage: 30m",
        "30m",
        (("    rto: 15m\n", "    rto: 30m\n"),),
    ),
    Case(
        "DP470",
        (("    volume: 500M/day\n", "    volume: 2B/day\n"),),
        "events_per_day: 500M",
        "500M",
        (("    volume: 500M/day\n", "    volume: 540M/day\n"),),
    ),
    Case(
        "DP470",
        (("    volume: 12M/day\n", "    volume: 30M/day\n"),),
        "events_per_day: 20M",
        "20M",
        (("    volume: 12M/day\n", "    volume: 13M/day\n"),),
        example="orders",
    ),
    Case(
        "DP471",
        (("    retention: 7d\n    high_card", "    retention: 14d\n    high_card"),),
        "    retention: 7d",
        "7d",
        (("    retention: 7d\n    high_card", "    retention: 168h\n    high_card"),),
    ),
    Case(
        "DP472",
        (("    partitions: 48\n    retention: 7d", "    partitions: 96\n    retention: 7d"),),
        "    partitions: 96",
        "96",
        (("    partitions: 48\n    retention: 7d", "    partitions: 48\n    retention: 168h"),),
    ),
    Case(
        "DP473",
        (("    min_pause: 30s\n", "    min_pause: 50s\n"),),
        "min_pause: 50s",
        "50s",
        (("    min_pause: 30s\n", "    min_pause: 45s\n"),),
    ),
    Case(
        "DP401",
        (("peak_eps: 17361", "peak_eps: 25000"),),
        "peak_eps: 25000",
        "25000",
        (("peak_eps: 17361", "peak_eps: 18000"),),
    ),
    Case(
        "DP401",
        (("peak_ingest: 5.2MB/s", "peak_ingest: 20.8MB/s"),),
        "peak_ingest: 20.8MB/s",
        "20.8MB/s",
        (("peak_ingest: 5.2MB/s", "peak_ingest: 5.6MB/s"),),
    ),
    Case(
        "DP402",
        (
            (
                "    partitions: 48\n    retention_storage",
                "    partitions: 16\n    retention_storage",
            ),
        ),
        "partitions: 16",
        "16",
        (
            (
                "    partitions: 48\n    retention_storage",
                "    partitions: 24\n    retention_storage",
            ),
        ),
    ),
    Case(
        "DP403",
        (("retention_storage: 4.1TB", "retention_storage: 2TB"),),
        "retention_storage: 2TB",
        "2TB",
        (("retention_storage: 4.1TB", "retention_storage: 4TB"),),
    ),
    Case(
        "DP404",
        (("dedupe_state: 2.5GB", "dedupe_state: 25GB"),),
        "dedupe_state: 25GB",
        "25GB",
        (("dedupe_state: 2.5GB", "dedupe_state: 2.7GB"),),
    ),
    Case(
        "DP405",
        (("lag_drain_time: 5m", "lag_drain_time: 1h"),),
        "lag_drain_time: 1h",
        "1h",
        (("lag_drain_time: 5m", "lag_drain_time: 330s"),),
        example="orders",
    ),
    Case(
        "DP406",
        (("consume_rate: 30k/s", "consume_rate: 15k/s"),),
        "consume_rate: 15k/s",
        "15k/s",
        (("consume_rate: 30k/s", "consume_rate: 31k/s"),),
    ),
    Case(
        "DP407",
        (("monthly_cost: 584", "monthly_cost: 900"),),
        "monthly_cost: 900",
        "900",
        (("monthly_cost: 584", "monthly_cost: 620"),),
        example="orders",
    ),
    Case(
        "DP408",
        (("events_per_day_at_horizon: 39M", "events_per_day_at_horizon: 25M"),),
        "events_per_day_at_horizon: 25M",
        "25M",
        (("events_per_day_at_horizon: 39M", "events_per_day_at_horizon: 40M"),),
        example="orders",
    ),
    Case(
        "DP409",
        (("    dedupe_key_bytes: 40B\n", ""),),
        "dedupe_state: 2.5GB",
        "2.5GB",
        (("    dedupe_key_bytes: 40B\n", ""), ("    dedupe_state: 2.5GB\n", "")),
    ),
    Case(
        "DP410",
        (
            (CHANGES, "      - Broker disks doubled.\n"),
            (THROUGHPUT_10X, "Grow the topic during a"),
            (POSTGRES_10X, "      - PostgreSQL write batch of 2,000 rows.\n"),
        ),
        "    changes:\n"[4:-1],
        "changes",
        ((CHANGES, "      - Broker disks doubled.\n"),),
        nth=0,
    ),
    Case(
        "DP411",
        (("target_utilization: 0.6", "target_utilization: 0.9"),),
        "target_utilization: 0.9",
        "0.9",
        (("target_utilization: 0.6", "target_utilization: 0.75"),),
    ),
    Case(
        "DP411",
        (PARALLELISM_12, (PARTITIONS_48, PARTITIONS_48.replace("48", "16"))),
        "partitions: 16",
        "16",
        (PARALLELISM_12, (PARTITIONS_48, PARTITIONS_48.replace("48", "19"))),
    ),
    Case(
        "DP412",
        (("      kind: storage\n      monthly: 409.5", "      kind: other\n      monthly: 409.5"),),
        "  cost_drivers:",
        "cost_drivers",
        (("      kind: scan\n", "      kind: egress\n"),),
    ),
    Case(
        "DP413",
        (("    expected_duration: 15s\n  recovery", "    expected_duration: 2m\n  recovery"),),
        "expected_duration: 2m",
        "2m",
        (("    expected_duration: 15s\n  recovery", "    expected_duration: 45s\n  recovery"),),
    ),
    Case(
        "DP413",
        (("    interval: 1m\n    timeout: 10m\n", "    interval: 1m\n    timeout: 1m\n"),),
        "    interval: 1m",
        "1m",
        (("    interval: 1m\n    timeout: 10m\n", "    interval: 1m\n    timeout: 2m\n"),),
    ),
    Case(
        "DP414",
        (("    consumer_lag_threshold: 5m\n", ""),),
        "  declared:",
        "declared",
        (("    lag_drain_time: 5m\n", "    lag_drain_time: 5.5m\n"),),
        example="orders",
    ),
    # issue 21: consumers and cost drivers against the figures they restate
    Case(
        "DP417",
        (("max_consumer_parallelism: 24", "max_consumer_parallelism: 12"),),
        "max_consumer_parallelism: 12",
        "12",
        (("max_consumer_parallelism: 24", "max_consumer_parallelism: 16"),),
    ),
    # both parallelisms fall short: the per-consumer figure they share is the finding
    Case(
        "DP417",
        (("per_consumer_throughput: 1.25k/s", "per_consumer_throughput: 500/s"),),
        "per_consumer_throughput: 500/s",
        "500/s",
        (("per_consumer_throughput: 1.25k/s", "per_consumer_throughput: 800/s"),),
    ),
    Case(
        "DP418",
        (("consume_rate: 30k/s", "consume_rate: 50k/s"),),
        "consume_rate: 50k/s",
        "50k/s",
        (("consume_rate: 30k/s", "consume_rate: 32k/s"),),
    ),
    Case(
        "DP419",
        (("      monthly: 3363.84", "      monthly: 1000"),),
        "monthly: 1000",
        "1000",
        (("      monthly: 3363.84", "      monthly: 3400"),),
    ),
    Case(
        "DP419",
        (("      monthly: 409.5", "      monthly: 900"),),
        "monthly: 900",
        "900",
        (("      monthly: 409.5", "      monthly: 430"),),
    ),
]


CASES += RIDE_CASES[4]  # the optional fields of issue 21, on ride-trips


@parametrize(CASES)
def test_rule_triggers_at_position(case: Case) -> None:
    assert_triggers(case)


@parametrize(CASES)
def test_near_miss_is_clean(case: Case) -> None:
    assert_near_miss(case)


def test_mismatch_message_quotes_both_figures_and_the_formula() -> None:
    text = edit("clickstream", ("peak_eps: 17361", "peak_eps: 25000"))
    [finding] = [f for f in check_text(text) if f.rule_id == "DP401"]
    assert "25,000/s" in finding.message
    assert "17,361/s" in finding.message
    assert "peak_eps = avg_eps * peak_factor" in finding.message


def test_tolerance_comes_from_the_configuration() -> None:
    text = edit("clickstream", ("peak_eps: 17361", "peak_eps: 18500"))  # 6.6% off
    assert "DP401" not in [f.rule_id for f in check_text(text)]
    assert "DP401" in [f.rule_id for f in check_text(text, tolerance=0.05)]


def test_never_draining_lag_is_an_error_not_a_mismatch() -> None:
    text = edit("clickstream", ("consume_rate: 30k/s", "consume_rate: 15k/s"))
    found = [(f.rule_id, f.severity.label) for f in check_text(text)]
    assert ("DP406", "error") in found
    assert "DP405" not in [rule for rule, _ in found]


UPLOAD = "    upload_throughput: 400MB/s"
ENVELOPE_SLOTS = "    slots_per_instance: 4"
ENVELOPE_INSTANCES = "    instances: 6\n    vcpu"

CHECKPOINT_AND_ENVELOPE = [
    Case(
        "DP415",
        ((UPLOAD, "    upload_throughput: 10MB/s"),),
        "upload_throughput: 10MB/s",
        "10MB/s",
        ((UPLOAD, "    upload_throughput: 20MB/s"),),
    ),
    Case(
        "DP416",
        ((ENVELOPE_SLOTS, "    slots_per_instance: 3"),),
        "    instances: 6\n"[:-1],
        "6",
        ((ENVELOPE_SLOTS, "    slots_per_instance: 5"),),
        nth=1,
    ),
    Case(
        "DP416",
        ((ENVELOPE_INSTANCES, "    instances: 9\n    vcpu"),),
        "    instances: 9",
        "9",
        ((ENVELOPE_INSTANCES, "    instances: 8\n    vcpu"),),
    ),
]


@parametrize(CHECKPOINT_AND_ENVELOPE)
def test_checkpoint_and_envelope_rules_trigger_at_position(case: Case) -> None:
    assert_triggers(case)


@parametrize(CHECKPOINT_AND_ENVELOPE)
def test_checkpoint_and_envelope_near_misses_are_clean(case: Case) -> None:
    assert_near_miss(case)


def test_parallelism_above_partitions_is_reported_once() -> None:
    """The tour's 64 consumers for 48 partitions is DP510, not also DP416."""
    from ruleplans import check_text, edit

    text = edit("clickstream", ("    max_parallelism: 24", "    max_parallelism: 64"))
    assert [f.rule_id for f in check_text(text)] == ["DP510"]
