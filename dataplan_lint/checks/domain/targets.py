"""Gates 5 and 10: names that must point at something the plan defines.

The ingestion sink is where results land, so it is one of the modeling layers (the
replay key, the quality checks and the dbt cross-checks of that layer all assume so). A
replay that reads the log names one of the plan's sources; when it names none, the
retention check for the replay window (DP318) has nothing to weigh.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.checks.domain import Issue
from dataplan_lint.checks.domain import plan as p
from dataplan_lint.core.words import did_you_mean

SINK = "/ingestion/sink/name"


def _candidates(name: str) -> list[str]:
    """The name and each shorter dotted suffix (`analytics.marts.fct_orders`,
    `marts.fct_orders`, `fct_orders`): a sink is often written schema-qualified."""
    parts = name.split(".")
    return [".".join(parts[index:]) for index in range(len(parts))]


def sink_is_layer(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    name = p.get(data, SINK)
    layers = p.layers(data)
    if not isinstance(name, str) or not name.strip() or not layers:
        return
    if any(candidate in layers for candidate in _candidates(name.strip())):
        return
    yield Issue(
        SINK,
        {
            "name": name,
            "layers": ", ".join(sorted(layers)),
            "hint": did_you_mean(name.strip().rsplit(".", 1)[-1], sorted(layers)),
        },
    )


def replay_source_exists(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """A replay from the log names a source id (a raw-layer replay is DP319's)."""
    replay = p.mapping(data, "/backfill/replay")
    name = replay.get("source_name")
    if replay.get("source") != "log" or not isinstance(name, str) or not name.strip():
        return
    ids = [str(source.get("id")) for _, source in p.sources(data) if source.get("id")]
    if name in ids:
        return
    hint = did_you_mean(name, sorted(ids))
    if name in p.layers(data):
        hint = " - it is a layer; replaying a layer is `source: raw-layer`"
    yield Issue(
        "/backfill/replay/source_name",
        {"name": name, "sources": ", ".join(ids) or "none", "hint": hint},
    )
