"""Modeling functions (gate 6).

`modeling-incremental-handling`: an incremental layer says how it handles what the plan
says will happen - late events (event-time with lateness), duplicates (expected) and
corrections (a source that corrects data). Recompute layers are exempt.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.core.findings import Finding
from dataplan_lint.engine.context import RuleContext


def expected_irregularities(ctx: RuleContext) -> dict[str, str]:
    """What the plan says will happen, with the reason, keyed by `handles` word."""
    out: dict[str, str] = {}
    if ctx.get("/event_semantics/time") == "event-time" or ctx.get("/event_semantics/lateness"):
        out["late"] = "the plan uses event time, so events arrive late"
    if ctx.get("/event_semantics/duplicates/expected") is True:
        out["duplicates"] = "duplicates are expected"
    sources = ctx.get("/sources") or []
    for source in sources if isinstance(sources, list) else []:
        if not isinstance(source, dict):
            continue
        corrections = source.get("corrections")
        how = corrections.get("how") if isinstance(corrections, dict) else None
        if (how not in (None, "none")) or source.get("mutation") in ("upsert", "cdc-deletes"):
            out["corrections"] = f"source {source.get('id')} delivers corrections"
            break
    return out


def incremental_handling(
    ctx: RuleContext, value: Any, pointer: str, options: Mapping[str, Any]
) -> Iterator[Finding]:
    if not isinstance(value, dict):
        return
    incremental = value.get("incremental")
    if not isinstance(incremental, dict) or incremental.get("strategy") == "recompute":
        return
    handles = incremental.get("handles") or []
    if not isinstance(handles, list):
        handles = []  # the schema reports the wrong type
    expected = expected_irregularities(ctx)
    missing = [word for word in ("late", "duplicates", "corrections") if word in expected]
    missing = [word for word in missing if word not in handles]
    if missing:
        yield ctx.report(
            f"{pointer}/incremental/handles",
            layer=value.get("name", "?"),
            missing=", ".join(missing),
            why="; ".join(expected[word] for word in missing),
        )
