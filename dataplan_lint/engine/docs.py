"""Text for `dataplan-lint rules` and `dataplan-lint explain`."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dataplan_lint.core.gates import GATE_NAMES
from dataplan_lint.engine.catalog import RuleMeta, all_rules
from dataplan_lint.engine.examples import shown_text
from dataplan_lint.engine.model import Rule
from dataplan_lint.engine.rulesets import RuleDoc, bundled, documents

FIX_MARKS = {"safe": "[*]", "unsafe": "[!]"}
FIX_TEXT = {
    "safe": "fixable: `check --fix` repairs its findings",
    "unsafe": (
        "fixable with `check --fix --unsafe-fixes` (the fix changes what the plan "
        "claims: review it)"
    ),
}


ALL_PRESETS = ["recommended", "strict"]


@dataclass(frozen=True, slots=True)
class ProjectRule:
    """A rule of the project's own rulesets (the configuration's `rulesets`): the rule,
    the ruleset file it is defined in (as shown to the user) and its page, if any."""

    rule: Rule
    source: str
    doc: RuleDoc | None = None


def _presets() -> dict[str, list[str]]:
    names = {rule.id: list(rule.presets) for rule in bundled().rules}
    return {rule_id: (found or ALL_PRESETS) for rule_id, found in names.items()}


def find_project_rule(project: Sequence[ProjectRule], name: str) -> ProjectRule | None:
    """The project rule `name` (id or slug) stands for, if any."""
    return next((item for item in project if item.rule.meta.is_named(name)), None)


def _item(rule: RuleMeta, presets: list[str], ruleset: str | None) -> dict[str, Any]:
    return {
        "id": rule.id,
        "slug": rule.slug,
        "gate": rule.gate,
        "family": rule.family,
        "severity": rule.severity.label,
        "summary": rule.summary,
        "reference": rule.reference,
        "presets": presets,
        "fix": rule.fix or None,
        "ruleset": ruleset,  # the project ruleset file; None for the tool's own rules
    }


def rules_json(project: Sequence[ProjectRule] = ()) -> str:
    presets = _presets()
    items = [_item(rule, presets.get(rule.id, ALL_PRESETS), None) for rule in all_rules()]
    items += [
        _item(item.rule.meta, list(item.rule.presets) or ALL_PRESETS, item.source)
        for item in project
    ]
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"


def rules_text(project: Sequence[ProjectRule] = ()) -> str:
    presets = _presets()
    presets.update({item.rule.id: list(item.rule.presets) or ALL_PRESETS for item in project})
    out: list[str] = []
    rules = all_rules()
    width = max(len(slug) for slug in [*(r.slug for r in rules), *(i.rule.slug for i in project)])

    def row(rule: RuleMeta) -> str:
        strict = " (strict)" if presets.get(rule.id) == ["strict"] else ""
        mark = FIX_MARKS.get(rule.fix, "")
        return (
            f"  {rule.id:<7} {rule.severity.label:<7} {mark:<3} {rule.slug:<{width}}  "
            f"{rule.summary}{strict}"
        )

    gate = -1
    for rule in rules:
        if rule.gate != gate:
            gate = rule.gate
            title = f"Gate {gate}: {GATE_NAMES.get(gate, '')}" if gate else "File and schema"
            out.append(("\n" if out else "") + title)
        out.append(row(rule))
    source = None
    for item in project:
        if item.source != source:
            source = item.source
            out.append(f"\nProject rules from {source}")
        out.append(row(item.rule.meta))
    count = len(rules) + len(project)
    gates = len({rule.gate for rule in rules if rule.gate})
    own = f"; {len(project)} from the project's rulesets" if project else ""
    out.append(
        f"\n{count} rules ({gates} gates{own}). `dataplan-lint explain ID` shows one in full."
    )
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
    source: str | None = None  # a project rule's ruleset file
    message: str | None = None  # a project rule's message template
    code: tuple[str, ...] = ()  # each function of the rule and where its code is


def explanation(meta: RuleMeta, project: ProjectRule | None = None) -> Explanation:
    """The parts of a rule's page; `project` for a rule of the project's own rulesets."""
    doc = project.doc if project is not None else documents().get(meta.id)
    if project is not None:
        presets: list[str] | None = list(project.rule.presets) or ALL_PRESETS
    else:
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
    if project is not None:
        return Explanation(
            meta=meta,
            context=f"{gate} - {meta.family} - default severity {meta.severity.label}",
            presets=tuple(presets or ()),
            fix=FIX_TEXT.get(meta.fix, "not fixable automatically: it needs a person"),
            paragraphs=paragraphs,
            examples=examples,
            reference=meta.reference or None,
            source=project.source,
            message=project.rule.message,
        )
    return Explanation(
        meta=meta,
        context=f"{gate} - {meta.family} - default severity {meta.severity.label}",
        presets=tuple(presets) if presets is not None else None,
        fix=FIX_TEXT.get(meta.fix, "not fixable automatically: it needs a person"),
        paragraphs=paragraphs,
        examples=examples,
        reference=f"references/{meta.reference}" if meta.reference else None,
        code=_code(meta.id),
    )


def explain_text(meta: RuleMeta, project: ProjectRule | None = None) -> str:
    parts = explanation(meta, project)
    out = [f"{meta.id} {meta.slug}", "", parts.context]
    if parts.source is not None:
        out.append(f"defined in the project's ruleset {parts.source}")
    if parts.presets is not None:
        out.append("enabled in: " + ", ".join(parts.presets))
    out += [parts.fix, "", meta.summary, ""]
    if parts.message is not None:
        out += ["Message", *_wrap(parts.message), ""]
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
        shown = parts.reference if parts.source is not None else _local_page(parts.reference)
        out.append(f"Reference: {shown}")
    out += [f"Code: {line}" for line in parts.code]
    return "\n".join(out).rstrip() + "\n"


def _local_page(reference: str) -> str:
    """A bundled rule's page as a path that opens from here.

    `references/x.md` opens from the root of a checkout; from anywhere else (an installed
    wheel, another folder) the page is the copy the package carries, named absolutely.
    """
    page, _, anchor = reference.partition("#")
    if not page.startswith("references/") or Path(page).is_file():
        return reference
    from dataplan_lint.core.resources import data_dir

    installed = data_dir("references") / page.removeprefix("references/")
    if not installed.is_file():
        return reference
    return installed.as_posix() + (f"#{anchor}" if anchor else "")


def example_file(meta: RuleMeta, which: str, project: ProjectRule | None = None) -> bytes:
    """The whole file the rule's `which` ("fail" or "pass") example stands for; a
    `LookupError` saying why when there is none."""
    from dataplan_lint.engine.examples import build

    doc = project.doc if project is not None else documents().get(meta.id)
    example = doc.examples.get(which) if doc else None
    if not example:
        reason = doc.examples.get("skip-reason") if doc else None
        why = f": {' '.join(str(reason).split())}" if reason else ""
        what = "failing" if which == "fail" else "fixed"
        raise LookupError(f"{meta.id} has no {what} example{why}")
    return build(example).content


def _code(rule_id: str) -> tuple[str, ...]:
    """Where the rule's functions live (`capacity-figure-mismatch in dataplan_lint/checks/
    domain/capacity.py:figure_mismatch`), read from the built-in table."""
    from dataplan_lint.engine.registry import builtins

    table = builtins()
    rule = next((rule for rule in bundled().rules if rule.id == rule_id), None)
    calls = rule.then if rule is not None else ()
    out = []
    for call in calls:
        entry = table.get(call.function)
        if entry is not None:
            share = f" (its `{entry.check}` issues)" if entry.check else ""
            out.append(f"{call.function} in {entry.location}{share}{_options(entry, call)}")
    return tuple(out)


def _options(entry: Any, call: Any) -> str:
    """`; options: min = 2 (default 1), where = ...`: what the rule gives each declared
    option, else the default the table declares for it."""
    shown = []
    for name in sorted(entry.options):
        default = entry.options[name].default
        if name in call.options:
            suffix = f" (default {_value(default)})" if default is not None else ""
            shown.append(f"{name} = {_value(call.options[name])}{suffix}")
        elif default is not None:
            shown.append(f"{name} = {_value(default)} (default)")
    return "; options: " + ", ".join(shown) if shown else ""


def _value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
