"""Gate 9: streaming operations - telemetry, alerts, replay, break-glass and cost."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.checks import capacity_math as cm
from dataplan_lint.checks.domain import Check, Issue
from dataplan_lint.checks.domain import plan as p

OPS = "/operations"

# Telemetry a streaming path emits: a family is covered by any metric whose name
# contains one of its words.
FAMILIES: dict[str, tuple[str, ...]] = {
    "lag": ("lag",),
    "throughput": ("throughput", "records_in", "records_out", "events_per", "ingest_rate"),
    "errors": ("error", "fail", "retry", "dlq", "dead_letter"),
}


def alert_metric_emitted(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    known = p.metrics(data)
    if not known:
        return
    for pointer, alert in p.items(data, f"{OPS}/alerts"):
        metric = alert.get("metric")
        if isinstance(metric, str) and metric not in known:
            yield Issue(f"{pointer}/metric", {"metric": metric, "alert": str(alert.get("id"))})


def _covers(metrics: set[str], words: tuple[str, ...]) -> bool:
    return any(word in metric.lower() for metric in metrics for word in words)


def telemetry_incomplete(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    if not p.is_streaming(data) or p.get(data, f"{OPS}/metrics") is None:
        return
    known = p.metrics(data)
    wanted = dict(FAMILIES)
    if p.present(p.get(data, "/ingestion/checkpointing")):
        wanted["checkpoint health"] = ("checkpoint",)
    skewed = any(source.get("skew_risk") in ("medium", "high") for _, source in p.sources(data))
    if skewed:
        wanted["partition skew"] = ("skew", "hot_key", "hot_partition")
    missing = [name for name, words in wanted.items() if not _covers(known, words)]
    if missing:
        yield Issue(f"{OPS}/metrics", {"missing": ", ".join(missing)}, at_key=True)


def watermark_lag(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    semantics = p.mapping(data, "/event_semantics")
    if semantics.get("time") != "event-time" or p.get(data, f"{OPS}/metrics") is None:
        return
    windowed = p.present(semantics.get("windows")) or p.get(data, "/ingestion/pattern") == "stream"
    if windowed and not _covers(p.metrics(data), ("watermark",)):
        yield Issue(f"{OPS}/metrics", at_key=True)


def lag_alerts(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    if not p.is_streaming(data) or p.get(data, OPS) is None:
        return
    alerts = list(p.items(data, f"{OPS}/alerts"))
    lagging = [
        alert
        for _, alert in alerts
        if isinstance(alert.get("metric"), str) and "lag" in alert["metric"].lower()
    ]
    if not lagging:
        yield Issue(
            f"{OPS}/alerts" if alerts else OPS, {"problem": "no alert watches lag"}, at_key=True
        )
        return
    for alert in lagging:
        if p.present(alert.get("threshold")) and p.present(alert.get("runbook")):
            return
    yield Issue(
        f"{OPS}/alerts", {"problem": "no lag alert has both a threshold and a runbook"}, at_key=True
    )


def _missing_section(key: str, streaming_only: bool) -> Any:
    def check(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
        operations = p.get(data, OPS)
        if not isinstance(operations, Mapping):
            return
        if streaming_only and not p.is_streaming(data):
            return
        if not p.present(operations.get(key)):
            yield Issue(OPS, {"missing": key}, at_key=True)

    return check


def cost_guardrails(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    operations = p.get(data, OPS)
    if not isinstance(operations, Mapping):
        return
    guardrails = operations.get("cost_guardrails")
    if not isinstance(guardrails, Mapping) or not guardrails:
        yield Issue(
            OPS,
            {"missing": "cost_guardrails (a budget, an alert level and autoscaling limits)"},
            at_key=True,
        )
        return
    missing = [k for k in ("monthly_budget", "autoscaling") if not p.present(guardrails.get(k))]
    if missing:
        yield Issue(f"{OPS}/cost_guardrails", {"missing": " and ".join(missing)}, at_key=True)


def budget_vs_estimate(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    budget = p.number(p.get(data, f"{OPS}/cost_guardrails/monthly_budget"))
    if budget is None:
        return
    estimate = p.number(p.get(data, f"{cm.DECLARED}/monthly_cost"))
    source = "capacity.declared.monthly_cost"
    if estimate is None:
        derived = p.derived(data).get("monthly_cost")
        if derived is None:
            return
        estimate, source = derived.value, "the monthly cost derived from capacity.inputs"
    if budget < estimate:
        yield Issue(
            f"{OPS}/cost_guardrails/monthly_budget",
            {"budget": f"{budget:,.2f}", "estimate": f"{estimate:,.2f}", "source": source},
        )


replay_workflow: Check = _missing_section("replay_workflow", True)
break_glass: Check = _missing_section("break_glass", False)
