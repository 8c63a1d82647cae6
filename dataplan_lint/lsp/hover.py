"""Hover: on a finding, what it says and the rule's explanation (as `explain` gives it);
on a key, what the bundled schema says about it (description, allowed values, units).

Text that comes from the plan or from a project's own rulesets is escaped for Markdown
(no links, images or HTML of its making); the bundled rules' and schema's text is ours
and keeps its Markdown.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from typing import Any

from lsprotocol import types

from dataplan_lint.core.findings import Finding, Span
from dataplan_lint.lsp.diagnostics import shown
from dataplan_lint.lsp.linting import Checked
from dataplan_lint.lsp.positions import Lines

_MARKDOWN_SPECIALS = "\\`*_[]<>#|~!"


def plain_markdown(text: str) -> str:
    """`text` shown literally in Markdown: every character that could start markup is
    escaped, controls and bidi overrides are shown escaped."""
    text = html.escape(shown(text), quote=False)
    for char in _MARKDOWN_SPECIALS:
        text = text.replace(char, "\\" + char)
    return text


def _covers(span: Span, line: int, col: int) -> bool:
    return (span.start_line, span.start_col) <= (line, col) < (span.end_line, span.end_col)


def findings_at(checked: Checked, lines: Lines, line: int, col: int) -> list[Finding]:
    """The findings whose place covers (line, col); one without a place covers line 1."""
    return [
        finding
        for finding in checked.findings
        if _covers(finding.span or lines.whole_line(1), line, col)
    ]


def key_at(checked: Checked, line: int, col: int) -> tuple[str, Span] | None:
    """The JSON pointer and span of the mapping key under (line, col)."""
    plan = checked.plan
    if plan is None:
        return None
    for pointer, span in plan.keys.items():
        if _covers(span, line, col):
            return pointer, span
    return None


def hover(
    checked: Checked, lines: Lines, line: int, col: int, markdown: bool
) -> types.Hover | None:
    """The hover at (line, col): the findings there, else the key's schema help."""
    found = findings_at(checked, lines, line, col)
    if found:
        render = _finding_markdown if markdown else _finding_text
        return _hover([render(checked, f) for f in found], found[0].span, lines, markdown)
    key = key_at(checked, line, col)
    if key is None:
        return None
    pointer, span = key
    body = _key_help(pointer, markdown)
    return _hover([body], span, lines, markdown) if body else None


def _hover(parts: list[str], span: Span | None, lines: Lines, markdown: bool) -> types.Hover:
    separator = "\n\n---\n\n" if markdown else "\n\n"
    kind = types.MarkupKind.Markdown if markdown else types.MarkupKind.PlainText
    return types.Hover(
        contents=types.MarkupContent(kind=kind, value=separator.join(parts)),
        range=lines.range(span),
    )


# ---------------------------------------------------------------------- findings


def _bundled(rule_id: str) -> Any:
    """The bundled rule or built-in check with this id (None for a project's own rule)."""
    from dataplan_lint.engine.catalog import all_rules

    return next((meta for meta in all_rules() if meta.id == rule_id), None)


def _finding_markdown(checked: Checked, finding: Finding) -> str:
    from dataplan_lint.report.model import reference_url

    meta = checked.rule(finding)
    head = (
        f"**{finding.rule_id}** `{plain_markdown(meta.slug)}` · {finding.severity.label}: "
        f"{plain_markdown(finding.message)}"
    )
    out = [head]
    if finding.fix is not None:
        safe = "a safe fix" if finding.fix.safe else "an unsafe fix (review it)"
        out.append(f"Quick fix available ({safe}): {plain_markdown(finding.fix.title)}.")
    bundled = _bundled(finding.rule_id)
    if bundled is not None:
        out.append(_explanation_markdown(bundled))
    else:  # a project's own rule: its text is the project's
        out.append(f"*{plain_markdown(meta.summary)}*")
        if meta.description:
            out.append(plain_markdown(meta.description))
    out.append(f"[{finding.rule_id} reference]({reference_url(meta)})")
    return "\n\n".join(out)


def _explanation_markdown(meta: Any) -> str:
    from dataplan_lint.engine.docs import EXAMPLES_NOTE, explanation

    parts = explanation(meta)
    out = [f"*{meta.summary}*", f"{parts.context}. {parts.fix[:1].upper()}{parts.fix[1:]}."]
    out += list(parts.paragraphs)
    if parts.examples:
        out.append(f"_{EXAMPLES_NOTE}_")
    for title, example in parts.examples:
        out.append(f"**{title}**\n\n```yaml\n{example}\n```")
    return "\n\n".join(out)


def _finding_text(checked: Checked, finding: Finding) -> str:
    from dataplan_lint.engine.docs import explain_text

    meta = checked.rule(finding)
    body = explain_text(_bundled(finding.rule_id) or meta)
    return f"{finding.rule_id} {meta.slug}: {shown(finding.message)}\n\n{shown(body)}"


# ---------------------------------------------------------------------- keys


def _key_help(pointer: str, markdown: bool) -> str | None:
    from dataplan_lint.core.pointers import display
    from dataplan_lint.schema.describe import key_help

    found = key_help(pointer)
    if found is None:
        return None
    name = display(pointer)
    facts: list[str] = []
    if found.types:
        facts.append("type: " + " or ".join(found.types))
    if found.allowed:
        facts.append("allowed: " + _values(found.allowed, markdown))
    if found.minimum is not None:
        facts.append(f"minimum: {found.minimum:g}")
    if found.maximum is not None:
        facts.append(f"maximum: {found.maximum:g}")
    if found.examples:
        facts.append("for example: " + _values(found.examples, markdown))
    if markdown:
        head = f"**{plain_markdown(name)}**"
        return "\n\n".join([head, *found.descriptions, " · ".join(facts)]).strip()
    return "\n\n".join([name, *found.descriptions, "; ".join(facts)]).strip()


def _values(values: Iterable[Any], markdown: bool) -> str:
    texts = [value if isinstance(value, str) else json.dumps(value) for value in values]
    if markdown:
        return ", ".join(f"`{text}`" for text in texts)
    return ", ".join(texts)
