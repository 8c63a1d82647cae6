"""The Markdown job summary for `$GITHUB_STEP_SUMMARY`.

A scorecard (one row for the file and schema checks and one per gate 1-12), every
finding in a table, the compatibility changes with the change and the declared mode,
and the baseline state. GitHub accepts at most 1 MiB per step: rows stop before that
and a note says how many were left out and where to find them.
"""

from __future__ import annotations

import html
from collections import Counter

from dataplan_lint.core import regexes
from dataplan_lint.core.findings import Finding, Severity
from dataplan_lint.core.gates import GATE_TITLES
from dataplan_lint.core.safe_text import escape
from dataplan_lint.report import github
from dataplan_lint.report.model import (
    Run,
    data_value,
    gate_of,
    reference_url,
)

MAX_BYTES = 1024 * 1024
# Room kept for the sections after the findings table and the truncation note.
_RESERVE = 24 * 1024
MAX_CELL = 600
_AUTOLINK = regexes.SUMMARY_AUTOLINK.compile()
ICONS = {Severity.ERROR: "❌", Severity.WARNING: "⚠️", Severity.INFO: "ℹ️"}


def cell(text: str, limit: int = MAX_CELL) -> str:
    """Text safe inside a Markdown table cell: no HTML, no links, no pipes, no line breaks,
    control and bidi characters shown escaped (`safe_text`)."""
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    text = html.escape(escape(text, keep="\r\n", line_start=False), quote=False)
    for char in "\\`*_[]|#~":
        text = text.replace(char, "\\" + char)
    # Bare URLs would become links (GitHub's autolinks): an escaped `:` or `.` stops that.
    text = _AUTOLINK.sub(lambda match: match.group().replace(":", "\\:").replace(".", "\\."), text)
    return text.replace("\r\n", "<br>").replace("\r", "<br>").replace("\n", "<br>")


class _Writer:
    """Collects lines while tracking the UTF-8 size against the 1 MiB limit."""

    def __init__(self, limit: int) -> None:
        self.lines: list[str] = []
        self.size = 0
        self.limit = limit

    def fits(self, line: str, reserve: int = 0) -> bool:
        return self.size + len(line.encode("utf-8")) + 1 + reserve <= self.limit

    def add(self, line: str = "") -> None:
        self.lines.append(line)
        self.size += len(line.encode("utf-8")) + 1

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def render(run: Run, *, limit: int = MAX_BYTES) -> str:
    out = _Writer(limit)
    counts = run.counts()
    out.add(f"## dataplan-lint: {verdict(run)}")
    out.add()
    for problem in run.input_errors:
        out.add(f"- ❌ **input error:** {cell(problem)}")
    if run.input_errors:
        out.add()
    out.add(_headline(run, counts))
    for note in run.notes:
        out.add()
        out.add(f"> {cell(note)}")
    out.add()
    _scorecard(run, out)
    _findings(run, out)
    _compatibility(run, out)
    _suppressed(run, out)
    _annotation_note(run, out)
    return out.text()


def verdict(run: Run) -> str:
    """The heading's verdict, read from the run's one exit status."""
    if run.exit_code == 2:
        return "❌ error (the check did not complete; exit 2)"
    if run.exit_code == 1:
        return "❌ failed"
    if run.exit_zero and run.active:
        return "✅ passed (findings are reported but do not fail the run)"
    return "✅ passed"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _headline(run: Run, counts: Counter[Severity]) -> str:
    files = _plural(len(run.reports), "file")
    if not run.active:
        text = f"Checked {files}: no findings."
    else:
        parts = [
            _plural(counts[severity], severity.label)
            for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO)
            if counts[severity]
        ]
        text = f"Checked {files}: {_plural(len(run.active), 'finding')} ({', '.join(parts)})."
    if run.suppressed:
        text += f" {len(run.suppressed)} suppressed."
    if run.exit_zero:
        return text + " Findings do not fail this run (`--exit-zero`, fail-on `none`)."
    return text + f" The run fails on `{run.fail_on.label}` and above."


def _scorecard(run: Run, out: _Writer) -> None:
    per_gate: dict[int, list[Finding]] = {gate: [] for gate in GATE_TITLES}
    for finding in run.active:
        per_gate[gate_of(finding)].append(finding)
    out.add("### Scorecard")
    out.add()
    out.add("| Gate | Check | Result |")
    out.add("| --- | --- | --- |")
    for gate, title in GATE_TITLES.items():
        found = per_gate[gate]
        if not found:
            result = "✅ pass" if run.gate_checked(gate) else "⚪ not checked"
        else:
            worst = max(finding.severity for finding in found)
            fails = any(run.fails_run(finding) for finding in found)
            icon = "❌" if fails else ICONS[worst]
            result = f"{icon} {_plural(len(found), 'finding')}"
        out.add(f"| {gate if gate else '-'} | {title} | {result} |")
    out.add()


def _location(run: Run, finding: Finding) -> str:
    """`path:line:col`, linked to the file at the head commit when the run knows it."""
    text = cell(f"{finding.path}:{finding.line}:{finding.col}")
    link = run.source_link(finding.path, finding.line)
    return f"[{text}]({link})" if link else text


def _findings(run: Run, out: _Writer) -> None:
    if not run.active:
        return
    out.add(f"### Findings ({len(run.active)})")
    out.add()
    out.add("| Severity | Rule | Location | Message |")
    out.add("| --- | --- | --- | --- |")
    ordered = sorted(run.active, key=lambda f: (-int(f.severity), *f.sort_key()))
    for index, finding in enumerate(ordered):
        rule = run.rule(finding.rule_id)
        slug = finding.slug or rule.slug
        name = f"[{cell(finding.rule_id)}]({reference_url(rule)}) {cell(slug)}"
        row = (
            f"| {ICONS[finding.severity]} {finding.severity.label} | {name} | "
            f"{_location(run, finding)} | {cell(finding.message)} |"
        )
        if not out.fits(row, _RESERVE):
            _truncated(out, len(ordered) - index, len(ordered), "findings")
            return
        out.add(row)
    out.add()


def _truncated(out: _Writer, left: int, total: int, what: str) -> None:
    out.add()
    out.add(
        f"**Truncated:** {left} of {total} {what} are not listed here because a job "
        "summary is limited to 1 MiB. The SARIF and JSON reports list all of them."
    )
    out.add()


def _compatibility(run: Run, out: _Writer) -> None:
    found = [f for f in run.active if f.family == "compatibility"]
    if not found:
        return
    out.add(f"### Compatibility ({len(found)})")
    out.add()
    out.add("| Location | Change | Mode | Severity | Message |")
    out.add("| --- | --- | --- | --- | --- |")
    for index, finding in enumerate(found):
        # Rules put the change and the contract's mode in Finding.data; the rule's slug
        # names the kind of change when a finding does not carry it.
        change = data_value(finding, "change") or finding.slug or "-"
        mode = data_value(finding, "mode") or "-"
        row = (
            f"| {_location(run, finding)} | {cell(change)} | {cell(mode)} | "
            f"{ICONS[finding.severity]} {finding.severity.label} | {cell(finding.message)} |"
        )
        if not out.fits(row, _RESERVE // 2):
            _truncated(out, len(found) - index, len(found), "compatibility findings")
            return
        out.add(row)
    out.add()


def _suppressed(run: Run, out: _Writer) -> None:
    if not run.suppressed and run.baseline_path is None:
        return
    kinds = Counter(finding.suppression.kind for finding in run.suppressed if finding.suppression)
    out.add("### Suppressed and baseline")
    out.add()
    if run.suppressed:
        parts = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
        out.add(f"{_plural(len(run.suppressed), 'finding')} suppressed ({parts}).")
    if run.baseline_path is not None:
        stale = run.stale_baseline
        where = cell(run.baseline_path)
        if not stale:
            out.add(f"Every entry of the baseline {where} still occurs.")
        else:
            noun = "baseline entry" if len(stale) == 1 else "baseline entries"
            verb = "occurs" if len(stale) == 1 else "occur"
            out.add(
                f"{len(stale)} {noun} in {where} no longer {verb} (fixed, or changed enough "
                "to get a new fingerprint); regenerate the baseline to drop them:"
            )
            out.add()
            for number, entry in enumerate(stale):
                line = f"- {cell(entry.rule_id)} {cell(entry.path)}: {cell(entry.message)}"
                if not out.fits(line, 2048):
                    out.add(f"- … and {len(stale) - number} more")
                    break
                out.add(line)
    out.add()


def _annotation_note(run: Run, out: _Writer) -> None:
    hidden = github.select(run).hidden
    if not hidden:
        return
    out.add(
        f"**Annotations:** {_plural(len(hidden), 'finding')} went beyond GitHub's limit of "
        f"{github.MAX_PER_LEVEL} annotations per level in a step and "
        f"{'is' if len(hidden) == 1 else 'are'} shown only in the table above and in the "
        "SARIF report."
    )
    out.add()
