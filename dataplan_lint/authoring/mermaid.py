"""A Mermaid flowchart of a plan's topology: sources -> ingestion stages -> layers -> consumers.

GitHub renders ```mermaid blocks in Markdown. The graph is `graph.build`'s (the one the
HTML bundle's SVG diagram draws too): node ids are already plain `[A-Za-z0-9_]`, and
labels are quoted with every character Mermaid or HTML could read specially written
as a Mermaid entity code (`#34;` for a double quote).
"""

from __future__ import annotations

from typing import Any

from dataplan_lint.authoring.graph import GROUP_TITLES, GROUPS, Graph, build

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


def render(graph: Graph) -> str:
    """The Mermaid flowchart source of `graph` (one subgraph per non-empty group)."""
    lines = ["flowchart LR"]
    for group in GROUPS:
        members = [node for node in graph.nodes if node.group == group]
        if not members:
            continue
        lines.append(f'  subgraph {group}["{GROUP_TITLES[group]}"]')
        lines.extend(f'    {node.id}["{label(node.label)}"]' for node in members)
        lines.append("  end")
    lines.extend(f"  {start} --> {end}" for start, end in graph.edges)
    omitted = sum(graph.omitted_nodes.values())
    if omitted or graph.omitted_edges:
        lines.append(f"  %% not drawn: {omitted} more nodes, {graph.omitted_edges} more edges")
    return "\n".join(lines)


def topology(data: Any) -> dict[str, Any]:
    """Nodes, edges and the Mermaid source text for the plan's data flow."""
    graph = build(data)
    return {**graph.as_data(), "mermaid": render(graph)}
