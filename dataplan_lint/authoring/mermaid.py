"""A Mermaid flowchart of a plan's topology: sources -> ingestion stages -> layers -> consumers.

GitHub renders ```mermaid blocks in Markdown. Plan names are untrusted, so node ids are
rebuilt from `[A-Za-z0-9_]` (with a kind prefix and a counter when two names collide)
and labels are quoted with every character Mermaid or HTML could read specially written
as a Mermaid entity code (`#34;` for a double quote).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dataplan_lint.core import regexes

_UNSAFE_ID = regexes.MERMAID_UNSAFE.compile()
# Characters that could end a quoted label, open markup or start an entity in a label.
_ENTITIES = {
    '"': "#34;",
    "#": "#35;",
    "&": "#38;",
    "<": "#60;",
    ">": "#62;",
    "`": "#96;",
    "[": "#91;",
    "]": "#93;",
    "{": "#123;",
    "}": "#125;",
    "|": "#124;",
    "\\": "#92;",
}
MAX_LABEL = 60


def label(value: Any) -> str:
    """`value` as a Mermaid label body (without the surrounding quotes)."""
    raw = " ".join(str(value).split())
    if len(raw) > MAX_LABEL:
        raw = raw[: MAX_LABEL - 3] + "..."
    return "".join(_ENTITIES.get(char, char) for char in raw if char.isprintable())


class _Ids:
    def __init__(self) -> None:
        self.used: set[str] = set()
        self.by_key: dict[tuple[str, str], str] = {}

    def get(self, kind: str, name: str) -> str:
        key = (kind, name)
        if key in self.by_key:
            return self.by_key[key]
        base = f"{kind}_{_UNSAFE_ID.sub('_', name).strip('_')[:40] or 'node'}"
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


def topology(data: Any) -> dict[str, Any]:
    """Nodes, edges and the Mermaid source text for the plan's data flow."""
    ids = _Ids()
    nodes: list[dict[str, str]] = []
    edges: list[tuple[str, str]] = []
    groups: dict[str, list[str]] = {"sources": [], "ingestion": [], "layers": [], "consumers": []}

    def node(group: str, kind: str, name: str, caption: str) -> str:
        ident = ids.get(kind, name)
        if ident not in groups[group]:
            groups[group].append(ident)
            nodes.append({"id": ident, "group": group, "name": name, "label": caption})
        return ident

    source_ids: dict[str, str] = {}
    for src in _items(data, "sources"):
        name = _name(src, "id")
        if name:
            caption = f"{name} ({src.get('kind')})" if isinstance(src.get("kind"), str) else name
            source_ids[name] = node("sources", "src", name, caption)

    stage_ids: dict[str, str] = {}
    stages = _items(data, "ingestion", "topology")
    for stage in stages:
        name = _name(stage, "stage")
        if name:
            stage_ids[name] = node("ingestion", "stg", name, name)
    for stage in stages:
        name = _name(stage, "stage")
        if not name:
            continue
        parents = [p for p in _names(stage.get("depends_on")) if p in stage_ids]
        for parent in parents:
            edges.append((stage_ids[parent], stage_ids[name]))
        if not parents:
            edges.extend((sid, stage_ids[name]) for sid in source_ids.values())

    layer_ids: dict[str, str] = {}
    layers = _items(data, "modeling", "layers")
    for layer in layers:
        name = _name(layer, "name")
        if name:
            kind = layer.get("kind")
            caption = f"{name} ({kind})" if isinstance(kind, str) else name
            layer_ids[name] = node("layers", "lyr", name, caption)
    read_by: set[str] = set()
    for layer in layers:
        name = _name(layer, "name")
        if not name:
            continue
        for upstream in _names(layer.get("reads_from")):
            if upstream in layer_ids:
                edges.append((layer_ids[upstream], layer_ids[name]))
                read_by.add(upstream)
            elif upstream in source_ids:
                # Data from a source reaches a layer through the ingestion stages.
                start = "ingestion" if stage_ids else source_ids[upstream]
                edges.append((start, layer_ids[name]))

    serving = [
        layer_ids[name]
        for layer in layers
        if (name := _name(layer, "name")) and name not in read_by and layer.get("kind") != "raw"
    ]
    for consumer in _items(data, "context", "consumers"):
        name = _name(consumer, "name")
        if not name:
            continue
        cid = node("consumers", "con", name, name)
        edges.extend((lid, cid) for lid in serving)

    lines = ["flowchart LR"]
    titles = {
        "sources": "Sources",
        "ingestion": "Ingestion",
        "layers": "Model layers",
        "consumers": "Consumers",
    }
    by_id = {n["id"]: n for n in nodes}
    for group, members in groups.items():
        if not members and group != "ingestion":
            continue
        if group == "ingestion" and not members:
            continue
        lines.append(f'  subgraph {group}["{titles[group]}"]')
        for member in members:
            lines.append(f'    {member}["{label(by_id[member]["label"])}"]')
        lines.append("  end")
    seen: set[tuple[str, str]] = set()
    for start, end in edges:
        if (start, end) in seen or start == end:
            continue
        seen.add((start, end))
        lines.append(f"  {start} --> {end}")
    return {
        "nodes": nodes,
        "edges": [list(edge) for edge in dict.fromkeys(edges) if edge[0] != edge[1]],
        "mermaid": "\n".join(lines),
    }
