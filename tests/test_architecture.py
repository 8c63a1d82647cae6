"""The package's shape: every module imports, no import cycles, layers depend downwards.

Imports are read from the source (module level and inside functions, the lazy imports
that keep start-up fast); imports under `if TYPE_CHECKING:` never run and are ignored.
The layering is described in ARCHITECTURE.md.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "dataplan_lint"

# Highest first: a subpackage may import only subpackages listed after it (and the
# top-level `dataplan_lint` for __version__). Rule functions in checks/ are imported by
# the engine's registry by name at run time (engine -> checks, by string: the rows of
# checks/table.py), while they import engine modules statically (checks -> engine).
LAYERS = (
    "cli",
    "lsp",
    "authoring",
    "report",
    "pipeline",
    "config",
    "checks",
    "compat",
    "engine",
    "schema",
    "files",
    "core",
)
# Build tools run by developers, not by the linter.
TOOLS = {"dataplan_lint.schema.codegen"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {
    module_name(path): path
    for path in sorted(PACKAGE.rglob("*.py"))
    if "_generated" not in path.parts
}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(node: ast.AST, module: str) -> set[str]:
    found: set[str] = set()
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            for other in child.orelse:
                found |= _imports(other, module)
            continue
        if isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
            for alias in child.names:
                full = f"{child.module}.{alias.name}"
                found.add(full if full in MODULES else child.module)
        elif isinstance(child, ast.Import):
            found |= {alias.name for alias in child.names}
        found |= _imports(child, module)
    return {name for name in found if name in MODULES and name != module}


GRAPH = {
    name: _imports(ast.parse(path.read_text(encoding="utf-8")), name)
    for name, path in MODULES.items()
}


def _cycles() -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(GRAPH[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for node in sorted(GRAPH):
        if node not in index:
            visit(node)
    return out


def layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in LAYERS else None


@pytest.mark.parametrize("name", sorted(set(MODULES) - {"dataplan_lint.__main__"}))
def test_every_module_imports(name: str) -> None:
    importlib.import_module(name)


def test_the_graph_sees_lazy_imports() -> None:
    """Function-level imports count: the runner imports the engine only inside a function."""
    assert "dataplan_lint.engine.run" in GRAPH["dataplan_lint.pipeline.runner"]


def test_no_import_cycles() -> None:
    assert _cycles() == []


def test_every_subpackage_has_a_layer() -> None:
    packages = {path.parent.name for path in PACKAGE.glob("*/__init__.py")}
    assert packages == set(LAYERS)


def test_subpackages_import_only_lower_layers() -> None:
    upward = []
    for source, targets in GRAPH.items():
        if source in TOOLS or layer(source) is None:
            continue
        for target in targets:
            low, high = layer(target), layer(source)
            if low is None or low == high:
                continue
            if LAYERS.index(low) < LAYERS.index(high):
                upward.append(f"{source} -> {target}")
    assert sorted(upward) == []


def test_type_only_imports_also_point_down() -> None:
    """Names used only in annotations follow the layers too: a type lives in the layer of
    its lowest user (core declares the configuration protocol its settings carry)."""
    upward = []
    for source, path in MODULES.items():
        if source in TOOLS or layer(source) is None:
            continue
        for target in _type_checking_imports(ast.parse(path.read_text(encoding="utf-8"))):
            low, high = layer(target), layer(source)
            if low is not None and low != high and LAYERS.index(low) < LAYERS.index(high):
                upward.append(f"{source} -> {target}")
    assert sorted(upward) == []


def _type_checking_imports(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.body:
                for inner in ast.walk(child):
                    if isinstance(inner, ast.ImportFrom) and inner.module and inner.level == 0:
                        found.add(inner.module)
    return {name for name in found if name.startswith("dataplan_lint.")}
