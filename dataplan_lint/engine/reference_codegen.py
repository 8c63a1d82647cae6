"""Write the rule sections of references/*.md from the rules' YAML.

A rule's page section says what `explain` says - its summary, severity and presets,
description and examples - so it is generated from the same YAML rather than written
twice. Each section sits between two comment lines, and everything outside them (the
page's topic prose) is written by hand:

    <!-- rule DP201: generated from rules/gate02-sources.yaml; edit the rule, then run
         python -m dataplan_lint.engine.index_codegen -->
    ...
    <!-- end rule DP201 -->

Regenerating (`python -m dataplan_lint.engine.index_codegen`, which also rebuilds the rule
index) rewrites every block from its rule; turns a hand-written section of a rule (its
`<a id="slug"></a>` line up to the next anchor, heading or block) into a block where it
stands; adds a block after the page's last rule block for a rule that has none yet; and
drops the block of a rule that no longer points at the page. `tests/test_reference_docs.py`
fails while a page is stale.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from dataplan_lint.core import regexes
from dataplan_lint.core.rules import RuleMeta
from dataplan_lint.files.reader import read_package_file

COMMAND = "python -m dataplan_lint.engine.index_codegen"
_BEGIN = regexes.REFERENCE_RULE_BEGIN.compile()
_END = "<!-- end rule {} -->"
_ANCHOR = regexes.REFERENCE_ANCHOR.compile()
_HEADING = regexes.MARKDOWN_HEADING.compile()
WIDTH = 88


def references_dir() -> Path:
    from dataplan_lint.core.resources import data_dir

    return data_dir("references")


def rules_by_page() -> dict[str, list[RuleMeta]]:
    """Every rule (bundled and written in code) by the page its `reference` names."""
    from dataplan_lint.engine.catalog import all_rules

    pages: dict[str, list[RuleMeta]] = {}
    for meta in all_rules():
        page, _, anchor = meta.reference.partition("#")
        if page and anchor == meta.slug:
            pages.setdefault(page, []).append(meta)
    return pages


def source_file(meta: RuleMeta) -> str:
    from dataplan_lint.engine.rulesets import CHECK_DOCS, bundled

    found = next((rule.source for rule in bundled().rules if rule.id == meta.id), CHECK_DOCS)
    return f"rules/{found}"


def section(meta: RuleMeta, level: int) -> list[str]:
    """The lines of one rule's block, markers included."""
    from dataplan_lint.core.gates import GATE_NAMES
    from dataplan_lint.engine.docs import explanation

    parts = explanation(meta)
    presets = (
        "every preset"
        if parts.presets is None or set(parts.presets) >= {"recommended", "strict"}
        else "the " + " and ".join(parts.presets) + " preset" + "s" * (len(parts.presets) > 1)
    )
    gate = f"gate {meta.gate} ({GATE_NAMES.get(meta.gate, '')})" if meta.gate else "file check"
    facts = (
        f"Default severity {meta.severity.label}; {meta.family}; {gate}; on in {presets}; "
        f"{parts.fix}."
    )
    lines = [
        f"<!-- rule {meta.id}: generated from {source_file(meta)}; edit the rule, then run",
        f"     {COMMAND} -->",
        f'<a id="{meta.slug}"></a>',
        f"{'#' * level} {meta.id} {meta.slug}",
        "",
        *_wrapped(f"*{meta.summary}*"),
        "",
        *_wrapped(facts),
    ]
    for paragraph in parts.paragraphs:
        lines += ["", *_wrapped(paragraph)]
    for title, example in parts.examples:
        lines += ["", f"{title}:", "", "```yaml", *example.splitlines(), "```"]
    return [*lines, _END.format(meta.id)]


def _wrapped(text: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, break_on_hyphens=False, break_long_words=False) or [""]


def regenerate(text: str, rules: Sequence[RuleMeta]) -> str:
    """`text` (a page) with the block of every rule in `rules` current, and no others."""
    by_slug = {meta.slug: meta for meta in rules}
    by_id = {meta.id: meta for meta in rules}
    lines = text.splitlines()
    out: list[str] = []
    placed: set[str] = set()
    last_block = -1
    index = 0
    while index < len(lines):
        line = lines[index]
        begin = _BEGIN.match(line)
        anchor = _ANCHOR.fullmatch(line.strip())
        meta = by_id.get(begin.group(1)) if begin else None
        if meta is None and anchor is not None and not begin:
            meta = by_slug.get(anchor.group(1))
        if begin is None and meta is None:
            out.append(line)
            index += 1
            continue
        end = _block_end(lines, index, begin.group(1) if begin else None)
        if meta is not None and meta.id not in placed:
            out += section(meta, _level(out))
            placed.add(meta.id)
            last_block = len(out)
        index = end
    missing = [meta for meta in rules if meta.id not in placed]
    if missing:
        at = last_block if last_block >= 0 else len(out)
        added: list[str] = []
        for meta in missing:
            added += ["", *section(meta, _level(out[:at]))]
        out[at:at] = added
    return "\n".join(_tidy(out)) + "\n"


def _block_end(lines: Sequence[str], start: int, block_id: str | None) -> int:
    """The index after a rule's block (`block_id`) or hand-written section."""
    if block_id is not None:
        end = _END.format(block_id)
        for index in range(start, len(lines)):
            if lines[index].strip() == end:
                return index + 1
        return len(lines)
    index = start + 1
    while index < len(lines):
        line = lines[index]
        own_heading = index == start + 1 and _HEADING.match(line)
        stops = _ANCHOR.fullmatch(line.strip()) or _BEGIN.match(line) or _HEADING.match(line)
        if stops and not own_heading:
            break
        index += 1
    while index > start + 1 and not lines[index - 1].strip():
        index -= 1
    return index


def _level(before: Sequence[str]) -> int:
    """One below the last heading outside a rule block (### under a ## section)."""
    inside = False
    for line in reversed(before):
        if line.startswith("<!-- end rule "):
            inside = True
        elif _BEGIN.match(line):
            inside = False
        elif not inside and (heading := _HEADING.match(line)):
            return min(len(heading.group(1)) + 1, 6)
    return 3


def _tidy(lines: Iterable[str]) -> list[str]:
    """One blank line between a block and what follows, never two in a row."""
    out: list[str] = []
    for line in lines:
        if out and out[-1].startswith("<!-- end rule ") and line.strip():
            out.append("")
        if not line.strip() and out and not out[-1].strip():
            continue
        out.append(line)
    while out and not out[-1].strip():
        out.pop()
    return out


def pages() -> Mapping[Path, str]:
    """Every page that documents rules -> its text as generated."""
    folder = references_dir()
    out: dict[Path, str] = {}
    for page, rules in sorted(rules_by_page().items()):
        path = folder / page
        if path.is_file():
            out[path] = regenerate(read_package_file(path).decode("utf-8"), rules)
    return out


def main() -> int:
    for path, text in pages().items():
        if read_package_file(path).decode("utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
