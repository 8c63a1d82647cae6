"""Gate 1 latency class and the streaming decision default of gate 5.

- `class_fits_consumers`: no consumer needs fresher data than the latency class can
  deliver (a `daily` product cannot serve a consumer that needs 5-minute-old data).
- `real_time_claim`: a plan that claims real time (latency class `sub-second` or
  `near-real-time`, or `claims_real_time: true`) is not built from scheduled batch steps.
- `slo_fits_consumers`: the plan-wide freshness SLO is no looser than the freshest consumer
  it serves (a consumer that names the datasets it `reads` is weighed against those).
- `sub_minute_streaming`: sub-minute freshness wants a streaming path, not micro-batches
  (advice).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.checks.domain import Issue
from dataplan_lint.checks.domain import plan as p
from dataplan_lint.core.quantities import describe_seconds

# The freshest data each class delivers: a consumer needing fresher data does not fit.
CLASS_FLOOR_SECONDS = {
    "sub-second": 0.0,
    "near-real-time": 1.0,
    "minutes": 60.0,
    "hourly": 3600.0,
    "daily": 86400.0,
}
REAL_TIME_CLASSES = ("sub-second", "near-real-time")
CLASS = "/context/latency_class"


def tightest_consumer(data: Any) -> tuple[float, str, str] | None:
    """(seconds, consumer name, pointer) of the consumer needing the freshest data."""
    best: tuple[float, str, str] | None = None
    for index, consumer in enumerate(p.listed(data, "/context/consumers")):
        pointer = f"/context/consumers/{index}/freshness"
        seconds = p.quantity("duration", p.get(data, pointer))
        if seconds is not None and (best is None or seconds < best[0]):
            name = consumer.get("name", f"#{index + 1}") if isinstance(consumer, dict) else ""
            best = (seconds, str(name), pointer)
    return best


def slo_fits_consumers(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    slo = p.slo_seconds(data)
    if slo is None:
        return
    served = [
        (index, consumer)
        for index, consumer in enumerate(p.listed(data, "/context/consumers"))
        if isinstance(consumer, dict) and not p.present(consumer.get("reads"))
    ]
    tightest: tuple[float, str, str] | None = None
    for index, consumer in served:
        pointer = f"/context/consumers/{index}/freshness"
        seconds = p.quantity("duration", consumer.get("freshness"))
        if seconds is not None and (tightest is None or seconds < tightest[0]):
            tightest = (seconds, str(consumer.get("name", f"#{index + 1}")), pointer)
    if tightest is not None and slo > tightest[0]:
        seconds, name, where = tightest
        yield Issue(
            "/event_semantics/freshness_slo/target",
            {
                "slo": describe_seconds(slo),
                "consumer": name,
                "freshness": describe_seconds(seconds),
            },
            related=((where, f"{name} needs this freshness"),),
        )


def class_fits_consumers(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    value = p.get(data, CLASS)
    floor = CLASS_FLOOR_SECONDS.get(value) if isinstance(value, str) else None
    tightest = tightest_consumer(data)
    if floor is None or tightest is None:
        return
    seconds, name, where = tightest
    if seconds < floor:
        yield Issue(
            CLASS,
            {
                "consumer": name,
                "freshness": describe_seconds(seconds),
                "floor": describe_seconds(floor),
            },
            related=((where, f"{name} needs this freshness"),),
        )


def batch_design(data: Any) -> tuple[str, str] | None:
    """(description, pointer) when ingestion is scheduled batch, else None."""
    if p.get(data, "/ingestion/pattern") == "batch":
        return "the ingestion pattern is `batch`", "/ingestion/pattern"
    if p.get(data, "/ingestion/trigger/kind") == "schedule":
        return "ingestion runs on a schedule (trigger kind `schedule`)", "/ingestion/trigger/kind"
    return None


def real_time_claim(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    context = p.mapping(data, "/context")
    if context.get("claims_real_time") is True:
        claim, where = "the plan claims real time", "/context/claims_real_time"
    elif context.get("latency_class") in REAL_TIME_CLASSES:
        claim = f"the latency class is `{context['latency_class']}`"
        where = CLASS
    else:
        return
    design = batch_design(data)
    if design is None:
        return
    text, design_pointer = design
    yield Issue(
        where, {"claim": claim, "design": text}, related=((design_pointer, "the batch design"),)
    )


def sub_minute_streaming(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    if p.get(data, "/ingestion/pattern") != "micro-batch":
        return
    limit = float(options.get("below-seconds", 60))
    tightest = tightest_consumer(data)
    if p.get(data, CLASS) == "sub-second":
        need = "the latency class `sub-second`"
    elif tightest is not None and tightest[0] < limit:
        need = f"consumer {tightest[1]} needs data at most {describe_seconds(tightest[0])} old"
    else:
        return
    yield Issue("/ingestion/pattern", {"need": need})
