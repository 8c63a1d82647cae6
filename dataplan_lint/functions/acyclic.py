"""`acyclic`: the entries of a list and their dependencies form no cycle.

Given the list (for example `/ingestion/topology`); options: `name` - the key naming an
entry (`stage`), `edges` - the key listing what it depends on (`depends_on`). Each cycle
is reported once, at the dependency that closes it. Names that do not exist are left to
`reference-exists`. Template values: `cycle` (`a -> b -> a`), `name`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.engine.context import RuleContext
from dataplan_lint.engine.registry import function
from dataplan_lint.findings import Finding
from dataplan_lint.pointers import join


@function("acyclic")
def acyclic(
    ctx: RuleContext, value: Any, pointer: str, options: Mapping[str, Any]
) -> Iterator[Finding]:
    if not isinstance(value, list):
        return
    name_key = str(options.get("name", "name"))
    edge_key = str(options.get("edges", "depends_on"))
    index: dict[str, int] = {}
    edges: dict[str, list[tuple[str, str]]] = {}
    for position, entry in enumerate(value):
        if not isinstance(entry, dict) or not isinstance(entry.get(name_key), str):
            continue
        name = entry[name_key]
        index.setdefault(name, position)
        targets = entry.get(edge_key) or []
        entry_pointer = join(join(pointer, position), edge_key)
        edges.setdefault(name, [])
        if isinstance(targets, list):
            edges[name] += [
                (str(target), join(entry_pointer, at))
                for at, target in enumerate(targets)
                if isinstance(target, str)
            ]
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    reported: set[frozenset[str]] = set()
    findings: list[Finding] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target, where in edges.get(node, []):
            if target not in edges:
                continue
            if state.get(target) == 1:
                cycle = [*path[path.index(target) :], target]
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    findings.append(ctx.report(where, cycle=" -> ".join(cycle), name=target))
            elif target not in state:
                visit(target, [*path, target])
        state[node] = 2

    for node in sorted(edges, key=lambda n: index[n]):
        if node not in state:
            visit(node, [node])
    yield from findings
