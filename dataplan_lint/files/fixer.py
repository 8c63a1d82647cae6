"""Apply findings' fixes to a plan's text, changing nothing else.

The edits are made on a ruamel.yaml round-trip tree, so a new value is written the way
YAML needs it (quoted when it must be, in the old value's quoting style) and a renamed
key keeps its place and its comments. ruamel.yaml re-renders a few things it does not
keep exactly (an explicit `null`, unusual indentation), so the result is not its whole
dump: only the lines that differ between its dump of the untouched tree and its dump of
the edited tree are carried over to the original text. The result is then loaded again
and must hold exactly the data the edits mean; otherwise nothing is applied.

ruamel.yaml and difflib are imported only when there is something to fix.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from dataplan_lint.core.findings import Edit, Finding, Fix
from dataplan_lint.core.pointers import split

MAX_PASSES = 10  # fix, re-check, fix what the re-check offers: until nothing changes


class FixError(Exception):
    """A fix that cannot be applied cleanly; the message says why."""


@dataclass(slots=True)
class Outcome:
    """What applying a group of fixes to one text did."""

    text: str
    applied: list[Fix] = field(default_factory=list)
    deferred: list[Fix] = field(default_factory=list)  # overlapping: next pass
    error: str | None = None  # when set, nothing was applied


def wanted(findings: Iterable[Finding], unsafe: bool) -> list[Fix]:
    """The fixes to apply: of unsuppressed findings, safe ones (and unsafe ones if asked).

    Several findings may offer the same fix (every misnumbered acceptance criterion
    offers the whole renumbering); it is applied once.
    """
    out: list[Fix] = []
    seen: set[tuple[Edit, ...]] = set()
    for finding in findings:
        fix = finding.fix
        if fix is None or finding.suppression is not None or (not fix.safe and not unsafe):
            continue
        key = tuple(fix.edits)
        if key not in seen:
            seen.add(key)
            out.append(fix)
    return out


def apply(text: str, fixes: Sequence[Fix]) -> Outcome:
    """Apply `fixes` to the plan `text`.

    Fixes whose edits overlap one already taken are deferred to the next pass (after a
    re-check they may no longer be needed). When any taken fix fails, the outcome has
    the error and the original text: a file is rewritten only when every fix applied.
    """
    taken: list[Fix] = []
    deferred: list[Fix] = []
    touched: list[tuple[str, ...]] = []
    for fix in fixes:
        paths = [tuple(split(edit.pointer)) for edit in fix.edits]
        if any(_overlap(path, other) for path in paths for other in touched):
            deferred.append(fix)
            continue
        taken.append(fix)
        touched.extend(paths)
    if not taken:
        return Outcome(text, deferred=deferred)
    edits = [edit for fix in taken for edit in fix.edits]
    try:
        new_text = _apply_edits(text, _data(text), edits)
    except FixError as exc:
        return Outcome(text, error=str(exc))
    return Outcome(new_text, applied=taken, deferred=deferred)


def _data(text: str) -> Any:
    from dataplan_lint.files.loader import load_text

    loaded = load_text(text, "<plan>")
    if loaded.plan is None:
        raise FixError("the file does not load as a plan")
    return loaded.plan.data


def _overlap(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    shorter = min(len(a), len(b))
    return a[:shorter] == b[:shorter]


# ------------------------------------------------------------------------- the edits


def _apply_edits(text: str, data: Any, edits: Sequence[Edit]) -> str:
    from ruamel.yaml.error import YAMLError

    expected = copy.deepcopy(data)
    for edit in edits:
        expected = _edit_plain(expected, edit)
    yaml = _round_trip(text)
    try:
        tree = yaml.load(text)
        before = _dump(yaml, tree)
        for edit in edits:
            _edit_tree(tree, edit)
        after = _dump(yaml, tree)
    except YAMLError as exc:
        raise FixError(f"the file could not be read for fixing: {exc}") from None
    new_text = _transplant(text, before, after)
    _verify(new_text, expected)
    return new_text


def _round_trip(text: str) -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1 << 16  # never re-wrap a line
    mapping, sequence, offset = _indentation(text)
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def _indentation(text: str) -> tuple[int, int, int]:
    """How this file indents mappings, sequences and the dash of a sequence item.

    Read from the first nested mapping key and the first block sequence item, so that
    ruamel.yaml writes edited lines the way the file already does.
    """
    mapping, sequence, offset = 2, 4, 2
    lines = [
        line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    ]
    found_map = found_seq = False
    for parent, child in itertools.pairwise(lines):
        parent_indent = len(parent) - len(parent.lstrip(" "))
        child_body = child.lstrip(" ")
        child_indent = len(child) - len(child_body)
        if not parent.rstrip().endswith(":") or child_indent < parent_indent:
            continue
        parent_body = parent.lstrip(" ")
        if parent_body.startswith("- "):  # "- key:" opens a mapping inside an item
            continue
        step = child_indent - parent_indent
        if step == 0 and not child_body.startswith("- "):
            continue
        if child_body.startswith("- ") and not found_seq:
            offset = step
            sequence = step + 2
            found_seq = True
        elif not child_body.startswith("- ") and not found_map:
            mapping = step
            found_map = True
        if found_map and found_seq:
            break
    return mapping, max(sequence, offset + 2), offset


def _dump(yaml: Any, tree: Any) -> str:
    import io

    out = io.StringIO()
    yaml.dump(tree, out)
    return out.getvalue()


def _container(root: Any, tokens: list[str]) -> tuple[Any, Any]:
    """The parent container of the element at `tokens` and the key or index in it."""
    node = root
    for token in tokens[:-1]:
        node = _child(node, token)
    last = tokens[-1]
    if isinstance(node, dict):
        for key in node:
            if str(key) == last:
                return node, key
        raise FixError(f"`{last}` is no longer there")
    if isinstance(node, list) and last.isdigit() and int(last) < len(node):
        return node, int(last)
    raise FixError(f"`{last}` is no longer there")


def _child(node: Any, token: str) -> Any:
    if isinstance(node, dict):
        for key, value in node.items():
            if str(key) == token:
                return value
    elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
        return node[int(token)]
    raise FixError(f"`{token}` is no longer there")


def _edit_plain(data: Any, edit: Edit) -> Any:
    tokens = split(edit.pointer)
    if not tokens:
        raise FixError("a fix cannot replace the whole document")
    parent, key = _container(data, tokens)
    if edit.rename is None:
        parent[key] = edit.value
        return data
    if not isinstance(parent, dict):
        raise FixError("only a mapping key can be renamed")
    if edit.rename in parent:
        raise FixError(f"the mapping already has a key `{edit.rename}`")
    items = list(parent.items())
    parent.clear()
    for old, value in items:
        parent[edit.rename if old == key else old] = value
    return data


def _edit_tree(tree: Any, edit: Edit) -> None:
    tokens = split(edit.pointer)
    parent, key = _container(tree, tokens)
    if edit.rename is None:
        parent[key] = _styled(parent[key], edit.value)
        return
    position = list(parent).index(key)
    comment = parent.ca.items.pop(key, None)
    value = parent[key]
    del parent[key]
    parent.insert(position, edit.rename, value)
    if comment is not None:
        parent.ca.items[edit.rename] = comment


def _styled(old: Any, new: Any) -> Any:
    """`new` in the quoting style of `old` (a quoted string stays quoted)."""
    from ruamel.yaml.scalarstring import ScalarString

    if isinstance(new, str) and isinstance(old, ScalarString) and "\n" not in new:
        return type(old)(new)
    return new


# ----------------------------------------------------------------- keeping the text


def _transplant(original: str, before: str, after: str) -> str:
    """`original` with the lines that differ between `before` and `after` replaced.

    Each changed block of `before` must also be in `original`, unchanged; when ruamel
    rendered that part of the file differently from how it is written, the fix is
    refused rather than reformatting lines nobody asked to change. Every line keeps its
    own ending (LF, CRLF or CR: a mixed file stays mixed); a new line takes the ending of
    the line it replaces or follows, and a file without a final line break stays so.
    """
    from difflib import SequenceMatcher

    source, ends = _lines_with_ends(original)
    no_final_break = bool(ends) and ends[-1] == ""
    if no_final_break:
        ends[-1] = _commonest(ends)
    base = _lines_with_ends(before)[0]
    edited = _lines_with_ends(after)[0]
    to_source: dict[int, int] = {}
    matcher = SequenceMatcher(None, source, base, autojunk=False)
    for tag, i1, i2, j1, _ in matcher.get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                to_source[j1 + k] = i1 + k
    replacements: list[tuple[int, int, list[str]]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, base, edited, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if i1 == i2:
            anchor = to_source.get(i1 - 1) if i1 else -1
            if anchor is None:
                raise FixError("the lines around this fix are laid out in a way it cannot keep")
            replacements.append((anchor + 1, anchor + 1, edited[j1:j2]))
            continue
        mapped = [to_source.get(k) for k in range(i1, i2)]
        if None in mapped or mapped != list(range(mapped[0] or 0, (mapped[0] or 0) + len(mapped))):
            raise FixError("the lines around this fix are laid out in a way it cannot keep")
        start = mapped[0] or 0
        replacements.append((start, start + len(mapped), edited[j1:j2]))
    for start, end, lines in sorted(replacements, reverse=True):
        old = ends[start:end]
        fill = old[-1] if old else ends[start - 1] if start else _commonest(ends)
        source[start:end] = lines
        ends[start:end] = [old[i] if i < len(old) else fill for i in range(len(lines))]
    if no_final_break and ends:
        ends[-1] = ""
    return "".join(line + end for line, end in zip(source, ends, strict=True))


def _lines_with_ends(text: str) -> tuple[list[str], list[str]]:
    """The lines of `text` (broken at LF, CRLF and CR only) and each one's ending (""
    for a last line without one)."""
    from dataplan_lint.core import regexes

    lines: list[str] = []
    ends: list[str] = []
    start = 0
    for found in regexes.LINE_BREAK.compile().finditer(text):
        lines.append(text[start : found.start()])
        ends.append(found.group())
        start = found.end()
    if start < len(text):
        lines.append(text[start:])
        ends.append("")
    return lines, ends


def _commonest(ends: Sequence[str]) -> str:
    """The line ending most lines of the file have (LF for a file without one)."""
    counted = [end for end in ends if end]
    return max(("\n", "\r\n", "\r"), key=counted.count) if counted else "\n"


def _verify(text: str, expected: Any) -> None:
    from dataplan_lint.files.loader import load_text

    loaded = load_text(text, "<fixed>")
    if loaded.plan is None or loaded.findings:
        raise FixError("the fixed file would no longer load; nothing was changed")
    if loaded.plan.data != expected:
        raise FixError("the fixed file would not hold what the fix means; nothing was changed")
