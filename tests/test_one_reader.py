"""Every file the package opens is opened by files/reader.py (bounded, confined to the
repository, regular files only), except the few writers listed here with their reason.

The scan reads the package's syntax trees, not its text: a call of builtin `open`, of any
`.open(...)` (os.open, Path.open, io.open, gzip.open), of `.read_text`/`.read_bytes`,
`os.fdopen`, `os.read`, or a `load` of json/tomllib/pickle/marshal on a handle.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "dataplan_lint"

# (module, function) -> why it may open a file itself. Keep it short: a new reader of
# input belongs in files/reader.py, not here.
ALLOWED = {
    ("dataplan_lint/files/reader.py", "_read_open"): "the one reader itself",
    ("dataplan_lint/files/atomic.py", "_write_in_place"): "writes an output file (FIFO, device)",
    ("dataplan_lint/files/atomic.py", "_replace"): "writes an output file through a temp file",
    ("dataplan_lint/files/atomic.py", "append_text"): "appends to $GITHUB_STEP_SUMMARY",
    ("dataplan_lint/files/atomic.py", "_fsync_folder"): "opens a folder to fsync it",
    ("dataplan_lint/pipeline/result_cache.py", "_write"): "writes a cache entry (O_EXCL)",
    ("dataplan_lint/lsp/server.py", "_protocol_streams"): "keeps the protocol's stdin/stdout",
}

_OPENERS = {"open", "read_text", "read_bytes", "fdopen"}
_LOADERS = {"json", "tomllib", "pickle", "marshal"}  # (ruamel's yaml.load takes text)


def _opens(call: ast.Call) -> str | None:
    func = call.func
    if isinstance(func, ast.Name) and func.id == "open":
        return "open"
    if not isinstance(func, ast.Attribute):
        return None
    owner = func.value.id if isinstance(func.value, ast.Name) else ""
    if func.attr in _OPENERS:
        return f"{owner or '...'}.{func.attr}"
    if func.attr == "read" and owner == "os":
        return "os.read"
    if func.attr == "load" and owner in _LOADERS:
        return f"{owner}.load"
    return None


def file_opens() -> list[tuple[str, str, int, str]]:
    """(module, enclosing function, line, what) for every place that opens a file."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "_generated" in path.parts:
            continue
        rel = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))

        def visit(node: ast.AST, function: str, rel: str = rel) -> None:
            for child in ast.iter_child_nodes(node):
                name = function
                if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                    name = child.name
                if isinstance(child, ast.Call) and (what := _opens(child)) is not None:
                    found.append((rel, name, child.lineno, what))
                visit(child, name)

        visit(tree, "<module>")
    return found


def test_every_open_goes_through_the_reader() -> None:
    bypassing = [
        f"{rel}:{line} {what} in {function}()"
        for rel, function, line, what in file_opens()
        if (rel, function) not in ALLOWED
    ]
    assert not bypassing, "read through dataplan_lint/files/reader.py instead:\n" + "\n".join(
        bypassing
    )


def test_the_allowlist_has_no_stale_entries() -> None:
    used = {(rel, function) for rel, function, _, _ in file_opens()}
    assert set(ALLOWED) <= used, set(ALLOWED) - used


def test_the_scan_sees_each_kind_of_open(tmp_path: Path) -> None:
    """The detector itself: each way of opening a file is caught, a plain call is not."""
    source = (
        "open(p)\nos.open(p, 0)\nPath(p).open()\np.read_text()\np.read_bytes()\n"
        "os.fdopen(3)\nos.read(3, 1)\njson.load(h)\ntomllib.load(h)\nio.open(p)\n"
        "json.loads(s)\nreader.read_bytes(p, 1)\nprint(p)\n"
    )
    calls = [node for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Call)]
    caught = sorted(what for call in calls if (what := _opens(call)) is not None)
    assert caught == sorted(
        [
            "open",
            "os.open",
            "....open",
            "p.read_text",
            "p.read_bytes",
            "os.fdopen",
            "os.read",
            "json.load",
            "tomllib.load",
            "io.open",
            "reader.read_bytes",
        ]
    )
