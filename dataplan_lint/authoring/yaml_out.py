"""Dump a generated plan as YAML: one block per top-level section, with a header."""

from __future__ import annotations

import io
from typing import Any

MODELINE = "# yaml-language-server: $schema="

SECTION_TITLES = {
    "metadata": "Plan identity and review state",
    "assumptions": "Assumptions: every unknown, with the owner who confirms it (gate 12)",
    "context": "Gate 1: context, consumers and latency goals",
    "sources": "Gate 2: sources and event-contract ownership",
    "event_semantics": "Gate 3: event semantics, freshness SLO and latency budget",
    "capacity": "Gate 4: volume, state, performance and cost",
    "ingestion": "Gate 5: ingestion topology and orchestration",
    "modeling": "Gate 6: processing and model layers",
    "contracts": "Gate 7: data contracts and schema evolution",
    "quality": "Gate 8: data quality and reconciliation",
    "operations": "Gate 9: operations and observability",
    "backfill": "Gate 10: backfill, replay, cutover and rollback",
    "validation": "Gate 11: validation and acceptance",
    "risks": "Open risks with residual-risk owners (gate 12)",
}


def dump(plan: dict[str, Any], header: list[str], schema_ref: str) -> str:
    """The plan as YAML; the first line points yaml-language-server at `schema_ref` (a
    path relative to the plan, or a URL)."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt", pure=True)
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.default_flow_style = False
    out = [MODELINE + schema_ref, *(f"# {line}" if line else "#" for line in header)]
    head: dict[str, Any] = {key: plan[key] for key in ("apiVersion", "kind") if key in plan}
    out.append(_dump_one(yaml, head).rstrip("\n"))
    for key, value in plan.items():
        if key in head:
            continue
        out.append("")
        if key in SECTION_TITLES:
            out.append(f"# {SECTION_TITLES[key]}")
        out.append(_dump_one(yaml, {key: value}).rstrip("\n"))
    return "\n".join(out) + "\n"


def _dump_one(yaml: Any, data: dict[str, Any]) -> str:
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()
