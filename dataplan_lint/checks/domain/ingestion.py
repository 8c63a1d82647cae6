"""Gate 5 ingestion.

- `parallelism_vs_partitions`: consumer parallelism beyond the source's partition count
  leaves the extra consumers idle.
- `critical_wants_exactly_once`: critical consumers want an exactly-once effect
  (effectively-exactly-once delivery or an idempotent sink) - advice.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.checks.domain import Issue
from dataplan_lint.checks.domain import plan as p

PARALLELISM = "/ingestion/concurrency/max_parallelism"


def parallelism_vs_partitions(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    value = p.get(data, PARALLELISM)
    if isinstance(value, bool) or not isinstance(value, int):
        return
    counts = [
        (source["partitions"], index)
        for index, source in enumerate(p.listed(data, "/sources"))
        if isinstance(source, dict)
        and source.get("kind") in ("stream", "cdc")
        and isinstance(source.get("partitions"), int)
        and not isinstance(source.get("partitions"), bool)
    ]
    if not counts:
        return
    partitions, index = max(counts)
    if value > partitions:
        yield Issue(
            PARALLELISM,
            {"parallelism": value, "partitions": partitions, "idle": value - partitions},
            related=((f"/sources/{index}/partitions", "the partition count"),),
        )


def critical_wants_exactly_once(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    if p.get(data, "/ingestion/delivery") != "at-least-once":
        return
    critical = [
        str(consumer.get("name"))
        for consumer in p.listed(data, "/context/consumers")
        if isinstance(consumer, dict) and consumer.get("critical") is True
    ]
    if not critical or p.get(data, "/ingestion/sink/idempotent") is True:
        return
    if p.get(data, "/ingestion/sink/write_mode") == "append":
        return  # an appending sink that double-writes is DP309's (or DP512's) error
    yield Issue("/ingestion/delivery", {"consumers": ", ".join(critical)})
