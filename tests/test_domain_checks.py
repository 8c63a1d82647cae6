"""Unit tests of the pure domain checks on small hand-written plan dicts (no engine)."""

from __future__ import annotations

from typing import Any

from dataplan_lint.checks.domain import (
    backfill,
    capacity,
    contracts,
    event_time,
    quality,
    validation,
)
from dataplan_lint.core.settings import Settings
from dataplan_lint.engine.check_input import CheckInput
from dataplan_lint.engine.memo import PlanMemo
from dataplan_lint.files.loader import LoadedPlan


def semantics(**extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "time": "event-time",
        "watermark": {"strategy": "fixed-lag", "delay": "1m"},
        "freshness_slo": {"target": "10m"},
        "latency_budget": {
            "legs": [{"name": "a", "budget": "1m"}, {"name": "b", "budget": "2m"}],
            "end_to_end": "5m",
            "alert_at": "4m",
        },
    }
    base.update(extra)
    return base


def pointers(found: Any) -> list[str]:
    return [issue.pointer for issue in found]


def test_waits_include_watermark_window_and_transactional_commit() -> None:
    data = {
        "event_semantics": semantics(
            windows=[
                {"name": "t", "kind": "tumbling", "size": "5m", "emit": "on-close"},
                {"name": "s", "kind": "session", "size": "4h", "gap": "30m", "emit": "on-close"},
            ]
        ),
        "ingestion": {"sink": {"transactional": True}, "checkpointing": {"interval": "2m"}},
    }
    found = [(w.what, w.seconds, w.pointer) for w in event_time.waits(data)]
    assert found == [
        ("watermark delay", 60.0, "/event_semantics/watermark/delay"),
        ("session gap (results emit on close)", 1800.0, "/event_semantics/windows/1/gap"),
        ("transactional sink commit interval", 120.0, "/ingestion/checkpointing/interval"),
    ]


def test_each_wait_needs_its_own_leg() -> None:
    # two waits of 1m and 2m; legs of 1m and 2m cover them one each
    data = {
        "event_semantics": semantics(
            windows=[
                {
                    "name": "w",
                    "kind": "tumbling",
                    "size": "2m",
                    "emit": "early-and-on-close",
                    "early_interval": "2m",
                }
            ]
        )
    }
    assert list(event_time.budget_covers_waits(data, {})) == []
    data["event_semantics"]["latency_budget"]["legs"][1]["budget"] = "90s"
    [issue] = event_time.budget_covers_waits(data, {})
    assert issue.values["wait"] == "early-firing interval"


def test_waits_beyond_the_slo_are_the_watermark_rules_finding() -> None:
    data = {"event_semantics": semantics(watermark={"strategy": "fixed-lag", "delay": "11m"})}
    assert pointers(event_time.watermark_vs_slo(data, {})) == ["/event_semantics/watermark/delay"]
    assert list(event_time.budget_covers_waits(data, {})) == []


def test_budget_nesting() -> None:
    data = {"event_semantics": semantics()}
    data["event_semantics"]["latency_budget"].update(end_to_end="2m", alert_at="3m")
    assert pointers(event_time.legs_vs_end_to_end(data, {})) == [
        "/event_semantics/latency_budget/end_to_end"
    ]
    assert pointers(event_time.alert_vs_end_to_end(data, {})) == [
        "/event_semantics/latency_budget/alert_at"
    ]


def test_key_fields_are_looked_up_in_nested_records() -> None:
    data = {
        "event_semantics": semantics(event_time_field="meta.ts"),
        "sources": [{"id": "s", "kind": "stream", "contract": "c", "partition_key": "id"}],
        "contracts": [
            {
                "name": "c",
                "fields": [
                    {"name": "id", "type": "double"},
                    {
                        "name": "meta",
                        "type": "record",
                        "fields": [{"name": "ts", "type": "string"}],
                    },
                ],
            }
        ],
    }
    plan = LoadedPlan("dataplan.yaml", "", data)
    inp = CheckInput(data, {}, Settings(), plan, PlanMemo())
    assert list(event_time.key_fields_in_contract(inp)) == []
    found = {
        issue.values["role"]: issue.values["type"] for issue in event_time.key_field_types(inp)
    }
    assert found == {"event-time field": "string", "partition key": "double"}


def test_contract_with_mode_none_and_no_history_needs_a_window() -> None:
    contract: dict[str, Any] = {"name": "c", "compatibility": "NONE"}
    assert contracts.unguarded(contract)
    assert contracts.unguarded({**contract, "history": [{"version": 1}]}) is None
    assert contracts.unguarded({**contract, "compatibility": "BACKWARD"}) is None
    data = {"contracts": [contract]}
    assert pointers(contracts.migration_without_window(data, {})) == ["/contracts/0"]


def test_freshness_levels_nest_under_the_slo() -> None:
    data = {
        "event_semantics": {"freshness_slo": {"target": "5m"}},
        "quality": {
            "checks": [{"id": "f", "kind": "freshness", "threshold": {"warn": "6m", "error": "6m"}}]
        },
    }
    assert pointers(quality.freshness_thresholds(data, {})) == [
        "/quality/checks/0/threshold/warn",
        "/quality/checks/0/threshold/error",
    ]


def test_acceptance_numbering_reports_gaps_and_repeats() -> None:
    data = {
        "validation": {
            "acceptance": [{"id": "AC-1"}, {"id": "AC-3"}, {"id": "AC-3"}, {"id": "AC-4"}]
        }
    }
    problems = [issue.values["problem"] for issue in validation.acceptance_numbering(data, {})]
    assert problems == ["AC-3 comes where AC-2 is expected", "AC-3 is used twice"]


def test_objective_rollback_triggers() -> None:
    data = {"backfill": {"rollback": {"triggers": [{"metric": "lag", "comparator": ">"}]}}}
    [issue] = backfill.rollback_triggers(data, {})
    assert issue.pointer == "/backfill/rollback/triggers/0"
    assert "threshold" in issue.values["problem"]


def test_capacity_mismatch_respects_tolerance() -> None:
    data = {
        "capacity": {
            "inputs": {"events_per_day": "86.4M", "peak_factor": 2},
            "declared": {"avg_eps": 1080, "peak_eps": 2000},
        }
    }
    options = {"figures": ["avg_eps", "peak_eps"]}
    plan = LoadedPlan("dataplan.yaml", "", data)

    def with_tolerance(tolerance: float) -> CheckInput:
        return CheckInput(data, options, Settings(tolerance=tolerance), plan, PlanMemo())

    assert pointers(capacity.figure_mismatch(with_tolerance(0.05))) == [
        "/capacity/declared/avg_eps"
    ]
    assert list(capacity.figure_mismatch(with_tolerance(0.10))) == []
