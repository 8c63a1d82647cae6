"""Gate 11: validation and acceptance."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.checks.domain import Check, Issue
from dataplan_lint.checks.domain import plan as p

VAL = "/validation"
LAG_DRAIN_WORDS = ("lag", "drain", "backlog", "catch up", "catch-up")
_AC = re.compile(r"^AC-(\d+)$")


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


CHECKS: dict[str, Check] = {
    "no-validation-gates": no_validation_gates,
    "parallel-run": _missing("parallel_run", only_with_cutover=True),
    "post-cutover": _missing("post_cutover", only_with_cutover=True),
    "recovery-lag-drain": recovery_lag_drain,
    "stabilization-window": _missing("stabilization_window"),
    "acceptance-numbering": acceptance_numbering,
    "incident-thresholds": _missing("incident_thresholds"),
}
