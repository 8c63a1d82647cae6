"""Text for `dataplan-lint rules` and `dataplan-lint explain`."""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass
from typing import Any

from dataplan_lint.core.gates import GATE_NAMES
from dataplan_lint.engine.catalog import RuleMeta, all_rules
from dataplan_lint.engine.examples import shown_text
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


def _example_title(title: str, example: Any) -> str:
    """The example's title, saying what kind of example it is when not an overlay on
    the default plan (a whole file, edited lines, another base, a configuration)."""
    from dataplan_lint.engine import examples as forms

    form = forms.kind(example)
    if form == "file":
        encoding = example.get("encoding") if isinstance(example, dict) else None
        saved = f", saved as {encoding}" if encoding else ""
        title += f" (the whole file{saved})"
    elif form == "edit":
        title += f" (lines of the {forms.base_name(example)} example plan, as edited)"
    elif forms.base_name(example) != forms.DEFAULT_BASE:
        title += f" (merged into the {forms.base_name(example)} example plan)"
    config = example.get("config") if isinstance(example, dict) else None
    if isinstance(config, dict) and config:
        settings = ", ".join(f"{key}: {value}" for key, value in config.items())
        title += f", checked with the configuration `{settings}`"
    return title


EXAMPLES_NOTE = (
    "The examples are edits to a complete plan shipped with the tool (the "
    "clickstream-sessions example unless they say otherwise): mappings merge key by key, "
    "list entries merge in order, and an entry written `{}` keeps the plan's entry as it is."
)


def _wrap(text: str) -> list[str]:
    return textwrap.wrap(
        text, 88, initial_indent="  ", subsequent_indent="  ", break_on_hyphens=False
    )


@dataclass(frozen=True, slots=True)
class Explanation:
    """What `explain` says about a rule, in parts: the terminal text and the language
    server's Markdown lay out the same content."""

    meta: RuleMeta
    context: str  # gate, family and default severity
    presets: tuple[str, ...] | None
    fix: str
    paragraphs: tuple[str, ...]  # what it checks and why, one string per paragraph
    examples: tuple[tuple[str, str], ...]  # (title, YAML): the failing, then the fixed
    reference: str | None  # the page under references/, with its anchor


def explanation(meta: RuleMeta) -> Explanation:
    doc = documents().get(meta.id)
    presets = _presets().get(meta.id)
    gate = f"gate {meta.gate} ({GATE_NAMES.get(meta.gate, '')})" if meta.gate else "file check"
    description = (doc.description if doc else "") or meta.description
    paragraphs = tuple(
        " ".join(paragraph.split()) for paragraph in description.split("\n\n") if paragraph.strip()
    )
    found = doc.examples if doc else {}
    examples = tuple(
        (_example_title(title, found[key]), shown_text(found[key]).rstrip())
        for key, title in (("fail", "Failing example"), ("pass", "Fixed example"))
        if found.get(key)
    )
    return Explanation(
        meta=meta,
        context=f"{gate} - {meta.family} - default severity {meta.severity.label}",
        presets=tuple(presets) if presets is not None else None,
        fix=FIX_TEXT.get(meta.fix, "not fixable automatically: it needs a person"),
        paragraphs=paragraphs,
        examples=examples,
        reference=f"references/{meta.reference}" if meta.reference else None,
    )


def explain_text(meta: RuleMeta) -> str:
    parts = explanation(meta)
    out = [f"{meta.id} {meta.slug}", "", parts.context]
    if parts.presets is not None:
        out.append("enabled in: " + ", ".join(parts.presets))
    out += [parts.fix, "", meta.summary, ""]
    if parts.paragraphs:
        out.append("What it checks and why")
        for paragraph in parts.paragraphs:
            out += _wrap(paragraph)
            out.append("")
    if parts.examples:
        out += _wrap(
            f"{EXAMPLES_NOTE} `dataplan-lint explain {meta.id} --example fail` (or `pass`) "
            "prints the whole file an example stands for, ready to check."
        )
        out.append("")
    for title, example in parts.examples:
        out.append(title)
        out += ["  " + line if line else "" for line in example.splitlines()]
        out.append("")
    if parts.reference:
        out.append(f"Reference: {parts.reference}")
    return "\n".join(out).rstrip() + "\n"


def example_file(meta: RuleMeta, which: str) -> bytes:
    """The whole file the rule's `which` ("fail" or "pass") example stands for; a
    `LookupError` saying why when there is none."""
    from dataplan_lint.engine.examples import build

    doc = documents().get(meta.id)
    example = doc.examples.get(which) if doc else None
    if not example:
        reason = doc.examples.get("skip-reason") if doc else None
        why = f": {' '.join(str(reason).split())}" if reason else ""
        what = "failing" if which == "fail" else "fixed"
        raise LookupError(f"{meta.id} has no {what} example{why}")
    return build(example).content
