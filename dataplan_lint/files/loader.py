"""Read a plan file into plain data plus a position index, or into findings.

PyYAML's libyaml composer (with YAML 1.2 scalar resolution supplied here; ruamel.yaml's
C composer is the fallback when PyYAML lacks libyaml) builds a node tree with line and
column marks; we construct plain Python data from it ourselves, which lets us record
the span of every key and value under its JSON pointer, reject duplicate keys and
unsafe tags with a position, and bound the work an alias bomb or deep nesting can cause.
Round-trip loading is not used: it is several times slower and we only need positions.
"""

from __future__ import annotations

import codecs
import gc
import math
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from dataplan_lint.core import regexes
from dataplan_lint.core.findings import Finding, Span
from dataplan_lint.core.pointers import join
from dataplan_lint.core.quantities import figure_problem
from dataplan_lint.core.rules import builtin_finding
from dataplan_lint.core.settings import DEFAULT_MAX_BYTES

MAX_DEPTH = 200
# The C composer recurses once per nesting level and needs roughly 300 bytes of C stack
# per level. Before composing, the depth is bounded: block nesting by `_estimated_depth`,
# flow nesting by the number of `[`/`{` (up to _TRUSTED_FLOW_OPENERS; above that the
# depth is measured exactly from parser events, which stop as soon as MAX_DEPTH is
# passed: the scanner's per-token cost grows with the flow depth, so an unbounded deep
# flow would take quadratic time). Only a bound above _MAIN_THREAD_SAFE_LEVELS is
# composed on a thread whose stack is sized for it.
_TRUSTED_FLOW_OPENERS = 2_000
_MAIN_THREAD_SAFE_LEVELS = 5_000
_STACK_BYTES_PER_LEVEL = 400

_TAG = "tag:yaml.org,2002:"
_SAFE_TAGS = {
    _TAG + name
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp", "merge")
}


@dataclass(slots=True)
class LoadedPlan:
    """A parsed plan: plain data, its text, and where every element sits."""

    path: str
    text: str
    data: Any
    values: dict[str, Span] = field(default_factory=dict)
    keys: dict[str, Span] = field(default_factory=dict)
    # Numbers no figure can be (non-finite or absurdly large): pointer -> why. The
    # schema check reports them at the value; the capacity math leaves them out.
    odd_numbers: dict[str, str] = field(default_factory=dict)
    _lines: list[str] | None = None

    @property
    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = text_lines(self.text)
        return self._lines

    def span(self, pointer: str) -> Span | None:
        """The span of the value at `pointer`, or of its nearest existing ancestor."""
        while True:
            found = self.values.get(pointer)
            if found is not None or not pointer:
                return found
            pointer = pointer.rsplit("/", 1)[0]

    def key_span(self, pointer: str) -> Span | None:
        """The span of the key naming `pointer`, falling back to the value's span."""
        return self.keys.get(pointer) or self.span(pointer)


@dataclass(slots=True)
class LoadResult:
    plan: LoadedPlan | None
    findings: list[Finding]
    text: str | None = None


def decode(raw: bytes, path: str) -> tuple[str | None, list[Finding]]:
    """Decode bytes as UTF-8, or UTF-16/32 when a byte-order mark says so."""
    encoding = "utf-8"
    if raw.startswith(codecs.BOM_UTF32_LE) or raw.startswith(codecs.BOM_UTF32_BE):
        encoding = "utf-32"
    elif raw.startswith(codecs.BOM_UTF16_LE) or raw.startswith(codecs.BOM_UTF16_BE):
        encoding = "utf-16"
    elif raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        return raw.decode(encoding), []
    except UnicodeDecodeError as exc:
        if encoding != "utf-8":
            msg = f"the file starts with a {encoding.upper()} byte-order mark but does not decode"
            return None, [builtin_finding("DP006", msg, path, None)]
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = len(before.rsplit(b"\n", 1)[-1].decode("utf-8", "replace")) + 1
        msg = f"byte 0x{raw[exc.start]:02x} at offset {exc.start} is not valid UTF-8"
        return None, [builtin_finding("DP006", msg, path, Span.point(line, col))]


def read_file(path: Path, display: str, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadResult:
    """Read and load one plan file. OSError is left to the caller (it is an input error)."""
    return load_limited(read_limited(path, max_bytes), display, max_bytes)


def read_limited(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """At most `max_bytes + 1` bytes of a plan file, through the one bounded, confined,
    regular-file reader (files/reader.py); OSError when it cannot or may not be read
    (an input error for the caller)."""
    from dataplan_lint.files.reader import read_capped

    return read_capped(path, max_bytes)


def load_limited(raw: bytes, display: str, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadResult:
    """Load bytes read with a limit of `max_bytes + 1` (a file, or standard input)."""
    if len(raw) > max_bytes:
        msg = (
            f"the file is larger than the {max_bytes:,}-byte limit; raise `max-file-size` "
            "in the configuration if this plan really is that big"
        )
        return LoadResult(None, [builtin_finding("DP008", msg, display, None)])
    return load_bytes(raw, display)


def load_bytes(raw: bytes, path: str) -> LoadResult:
    text, problems = decode(raw, path)
    if text is None:
        return LoadResult(None, problems)
    return load_text(text, path)


def load_text(text: str, path: str) -> LoadResult:
    """Parse YAML text into a `LoadedPlan`, or into findings that say why not."""
    result = _load_text(text, path)
    if _UNICODE_BREAKS.search(text):
        _to_text_lines(result, text)
    result.text = text
    return result


# libyaml (YAML 1.1) also breaks lines at NEL, U+2028 and U+2029; YAML 1.2, git, editors
# and GitHub do not. Positions are moved onto LF/CR lines so that a finding's line is the
# line a reviewer (and `--changed-only`'s diff) sees.
_UNICODE_BREAKS = regexes.UNICODE_BREAK.compile()
_PARSER_BREAKS = regexes.PARSER_BREAK.compile()
_TEXT_BREAKS = regexes.LINE_BREAK.compile()


def text_lines(text: str) -> list[str]:
    """The lines positions count: broken at LF, CRLF and CR only (not at NEL, U+2028 or
    U+2029, which `str.splitlines` also breaks at)."""
    if not text:
        return []
    return _TEXT_BREAKS.split(text.removesuffix("\r\n").removesuffix("\n").removesuffix("\r"))


def _line_starts(text: str, breaks: re.Pattern[str]) -> list[int]:
    return [0, *(match.end() for match in breaks.finditer(text))]


def _to_text_lines(result: LoadResult, text: str) -> None:
    import bisect

    parser = _line_starts(text, _PARSER_BREAKS)
    lines = _line_starts(text, _TEXT_BREAKS)

    def point(line: int, col: int) -> tuple[int, int]:
        offset = parser[min(max(line, 1), len(parser)) - 1] + col - 1
        row = bisect.bisect_right(lines, offset)
        return row, offset - lines[row - 1] + 1

    def moved(span: Span | tuple[int, int, int, int]) -> tuple[int, int, int, int]:
        start_line, start_col, end_line, end_col = (
            (span.start_line, span.start_col, span.end_line, span.end_col)
            if isinstance(span, Span)
            else span
        )
        return (*point(start_line, start_col), *point(end_line, end_col))

    result.findings = [
        replace(f, span=Span(*moved(f.span))) if f.span is not None else f for f in result.findings
    ]
    plan = result.plan
    if plan is not None:
        for index in (plan.values, plan.keys):
            for pointer in list(index):
                index[pointer] = Span(*moved(dict.__getitem__(index, pointer)))


def _load_text(text: str, path: str) -> LoadResult:
    if not text.strip() or _only_comments(text):
        return LoadResult(
            None, [builtin_finding("DP007", "the file holds no YAML document", path, None)]
        )
    depth = _estimated_depth(text)
    if depth > MAX_DEPTH:
        msg = f"nesting is about {depth} levels deep; plans may nest at most {MAX_DEPTH} levels"
        return LoadResult(None, [builtin_finding("DP009", msg, path, None)])
    levels = text.count("[") + text.count("{") + MAX_DEPTH
    if levels > _TRUSTED_FLOW_OPENERS + MAX_DEPTH:
        if _deeper_than(text, MAX_DEPTH):
            msg = f"nesting is deeper than {MAX_DEPTH} levels; plans may nest at most that deep"
            return LoadResult(None, [builtin_finding("DP009", msg, path, None)])
        levels = MAX_DEPTH
    plain = _load_plain(text, path)
    if plain is not None:
        return plain
    nodes, problem = _compose(text, path, levels)
    if problem is not None:
        return LoadResult(None, [problem])
    if not nodes:
        return LoadResult(
            None, [builtin_finding("DP007", "the file holds no YAML document", path, None)]
        )
    if len(nodes) > 1:
        second = nodes[1]
        msg = (
            f"the file holds {len(nodes)} YAML documents; a plan is exactly one document "
            "(remove the `---` separator or split the file)"
        )
        return LoadResult(
            None, [builtin_finding("DP005", msg, path, _document_start(text, second))]
        )
    root = nodes[0]
    if root.id != "mapping":
        kind = {"sequence": "a list", "scalar": "a single value"}.get(root.id, root.id)
        msg = f"the document is {kind}; a plan is a mapping of sections (apiVersion, kind, ...)"
        return LoadResult(None, [builtin_finding("DP004", msg, path, _node_span(root))])
    builder = _Builder(path, budget=50_000 + len(text) // 2)
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        data = builder.build(root, "", 0)
    except _TooComplex as exc:
        return LoadResult(None, [builtin_finding("DP009", str(exc), path, exc.span)])
    finally:
        if gc_was_enabled:
            gc.enable()
    values, keys = SpanIndex.from_positions(builder.values), SpanIndex.from_positions(builder.keys)
    plan = LoadedPlan(path=path, text=text, data=data, values=values, keys=keys)
    plan.odd_numbers = builder.odd_numbers
    return LoadResult(plan, builder.findings)


def _only_comments(text: str) -> bool:
    """Whether every line is blank or a comment: the file holds no YAML document.

    A plain line scan, linear in the text. YAML breaks lines at LF, CRLF and a lone CR,
    so a file saved with old Mac line endings is split the same way the parser splits
    it (``str.splitlines`` also splits at a few other characters; that can only make a
    line look like content, which leaves the decision to the parser).
    """
    for line in text.splitlines():
        content = line.lstrip(" \t")
        if content and not content.startswith("#"):
            return False
    return True


_BLOCK_RUN = regexes.BLOCK_RUN.compile()


def _estimated_depth(text: str) -> int:
    """A cheap over-estimate of nesting depth, checked before the (recursive) composer.

    Flow brackets are counted without regard to quoting (closers never push the count
    below zero), and block nesting is bounded by indentation plus compact `- - -` runs.
    Deep inputs are rejected up front because the YAML scanner slows down
    quadratically with flow depth.
    """
    depth = 0
    if text.count("[") + text.count("{") > MAX_DEPTH:
        level = 0
        for char in regexes.FLOW_BRACKET.compile().findall(text):
            if char in "[{":
                level += 1
                depth = max(depth, level)
            elif level:
                level -= 1
    for match in _BLOCK_RUN.finditer(text):
        run = match.group()
        depth = max(depth, (len(run) - len(run.lstrip(" "))) // 2 + run.count("-") + run.count("?"))
    return depth


# YAML 1.2 core schema: how a plain scalar resolves (anything else is a string). Same
# patterns as ruamel.yaml's 1.2 resolver, so both composers give the same tags.
_IMPLICIT_12: tuple[tuple[str, regexes.Audited, tuple[str, ...]], ...] = (
    ("bool", regexes.YAML12_BOOL, tuple("tTfF")),
    ("float", regexes.YAML12_FLOAT, tuple("-+0123456789.")),
    ("int", regexes.YAML12_INT, tuple("-+0123456789")),
    ("merge", regexes.YAML12_MERGE, ("<",)),
    ("null", regexes.YAML12_NULL, ("~", "n", "N", "")),
)


@cache
def _libyaml_loader() -> Any:
    """PyYAML's libyaml composer with YAML 1.2 resolution, or None without libyaml.

    It composes about three times faster than ruamel.yaml's C composer (both wrap
    libyaml, so they accept the same syntax); only the tag resolution differs, and we
    supply the 1.2 rules (`no`, `on`, `06:00` stay strings). The composer calls the
    resolver once per node: `resolve` here is one dictionary lookup for most scalars
    (PyYAML's own walks path resolvers through three calls per node).
    """
    try:
        import yaml

        if not getattr(yaml, "__with_libyaml__", False):
            return None
        from yaml.cyaml import CParser
        from yaml.nodes import ScalarNode, SequenceNode
    except ImportError:
        return None

    by_first: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for name, pattern, first in _IMPLICIT_12:
        for char in first:
            by_first.setdefault(char, []).append((_TAG + name, pattern.compile()))
    no_match: list[tuple[str, re.Pattern[str]]] = []
    seq_tag, map_tag = _TAG + "seq", _TAG + "map"

    class Loader(CParser):  # type: ignore[misc]
        def descend_resolver(self, current_node: Any, current_index: Any) -> None:
            return None  # no path resolvers

        def ascend_resolver(self) -> None:
            return None

        def resolve(self, kind: Any, value: Any, implicit: tuple[bool, bool]) -> str:
            if kind is ScalarNode:
                if implicit[0]:
                    for tag, regexp in by_first.get(value[:1], no_match):
                        if regexp.match(value):
                            return tag
                return _STR
            return seq_tag if kind is SequenceNode else map_tag

    return Loader


def _compose_all(text: str) -> list[Any]:
    loader_class = _libyaml_loader()
    if loader_class is None:
        from ruamel.yaml import YAML

        return list(YAML(typ="safe", pure=False).compose_all(text))
    loader = loader_class(text)
    try:
        nodes = []
        while loader.check_node():
            nodes.append(loader.get_node())
        return nodes
    finally:
        loader.dispose()


_OPEN_EVENTS = {"MappingStartEvent", "SequenceStartEvent"}
_CLOSE_EVENTS = {"MappingEndEvent", "SequenceEndEvent"}


def _events(text: str) -> Iterator[Any]:
    loader_class = _libyaml_loader()
    if loader_class is None:
        from ruamel.yaml import YAML

        yield from YAML(typ="safe", pure=False).parse(text)
        return
    loader = loader_class(text)
    try:
        while loader.check_event():
            yield loader.get_event()
    finally:
        loader.dispose()


def _deeper_than(text: str, limit: int) -> bool:
    """Exact nesting check from parser events; stops as soon as `limit` is passed.

    The event parser is not recursive, and stopping early bounds the scanner's
    per-token cost (which grows with the flow depth) by `limit`.
    """
    depth = 0
    try:
        for event in _events(text):
            name = type(event).__name__
            if name in _OPEN_EVENTS:
                depth += 1
                if depth > limit:
                    return True
            elif name in _CLOSE_EVENTS:
                depth -= 1
    except Exception:  # a syntax error: the composer reports it with its position
        return False
    return False


def _compose(text: str, path: str, levels: int) -> tuple[list[Any], Finding | None]:
    """Compose every document; `levels` bounds the nesting depth (sizes the C stack)."""
    too_deep = f"nesting is too deep to read; plans may nest at most {MAX_DEPTH} levels"
    try:
        return _run_with_stack(lambda: _compose_all(text), levels), None
    except _TooComplex as exc:
        return [], builtin_finding("DP009", str(exc), path, None)
    except RecursionError:
        return [], builtin_finding("DP009", too_deep, path, None)
    except Exception as exc:  # the YAML libraries raise several unrelated error classes
        if "maximum nesting depth" in str(exc):  # libyaml's own limit (1,000 levels)
            return [], builtin_finding("DP009", too_deep, path, None)
        return [], _syntaxbuiltin_finding(exc, text, path)


def _run_with_stack(work: Callable[[], list[Any]], levels: int) -> list[Any]:
    if levels <= _MAIN_THREAD_SAFE_LEVELS:
        return work()
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["result"] = work()
        except BaseException as exc:  # handed back to the calling thread
            box["error"] = exc

    stack = min(max(levels * _STACK_BYTES_PER_LEVEL, 32 << 20), 2 << 30)
    previous = threading.stack_size(stack)
    try:
        thread = threading.Thread(target=target, name="dataplan-lint-yaml")
        thread.start()
    finally:
        threading.stack_size(previous)
    thread.join()
    if "error" in box:
        raise box["error"]
    result: list[Any] = box["result"]
    return result


def _syntaxbuiltin_finding(exc: Exception, text: str, path: str) -> Finding:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).strip().splitlines()[0]
    context = getattr(exc, "context", None)
    span: Span | None = None
    if mark is not None:
        line, col = mark.line + 1, mark.column + 1
        span = Span.point(line, col)
        lines = text.splitlines()
        source_line = lines[mark.line] if mark.line < len(lines) else ""
        indent = source_line[: len(source_line) - len(source_line.lstrip(" \t"))]
        if "\t" in indent or "'\\t'" in str(problem):
            tab_col = source_line.index("\t") + 1 if "\t" in source_line else col
            msg = "a tab character is used for indentation; YAML allows only spaces"
            return builtin_finding("DP003", msg, path, Span.point(line, tab_col))
    position = getattr(exc, "position", None)
    if span is None and isinstance(position, int) and 0 <= position <= len(text):
        before = text[:position]
        line = before.count("\n") + 1
        span = Span.point(line, position - (before.rfind("\n") + 1) + 1)
        character = getattr(exc, "character", None)
        reason = getattr(exc, "reason", "unacceptable character")
        if isinstance(character, int):
            problem = f"{reason} (found U+{character:04X})"
    message = str(problem).strip()
    if context:
        message = f"{context.strip()}: {message}"
    return builtin_finding("DP001", f"invalid YAML: {message}", path, span)


def _document_start(text: str, node: Any) -> Span:
    """The `---` marker that opens the document holding `node`, else the node itself."""
    lines = text.splitlines()
    for index in range(min(node.start_mark.line, len(lines) - 1), -1, -1):
        if lines[index].startswith("---"):
            return Span(index + 1, 1, index + 1, 4)
    return _node_span(node)


Position = tuple[int, int, int, int]


def _node_pos(node: Any) -> Position:
    """The node's span as a plain tuple (cheap: most positions are never looked at)."""
    start, end = node.start_mark, node.end_mark
    line, col = start.line + 1, start.column + 1
    if end.line == start.line and end.column <= start.column:
        return (line, col, line, col + 1)
    return (line, col, end.line + 1, end.column + 1)


def _node_span(node: Any) -> Span:
    return Span(*_node_pos(node))


class SpanIndex(dict[str, Span]):
    """JSON pointer -> Span, made lazily from the loader's position tuples.

    A plan has thousands of positions and a run looks at a handful (the findings'),
    so each `Span` object is created on first access instead of for every node.
    """

    __slots__ = ()

    @classmethod
    def from_positions(cls, positions: dict[str, Position]) -> SpanIndex:
        return cls(positions)  # type: ignore[arg-type]

    def __getitem__(self, key: str) -> Span:
        value: Any = dict.__getitem__(self, key)
        if isinstance(value, tuple):
            value = Span(*value)
            dict.__setitem__(self, key, value)
        span: Span = value
        return span

    def get(self, key: str, default: Any = None) -> Any:
        return self[key] if key in self else default  # noqa: SIM401 (self.get is this)

    def values(self) -> Any:
        return [self[key] for key in self]

    def items(self) -> Any:
        return [(key, self[key]) for key in self]


class _TooComplex(Exception):
    def __init__(self, message: str, span: Span | None) -> None:
        super().__init__(message)
        self.span = span


_INT_BASES = (("0o", 8), ("0x", 16), ("0b", 2))
_STR, _TIMESTAMP, _NULL, _BOOL = _TAG + "str", _TAG + "timestamp", _TAG + "null", _TAG + "bool"
_INT, _FLOAT, _MERGE = _TAG + "int", _TAG + "float", _TAG + "merge"
_NUMBER_TAGS = (_INT, _FLOAT)
_FLOAT_SPECIAL = {
    ".inf": math.inf,
    "+.inf": math.inf,
    "-.inf": -math.inf,
    ".nan": math.nan,
}


class _Builder:
    """Constructs plain data from composed nodes while recording positions."""

    def __init__(self, path: str, budget: int) -> None:
        self.path = path
        self.budget = budget
        self.values: dict[str, Position] = {}
        self.keys: dict[str, Position] = {}
        self.findings: list[Finding] = []
        self.odd_numbers: dict[str, str] = {}

    def build(self, node: Any, pointer: str, depth: int) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise _TooComplex(
                "the document expands to too many values (an alias/anchor bomb?); "
                "aliases may not multiply the document beyond its own size",
                _node_span(node),
            )
        if depth > MAX_DEPTH:
            raise _TooComplex(f"nesting is deeper than {MAX_DEPTH} levels", _node_span(node))
        start, end = node.start_mark, node.end_mark  # _node_pos, inlined: the hot path
        line, col = start.line + 1, start.column + 1
        if end.line == start.line and end.column <= start.column:
            pos = (line, col, line, col + 1)
        else:
            pos = (line, col, end.line + 1, end.column + 1)
        self.values[pointer] = pos
        tag = node.tag
        if tag == _STR and node.id == "scalar":  # most values
            return node.value
        if tag not in _SAFE_TAGS:
            self.findings.append(
                builtin_finding(
                    "DP010",
                    f"the tag {tag!r} is not allowed; plans use plain YAML values only "
                    "(the tagged value was ignored)",
                    self.path,
                    Span(*pos),
                )
            )
            return None
        if node.id == "scalar":
            value = self._scalar(node, pos)
            if tag in _NUMBER_TAGS and value is not None:
                written = node.value if len(node.value) <= 40 else None
                problem = figure_problem(value, written)
                if problem is not None:
                    self.odd_numbers[pointer] = problem
            return value
        if node.id == "sequence":
            return [
                self.build(item, f"{pointer}/{index}", depth + 1)
                for index, item in enumerate(node.value)
            ]
        return self._mapping(node, pointer, depth)

    def _mapping(self, node: Any, pointer: str, depth: int) -> dict[str, Any]:
        if depth > MAX_DEPTH:  # merge keys recurse here without passing through build()
            raise _TooComplex(f"nesting is deeper than {MAX_DEPTH} levels", _node_span(node))
        result: dict[str, Any] = {}
        merged: dict[str, tuple[Any, str]] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                self._merge(value_node, pointer, depth, merged)
                continue
            if key_node.id != "scalar":
                self.findings.append(
                    builtin_finding(
                        "DP001",
                        "complex (non-scalar) mapping keys are not supported",
                        self.path,
                        _node_span(key_node),
                    )
                )
                continue
            key = str(key_node.value)
            child = join(pointer, key) if "/" in key or "~" in key else f"{pointer}/{key}"
            start, end = key_node.start_mark, key_node.end_mark  # _node_pos, inlined
            line = start.line + 1
            if end.line == start.line and end.column <= start.column:
                key_pos = (line, start.column + 1, line, start.column + 2)
            else:
                key_pos = (line, start.column + 1, end.line + 1, end.column + 1)
            if key in result:
                first = self.keys.get(child)
                where = f" (first defined on line {first[0]})" if first else ""
                self.findings.append(
                    builtin_finding(
                        "DP002",
                        f"duplicate key {key!r}{where}; only one value would be kept",
                        self.path,
                        Span(*key_pos),
                    )
                )
                continue
            self.keys[child] = key_pos
            result[key] = self.build(value_node, child, depth + 1)
        for key, (value, _) in merged.items():
            result.setdefault(key, value)
        return result

    def _merge(
        self, node: Any, pointer: str, depth: int, merged: dict[str, tuple[Any, str]]
    ) -> None:
        sources = node.value if node.id == "sequence" else [node]
        for source in sources:
            if source.id != "mapping":
                self.findings.append(
                    builtin_finding(
                        "DP001",
                        "a merge key (<<) must refer to a mapping",
                        self.path,
                        _node_span(source),
                    )
                )
                continue
            value = self._mapping(source, pointer, depth + 1)
            for key, item in value.items():
                merged.setdefault(key, (item, pointer))

    def _scalar(self, node: Any, pos: Position) -> Any:
        tag, value = node.tag, node.value
        if tag in (_STR, _TIMESTAMP):
            return value
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return value.lower() == "true"
        if tag == _INT:
            return self._int(value, pos)
        if tag == _FLOAT:
            text = value.replace("_", "").lower()
            if text in _FLOAT_SPECIAL:
                return _FLOAT_SPECIAL[text]
            try:
                return float(text)
            except ValueError:
                return value
        return value

    def _int(self, value: str, pos: Position) -> Any:
        try:
            return _int_value(value)
        except ValueError:
            self.findings.append(
                builtin_finding(
                    "DP001",
                    f"the integer {value[:40]!r} is too long to read",
                    self.path,
                    Span(*pos),
                )
            )
            return None


def _int_value(value: str) -> int:
    """A YAML 1.2 integer (`0x`, `0o`, `0b` prefixes, `_` separators); ValueError when
    it is too long to read."""
    text = value.replace("_", "")
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-")
    for prefix, base in _INT_BASES:
        if digits.lower().startswith(prefix):
            return sign * int(digits[2:], base)
    return sign * int(digits, 10)


# ---------------------------------------------------------------------------------------
# The common case without a node per value: libyaml's parser events straight into data
# and positions. A plan without anchors, aliases, tags, merge keys, duplicate or complex
# keys, oversized integers, several documents or excessive nesting - nearly every plan -
# gives exactly what composing and building give; anything else (and any syntax error)
# is handed to the composer path above, which reports it.


class _NotPlain(Exception):
    """The document needs the composer path (see above)."""


def _load_plain(text: str, path: str) -> LoadResult | None:
    """The plan read from parser events, or None when the composer path must read it."""
    loader_class = _libyaml_loader()
    if loader_class is None:
        return None
    parser = loader_class(text)
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _from_events(parser, text, path)
    except Exception:  # _NotPlain, or a syntax error the composer path reports in full
        return None
    finally:
        if gc_was_enabled:
            gc.enable()
        parser.dispose()


def _event_pos(start: Any, end: Any) -> Position:
    line, col = start.line + 1, start.column + 1
    if end.line == start.line and end.column <= start.column:
        return (line, col, line, col + 1)
    return (line, col, end.line + 1, end.column + 1)


def _from_events(parser: Any, text: str, path: str) -> LoadResult:
    from yaml.events import (
        DocumentEndEvent,
        DocumentStartEvent,
        MappingEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
        StreamEndEvent,
    )

    get = parser.get_event
    get()  # the stream's start
    if type(get()) is not DocumentStartEvent:
        raise _NotPlain
    event = get()
    if type(event) is not MappingStartEvent or event.anchor is not None or event.tag is not None:
        raise _NotPlain
    by_first = _plain_resolvers()
    values: dict[str, Any] = {"": None}  # each container's place kept in document order
    keys: dict[str, Position] = {}
    odd: dict[str, str] = {}
    budget = 50_000 + len(text) // 2 - 1  # as `_Builder`, which counts the root too
    root: dict[str, Any] = {}
    # Open containers: [value, pointer, start mark, key waiting for its value, its position]
    stack: list[list[Any]] = [[root, "", event.start_mark, None, None]]
    while stack:
        event = get()
        kind = type(event)
        top = stack[-1]
        container = top[0]
        if kind is MappingEndEvent or kind is SequenceEndEvent:
            values[top[1]] = _event_pos(top[2], event.end_mark)
            stack.pop()
            continue
        if (
            event.anchor is not None
            or (
                kind is not ScalarEvent
                and kind is not MappingStartEvent
                and kind is not SequenceStartEvent
            )
            or event.tag is not None
        ):
            raise _NotPlain
        is_map = type(container) is dict
        if is_map and top[3] is None:  # a key
            if kind is not ScalarEvent:
                raise _NotPlain
            key = event.value
            if key in container or (key == "<<" and event.implicit[0]):
                raise _NotPlain
            top[3], top[4] = key, _event_pos(event.start_mark, event.end_mark)
            continue
        budget -= 1
        if budget < 0 or len(stack) > MAX_DEPTH:  # the value's depth is len(stack)
            raise _NotPlain
        if is_map:
            key = top[3]
            child = join(top[1], key) if "/" in key or "~" in key else f"{top[1]}/{key}"
            keys[child] = top[4]
            top[3] = None
        else:
            key = len(container)
            child = f"{top[1]}/{key}"
        if kind is ScalarEvent:
            raw = event.value
            tag = _STR
            if event.implicit[0]:
                for candidate, regexp in by_first.get(raw[:1], ()):
                    if regexp.match(raw):
                        tag = candidate
                        break
            if tag == _STR:
                value: Any = raw
            else:
                value = _plain_scalar(tag, raw)
                if tag in _NUMBER_TAGS and value is not None:
                    problem = figure_problem(value, raw if len(raw) <= 40 else None)
                    if problem is not None:
                        odd[child] = problem
            values[child] = _event_pos(event.start_mark, event.end_mark)
        else:
            value = {} if kind is MappingStartEvent else []
            values[child] = None
            stack.append([value, child, event.start_mark, None, None])
        if is_map:
            container[key] = value
        else:
            container.append(value)
    if type(get()) is not DocumentEndEvent or type(get()) is not StreamEndEvent:
        raise _NotPlain  # another document follows
    plan = LoadedPlan(
        path=path,
        text=text,
        data=root,
        values=SpanIndex.from_positions(values),
        keys=SpanIndex.from_positions(keys),
    )
    plan.odd_numbers = odd
    return LoadResult(plan, [])


def _plain_scalar(tag: str, raw: str) -> Any:
    """A resolved plain scalar's value, as `_Builder._scalar` constructs it."""
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return raw.lower() == "true"
    if tag == _INT:
        try:
            return _int_value(raw)
        except ValueError:
            raise _NotPlain from None  # the composer path reports it (DP001)
    if tag == _FLOAT:
        text = raw.replace("_", "").lower()
        if text in _FLOAT_SPECIAL:
            return _FLOAT_SPECIAL[text]
        try:
            return float(text)
        except ValueError:
            return raw
    return raw


@cache
def _plain_resolvers() -> dict[str, tuple[tuple[str, re.Pattern[str]], ...]]:
    """The YAML 1.2 tag patterns of a plain scalar by its first character."""
    by_first: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for name, pattern, first in _IMPLICIT_12:
        for char in first:
            by_first.setdefault(char, []).append((_TAG + name, pattern.compile()))
    return {char: tuple(found) for char, found in by_first.items()}
