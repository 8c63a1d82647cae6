"""The gates of a data plan, in one table: number, short name, title, plan sections.

Gate 0 holds the file and schema checks; gates 1-12 follow the plan's sections. Rule
listings (`rules`, `explain`) use the short name, reports and bundles the title, and a
schema finding belongs to the gate of the section it is in.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Gate:
    number: int
    name: str
    title: str
    sections: tuple[str, ...] = ()


GATES = (
    Gate(0, "file and schema", "File and schema checks"),
    Gate(1, "context", "Context, consumers, latency goals", ("context",)),
    Gate(2, "sources", "Source inventory and contract ownership", ("sources",)),
    Gate(3, "event semantics", "Event semantics and freshness", ("event_semantics",)),
    Gate(4, "capacity", "Volume, state, performance, cost", ("capacity",)),
    Gate(5, "ingestion", "Ingestion topology and orchestration", ("ingestion",)),
    Gate(6, "modeling", "Processing and model layering", ("modeling",)),
    Gate(7, "contracts", "Data contracts and schema evolution", ("contracts",)),
    Gate(8, "quality", "Data quality and reconciliation", ("quality",)),
    Gate(9, "operations", "Streaming operations and observability", ("operations",)),
    Gate(10, "backfill", "Backfill, replay, cutover, rollback", ("backfill",)),
    Gate(11, "validation", "Validation and acceptance", ("validation",)),
    Gate(
        12,
        "bundle",
        "Final plan bundle",
        ("metadata", "assumptions", "constraints", "risks"),
    ),
)
GATE_NAMES = {gate.number: gate.name for gate in GATES}
GATE_TITLES = {gate.number: gate.title for gate in GATES}
SECTION_GATES = {section: gate.number for gate in GATES for section in gate.sections}
