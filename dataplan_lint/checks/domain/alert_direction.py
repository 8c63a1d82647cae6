"""Gate 9: an alert fires on the side of its threshold where things go wrong.

Lag, latency, failures, dropped records and their kind grow when a pipeline is unhealthy.
An alert on such a metric whose comparator is `<` or `<=` fires while all is well and
stays silent during the incident it exists for - usually a flipped comparator. Metrics
whose names say nothing about their direction, or that fall when things go wrong
(throughput, availability), are not weighed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.checks.domain import Issue
from dataplan_lint.checks.domain import plan as p
from dataplan_lint.core import regexes

# Name parts of metrics that grow when the pipeline is unhealthy.
GROWS_WHEN_BAD = frozenset(
    (
        "lag",
        "latency",
        "delay",
        "error",
        "errors",
        "failure",
        "failures",
        "failed",
        "retry",
        "retries",
        "drop",
        "dropped",
        "drops",
        "skew",
        "backpressure",
        "late",
        "dlq",
        "stale",
        "staleness",
        "age",
        "diff",
        "mismatch",
        "mismatches",
        "duplicate",
        "duplicates",
        "restart",
        "restarts",
        "unmatched",
        "quarantined",
    )
)
# Name parts of metrics that fall when it is unhealthy: such names are not weighed.
FALLS_WHEN_BAD = frozenset(("throughput", "availability", "uptime", "success", "healthy"))
MIRROR = {"<": ">", "<=": ">="}
WORDS = regexes.METRIC_WORD.compile()


def _grows_when_bad(metric: str) -> bool:
    parts = set(WORDS.findall(metric.lower()))
    return bool(parts & GROWS_WHEN_BAD) and not parts & FALLS_WHEN_BAD


def comparator_direction(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    for pointer, alert in p.items(data, "/operations/alerts"):
        metric = alert.get("metric")
        comparator = alert.get("comparator")
        if not isinstance(metric, str) or not isinstance(comparator, str):
            continue
        if comparator not in MIRROR:
            continue
        if not _grows_when_bad(metric):
            continue
        yield Issue(
            f"{pointer}/comparator",
            {
                "alert": str(alert.get("id", pointer)),
                "metric": metric,
                "comparator": str(comparator),
                "threshold": str(alert.get("threshold")),
                "mirror": MIRROR[comparator],
            },
        )
