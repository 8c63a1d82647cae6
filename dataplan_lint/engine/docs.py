"""Text for `dataplan-lint rules` and `dataplan-lint explain`."""

from __future__ import annotations

import json
import textwrap
from typing import Any

from dataplan_lint.core.gates import GATE_NAMES
from dataplan_lint.engine.catalog import RuleMeta, all_rules
from dataplan_lint.engine.rulesets import bundled, documents

FIX_MARKS = {"safe": "[*]", "unsafe": "[!]"}
FIX_TEXT = {
    "safe": "fixable: `check --fix` repairs its findings",
    "unsafe": (
        "fixable with `check --fix --unsafe-fixes` (the fix changes what the plan "
        "claims: review it)"
    ),
}


def _presets() -> dict[str, list[str]]:
    names = {rule.id: list(rule.presets) for rule in bundled().rules}
    return {rule_id: (found or ["recommended", "strict"]) for rule_id, found in names.items()}


def rules_json() -> str:
    presets = _presets()
    items: list[dict[str, Any]] = [
        {
            "id": rule.id,
            "slug": rule.slug,
            "gate": rule.gate,
            "family": rule.family,
            "severity": rule.severity.label,
            "summary": rule.summary,
            "reference": rule.reference,
            "presets": presets.get(rule.id, ["recommended", "strict"]),
            "fix": rule.fix or None,
        }
        for rule in all_rules()
    ]
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"


def rules_text() -> str:
    presets = _presets()
    out: list[str] = []
    rules = all_rules()
    width = max(len(rule.slug) for rule in rules)
    gate = -1
    for rule in rules:
        if rule.gate != gate:
            gate = rule.gate
            title = f"Gate {gate}: {GATE_NAMES.get(gate, '')}" if gate else "File and schema"
            out.append(("\n" if out else "") + title)
        strict = " (strict)" if presets.get(rule.id) == ["strict"] else ""
        mark = FIX_MARKS.get(rule.fix, "")
        out.append(
            f"  {rule.id:<7} {rule.severity.label:<7} {mark:<3} {rule.slug:<{width}}  "
            f"{rule.summary}{strict}"
        )
    count = len(rules)
    gates = len({rule.gate for rule in rules if rule.gate})
    out.append(f"\n{count} rules ({gates} gates). `dataplan-lint explain ID` shows one in full.")
    out.append("[*] `check --fix` repairs its findings; [!] only with `--unsafe-fixes`.")
    return "\n".join(out) + "\n"


def _example_text(example: Any) -> str:
    if isinstance(example, dict):
        text = str(example.get("yaml", ""))
        removed = example.get("remove") or []
        if removed:
            note = "".join(f"# (no {pointer})\n" for pointer in removed)
            text = note + text
        return text
    return str(example or "")


def explain_text(meta: RuleMeta) -> str:
    doc = documents().get(meta.id)
    presets = _presets().get(meta.id)
    out = [f"{meta.id} {meta.slug}", ""]
    gate = f"gate {meta.gate} ({GATE_NAMES.get(meta.gate, '')})" if meta.gate else "file check"
    out.append(f"{gate} - {meta.family} - default severity {meta.severity.label}")
    if presets is not None:
        out.append("enabled in: " + ", ".join(presets))
    out.append(FIX_TEXT.get(meta.fix, "not fixable automatically: it needs a person"))
    out += ["", meta.summary, ""]
    description = (doc.description if doc else "") or meta.description
    if description:
        out.append("What it checks and why")
        for paragraph in description.split("\n\n"):
            out += textwrap.wrap(
                " ".join(paragraph.split()), 88, initial_indent="  ", subsequent_indent="  "
            )
            out.append("")
    examples = doc.examples if doc else {}
    if examples:
        out += textwrap.wrap(
            "The examples are edits to a complete plan (examples/clickstream-sessions unless "
            "they say otherwise): mappings merge key by key, list entries merge in order, "
            "and an entry written `{}` keeps the plan's entry as it is.",
            88,
            initial_indent="  ",
            subsequent_indent="  ",
        )
        out.append("")
    for key, title in (("fail", "Failing example"), ("pass", "Fixed example")):
        if examples.get(key):
            out.append(title)
            out += ["  " + line for line in _example_text(examples[key]).rstrip().splitlines()]
            out.append("")
    if meta.reference:
        out.append(f"Reference: references/{meta.reference}")
    return "\n".join(out).rstrip() + "\n"
