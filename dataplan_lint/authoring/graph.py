"""The plan's data flow as one graph: the model the Mermaid text and the SVG diagram draw.

The plan is walked once, here. Nodes are the sources, the ingestion stages, the model
layers and the consumers (in that group order, each group in plan order); edges come
from the plan's references: `depends_on` between stages, `reads_from` between layers,
the sources feeding the stages that depend on nothing, and the layers nobody reads
(other than raw ones) serving every consumer. A layer that reads a source directly is
fed by the ingestion as a whole: that edge starts at the group `ingestion` (the one
endpoint that is not a node id) when the plan has stages, at the source otherwise.

Plans are untrusted: node ids are rebuilt from `[A-Za-z0-9_]` with a kind prefix and a
counter, so they never collide with each other or with a group name, and the graph is
bounded - at most `MAX_NODES` nodes (shared fairly between the groups) and `MAX_EDGES`
edges, with what was left out counted - so a plan of ten thousand sources and ten
thousand root stages costs neither the renderers nor a browser a quadratic blow-up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from dataplan_lint.core import regexes

MAX_NODES = 200
MAX_EDGES = 600
GROUPS = ("sources", "ingestion", "layers", "consumers")
GROUP_TITLES = {
    "sources": "Sources",
    "ingestion": "Ingestion",
    "layers": "Model layers",
    "consumers": "Consumers",
}
# The role of a node decides its colour: what a reader tells apart at a glance.
LAYER_ROLES = ("raw", "staging", "intermediate", "mart", "serving")
SINK_STAGES = ("sink", "export")

_UNSAFE_ID = regexes.MERMAID_UNSAFE.compile()


@dataclass(frozen=True, slots=True)
class Node:
    id: str  # [A-Za-z0-9_]+, unique, never a group name
    group: str  # one of GROUPS
    role: str  # source, job, sink, raw, staging, intermediate, mart, serving, layer, consumer
    name: str  # the plan's name, untrusted
    kind: str | None  # the plan's `kind` when it is a string, untrusted

    @property
    def label(self) -> str:
        """The one-line caption: sources and layers say their kind."""
        shows_kind = self.group in ("sources", "layers")
        return f"{self.name} ({self.kind})" if self.kind and shows_kind else self.name


@dataclass(slots=True)
class Graph:
    nodes: list[Node] = field(default_factory=list)
    edges: list[tuple[str, str]] = field(default_factory=list)  # start may be a group name
    omitted_nodes: dict[str, int] = field(default_factory=dict)
    omitted_edges: int = 0

    def as_data(self) -> dict[str, Any]:
        return {
            "nodes": [
                {
                    "id": n.id,
                    "group": n.group,
                    "role": n.role,
                    "name": n.name,
                    "kind": n.kind,
                    "label": n.label,
                }
                for n in self.nodes
            ],
            "edges": [list(edge) for edge in self.edges],
            "omitted_nodes": sum(self.omitted_nodes.values()),
            "omitted_edges": self.omitted_edges,
        }


class _Ids:
    def __init__(self) -> None:
        self.used: set[str] = set(GROUPS)
        self.by_key: dict[tuple[str, str], str] = {}

    def get(self, prefix: str, name: str) -> str:
        key = (prefix, name)
        if key in self.by_key:
            return self.by_key[key]
        base = f"{prefix}_{_UNSAFE_ID.sub('_', name[:200]).strip('_')[:40] or 'node'}"
        candidate, n = base, 2
        while candidate in self.used:
            candidate, n = f"{base}_{n}", n + 1
        self.used.add(candidate)
        self.by_key[key] = candidate
        return candidate


def _items(data: Any, *path: str) -> list[Mapping[str, Any]]:
    node = data
    for key in path:
        node = node.get(key) if isinstance(node, Mapping) else None
    return [item for item in node if isinstance(item, Mapping)] if isinstance(node, list) else []


def _name(item: Mapping[str, Any], key: str) -> str | None:
    value = item.get(key)
    return value if isinstance(value, str) and value.strip() else None


def _names(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _kind(item: Mapping[str, Any]) -> str | None:
    value = item.get("kind")
    return value if isinstance(value, str) and value.strip() else None


def budgets(sizes: Mapping[str, int], total: int) -> dict[str, int]:
    """How many nodes each group keeps: a fair share of `total`, unused shares passed on."""
    left = {group: size for group, size in sizes.items() if size > 0}
    kept = dict.fromkeys(sizes, 0)
    room = total
    while left and room > 0:
        share = max(room // len(left), 1)
        for group in list(left):
            take = min(left[group], share, room)
            kept[group] += take
            left[group] -= take
            room -= take
            if not left[group]:
                del left[group]
    return kept


def _unique(items: list[Mapping[str, Any]], key: str) -> list[tuple[str, Mapping[str, Any]]]:
    """(name, item) for each named item, the first of each name only."""
    seen: dict[str, Mapping[str, Any]] = {}
    for item in items:
        name = _name(item, key)
        if name is not None and name not in seen:
            seen[name] = item
    return list(seen.items())


class _Edges:
    def __init__(self, graph: Graph, limit: int) -> None:
        self.graph = graph
        self.limit = limit
        self.seen: set[tuple[str, str]] = set()

    def add(self, start: str, end: str) -> None:
        if start == end or (start, end) in self.seen:
            return
        self.seen.add((start, end))
        if len(self.graph.edges) < self.limit:
            self.graph.edges.append((start, end))
        else:
            self.graph.omitted_edges += 1


def build(data: Any, max_nodes: int = MAX_NODES, max_edges: int = MAX_EDGES) -> Graph:
    """The data-flow graph of plan data `data` (any shape; wrong types are skipped)."""
    found = {
        "sources": _unique(_items(data, "sources"), "id"),
        "ingestion": _unique(_items(data, "ingestion", "topology"), "stage"),
        "layers": _unique(_items(data, "modeling", "layers"), "name"),
        "consumers": _unique(_items(data, "context", "consumers"), "name"),
    }
    keep = budgets({group: len(items) for group, items in found.items()}, max_nodes)
    graph = Graph()
    ids = _Ids()
    kept: dict[str, list[tuple[str, Mapping[str, Any]]]] = {}
    for group in GROUPS:
        kept[group] = found[group][: keep[group]]
        if len(found[group]) > keep[group]:
            graph.omitted_nodes[group] = len(found[group]) - keep[group]
    by_name: dict[str, dict[str, str]] = {group: {} for group in GROUPS}
    prefixes = {"sources": "src", "ingestion": "stg", "layers": "lyr", "consumers": "con"}
    for group in GROUPS:
        for name, item in kept[group]:
            kind = _kind(item)
            ident = ids.get(prefixes[group], name)
            by_name[group][name] = ident
            graph.nodes.append(Node(ident, group, _role(group, kind), name, kind))

    edges = _Edges(graph, max_edges)
    sources, stages, layers = by_name["sources"], by_name["ingestion"], by_name["layers"]
    source_ids = list(sources.values())
    for name, stage in kept["ingestion"]:
        parents = [stages[p] for p in _names(stage.get("depends_on")) if p in stages]
        if parents:
            for parent in dict.fromkeys(parents):
                edges.add(parent, stages[name])
        else:
            for source in source_ids:
                edges.add(source, stages[name])
    read_by: set[str] = set()
    for name, layer in kept["layers"]:
        for upstream in dict.fromkeys(_names(layer.get("reads_from"))):
            if upstream in layers:
                edges.add(layers[upstream], layers[name])
                read_by.add(upstream)
            elif upstream in sources:
                # Data from a source reaches a layer through the ingestion stages.
                edges.add("ingestion" if stages else sources[upstream], layers[name])
    serving = [
        layers[name]
        for name, layer in kept["layers"]
        if name not in read_by and layer.get("kind") != "raw"
    ]
    for name in by_name["consumers"]:
        for layer_id in serving:
            edges.add(layer_id, by_name["consumers"][name])
    return graph


def _role(group: str, kind: str | None) -> str:
    if group == "sources":
        return "source"
    if group == "consumers":
        return "consumer"
    if group == "ingestion":
        return "sink" if kind in SINK_STAGES else "job"
    return kind if kind in LAYER_ROLES else "layer"
