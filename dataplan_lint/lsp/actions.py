"""Code actions: a finding's fix, every safe fix at once, and an inline suppression.

The fixes are the ones `check --fix` applies (`files.fixer`, in passes for "fix all":
`pipeline.fixing`); an unsafe fix is offered too, saying so, and never as the preferred
action. A suppression is the comment `pipeline.suppression` reads, put on its own line
above the finding at that line's indentation, or added to a suppression comment that
already applies to that line; its reason is left for the author to write.

Fixes are slow to compute (a ruamel.yaml round trip), so an action is listed first and
its edit is made when the client resolves it (`codeAction/resolve`); a client that
cannot resolve gets the edits with the list. Edits replace whole lines and carry the
document's version.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from lsprotocol import types

from dataplan_lint.core.findings import Finding, Fix, Span
from dataplan_lint.core.rules import INTERNAL_RULES, SUPPRESSION_RULES
from dataplan_lint.lsp.diagnostics import diagnostic
from dataplan_lint.lsp.linting import Checked
from dataplan_lint.lsp.positions import Lines, line_start, next_line_start, offset_at, position_at

FIX_ALL = "source.fixAll.dataplan-lint"
FIX_ALL_TITLE = "Fix all dataplan-lint safe fixes"
QUICKFIX = types.CodeActionKind.QuickFix
SUPPRESS_COMMENT = "# dataplan-lint: disable={rule} -- "

FIX, FIX_ALL_ACTION, SUPPRESS = "fix", "fix-all", "suppress"


@dataclass(frozen=True, slots=True)
class Wanted:
    """What the client asks for: the range (tool positions) and the kinds it wants."""

    start: tuple[int, int]
    end: tuple[int, int]
    only: Sequence[str] | None = None

    def kind(self, kind: str) -> bool:
        """Whether an action of `kind` is wanted (a requested kind covers its sub-kinds)."""
        if not self.only:
            return True
        return any(kind == want or kind.startswith(want + ".") for want in self.only)

    def explicitly(self, kind: str) -> bool:
        return bool(self.only) and self.kind(kind)


def _overlaps(span: Span, wanted: Wanted) -> bool:
    return (span.start_line, span.start_col) <= wanted.end and wanted.start <= (
        span.end_line,
        span.end_col,
    )


def _key(finding: Finding) -> list[Any]:
    """What names a finding in an action's `data` (found again when it is resolved)."""
    return [finding.rule_id, finding.pointer, finding.line, finding.col]


def _finding(checked: Checked, key: Any) -> Finding | None:
    return next((f for f in checked.findings if _key(f) == key), None)


def suppressible(finding: Finding) -> bool:
    """Findings about the file itself, about suppressions, or internal errors are not
    suppressed inline; a finding without a place has no line to put the comment above."""
    return (
        finding.span is not None
        and finding.family != "file"
        and finding.rule_id not in SUPPRESSION_RULES
        and finding.rule_id not in INTERNAL_RULES
    )


def code_actions(
    checked: Checked, lines: Lines, wanted: Wanted, *, resolve: bool, versioned: bool
) -> list[types.CodeAction]:
    """The actions for the findings in the wanted range, plus "fix all"; with
    `resolve`, the fixes' edits are left for `resolve_action`."""
    out: list[types.CodeAction] = []
    if wanted.kind(QUICKFIX):
        seen: set[tuple[Any, ...]] = set()
        for finding in checked.findings:
            if not _overlaps(finding.span or lines.whole_line(1), wanted):
                continue
            fix = finding.fix
            if fix is not None and tuple(fix.edits) not in seen:
                seen.add(tuple(fix.edits))
                out.append(_fix_action(checked, lines, finding, fix))
            if suppressible(finding):
                out.append(_suppress_action(checked, lines, finding))
    fixable = any(f.fix is not None and f.fix.safe for f in checked.findings)
    if fixable and wanted.kind(FIX_ALL) and (resolve or wanted.explicitly(FIX_ALL)):
        out.append(
            types.CodeAction(
                title=FIX_ALL_TITLE, kind=FIX_ALL, data=_data(checked, FIX_ALL_ACTION, None)
            )
        )
    for action in out:
        if action.edit is None and not resolve:
            action.edit = edit_for(checked, lines, action.data, versioned=versioned)
    return [action for action in out if resolve or action.edit is not None]


def _data(checked: Checked, action: str, finding: Finding | None) -> dict[str, Any]:
    return {
        "uri": checked.uri,
        "version": checked.version,
        "action": action,
        "finding": _key(finding) if finding is not None else None,
    }


def _fix_action(checked: Checked, lines: Lines, finding: Finding, fix: Fix) -> types.CodeAction:
    if fix.safe:
        title = f"Fix {finding.rule_id}: {fix.title}"
    else:
        title = f"Fix {finding.rule_id} (unsafe: it changes what the plan claims): {fix.title}"
    return types.CodeAction(
        title=title,
        kind=QUICKFIX,
        diagnostics=[diagnostic(checked, finding, lines)],
        is_preferred=fix.safe,
        data=_data(checked, FIX, finding),
    )


def _suppress_action(checked: Checked, lines: Lines, finding: Finding) -> types.CodeAction:
    return types.CodeAction(
        title=f"Suppress {finding.rule_id} with a reason",
        kind=QUICKFIX,
        diagnostics=[diagnostic(checked, finding, lines)],
        data=_data(checked, SUPPRESS, finding),
    )


# ----------------------------------------------------------------------- edits


def edit_for(
    checked: Checked, lines: Lines, data: Any, *, versioned: bool
) -> types.WorkspaceEdit | None:
    """The edit an action's `data` stands for, on the text of `checked`; None when it
    no longer applies (the finding is gone, or its fix does not apply cleanly)."""
    if not isinstance(data, dict) or data.get("version") != checked.version:
        return None
    action = data.get("action")
    edits: list[types.TextEdit] | None = None
    if action == FIX_ALL_ACTION:
        edits = _replacing(checked, lines, _fixed_all(checked))
    else:
        finding = _finding(checked, data.get("finding"))
        if finding is None:
            return None
        if action == FIX and finding.fix is not None:
            edits = _replacing(checked, lines, _fixed(checked, finding.fix))
        elif action == SUPPRESS and suppressible(finding):
            edits = _suppression(checked, lines, finding)
    if not edits:
        return None
    if not versioned:
        return types.WorkspaceEdit(changes={checked.uri: list(edits)})
    document = types.OptionalVersionedTextDocumentIdentifier(
        uri=checked.uri, version=checked.version
    )
    return types.WorkspaceEdit(
        document_changes=[types.TextDocumentEdit(text_document=document, edits=list(edits))]
    )


def _fixed(checked: Checked, fix: Fix) -> str | None:
    from dataplan_lint.files.fixer import apply

    outcome = apply(checked.text, [fix])
    return outcome.text if outcome.error is None and outcome.applied else None


def _fixed_all(checked: Checked) -> str | None:
    from dataplan_lint.core.report import FileReport
    from dataplan_lint.files.discovery import Discovered, display_path
    from dataplan_lint.pipeline.fixing import fix_in_passes

    if checked.path is None or checked.settings is None:
        return None
    display = display_path(checked.path)
    item = Discovered(checked.path, display, content=checked.text.encode("utf-8"))
    report = FileReport(display, findings=list(checked.findings), text=checked.text)
    result = fix_in_passes(item, report, checked.settings, unsafe=False)
    return result.text if result is not None and result.error is None else None


def _replacing(checked: Checked, lines: Lines, new: str | None) -> list[types.TextEdit] | None:
    """One edit turning the document's text into `new`, replacing whole lines."""
    old = checked.text
    if new is None or new == old:
        return None
    prefix = 0
    limit = min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    start = line_start(old, prefix)
    end = next_line_start(old, len(old) - suffix)
    kept_after = len(old) - end
    where = types.Range(
        start=lines.to_client(*position_at(old, start)),
        end=lines.to_client(*position_at(old, end)),
    )
    return [types.TextEdit(range=where, new_text=new[start : len(new) - kept_after])]


def _suppression(checked: Checked, lines: Lines, finding: Finding) -> list[types.TextEdit] | None:
    """The finding's rule added to the suppression comment for its line, else a new
    comment on its own line above it; None when the comment would change the plan."""
    from dataplan_lint.pipeline.suppression import parse

    assert finding.span is not None
    line = finding.span.start_line
    existing = next((d for d in parse(checked.text) if d.target == line and d.rules), None)
    if existing is not None:
        name, col = existing.rules[-1]
        at = lines.to_client(existing.line, col + len(name))
        edit = types.TextEdit(range=types.Range(start=at, end=at), new_text=f",{finding.rule_id}")
    else:
        source = lines.line(line)
        indent = source[: len(source) - len(source.lstrip(" \t"))]
        newline = "\r\n" if "\r\n" in checked.text else "\r" if "\n" not in checked.text else "\n"
        comment = indent + SUPPRESS_COMMENT.format(rule=finding.rule_id) + newline
        at = lines.to_client(line, 1)
        edit = types.TextEdit(range=types.Range(start=at, end=at), new_text=comment)
    return [edit] if _same_plan(checked, lines, edit) else None


def _same_plan(checked: Checked, lines: Lines, edit: types.TextEdit) -> bool:
    """Whether the text with the comment added holds the same plan (a comment line
    inside a multi-line scalar would end it)."""
    from dataplan_lint.files.loader import load_text

    plan = checked.plan
    if plan is None:
        return False
    offset = offset_at(checked.text, *lines.from_client(edit.range.start))
    new = checked.text[:offset] + edit.new_text + checked.text[offset:]
    loaded = load_text(new, plan.path).plan
    return loaded is not None and loaded.data == plan.data
