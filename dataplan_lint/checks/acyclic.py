"""`acyclic`: the entries of a list and their dependencies form no cycle.

Given the list (for example `/ingestion/topology`); options: `name` - the key naming an
entry (`stage`), `edges` - the key listing what it depends on (`depends_on`). Each cycle
is reported once, at the dependency of its earliest-listed entry. Names that do not
exist are left to `reference-exists`. Template values: `cycle` (`a -> b -> a`), `name`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.core.findings import Finding
from dataplan_lint.core.pointers import join
from dataplan_lint.engine.context import RuleContext


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
    successors = {name: [target for target, _ in targets] for name, targets in edges.items()}
    where_of = {
        (name, target): where for name, targets in edges.items() for target, where in targets
    }
    reported: set[frozenset[str]] = set()
    for cycle in _cycles(successors, sorted(edges, key=lambda n: index[n])):
        key = frozenset(cycle)
        if key in reported:
            continue
        reported.add(key)
        # Report at the edge leaving the earliest-declared stage of the cycle: in a list
        # written in dependency order, that is the one reference that points forward.
        start = min(range(len(cycle)), key=lambda i: index[cycle[i]])
        ordered = cycle[start:] + cycle[:start]
        closing = (ordered[0], ordered[1] if len(ordered) > 1 else ordered[0])
        yield ctx.report(
            where_of[closing],
            cycle=" -> ".join([*ordered, ordered[0]]),
            name=ordered[0],
        )


def _cycles(successors: Mapping[str, list[str]], order: list[str]) -> Iterator[list[str]]:
    """Each elementary cycle found by a depth-first search (one per back edge)."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    found: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in successors.get(node, []):
            if target not in successors:
                continue
            if state.get(target) == 1:
                found.append(path[path.index(target) :])
            elif target not in state:
                visit(target, [*path, target])
        state[node] = 2

    for node in order:
        if node not in state:
            visit(node, [node])
    yield from found
