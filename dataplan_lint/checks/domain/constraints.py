"""Gate 12: operational constraints - team and on-call, timeline, compliance.

`constraints` records what the design must live with: how many people answer pages and
when, the launch date, and whether the data is personal (then how long it may be kept
and where it must stay). The checks compare those with what the rest of the plan does.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.checks.domain import Issue
from dataplan_lint.checks.domain import plan as p
from dataplan_lint.checks.domain.privacy import PERSONAL_CLASSES

CON = "/constraints"
COMPLIANCE = f"{CON}/compliance"
TEAM = f"{CON}/team"
# People a rotation needs so that nobody is on call more than one week in N.
DEFAULT_MIN_ROTATION = {"24x7": 4, "follow-the-sun": 3, "business-hours": 2}


def _pii_fields(data: Any) -> list[str]:
    """Pointers of every contract field (at any depth) marked `pii: true` or classified as
    personal data."""
    found: list[str] = []

    def walk(fields: Any, pointer: str, depth: int) -> None:
        if not isinstance(fields, list) or depth > 16:
            return
        for index, field in enumerate(fields):
            if not isinstance(field, Mapping):
                continue
            here = f"{pointer}/{index}"
            if field.get("pii") is True or field.get("classification") in PERSONAL_CLASSES:
                found.append(here)
            walk(field.get("fields"), f"{here}/fields", depth + 1)

    for pointer, contract in p.items(data, "/contracts"):
        walk(contract.get("fields"), f"{pointer}/fields", 0)
    return found


def pii_retention_residency(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """Personal data needs a stated retention and residency."""
    compliance = p.mapping(data, COMPLIANCE)
    fields = _pii_fields(data)
    if compliance.get("pii") is True:
        where, what = f"{COMPLIANCE}/pii", "`constraints.compliance.pii` is true"
    elif fields:
        name = p.get(data, f"{fields[0]}/name")
        if p.get(data, f"{fields[0]}/pii") is True:
            where, what = f"{fields[0]}/pii", f"field {name} is marked pii"
        else:
            where, what = f"{fields[0]}/classification", f"field {name} is personal data"
    else:
        return
    hints = {
        "retention": "`constraints.compliance.retention` (the longest any copy is kept)",
        "residency": "`constraints.compliance.residency` (where the data must stay)",
    }
    missing = [key for key in hints if not p.present(compliance.get(key))]
    if missing:
        yield Issue(
            where,
            {
                "what": what,
                "missing": " or ".join(missing),
                "fix": "add " + " and ".join(hints[key] for key in missing),
            },
        )


def pii_kept_longer(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """No copy of personal data is kept longer than the compliance retention allows."""
    compliance = p.mapping(data, COMPLIANCE)
    if compliance.get("pii") is not True and not _pii_fields(data):
        return
    allowed = p.quantity("duration", compliance.get("retention"))
    if allowed is None:
        return
    kept = [(f"{ptr}/retention", source.get("retention")) for ptr, source in p.sources(data)]
    kept.append(("/capacity/inputs/retention", p.get(data, "/capacity/inputs/retention")))
    for pointer, raw in kept:
        value = p.quantity("duration", raw)
        if value is not None and value > allowed:
            yield Issue(
                pointer,
                {
                    "kept": p.describe_seconds(value),
                    "allowed": p.describe_seconds(allowed),
                },
                related=((f"{COMPLIANCE}/retention", "the compliance retention"),),
            )
            return


def on_call_rotation(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """A rotation that receives pages has enough people for its coverage."""
    team = p.mapping(data, TEAM)
    members = p.number(team.get("on_call_members"))
    if members is None:
        return
    size = p.number(team.get("size"))
    if size is not None and members > size:
        yield Issue(
            f"{TEAM}/on_call_members",
            {
                "problem": f"the on-call rotation has {int(members)} members but the team only "
                f"{int(size)}",
                "fix": "count only people who can take a shift, or state the team that staffs it",
            },
        )
        return
    paging = [
        alert.get("id")
        for _, alert in p.items(data, "/operations/alerts")
        if alert.get("severity") == "page"
    ]
    if not paging:
        return
    coverage = team.get("coverage") if isinstance(team.get("coverage"), str) else "24x7"
    minimums = {**DEFAULT_MIN_ROTATION, **dict(options.get("min_rotation") or {})}
    wanted = minimums.get(coverage)
    if isinstance(wanted, int | float) and members < wanted:
        yield Issue(
            f"{TEAM}/on_call_members",
            {
                "problem": f"{len(paging)} alerts page a rotation of {int(members)} for "
                f"{coverage} coverage, which needs at least {int(wanted)} people so each is on "
                "call at most one week in "
                f"{int(wanted)}",
                "fix": "grow the rotation, share it with another team, or page only during "
                "business hours (coverage: business-hours) and ticket the rest",
            },
        )


def assumption_after_launch(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """An assumption confirmed only after launch is a bet the launch takes blind.

    One late assumption is reported at its date; several at the launch date, once.
    """
    launch = p.get(data, f"{CON}/timeline/launch_by")
    if not isinstance(launch, str):
        return
    late = [
        (f"{pointer}/validate_by", str(assumption.get("id")), assumption["validate_by"])
        for pointer, assumption in p.items(data, "/assumptions")
        if isinstance(assumption.get("validate_by"), str) and assumption["validate_by"] > launch
    ]
    if len(late) == 1:
        pointer, ident, due = late[0]
        yield Issue(
            pointer, {"which": f"assumption {ident} is", "due": f"by {due}", "launch": launch}
        )
    elif late:
        yield Issue(
            f"{CON}/timeline/launch_by",
            {
                "which": "assumptions " + ", ".join(ident for _, ident, _ in late) + " are",
                "due": "on later dates",
                "launch": launch,
            },
            related=tuple((pointer, f"{ident} is due {due}") for pointer, ident, due in late),
        )
