"""Gate 11: validation and acceptance."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.checks.domain import Check, Issue
from dataplan_lint.checks.domain import plan as p
from dataplan_lint.checks.domain.event_time import legs_exceed_end_to_end
from dataplan_lint.core import regexes
from dataplan_lint.core.findings import Edit

VAL = "/validation"
LAG_DRAIN_WORDS = ("lag", "drain", "backlog", "catch up", "catch-up")
_AC = regexes.ACCEPTANCE_ID.compile()
_AC_MENTION = regexes.ACCEPTANCE_ID_MENTION.compile()


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
    fix = _renumbering(data)
    for pointer, criterion in p.items(data, f"{VAL}/acceptance"):
        match = _AC.match(str(criterion.get("id", "")))
        if match is None:
            continue  # the schema reports malformed ids
        number = int(match.group(1))
        if number in seen:
            yield Issue(f"{pointer}/id", {"problem": f"AC-{number} is used twice"}, fix=fix)
        elif number != expected:
            yield Issue(
                f"{pointer}/id",
                {"problem": f"AC-{number} comes where AC-{expected} is expected"},
                fix=fix,
            )
        seen.add(number)
        expected = max(expected, number) + 1 if number >= expected else expected


_FRESHNESS_METRIC = regexes.FRESHNESS_METRIC.compile()
END_TO_END = "/event_semantics/latency_budget/end_to_end"


def _timed_criteria(
    data: Any,
) -> tuple[list[tuple[str, Mapping[str, Any]]], list[tuple[str, Mapping[str, Any], float]]]:
    """The acceptance criteria that measure freshness or end-to-end latency, and those of
    them whose threshold is a duration (pointer, criterion, seconds)."""
    on_freshness = [
        (pointer, criterion)
        for pointer, criterion in p.items(data, f"{VAL}/acceptance")
        if isinstance(criterion.get("metric"), str)
        and _FRESHNESS_METRIC.search(criterion["metric"])
    ]
    timed = []
    for pointer, criterion in on_freshness:
        value = p.threshold_seconds(criterion.get("threshold"))
        if value is not None:
            timed.append((pointer, criterion, value))
    return on_freshness, timed


def _acceptance(data: Any) -> list[Any] | None:
    acceptance = p.get(data, f"{VAL}/acceptance")
    return acceptance if isinstance(acceptance, list) and acceptance else None


def _wanted(data: Any, slo: float) -> float:
    """The threshold a criterion must meet to prove the SLO and, when the plan has one,
    the latency budget inside it - so one fix satisfies DP1108 and DP1109 together."""
    end_to_end = p.seconds(data, END_TO_END)
    return min(slo, end_to_end) if end_to_end else slo


def _slo_issue(data: Any) -> Issue | None:
    """DP1108's finding: nothing proves the freshness SLO."""
    slo = p.slo_seconds(data)
    if slo is None or _acceptance(data) is None:
        return None
    fmt = p.describe_seconds
    end_to_end = p.seconds(data, END_TO_END)
    budget = f" (and the latency budget of {fmt(end_to_end)} inside it)" if end_to_end else ""
    wanted = fmt(_wanted(data, slo))
    measured, timed = _timed_criteria(data)
    if not measured:
        return Issue(
            f"{VAL}/acceptance",
            {
                "problem": f"no acceptance criterion measures freshness or end-to-end latency, "
                f"so nothing at launch proves the freshness SLO of {fmt(slo)}{budget}",
                "fix": f"add one on the end-to-end latency or freshness metric with a "
                f"threshold of {wanted} or less",
            },
            at_key=True,
        )
    if timed and all(value > slo for _, _, value in timed):
        pointer, criterion, value = min(timed, key=lambda item: item[2])
        return Issue(
            f"{pointer}/threshold",
            {
                "problem": f"{criterion.get('id', 'the criterion')} accepts "
                f"{criterion.get('metric')} up to {fmt(value)}, looser than the freshness SLO "
                f"of {fmt(slo)}, so a launch that misses the SLO{budget} still passes",
                "fix": f"lower the threshold to {wanted} or less",
            },
        )
    return None


def acceptance_proves_slo(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """The acceptance criteria prove the freshness SLO (and so the latency budget that
    must fit inside it): one measures freshness or end-to-end latency with a threshold
    no looser than the SLO target."""
    issue = _slo_issue(data)
    if issue is not None:
        yield issue


def acceptance_proves_budget(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """The acceptance criteria prove the latency budget: one measures freshness or
    end-to-end latency with a threshold no looser than the budget's end-to-end target.

    Silent where DP1108 already reports the same criteria (no such criterion, or every
    one looser than the SLO): its fix asks for the budget's figure, so fixing it fixes
    both, and one defect gives one finding. Silent too while the legs overrun the
    target (DP302): the figure to prove is still in question.
    """
    end_to_end = p.seconds(data, END_TO_END)
    if not end_to_end or _acceptance(data) is None or _slo_issue(data) is not None:
        return
    if legs_exceed_end_to_end(data) is not None:
        return  # the budget itself does not hold (DP302); proving it comes after
    fmt = p.describe_seconds
    budget = fmt(end_to_end)
    measured, timed = _timed_criteria(data)
    if not measured:  # no SLO, so DP1108 said nothing
        yield Issue(
            f"{VAL}/acceptance",
            {
                "problem": "no acceptance criterion measures end-to-end latency or freshness, "
                f"so nothing at launch proves the latency budget of {fmt(end_to_end)}",
                "fix": f"add one on the end-to-end latency metric with a threshold of "
                f"{budget} or less",
            },
            at_key=True,
        )
        return
    if not timed:
        pointer, criterion = measured[0]
        yield Issue(
            f"{pointer}/metric",
            {
                "problem": f"{criterion.get('id', 'the criterion')} measures "
                f"{criterion.get('metric')} without a duration threshold, so nothing at launch "
                f"proves the latency budget of {fmt(end_to_end)}",
                "fix": f"set its threshold to {budget} or less",
            },
        )
        return
    if all(value > end_to_end for _, _, value in timed):
        pointer, criterion, value = min(timed, key=lambda item: item[2])
        yield Issue(
            f"{pointer}/threshold",
            {
                "problem": f"{criterion.get('id', 'the criterion')} accepts "
                f"{criterion.get('metric')} up to {fmt(value)}, looser than the latency "
                f"budget's end-to-end target of {fmt(end_to_end)}, so a launch that overruns "
                "the budget the design and its alerts rest on still passes",
                "fix": f"lower the threshold to {budget} or less",
            },
            related=((END_TO_END, "the latency budget's end-to-end target"),),
        )


def _renumbering(data: Any) -> tuple[Edit, ...]:
    """Edits that number the criteria AC-1, AC-2, ... in their order.

    None when an id is malformed (the schema's to report) or when something else in the
    plan mentions an id the renumbering would move or give to another criterion.
    """
    criteria = list(p.items(data, f"{VAL}/acceptance"))
    edits: list[Edit] = []
    for position, (pointer, criterion) in enumerate(criteria, start=1):
        current = str(criterion.get("id", ""))
        if _AC.match(current) is None:
            return ()
        if current != f"AC-{position}":
            edits.append(Edit(f"{pointer}/id", f"AC-{position}"))
    # A mention of an id that moves, or of one that will name another criterion, would
    # be re-pointed silently; a mention of an id nobody has yet is dangling already.
    taken = {str(criterion.get("id")) for _, criterion in criteria}
    moved = {str(p.get(data, edit.pointer)) for edit in edits}
    ids = moved | ({str(edit.value) for edit in edits} & taken)
    if edits and _mentions(data, ids, skip=f"{VAL}/acceptance"):
        return ()
    return tuple(edits)


def _mentions(data: Any, ids: set[str], skip: str, pointer: str = "") -> bool:
    """Whether a string outside `skip` names one of `ids` (AC-3 in a go/no-go list)."""
    if pointer == skip:
        return False
    if isinstance(data, str):
        return any(match in ids for match in _AC_MENTION.findall(data))
    if isinstance(data, dict):
        return any(_mentions(v, ids, skip, f"{pointer}/{k}") for k, v in data.items())
    if isinstance(data, list):
        return any(_mentions(v, ids, skip, f"{pointer}/{i}") for i, v in enumerate(data))
    return False


parallel_run: Check = _missing("parallel_run", only_with_cutover=True)
post_cutover: Check = _missing("post_cutover", only_with_cutover=True)
stabilization_window: Check = _missing("stabilization_window")
incident_thresholds: Check = _missing("incident_thresholds")
