"""`dataplan-lint diff --base REF`: a changelog of contract changes per plan.

Every difference between the base version of a plan and the working tree is listed per
contract, marked `breaking` (breaks the contract's declared mode and no waiver covers
it), `waived` (breaks it, but an unexpired waiver accepts it) or `compatible`, with the
position on both sides. The exit code is 1 when anything is breaking.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from dataplan_lint.compat import analysis as a
from dataplan_lint.compat.classify import weakened
from dataplan_lint.compat.history import entries
from dataplan_lint.compat.model import Origin
from dataplan_lint.compat.waivers import read_waivers
from dataplan_lint.core.findings import Span
from dataplan_lint.core.safe_text import dump_json, escape
from dataplan_lint.core.settings import Settings
from dataplan_lint.files.loader import LoadedPlan

# A plan file -> the `json-schema-policy` its configuration sets (None: not set).
PolicyLookup = Callable[[Path], str | None]

MAX_LISTED = 50  # changes shown one by one per contract in the text changelog


@dataclass(slots=True)
class Entry:
    kind: str
    path: str
    summary: str
    verdict: str  # breaking, waived, compatible
    reason: str = ""
    note: str = ""
    waiver: str = ""
    head: tuple[str, Span | None] | None = None
    base: tuple[str, Span | None] | None = None


@dataclass(slots=True)
class ContractLog:
    name: str
    status: str  # changed, unchanged, added, removed
    mode: str
    old_version: str | None
    new_version: str | None
    entries: list[Entry] = field(default_factory=list)
    head: tuple[str, Span | None] | None = None
    base: tuple[str, Span | None] | None = None

    @property
    def breaking(self) -> int:
        return sum(1 for e in self.entries if e.verdict == "breaking")


@dataclass(slots=True)
class PlanLog:
    path: str
    base_path: str | None  # None: new on the branch
    contracts: list[ContractLog] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def breaking(self) -> int:
        return sum(c.breaking for c in self.contracts)


def _where(origin: Origin | None) -> tuple[str, Span | None] | None:
    return (origin.path, origin.span) if origin is not None else None


def plan_log(plan: LoadedPlan, settings: Settings) -> PlanLog:
    """The changelog of one plan against `settings.base`."""
    ref = settings.base or ""
    side = a.load_base_side(plan, ref, settings.git_bases)
    log = PlanLog(plan.path, side.display if side is not None else None)
    contracts = plan.data.get("contracts") if isinstance(plan.data, dict) else None
    contracts = contracts if isinstance(contracts, list) else []
    run = a.Analysis(plan, settings)
    names: set[str] = set()
    for index, contract in enumerate(contracts):
        if not isinstance(contract, Mapping) or not isinstance(contract.get("name"), str):
            continue
        names.add(contract["name"])
        pointer = f"/contracts/{index}"
        mode = str(contract.get("compatibility", "BACKWARD"))
        head_where = (plan.path, plan.span(pointer + "/name"))
        versions = [run.resolve(entry, contract) for entry in entries(contract, pointer)]
        found = side.contracts.get(contract["name"]) if side is not None else None
        if found is None:
            log.contracts.append(
                ContractLog(
                    contract["name"],
                    "added",
                    mode,
                    None,
                    str(contract.get("version")),
                    head=head_where,
                )
            )
            continue
        raw, base_pointer = found
        base_where = (side.display, side.plan.span(base_pointer + "/name")) if side else None
        item = ContractLog(
            contract["name"],
            "unchanged",
            mode,
            str(raw.get("version")),
            str(contract.get("version")),
            head=head_where,
            base=base_where,
        )
        log.contracts.append(item)
        old_mode = str(raw.get("compatibility", "BACKWARD"))
        if old_mode != mode:
            item.entries.append(
                Entry(
                    "mode-changed",
                    contract["name"],
                    f"changing the compatibility mode from {old_mode} to {mode}",
                    "compatible",
                    note="weakens the guarantee consumers had" if weakened(old_mode, mode) else "",
                    head=(plan.path, plan.span(pointer + "/compatibility")),
                    base=(side.display, side.plan.span(base_pointer + "/compatibility"))
                    if side
                    else None,
                )
            )
        assert side is not None
        base_versions = [side.resolve(e, raw) for e in entries(raw, base_pointer)]
        if not base_versions or not versions:
            continue
        base_versions[-1].label = f"the base ({ref})"
        unreadable = [(v, "at the base") for v in base_versions[-1:] if v.error is not None]
        unreadable += [(v, "on this branch") for v in versions[-1:] if v.error is not None]
        for version, side_name in unreadable:
            assert version.error is not None
            item.entries.append(
                Entry(
                    "schema-unreadable",
                    contract["name"],
                    f"schema file `{version.file_rel}` {side_name} cannot be read: "
                    f"{version.error.message}{version.error.where()}",
                    "breaking",
                    reason="the change cannot be judged without both versions",
                    head=head_where,
                    base=base_where,
                )
            )
        if unreadable:
            item.status = "changed"
            continue
        waivers = [w for w in read_waivers(contract, pointer) if not w.expired(run.today)]
        result = run.compare([base_versions[-1]], versions[-1], mode, contract, waivers, set())
        for judged in result.judged:
            change = judged.change
            if judged.reason is None:
                verdict = "compatible"
            elif judged.waiver is not None:
                verdict = "waived"
            else:
                verdict = "breaking"
            item.entries.append(
                Entry(
                    change.kind,
                    change.path,
                    change.summary,
                    verdict,
                    reason=judged.reason or "",
                    note=change.note,
                    waiver=judged.waiver.change if judged.waiver else "",
                    head=_where(change.new) or head_where,
                    base=_where(change.old),
                )
            )
        if item.entries:
            item.status = "changed"
    for problem in run.issues:
        if problem.check in (a.SCHEMA_FILE, a.SCHEMA_FILE_OUTSIDE):
            log.problems.append(f"{problem.values.get('file')}: {problem.values.get('problem')}")
    if side is not None:
        for name, (raw, base_pointer) in side.contracts.items():
            if name in names:
                continue
            mode = str(raw.get("compatibility", "BACKWARD"))
            removed = ContractLog(
                name,
                "removed",
                mode,
                str(raw.get("version")),
                None,
                base=(side.display, side.plan.span(base_pointer + "/name")),
            )
            removed.entries.append(
                Entry(
                    "contract-removed",
                    name,
                    f"removing contract `{name}`",
                    "compatible" if mode == "NONE" else "breaking",
                    reason="" if mode == "NONE" else "its consumers lose their contract",
                    base=removed.base,
                )
            )
            log.contracts.append(removed)
    return log


# rendering ----------------------------------------------------------------------------


def _pos(where: tuple[str, Span | None] | None) -> str:
    if where is None:
        return ""
    path, span = where
    return f"{escape(path)}:{span.start_line}:{span.start_col}" if span else escape(path)


def render_text(logs: list[PlanLog], ref: str) -> str:
    out: list[str] = []
    total = {"breaking": 0, "waived": 0, "compatible": 0}
    for log in logs:
        base = escape(log.base_path) if log.base_path else "new on this branch, no base"
        out.append(f"{escape(log.path)}  (base: {base})")
        for problem in log.problems:
            out.append(f"  ! {escape(problem)}")
        shown = [c for c in log.contracts if c.status != "unchanged"]
        if not shown:
            out.append("  no contract changes")
        for contract in shown:
            versions = escape(f"{contract.old_version or '-'} -> {contract.new_version or '-'}")
            out.append(
                f"  contract {escape(contract.name)} [{escape(contract.mode)}] "
                f"{contract.status}, {versions}"
            )
            for number, entry in enumerate(contract.entries):
                total[entry.verdict] += 1
                if number == MAX_LISTED:
                    out.append(f"    ... and {len(contract.entries) - MAX_LISTED} more changes")
                if number >= MAX_LISTED:
                    continue
                label = entry.verdict.upper() if entry.verdict == "breaking" else entry.verdict
                out.append(f"    {label:<10}  {escape(entry.summary)}")
                if entry.reason:
                    out.append(f"                {escape(entry.reason)}")
                if entry.waiver:
                    out.append(f"                waived by: {escape(entry.waiver)}")
                if entry.note:
                    out.append(f"                note: {escape(entry.note)}")
                sides = []
                if entry.head:
                    sides.append(f"head {_pos(entry.head)}")
                if entry.base:
                    sides.append(f"base {_pos(entry.base)}")
                if sides:
                    out.append("                " + "; ".join(sides))
    out.append(
        f"{total['breaking']} breaking, {total['waived']} waived, "
        f"{total['compatible']} compatible change(s) against {escape(ref)}."
    )
    return "\n".join(out) + "\n"


def _json_pos(where: tuple[str, Span | None] | None) -> dict[str, Any] | None:
    if where is None:
        return None
    path, span = where
    return {
        "path": path,
        "line": span.start_line if span else None,
        "column": span.start_col if span else None,
    }


def render_json(logs: list[PlanLog], ref: str) -> str:
    document = {
        "base": ref,
        "breaking": sum(log.breaking for log in logs),
        "plans": [
            {
                "path": log.path,
                "base_path": log.base_path,
                "problems": log.problems,
                "contracts": [
                    {
                        "name": c.name,
                        "status": c.status,
                        "mode": c.mode,
                        "old_version": c.old_version,
                        "new_version": c.new_version,
                        "head": _json_pos(c.head),
                        "base": _json_pos(c.base),
                        "changes": [
                            {
                                "kind": e.kind,
                                "path": e.path,
                                "summary": e.summary,
                                "verdict": e.verdict,
                                "breaking": e.verdict == "breaking",
                                "reason": e.reason or None,
                                "note": e.note or None,
                                "waiver": e.waiver or None,
                                "head": _json_pos(e.head),
                                "base": _json_pos(e.base),
                            }
                            for e in c.entries
                        ],
                    }
                    for c in log.contracts
                ],
            }
            for log in logs
        ],
    }
    return dump_json(document)


def _with_config(settings: Settings, plan: Path, policy_for: PolicyLookup | None) -> Settings:
    if policy_for is None or settings.json_schema_policy is not None:
        return settings
    policy = policy_for(plan)
    return replace(settings, json_schema_policy=policy) if policy else settings


def run_diff(
    files: list[Any],
    ref: str,
    settings: Settings,
    output_format: str,
    policy_for: PolicyLookup | None = None,
) -> tuple[str, int, list[str]]:
    """Changelog text, exit code, and input errors for the discovered plan files.

    Each plan is judged with the `json-schema-policy` of its own configuration (the nearest
    config file, or the override: `policy_for`) unless the command line set one, as
    `check` does; `policy_for` may raise for a broken configuration.
    """
    from dataplan_lint.files.loader import read_file

    logs: list[PlanLog] = []
    errors: list[str] = []
    for item in files:
        try:
            loaded = read_file(Path(item.path), item.display, settings.max_file_size)
        except OSError as exc:
            errors.append(f"{item.display}: cannot read: {exc.strerror or exc}")
            continue
        if loaded.plan is None:
            first = loaded.findings[0].message if loaded.findings else "not a plan"
            errors.append(f"{item.display}: cannot be read as a plan: {first}")
            continue
        logs.append(plan_log(loaded.plan, _with_config(settings, Path(item.path), policy_for)))
    body = render_json(logs, ref) if output_format == "json" else render_text(logs, ref)
    code = 2 if errors else (1 if any(log.breaking for log in logs) else 0)
    return body, code, errors
