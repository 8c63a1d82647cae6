"""Gate 4: the capacity model describes the sources and the recovery the plan states.

`capacity.inputs` restates facts about the sources (how many events a day, how long the
log keeps them) and about recovery (the outage a drain must absorb is at least the
recovery time objective), and `capacity.declared.partitions` is the partition count the
sizing settled on. When a source says something else, every figure derived from the inputs is
computed for a different system: the capacity input is the copy, so it is the one
reported; a source's partition count is provisioned from the sizing, so it is reported.
Only log sources (stream, CDC) are weighed when the plan has any: the retention, storage
and partition math describes the log.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.checks import capacity_math as cm
from dataplan_lint.checks.domain import Issue
from dataplan_lint.checks.domain import plan as p
from dataplan_lint.checks.domain.event_time import retention_vs_replay
from dataplan_lint.engine.check_input import CheckInput

LOG_KINDS = ("stream", "cdc")
SECONDS_PER_DAY = 86_400.0


def _sized_sources(data: Any) -> list[tuple[str, Mapping[str, Any]]]:
    """The log sources, or every source when the plan reads no log."""
    sources = p.sources(data)
    logs = [(ptr, source) for ptr, source in sources if source.get("kind") in LOG_KINDS]
    return logs or sources


def _whole(value: float) -> str:
    return f"{value:g}"


def _volume_mismatch(data: Any, tolerance: float) -> tuple[Any, float, list[Any]] | None:
    """(events_per_day as written, the sources' daily total, the sources) when they
    differ by more than `tolerance`; a source without a volume, or a malformed one,
    leaves the sum unknown."""
    raw = p.get(data, f"{cm.INPUTS}/events_per_day")
    per_day = p.quantity("count", raw)
    sources = _sized_sources(data)
    if per_day is None or not sources:
        return None
    rates = [p.quantity("event-rate", source.get("volume")) for _, source in sources]
    if any(rate is None for rate in rates):
        return None
    total = sum(rate for rate in rates if rate is not None) * SECONDS_PER_DAY
    if cm.relative_difference(per_day, total) <= tolerance:
        return None
    return raw, total, sources


def volume_vs_sources(inp: CheckInput) -> Iterator[Issue]:
    """`capacity.inputs.events_per_day` is the sources' volume added up (within the
    run's tolerance)."""
    data, settings = inp.data, inp.settings
    found = _volume_mismatch(data, settings.tolerance)
    if found is None:
        return
    raw, total, sources = found
    difference = cm.relative_difference(p.quantity("count", raw) or 0.0, total)
    described = [f"{source.get('id')} {source.get('volume')}" for _, source in sources]
    yield Issue(
        f"{cm.INPUTS}/events_per_day",
        {
            "declared": str(raw),
            "sources": " + ".join(described),
            "total": cm.describe(total, cm.COUNT),
            "difference": f"{difference:.0%}" if difference < 10 else "over 1000%",
            "tolerance": f"{settings.tolerance:.0%}",
        },
        related=tuple((f"{ptr}/volume", "the source's volume") for ptr, _ in sources[:3]),
    )


def _retention_mismatch(
    data: Any, tolerance: float
) -> tuple[Any, float, float, str, Mapping[str, Any]] | None:
    """(retention as written, in seconds, the longest log retention, that source's
    pointer and the source) when they differ by more than `tolerance`. A source shorter
    than its replay window is DP318's finding; then nothing is reported here."""
    raw = p.get(data, f"{cm.INPUTS}/retention")
    sized = p.quantity("duration", raw)
    if sized is None:
        return None
    kept = [
        (ptr, source, p.quantity("duration", source.get("retention")))
        for ptr, source in _sized_sources(data)
        if source.get("retention") is not None
    ]
    if not kept or any(seconds is None for _, _, seconds in kept):
        return None
    pointer, source, longest = max(kept, key=lambda entry: entry[2] or 0.0)
    if longest is None or cm.relative_difference(sized, longest) <= tolerance:
        return None
    if sized > longest and _too_short_for_replay(data):
        return None
    return raw, sized, longest, pointer, source


def retention_vs_sources(inp: CheckInput) -> Iterator[Issue]:
    """`capacity.inputs.retention` is the log's retention (the longest one when logs
    differ)."""
    data = inp.data
    found = _retention_mismatch(data, inp.settings.tolerance)
    if found is None:
        return
    raw, sized, longest, pointer, source = found
    yield Issue(
        f"{cm.INPUTS}/retention",
        {
            "declared": str(raw),
            "source": str(source.get("id")),
            "retention": str(source.get("retention")),
            "effect": "undersized" if sized < longest else "oversized",
        },
        related=((f"{pointer}/retention", "the source's retention"),),
    )


def _outage_below_rto(data: Any) -> tuple[Any, Any, float] | None:
    """(outage as written, RTO as written, RTO in seconds) when the outage the drain
    estimate assumes is shorter than the recovery time objective."""
    raw = p.get(data, f"{cm.INPUTS}/outage")
    rto_raw = p.get(data, "/ingestion/recovery/rto")
    outage = p.quantity("duration", raw)
    rto = p.quantity("duration", rto_raw)
    if outage is None or rto is None or outage >= rto:
        return None
    return raw, rto_raw, rto


def outage_vs_rto(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """The outage the lag-drain estimate absorbs is at least the RTO: an outage the
    plan accepts leaves at least that much backlog."""
    found = _outage_below_rto(data)
    if found is None:
        return
    raw, rto_raw, _ = found
    yield Issue(
        f"{cm.INPUTS}/outage",
        {"outage": str(raw), "rto": str(rto_raw)},
        related=(("/ingestion/recovery/rto", "the recovery time objective"),),
    )


def as_the_sources_say(data: Any, tolerance: float) -> dict[str, Any]:
    """The capacity inputs DP470, DP471 and DP474 report, with the values the sources
    and the recovery objective give them, written as plan values (events a day, a
    duration in seconds). A declared
    figure that agrees with the inputs once these are corrected is not a second defect:
    the capacity rules stay quiet on it."""
    out: dict[str, Any] = {}
    volume = _volume_mismatch(data, tolerance)
    if volume is not None:
        out["events_per_day"] = volume[1]
    retention = _retention_mismatch(data, tolerance)
    if retention is not None:
        out["retention"] = f"{retention[2]:.0f}s"
    outage = _outage_below_rto(data)
    if outage is not None:
        out["outage"] = f"{outage[2]:.0f}s"
    return out


def _too_short_for_replay(data: Any) -> bool:
    return any(True for _ in retention_vs_replay(data, {}))


def partitions_vs_sizing(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """Each log source has the partitions `capacity.declared.partitions` sized. With
    several logs the sizing is per topic, and only a source below it is reported (a
    bigger topic serves the sized rate too); parallelism above a source's partitions is
    DP510's finding, global ordering on one partition DP311's, and a declared figure
    below what the peak needs (the source having more) DP402's."""
    declared = cm.declared_values(data).get("partitions")
    if declared is None:
        return
    logs = [(ptr, s) for ptr, s in p.sources(data) if s.get("kind") in LOG_KINDS]
    if p.get(data, "/event_semantics/ordering/scope") == "global":
        return
    parallelism = p.number(p.get(data, "/ingestion/concurrency/max_parallelism"))
    needed = p.derived(data).get("partitions")
    under_sized = needed is not None and declared < needed.value
    for pointer, source in logs:
        count = source.get("partitions")
        if isinstance(count, bool) or not isinstance(count, int):
            continue
        if count == declared or (len(logs) > 1 and count > declared):
            continue
        if parallelism is not None and parallelism > count:
            continue
        if under_sized and count > declared:
            continue  # the declared figure is below the need: DP402 reports it
        yield Issue(
            f"{pointer}/partitions",
            {
                "source": str(source.get("id")),
                "partitions": str(count),
                "declared": _whole(declared),
                "effect": "fewer" if count < declared else "more",
            },
            related=((f"{cm.DECLARED}/partitions", "the sized partitions"),),
        )
