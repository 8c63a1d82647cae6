"""Gate 11: validation and acceptance."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.checks.domain import Check, Issue
from dataplan_lint.checks.domain import plan as p
from dataplan_lint.core import regexes

VAL = "/validation"
LAG_DRAIN_WORDS = ("lag", "drain", "backlog", "catch up", "catch-up")
_AC = regexes.ACCEPTANCE_ID.compile()


def _section(data: Any) -> Mapping[str, Any] | None:
    section = p.get(data, VAL)
    return section if isinstance(section, Mapping) else None


def no_validation_gates(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    section = _section(data)
    if section is not None and not p.strings(section.get("release_gates")):
        yield Issue(VAL, at_key=True)


def _missing(key: str, *, only_with_cutover: bool = False) -> Any:
    def check(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
        section = _section(data)
        if section is None:
            return
        if only_with_cutover and not p.present(p.get(data, "/backfill/cutover")):
            return
        if not p.present(section.get(key)):
            yield Issue(VAL, {"missing": key}, at_key=True)

    return check


def recovery_lag_drain(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    section = _section(data)
    if section is None or not p.is_streaming(data):
        return
    drills = p.strings(section.get("recovery"))
    if not drills:
        yield Issue(VAL, {"problem": "lists no recovery drills"}, at_key=True)
    elif not any(word in drill.lower() for drill in drills for word in LAG_DRAIN_WORDS):
        yield Issue(f"{VAL}/recovery", {"problem": "has no lag-drain test"}, at_key=True)


def acceptance_numbering(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    seen: set[int] = set()
    expected = 1
    for pointer, criterion in p.items(data, f"{VAL}/acceptance"):
        match = _AC.match(str(criterion.get("id", "")))
        if match is None:
            continue  # the schema reports malformed ids
        number = int(match.group(1))
        if number in seen:
            yield Issue(f"{pointer}/id", {"problem": f"AC-{number} is used twice"})
        elif number != expected:
            yield Issue(
                f"{pointer}/id",
                {"problem": f"AC-{number} comes where AC-{expected} is expected"},
            )
        seen.add(number)
        expected = max(expected, number) + 1 if number >= expected else expected


_FRESHNESS_METRIC = regexes.FRESHNESS_METRIC.compile()


def acceptance_proves_slo(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """The acceptance criteria prove the freshness SLO (and so the latency budget that
    must fit inside it): one measures freshness or end-to-end latency with a threshold
    no looser than the SLO target."""
    slo = p.slo_seconds(data)
    acceptance = p.get(data, f"{VAL}/acceptance")
    if slo is None or not isinstance(acceptance, list) or not acceptance:
        return
    fmt = p.describe_seconds
    end_to_end = p.seconds(data, "/event_semantics/latency_budget/end_to_end")
    budget = f" (and the latency budget of {fmt(end_to_end)} inside it)" if end_to_end else ""
    on_freshness = [
        (pointer, criterion)
        for pointer, criterion in p.items(data, f"{VAL}/acceptance")
        if isinstance(criterion.get("metric"), str)
        and _FRESHNESS_METRIC.search(criterion["metric"])
    ]
    if not on_freshness:
        yield Issue(
            f"{VAL}/acceptance",
            {
                "problem": f"no acceptance criterion measures freshness or end-to-end latency, "
                f"so nothing at launch proves the freshness SLO of {fmt(slo)}{budget}",
                "fix": f"add one on the end-to-end latency or freshness metric with a "
                f"threshold of {fmt(slo)} or less",
            },
            at_key=True,
        )
        return
    timed: list[tuple[str, Mapping[str, Any], float]] = []
    for pointer, criterion in on_freshness:
        value = p.threshold_seconds(criterion.get("threshold"))
        if value is not None:
            timed.append((pointer, criterion, value))
    if timed and all(value > slo for _, _, value in timed):
        pointer, criterion, value = min(timed, key=lambda item: item[2])
        yield Issue(
            f"{pointer}/threshold",
            {
                "problem": f"{criterion.get('id', 'the criterion')} accepts "
                f"{criterion.get('metric')} up to {fmt(value)}, looser than the freshness SLO "
                f"of {fmt(slo)}, so a launch that misses the SLO{budget} still passes",
                "fix": f"lower the threshold to {fmt(slo)} or less",
            },
        )


CHECKS: dict[str, Check] = {
    "acceptance-proves-slo": acceptance_proves_slo,
    "no-validation-gates": no_validation_gates,
    "parallel-run": _missing("parallel_run", only_with_cutover=True),
    "post-cutover": _missing("post_cutover", only_with_cutover=True),
    "recovery-lag-drain": recovery_lag_drain,
    "stabilization-window": _missing("stabilization_window"),
    "acceptance-numbering": acceptance_numbering,
    "incident-thresholds": _missing("incident_thresholds"),
}
