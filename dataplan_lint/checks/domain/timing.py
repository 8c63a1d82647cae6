"""Gates 8 and 9: whether the watchers notice in time.

A lag that grows during a stall crosses an alert's threshold after `threshold` and pages
after `for` more: by then the data is `threshold + for` old, which must still be within
the freshness SLO. A freshness check that runs less often than its error threshold lets
staleness beyond the threshold go unseen between runs. A slow-checkpoint alert fires
before the checkpoint times out, or it reports only failures already counted.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.checks.domain import Issue
from dataplan_lint.checks.domain import plan as p
from dataplan_lint.core import regexes

ALERTS = "/operations/alerts"
# Metrics that grow with wall-clock time while processing stalls.
STALENESS_WORDS = ("lag", "fresh", "stale")
NAMED_SCHEDULES = {
    "continuous": 0.0,
    "continuously": 0.0,
    "streaming": 0.0,
    "hourly": 3600.0,
    "@hourly": 3600.0,
    "daily": 86400.0,
    "@daily": 86400.0,
    "nightly": 86400.0,
    "weekly": 604800.0,
    "@weekly": 604800.0,
}


def _fmt(value: float) -> str:
    return p.describe_seconds(value)


def _lag_room(data: Any, slo: float) -> float | None:
    """The freshness SLO minus the latency legs, when legs are given (DP320's room)."""
    legs = [
        p.quantity("duration", leg.get("budget"))
        for _, leg in p.items(data, "/event_semantics/latency_budget/legs")
    ]
    known = [value for value in legs if value is not None]
    return slo - sum(known) if known else None


def alert_time_to_page(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """A paging alert on a staleness metric pages within the freshness SLO."""
    slo = p.slo_seconds(data)
    if slo is None:
        return
    room = _lag_room(data, slo)
    for pointer, alert in p.items(data, ALERTS):
        metric = alert.get("metric")
        if alert.get("severity") != "page" or not isinstance(metric, str):
            continue
        if not any(word in metric.lower() for word in STALENESS_WORDS):
            continue
        threshold = p.threshold_seconds(alert.get("threshold"))
        hold = p.quantity("duration", alert.get("for")) or 0.0
        if threshold is None or p.unreadable(data, f"{pointer}/for"):
            continue
        if "consumer_lag" in metric and room is not None and threshold >= room:
            continue  # the threshold alone eats the SLO's room: DP320 reports it
        if threshold + hold <= slo:
            continue
        at = f"{pointer}/threshold" if threshold > slo or hold == 0 else f"{pointer}/for"
        yield Issue(
            at,
            {
                "alert": str(alert.get("id", metric)),
                "threshold": _fmt(threshold),
                "hold": _fmt(hold),
                "total": _fmt(threshold + hold),
                "slo": _fmt(slo),
            },
            related=(("/event_semantics/freshness_slo/target", "the freshness SLO"),),
        )


def checkpoint_alert_before_timeout(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """An alert on checkpoint duration fires below the checkpoint timeout."""
    timeout = p.seconds(data, "/ingestion/checkpointing/timeout")
    interval = p.seconds(data, "/ingestion/checkpointing/interval")
    if timeout is None or (interval is not None and timeout <= interval):
        return  # a timeout at or below the interval is DP413's finding
    for pointer, alert in p.items(data, ALERTS):
        metric = alert.get("metric")
        if not isinstance(metric, str) or "checkpoint_duration" not in metric:
            continue
        threshold = p.threshold_seconds(alert.get("threshold"))
        if threshold is not None and threshold >= timeout:
            yield Issue(
                f"{pointer}/threshold",
                {
                    "alert": str(alert.get("id", metric)),
                    "threshold": _fmt(threshold),
                    "timeout": _fmt(timeout),
                },
                related=(("/ingestion/checkpointing/timeout", "the checkpoint timeout"),),
            )


def schedule_seconds(raw: Any) -> float | None:
    """How often a check written as `every 5m`, `hourly`, `*/15 * * * *` runs; None when
    the schedule does not say in a way that can be read (`every dbt run`, a cron list)."""
    if not isinstance(raw, str) or len(raw) > 200:
        return None
    text = raw.strip().lower()
    if text in NAMED_SCHEDULES:
        return NAMED_SCHEDULES[text]
    match = regexes.SCHEDULE_EVERY.compile().match(text)
    if match:
        return p.quantity("duration", match.group(1))
    match = regexes.CRON_MINUTE_STEP.compile().match(text)
    if match:
        return int(match.group(1)) * 60.0
    return None


def freshness_check_schedule(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """A freshness check runs at least once per error threshold."""
    for pointer, check in p.items(data, "/quality/checks"):
        if check.get("kind") != "freshness":
            continue
        every = schedule_seconds(check.get("schedule"))
        threshold = check.get("threshold")
        limit = (
            p.threshold_seconds(threshold.get("error") or threshold.get("warn"))
            if isinstance(threshold, Mapping)
            else p.threshold_seconds(threshold)
        )
        if every is not None and limit is not None and every > limit:
            yield Issue(
                f"{pointer}/schedule",
                {
                    "check": str(check.get("id", "?")),
                    "every": _fmt(every),
                    "threshold": _fmt(limit),
                },
            )
