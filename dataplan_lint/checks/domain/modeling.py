"""Gate 6 modeling.

`incremental_handling`: an incremental layer says how it handles what the plan says will
happen - late events (event-time with lateness), duplicates (expected) and corrections (a
source that corrects data). Recompute layers are exempt.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.checks.domain import Issue
from dataplan_lint.checks.domain import plan as p


def expected_irregularities(data: Any) -> dict[str, str]:
    """What the plan says will happen, with the reason, keyed by `handles` word."""
    out: dict[str, str] = {}
    if p.get(data, "/event_semantics/time") == "event-time" or p.get(
        data, "/event_semantics/lateness"
    ):
        out["late"] = "the plan uses event time, so events arrive late"
    if p.get(data, "/event_semantics/duplicates/expected") is True:
        out["duplicates"] = "duplicates are expected"
    for source in p.listed(data, "/sources"):
        if not isinstance(source, dict):
            continue
        corrections = source.get("corrections")
        how = corrections.get("how") if isinstance(corrections, dict) else None
        if (how not in (None, "none")) or source.get("mutation") in ("upsert", "cdc-deletes"):
            out["corrections"] = f"source {source.get('id')} delivers corrections"
            break
    return out


def incremental_handling(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    for pointer, layer in p.items(data, "/modeling/layers"):
        incremental = layer.get("incremental")
        if not isinstance(incremental, dict) or incremental.get("strategy") == "recompute":
            continue
        handles = incremental.get("handles") or []
        if not isinstance(handles, list):
            handles = []  # the schema reports the wrong type
        expected = expected_irregularities(data)
        missing = [word for word in ("late", "duplicates", "corrections") if word in expected]
        missing = [word for word in missing if word not in handles]
        if missing:
            yield Issue(
                f"{pointer}/incremental/handles",
                {
                    "layer": layer.get("name", "?"),
                    "missing": ", ".join(missing),
                    "why": "; ".join(expected[word] for word in missing),
                },
            )
