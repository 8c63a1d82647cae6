"""Console output: one header line per finding, the source with a caret, a summary.

Paths, messages and echoed source lines come from the checked files: they go through
`safe_text` (control characters, bidi controls and workflow-command openers shown
escaped), and the caret is placed by the escaped columns.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

from dataplan_lint.core.findings import Finding, Related, Severity
from dataplan_lint.core.report import FileReport
from dataplan_lint.core.safe_text import escape, escape_columns
from dataplan_lint.files.loader import text_lines

_COLOURS = {
    Severity.ERROR: "\x1b[1;31m",
    Severity.WARNING: "\x1b[1;33m",
    Severity.INFO: "\x1b[1;36m",
}
_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"
MAX_SNIPPET_LINES = 3


def render(
    reports: Iterable[FileReport],
    *,
    colour: bool = False,
    snippets: bool = True,
    errors: Sequence[str] = (),
    unsafe_fixes: bool = False,
    quiet: bool = False,
) -> str:
    """The console report; `[*]` marks a finding `--fix` repairs (with `unsafe_fixes`,
    also those only `--unsafe-fixes` repairs). `quiet`: the findings alone, without the
    closing summary and fix hint."""
    reports = list(reports)
    out: list[str] = []
    for report in reports:
        lines = text_lines(report.text) if report.text is not None and snippets else None
        for finding in report.findings:
            if finding.suppression is not None:
                continue
            out.append(_header(finding, colour, unsafe_fixes))
            if finding.path != report.path and finding.related:  # shown at its change site
                plan = finding.related[0]
                out.append(f"  = {escape(plan.message)}: {escape(plan.path)}:{_at(plan)}")
            elif lines is not None and finding.span is not None:
                out.extend(_snippet(finding, lines, colour))
    if quiet:
        return "".join(line + "\n" for line in out)
    out.append(summary(reports, colour=colour, errors=errors))
    fixable = fix_summary(reports, unsafe_fixes)
    if fixable:
        out.append(fixable)
    return "\n".join(out) + "\n"


def _at(place: Related) -> str:
    span = place.span
    return f"{span.start_line}:{span.start_col}" if span is not None else "1:1"


def _fixable(finding: Finding, unsafe_fixes: bool) -> bool:
    return finding.fix is not None and (finding.fix.safe or unsafe_fixes)


def _header(finding: Finding, colour: bool, unsafe_fixes: bool = False) -> str:
    location = f"{escape(finding.path)}:{finding.line}:{finding.col}:"
    severity = finding.severity.label
    if colour:
        location = f"{_BOLD}{location}{_RESET}"
        severity = f"{_COLOURS[finding.severity]}{severity}{_RESET}"
    mark = " [*]" if _fixable(finding, unsafe_fixes) else ""
    return f"{location} {escape(finding.rule_id)}{mark} {severity} {escape(finding.message)}"


def fix_summary(reports: Iterable[FileReport], unsafe_fixes: bool = False) -> str:
    """`[*] 5 fixable with `--fix` (2 more with `--unsafe-fixes`).`, or "" when none."""
    safe = unsafe = 0
    for report in reports:
        for finding in report.findings:
            if finding.fix is None or finding.suppression is not None:
                continue
            if finding.fix.safe:
                safe += 1
            else:
                unsafe += 1
    if unsafe_fixes:
        safe, unsafe = safe + unsafe, 0
    if not safe and not unsafe:
        return ""
    if not safe:
        return f"No fix is safe to apply; {unsafe} with `--fix --unsafe-fixes`."
    more = f" ({unsafe} more with `--unsafe-fixes`)" if unsafe else ""
    option = "`--fix --unsafe-fixes`" if unsafe_fixes else "`--fix`"
    return f"[*] {safe} fixable with {option}{more}."


def _snippet(finding: Finding, lines: list[str], colour: bool) -> list[str]:
    span = finding.span
    assert span is not None
    first = span.start_line
    if first < 1 or first > len(lines):
        return []
    last = min(span.end_line, first + MAX_SNIPPET_LINES - 1, len(lines))
    if span.end_line > span.start_line and span.end_col == 1:
        last = max(first, min(last, span.end_line - 1))
    width = len(str(last))
    raw = [lines[number - 1].replace("\t", " ") for number in range(first, last + 1)]
    shown = [escape(line) for line in raw]
    body = _highlight(shown) if colour else shown
    out: list[str] = []
    for offset, text in enumerate(body):
        number = first + offset
        gutter = f"{number:>{width}} | "
        out.append(f"{_DIM}{gutter}{_RESET}{text}" if colour else f"  {gutter}{text}")
        if number == first:
            caret = _caret(raw[0], span.start_col, span.end_col, span.end_line == first)
            pad = " " * (width + 3)
            if colour:
                out.append(f"{pad}{_COLOURS[finding.severity]}{caret}{_RESET}")
            else:
                out.append(f"  {pad}{caret}")
    return out


def _caret(line: str, start_col: int, end_col: int, ends_here: bool) -> str:
    """Carets under columns start_col..end_col (1-based, end exclusive) of `line`, placed
    in its escaped form (an escaped character is wider than one column)."""
    _, columns = escape_columns(line)
    start = min(max(start_col, 1), len(line) + 1)
    end = min(max(end_col if ends_here else len(line) + 1, start), len(line) + 1)
    shown_start, shown_end = columns[start - 1], columns[end - 1]
    return " " * shown_start + "^" * max(1, shown_end - shown_start)


def _highlight(lines: list[str]) -> list[str]:
    from pygments import highlight
    from pygments.formatters import TerminalFormatter
    from pygments.lexers import YamlLexer

    rendered = highlight("\n".join(lines), YamlLexer(), TerminalFormatter())
    result = rendered.rstrip("\n").split("\n")
    return result if len(result) == len(lines) else lines


def summary(
    reports: Iterable[FileReport], *, colour: bool = False, errors: Sequence[str] = ()
) -> str:
    """The closing line. With a usage or input error it never claims the checks passed."""
    reports = list(reports)
    counts: Counter[Severity] = Counter()
    suppressed = 0
    for report in reports:
        for finding in report.findings:
            if finding.suppression is not None:
                suppressed += 1
            else:
                counts[finding.severity] += 1
    files = len(reports)
    noun = "file" if files == 1 else "files"
    total = sum(counts.values())
    if errors:
        problems = f"{len(errors)} input error{'s' if len(errors) != 1 else ''}"
        text = (
            f"Check incomplete: {problems} (see above); {files} {noun} checked, "
            f"{total} finding{'s' if total != 1 else ''}."
        )
    elif not total:
        text = f"All checks passed: {files} {noun} checked, no findings."
    else:
        parts = [
            f"{counts[severity]} {severity.label}{'s' if counts[severity] != 1 else ''}"
            for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO)
            if counts[severity]
        ]
        plural = "s" if total != 1 else ""
        flagged = sum(
            1 for report in reports if any(f.suppression is None for f in report.findings)
        )
        where = f"{files} {noun}" if flagged == files else f"{flagged} of {files} files"
        text = f"Found {total} finding{plural} ({', '.join(parts)}) in {where}."
    if suppressed:
        text += f" {suppressed} suppressed."
    return f"{_BOLD}{text}{_RESET}" if colour else text


def statistics(reports: Iterable[FileReport]) -> str:
    """`--statistics`: one line per rule with its count of active findings, most first."""
    counts: Counter[tuple[str, str, Severity]] = Counter()
    for report in reports:
        for finding in report.findings:
            if finding.suppression is None:
                counts[(finding.rule_id, finding.slug, finding.severity)] += 1
    if not counts:
        return ""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    width = len(str(ordered[0][1]))
    lines = [
        f"{count:>{width}}\t{escape(rule_id)}\t{severity.label}\t{escape(slug)}".rstrip()
        for (rule_id, slug, severity), count in ordered
    ]
    return "\n".join(lines) + "\n"
