"""Gates 3, 4 and 5: pairs of durations where one bounds the other.

A hopping window that slides further than it is long skips the events between windows;
a minimum pause between checkpoints that, with the checkpoint's own duration, outlasts
the interval stretches every interval the plan's replay and dedupe figures assume; a
retry whose first backoff is longer than its cap never backs off; a pipeline that runs
less often than its freshness SLO leaves data older than the SLO between runs. Each
finding points at the bounded value and names the bound; malformed durations weigh
nothing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.checks.domain import Issue
from dataplan_lint.checks.domain import plan as p

CHECKPOINTING = "/ingestion/checkpointing"
RETRY = "/ingestion/failure_handling/retry"


def _seconds(raw: Any) -> float | None:
    return p.quantity("duration", raw)


def window_slide(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """A window's slide is at most its size (a session window's slide means nothing)."""
    for pointer, window in p.items(data, "/event_semantics/windows"):
        if window.get("kind") == "session":
            continue
        size = _seconds(window.get("size"))
        slide = _seconds(window.get("slide"))
        if size is None or slide is None or slide <= size:
            continue
        yield Issue(
            f"{pointer}/slide",
            {
                "window": str(window.get("name", pointer)),
                "slide": str(window.get("slide")),
                "size": str(window.get("size")),
                "gap": p.describe_seconds(slide - size),
            },
            related=((f"{pointer}/size", "the window size"),),
        )


def checkpoint_pause(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """The minimum pause, plus the checkpoint's expected duration when declared, fits in
    the interval: otherwise checkpoints start less often than `interval` says."""
    settings = p.mapping(data, CHECKPOINTING)
    interval = _seconds(settings.get("interval"))
    pause = _seconds(settings.get("min_pause"))
    if interval is None or pause is None:
        return
    raw_duration = settings.get("expected_duration")
    if raw_duration is None:
        raw_duration = p.get(data, "/capacity/checkpoint_overhead/expected_duration")
    duration = _seconds(raw_duration) or 0.0
    if duration >= interval:
        return  # a checkpoint longer than its interval is DP413's finding
    if pause < interval and pause + duration <= interval:
        return
    if pause >= interval:
        problem = f"is not shorter than the checkpoint interval {settings.get('interval')}"
    else:
        problem = (
            f"plus the expected checkpoint duration {raw_duration} is "
            f"{p.describe_seconds(pause + duration)}, longer than the checkpoint interval "
            f"{settings.get('interval')}"
        )
    yield Issue(
        f"{CHECKPOINTING}/min_pause",
        {
            "pause": str(settings.get("min_pause")),
            "problem": problem,
            "period": p.describe_seconds(max(interval, pause + duration)),
            "room": p.describe_seconds(max(interval - duration, 0.0)),
        },
        related=((f"{CHECKPOINTING}/interval", "the checkpoint interval"),),
    )


def retry_backoff(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """The first backoff delay is no longer than the longest one."""
    retry = p.mapping(data, RETRY)
    initial = _seconds(retry.get("initial"))
    longest = _seconds(retry.get("max"))
    if initial is None or longest is None or initial <= longest:
        return
    yield Issue(
        f"{RETRY}/initial",
        {"initial": str(retry.get("initial")), "max": str(retry.get("max"))},
        related=((f"{RETRY}/max", "the longest backoff"),),
    )


def trigger_interval(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """The time between runs (or micro-batches) is no longer than the freshness SLO."""
    raw = p.get(data, "/ingestion/trigger/interval")
    interval = _seconds(raw)
    slo = p.slo_seconds(data)
    if interval is None or slo is None or interval <= slo:
        return
    yield Issue(
        "/ingestion/trigger/interval",
        {
            "interval": str(raw),
            "slo": str(p.get(data, "/event_semantics/freshness_slo/target")),
        },
        related=(("/event_semantics/freshness_slo/target", "the freshness SLO"),),
    )


def exactly_once_checkpoints(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """Effectively-exactly-once through a sink that does not absorb repeats needs
    exactly-once checkpoints: with at-least-once checkpoints, records after an
    unaligned barrier are in the restored state and are processed again. A sink that
    is neither idempotent nor transactional is DP511's finding."""
    if p.get(data, "/ingestion/delivery") != "effectively-exactly-once":
        return
    if p.get(data, f"{CHECKPOINTING}/mode") != "at-least-once":
        return
    sink = p.mapping(data, "/ingestion/sink")
    if p.sink_is_idempotent(data) or sink.get("transactional") is not True:
        return
    yield Issue(
        f"{CHECKPOINTING}/mode",
        {"sink": p.sink_name(data)},
        related=(("/ingestion/delivery", "the delivery guarantee"),),
    )
