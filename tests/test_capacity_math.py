"""capacity_math against figures computed by hand (see references/capacity.md)."""

from __future__ import annotations

import math
from typing import Any

import pytest

from dataplan_lint.checks import capacity_math as cm


def plan(inputs: dict[str, Any], **sections: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"capacity": {"inputs": inputs, "declared": {}}}
    data.update(sections)
    return data


BASE: dict[str, Any] = {
    "events_per_day": "864M",  # 10,000 events/s on average
    "peak_factor": 2,
    "bytes_per_event": "1KB",
    "per_partition_throughput": "5MB/s",
    "per_consumer_throughput": "2k/s",
    "max_consumer_parallelism": 4,
    "retention": "1d",
    "replication_factor": 3,
    "headroom": 0.5,
    "growth_per_year": 1.0,
    "horizon": "730d",
}


def test_rates_and_ingest() -> None:
    derived = cm.derive(plan(BASE))
    assert derived["avg_eps"].value == pytest.approx(10_000)
    assert derived["peak_eps"].value == pytest.approx(20_000)
    # 20,000/s * 1000 B = 20 MB/s
    assert derived["peak_ingest"].value == pytest.approx(20e6)
    assert derived["peak_ingest"].unit_kind == cm.BYTE_RATE
    assert "peak_eps * bytes_per_event" in derived["peak_ingest"].formula


def test_compression_divides_ingest_and_storage() -> None:
    derived = cm.derive(plan({**BASE, "compression_ratio": 4}))
    assert derived["peak_ingest"].value == pytest.approx(5e6)
    # avg 10 MB/s / 4 = 2.5 MB/s * 86,400 s * 3 * 1.5
    assert derived["retention_storage"].value == pytest.approx(2.5e6 * 86_400 * 3 * 1.5)


def test_partitions_take_the_largest_need() -> None:
    derived = cm.derive(plan(BASE))
    # bytes: 20 MB/s / 5 MB/s = 4; events: 20,000 / 2,000 = 10; parallelism 4
    assert derived["partitions_throughput"].value == 10
    assert derived["partitions"].value == 10
    derived = cm.derive(plan({**BASE, "max_consumer_parallelism": 16}))
    assert derived["partitions"].value == 16
    assert "max_consumer_parallelism" in derived["partitions"].formula
    # at 10x the parallelism floor does not apply: 200,000 / 2,000 = 100
    assert derived["partitions_10x"].value == 100


def test_partitions_round_up_not_on_float_noise() -> None:
    inputs = {**BASE, "per_consumer_throughput": "4k/s"}
    derived = cm.derive(plan(inputs))
    # 20 MB/s / 5 MB/s = exactly 4 and 20,000 / 4,000 = exactly 5
    assert derived["partitions_throughput"].value == 5


def test_retention_storage_uses_average_rate() -> None:
    derived = cm.derive(plan(BASE))
    # 10 MB/s * 86,400 s = 864 GB; * 3 replicas * 1.5 headroom = 3.888 TB
    assert derived["retention_storage"].value == pytest.approx(3.888e12)


def test_growth_over_horizon() -> None:
    derived = cm.derive(plan(BASE))
    # doubling every year for two years
    assert derived["events_per_day_at_horizon"].value == pytest.approx(864e6 * 4)


def test_lag_drain_and_never_drains() -> None:
    derived = cm.derive(plan({**BASE, "outage": "10m", "consume_rate": "30k/s"}))
    # backlog 20,000/s * 600 s = 12M; drains at 10,000/s net -> 1,200 s
    assert derived["backlog"].value == pytest.approx(12e6)
    assert derived["lag_drain_time"].value == pytest.approx(1200)
    stuck = cm.derive(plan({**BASE, "outage": "10m", "consume_rate": "20k/s"}))
    assert math.isinf(stuck["lag_drain_time"].value)
    assert "never drains" in stuck["lag_drain_time"].formula
    assert stuck["lag_drain_time"].text == "never"


def test_window_state_counts_live_windows() -> None:
    inputs = {**BASE, "active_keys": "1M", "bytes_per_key": "1KB"}
    semantics = {
        "watermark": {"strategy": "fixed-lag", "delay": "1m"},
        "allowed_lateness": "4m",
        "windows": [{"name": "w", "kind": "hopping", "size": "10m", "slide": "5m"}],
    }
    derived = cm.derive(plan(inputs, event_semantics=semantics))
    # ceil((10m + 1m + 4m) / 5m) = 3 live windows per key; 1M * 1 KB * 3 = 3 GB
    assert derived["window_state"].value == pytest.approx(3e9)
    assert derived["window_state_10x"].value == pytest.approx(30e9)


def test_session_window_slide_defaults_to_size() -> None:
    inputs = {**BASE, "active_keys": "1M", "bytes_per_key": "1KB"}
    semantics = {
        "watermark": {"strategy": "fixed-lag", "delay": "30s"},
        "allowed_lateness": "10m",
        "windows": [{"name": "s", "kind": "session", "size": "4h", "gap": "30m"}],
    }
    derived = cm.derive(plan(inputs, event_semantics=semantics))
    assert derived["window_state"].value == pytest.approx(2e9)


def test_dedupe_state_at_peak() -> None:
    inputs = {**BASE, "dedupe_key_bytes": "50B"}
    semantics = {"duplicates": {"expected": True, "dedupe": {"key": ["id"], "window": "1h"}}}
    derived = cm.derive(plan(inputs, event_semantics=semantics))
    # 20,000/s * 3,600 s * 50 B = 3.6 GB
    assert derived["dedupe_state"].value == pytest.approx(3.6e9)


def test_monthly_cost() -> None:
    inputs = {**BASE, "instances": 4, "hourly_rate": 0.5, "price_per_gb_month": 0.02}
    derived = cm.derive(plan(inputs))
    # 3,888 GB * 0.02 = 77.76; 4 * 0.5 * 730 = 1,460
    assert derived["monthly_cost"].value == pytest.approx(77.76 + 1460)
    assert derived["monthly_cost"].unit_kind == cm.MONEY


def test_replay_records_after_failure() -> None:
    data = plan(BASE, ingestion={"checkpointing": {"interval": "30s"}})
    assert cm.derive(data)["replay_records"].value == pytest.approx(600_000)


def test_declared_pointer_and_value() -> None:
    data = plan(BASE)
    data["capacity"]["declared"] = {"peak_eps": 19_000, "peak_ingest": "21MB/s"}
    derived = cm.derive(data)
    assert derived["peak_eps"].declared_pointer == "/capacity/declared/peak_eps"
    assert derived["peak_eps"].declared_value == 19_000
    assert derived["peak_ingest"].declared_value == pytest.approx(21e6)
    assert derived["avg_eps"].declared_pointer is None


def test_missing_inputs_are_named() -> None:
    inputs = {k: v for k, v in BASE.items() if k != "peak_factor"}
    data = plan(inputs)
    data["capacity"]["declared"] = {"peak_eps": 1, "window_state": "1GB", "avg_eps": 1}
    missing = cm.missing_inputs(data)
    assert missing["peak_eps"] == ["peak_factor"]
    assert missing["window_state"] == ["active_keys", "bytes_per_key", "event_semantics.windows"]
    assert "avg_eps" not in missing


def test_invalid_inputs_are_left_to_the_schema() -> None:
    data = plan({**BASE, "peak_factor": "three"})
    data["capacity"]["declared"] = {"peak_eps": 1}
    assert "peak_eps" not in cm.derive(data)
    assert cm.missing_inputs(data) == {}


def test_garbage_never_raises() -> None:
    for junk in (None, [], "text", {"capacity": []}, {"capacity": {"inputs": [1]}}):
        assert cm.derive(junk) == {}
        assert cm.missing_inputs(junk) == {}


def test_relative_difference() -> None:
    assert cm.relative_difference(110, 100) == pytest.approx(0.1)
    assert cm.relative_difference(0, 0) == 0
    assert math.isinf(cm.relative_difference(1, math.inf))


@pytest.mark.parametrize(
    ("example", "figures"),
    [
        (
            "clickstream-sessions",
            {"avg_eps": 5787.04, "peak_eps": 17361.1, "retention_storage": 4.095e12},
        ),
        ("orders-cdc", {"avg_eps": 231.48, "peak_eps": 925.93, "lag_drain_time": 301.0}),
    ],
)
def test_examples_match_their_declared_figures(
    repo_root: Any, example: str, figures: dict[str, float]
) -> None:
    from dataplan_lint.files.loader import load_text

    path = repo_root / "examples" / example / "dataplan.yaml"
    loaded = load_text(path.read_text(encoding="utf-8"), str(path))
    assert loaded.plan is not None
    derived = cm.derive(loaded.plan.data)
    for name, value in figures.items():
        assert derived[name].value == pytest.approx(value, rel=1e-3)
    for item in derived.values():
        if item.declared_value is not None and item.name != "partitions":
            assert cm.relative_difference(item.declared_value, item.value) < 0.02, item
