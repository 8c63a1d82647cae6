"""Plans deleted since the `--base` ref: their contracts are removed contracts.

A deleted file is never discovered, so without this a pull request that deletes a plan
(or moves it somewhere git cannot pair it with, under another `metadata.name`) would
drop every contract it declared without a word. For each folder being checked, the plan
files the base has there and the working tree does not - and that no current plan
continues (a rename git recognises, or the same `metadata.name`) - are read at the base,
and each of their contracts whose mode is not NONE is reported as `contract-removed`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from dataplan_lint.core.findings import Finding, Related, Severity
from dataplan_lint.core.refs import shown_ref
from dataplan_lint.core.report import FileReport

RULE_ID = "DP737"
# The effective severity of DP737 for a path, or None when the rule is off there.
SeverityFor = Callable[[Path], Severity | None]


def deleted_plan_reports(
    ref: str,
    folders: Iterable[str],
    reports: Iterable[FileReport],
    excluded: Callable[[str], bool],
    severity_for: SeverityFor,
    cache: dict[Any, Any],
) -> list[FileReport]:
    """One report per plan deleted since `ref` under `folders` (raises GitError)."""
    from dataplan_lint.files.git import open_base, plan_name

    current_names = {plan_name(r.text) for r in reports if r.text is not None} - {None}
    out: dict[str, FileReport] = {}
    for folder in folders:
        here = Path(folder).resolve()
        if not here.is_dir():
            continue
        git = open_base(ref, here, cache)
        root = git.root.resolve()
        prefix = "" if here == root else here.relative_to(root).as_posix() + "/"
        continued = set(git.renames().values())
        for rel in git.deleted_plans():
            if not rel.startswith(prefix) or rel in continued:
                continue
            display = os.path.relpath(root / rel).replace(os.sep, "/")
            if display in out or excluded(display) or git.plan_name(rel) in current_names:
                continue
            severity = severity_for(Path(display))
            if severity is None:
                continue
            findings = _removed(ref, rel, display, git.show(rel) or "", severity)
            if findings:
                out[display] = FileReport(display, findings)
    return [out[key] for key in sorted(out)]


def _removed(ref: str, rel: str, display: str, text: str, severity: Severity) -> list[Finding]:
    from dataplan_lint.engine.catalog import find
    from dataplan_lint.files.loader import load_text

    meta = find(RULE_ID)
    plan = load_text(text, f"{ref}:{rel}").plan
    data = plan.data if plan is not None else None
    contracts = data.get("contracts") if isinstance(data, dict) else None
    if meta is None or plan is None or not isinstance(contracts, list):
        return []
    findings = []
    for index, contract in enumerate(contracts):
        if not isinstance(contract, Mapping) or not isinstance(contract.get("name"), str):
            continue
        mode = contract.get("compatibility")
        mode = mode if isinstance(mode, str) else "BACKWARD"
        if mode == "NONE":
            continue
        name = contract["name"]
        findings.append(
            Finding(
                rule_id=meta.id,
                severity=severity,
                message=(
                    f"contract `{name}` ({mode}) exists at the base {shown_ref(ref)} but is "
                    f"gone; its consumers lose their contract (the plan {rel} was deleted)"
                ),
                path=display,
                span=None,
                pointer="",
                slug=meta.slug,
                gate=meta.gate,
                family=meta.family,
                related=(
                    Related(
                        f"{ref}:{rel}",
                        plan.span(f"/contracts/{index}/name"),
                        f"`{name}` at the base",
                    ),
                ),
                data=(("contract", name), ("mode", mode), ("change", "contract-removed")),
            )
        )
    return findings
