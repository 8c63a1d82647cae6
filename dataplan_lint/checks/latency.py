"""Latency-class functions (gate 1 and the streaming decision defaults of gate 5).

- `latency-class-fits-consumers`: no consumer needs fresher data than the latency class
  can deliver (a `daily` product cannot serve a consumer that needs 5-minute-old data).
- `latency-real-time-claim`: a plan that claims real time (latency class `sub-second` or
  `near-real-time`, or `claims_real_time: true`) is not built from scheduled batch steps.
- `latency-sub-minute-streaming`: sub-minute freshness wants a streaming path, not
  micro-batches (advice).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.core.findings import Finding, Related
from dataplan_lint.core.quantities import describe_seconds
from dataplan_lint.engine.context import RuleContext

# The freshest data each class delivers: a consumer needing fresher data does not fit.
CLASS_FLOOR_SECONDS = {
    "sub-second": 0.0,
    "near-real-time": 1.0,
    "minutes": 60.0,
    "hourly": 3600.0,
    "daily": 86400.0,
}
REAL_TIME_CLASSES = ("sub-second", "near-real-time")


def tightest_consumer(ctx: RuleContext) -> tuple[float, str, str] | None:
    """(seconds, consumer name, pointer) of the consumer needing the freshest data."""
    best: tuple[float, str, str] | None = None
    consumers = ctx.get("/context/consumers") or []
    for index, consumer in enumerate(consumers if isinstance(consumers, list) else []):
        pointer = f"/context/consumers/{index}/freshness"
        seconds = ctx.quantity(pointer, "duration")
        if seconds is not None and (best is None or seconds < best[0]):
            name = consumer.get("name", f"#{index + 1}") if isinstance(consumer, dict) else ""
            best = (seconds, str(name), pointer)
    return best


def class_fits_consumers(
    ctx: RuleContext, value: Any, pointer: str, options: Mapping[str, Any]
) -> Iterator[Finding]:
    floor = CLASS_FLOOR_SECONDS.get(value) if isinstance(value, str) else None
    tightest = tightest_consumer(ctx)
    if floor is None or tightest is None:
        return
    seconds, name, where = tightest
    if seconds < floor:
        yield ctx.report(
            pointer,
            consumer=name,
            freshness=describe_seconds(seconds),
            floor=describe_seconds(floor),
            related=(Related(ctx.plan.path, ctx.span(where), f"{name} needs this freshness"),),
        )


def batch_design(ctx: RuleContext) -> tuple[str, str] | None:
    """(description, pointer) when ingestion is scheduled batch, else None."""
    if ctx.get("/ingestion/pattern") == "batch":
        return "the ingestion pattern is `batch`", "/ingestion/pattern"
    if ctx.get("/ingestion/trigger/kind") == "schedule":
        return "ingestion runs on a schedule (trigger kind `schedule`)", "/ingestion/trigger/kind"
    return None


def real_time_claim(
    ctx: RuleContext, value: Any, pointer: str, options: Mapping[str, Any]
) -> Iterator[Finding]:
    context = value if isinstance(value, dict) else {}
    if context.get("claims_real_time") is True:
        claim, where = "the plan claims real time", f"{pointer}/claims_real_time"
    elif context.get("latency_class") in REAL_TIME_CLASSES:
        claim = f"the latency class is `{context['latency_class']}`"
        where = f"{pointer}/latency_class"
    else:
        return
    design = batch_design(ctx)
    if design is None:
        return
    text, design_pointer = design
    yield ctx.report(
        where,
        claim=claim,
        design=text,
        related=(Related(ctx.plan.path, ctx.span(design_pointer), "the batch design"),),
    )


def sub_minute_streaming(
    ctx: RuleContext, value: Any, pointer: str, options: Mapping[str, Any]
) -> Iterator[Finding]:
    if value not in ("micro-batch",):
        return
    limit = float(options.get("below-seconds", 60))
    tightest = tightest_consumer(ctx)
    latency_class = ctx.get("/context/latency_class")
    if latency_class == "sub-second":
        need = "the latency class `sub-second`"
    elif tightest is not None and tightest[0] < limit:
        need = f"consumer {tightest[1]} needs data at most {describe_seconds(tightest[0])} old"
    else:
        return
    yield ctx.report(pointer, need=need)
