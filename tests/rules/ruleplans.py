"""Helpers for rule tests: example plans with small edits, run through the real checker.

Text edits keep every other line where it is, so tests can assert the exact line and
column a finding points at.
"""

from __future__ import annotations

import copy
import io
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from dataplan_lint.core.findings import Finding
from dataplan_lint.core.settings import Settings
from dataplan_lint.files.loader import load_text
from dataplan_lint.pipeline.runner import drop_cascades, stages

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = {
    "clickstream": ROOT / "examples" / "clickstream-sessions" / "dataplan.yaml",
    "clickstream-sessions": ROOT / "examples" / "clickstream-sessions" / "dataplan.yaml",
    "orders": ROOT / "examples" / "orders-cdc" / "dataplan.yaml",
    "orders-cdc": ROOT / "examples" / "orders-cdc" / "dataplan.yaml",
    "ride": ROOT / "examples" / "ride-trips" / "dataplan.yaml",
    "ride-trips": ROOT / "examples" / "ride-trips" / "dataplan.yaml",
}


def text_of(example: str) -> str:
    return EXAMPLES[example].read_text(encoding="utf-8")


def edit(example: str, *replacements: tuple[str, str]) -> str:
    """The example's text with each (old, new) replaced; `old` must occur exactly once."""
    text = text_of(example)
    for old, new in replacements:
        count = text.count(old)
        assert count == 1, f"{old!r} occurs {count} times in {example}"
        text = text.replace(old, new)
    return text


def line_of(text: str, needle: str, nth: int | None = None) -> int:
    """1-based line of the only line containing `needle` (or of the `nth` such line)."""
    hits = [n for n, line in enumerate(text.splitlines(), 1) if needle in line]
    if nth is not None:
        return hits[nth]
    assert len(hits) == 1, f"{needle!r} is on lines {hits}"
    return hits[0]


def check_text(text: str, path: str = "dataplan.yaml", **settings_values: Any) -> list[Finding]:
    """Findings of the schema and rule stages; `settings_values` are `Settings` fields
    (`tolerance=0.05`)."""
    result = load_text(text, path)
    findings = list(result.findings)
    if result.plan is None:
        return findings
    settings = Settings(**settings_values)
    for _name, stage in stages():
        findings.extend(stage(result.plan, settings))
    return sorted(drop_cascades(findings), key=Finding.sort_key)


def ids(findings: list[Finding]) -> list[str]:
    return [f.rule_id for f in findings]


# --------------------------------------------------------------------- overlays


def _merge(base: Any, over: Any) -> Any:
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for key, value in over.items():
            out[key] = _merge(base[key], value) if key in base else copy.deepcopy(value)
        return out
    if isinstance(base, list) and isinstance(over, list):
        out_list = list(base)
        for index, value in enumerate(over):
            if index < len(out_list):
                out_list[index] = _merge(out_list[index], value)
            else:
                out_list.append(copy.deepcopy(value))
        return out_list
    return copy.deepcopy(over)


def _remove(data: Any, pointer: str) -> None:
    tokens = pointer.strip("/").split("/")
    node = data
    for token in tokens[:-1]:
        node = node[int(token)] if isinstance(node, list) else node[token]
    last = tokens[-1]
    if isinstance(node, list):
        del node[int(last)]
    else:
        del node[last]


def overlay(example: Any, default_base: str = "clickstream") -> str:
    """Plan text for a rule example (`fail`/`pass` as in rules/README.md)."""
    yaml = YAML(typ="safe", pure=True)
    if isinstance(example, str):
        example = {"yaml": example}
    snippet = yaml.load(example.get("yaml") or "{}") or {}
    if "apiVersion" in snippet:
        data = snippet
    else:
        data = yaml.load(text_of(example.get("base", default_base)))
        for pointer in example.get("remove", []):
            _remove(data, pointer)
        data = _merge(data, snippet)
    out = io.StringIO()
    dumper = YAML(typ="safe", pure=True)
    dumper.default_flow_style = False
    dumper.dump(data, out)
    return out.getvalue()


def block(example: str, first: str, stop: str) -> str:
    """The text from the line `first` (exactly, else the unique line holding it) up to the
    next line holding `stop`.

    Used to cut whole sections out of an example with an ordinary text edit.
    """
    lines = text_of(example).splitlines(keepends=True)
    starts = [n for n, line in enumerate(lines) if line.rstrip() == first.rstrip()]
    starts = starts or [n for n, line in enumerate(lines) if first in line]
    assert len(starts) == 1, f"{first!r} is on lines {starts}"
    start = starts[0]
    end = next(n for n in range(start + 1, len(lines)) if stop in lines[n])
    return "".join(lines[start:end])
