"""Ingestion functions (gate 5).

- `ingestion-parallelism-vs-partitions`: consumer parallelism beyond the source's
  partition count leaves the extra consumers idle.
- `ingestion-critical-wants-exactly-once`: critical consumers want an exactly-once
  effect (effectively-exactly-once delivery or an idempotent sink) - advice.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.core.findings import Finding, Related
from dataplan_lint.engine.context import RuleContext


def parallelism_vs_partitions(
    ctx: RuleContext, value: Any, pointer: str, options: Mapping[str, Any]
) -> Iterator[Finding]:
    if isinstance(value, bool) or not isinstance(value, int):
        return
    sources = ctx.get("/sources") or []
    counts = [
        (source["partitions"], index)
        for index, source in enumerate(sources if isinstance(sources, list) else [])
        if isinstance(source, dict)
        and source.get("kind") in ("stream", "cdc")
        and isinstance(source.get("partitions"), int)
        and not isinstance(source.get("partitions"), bool)
    ]
    if not counts:
        return
    partitions, index = max(counts)
    if value > partitions:
        where = f"/sources/{index}/partitions"
        yield ctx.report(
            pointer,
            parallelism=value,
            partitions=partitions,
            idle=value - partitions,
            related=(Related(ctx.plan.path, ctx.span(where), "the partition count"),),
        )


def critical_wants_exactly_once(
    ctx: RuleContext, value: Any, pointer: str, options: Mapping[str, Any]
) -> Iterator[Finding]:
    if value != "at-least-once":
        return
    consumers = ctx.get("/context/consumers") or []
    critical = [
        str(consumer.get("name"))
        for consumer in (consumers if isinstance(consumers, list) else [])
        if isinstance(consumer, dict) and consumer.get("critical") is True
    ]
    if not critical or ctx.get("/ingestion/sink/idempotent") is True:
        return
    if ctx.get("/ingestion/sink/write_mode") == "append":
        return  # an appending sink that double-writes is DP309's (or DP512's) error
    yield ctx.report(pointer, consumers=", ".join(critical))
