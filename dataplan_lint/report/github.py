"""GitHub Actions workflow-command annotations (`::error file=...::message`).

GitHub shows at most 10 error, 10 warning and 10 notice annotations per step; anything
beyond is dropped without a word. So the most severe findings are printed first, at
most 10 per level, and the rest are counted in one final `::notice` that points to the
job summary and the SARIF report, which list every finding. When that final notice is
needed, only 9 info-level findings are annotated so the notice itself is not the one
GitHub drops.

An annotation's level says what the finding does to this run, so annotations agree with
the step result: `::error` only for findings that fail the run (at or above fail-on,
not `--exit-zero`), `::warning` for other errors and warnings, `::notice` for infos. The
rule's own severity is added to the title when the two differ. A usage or input error
(exit 2) is an `::error` of its own.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from dataplan_lint.core.findings import Finding, Severity, last_line, region
from dataplan_lint.core.safe_text import escape
from dataplan_lint.report.model import Run

MAX_PER_LEVEL = 10
COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message (or property): other control characters, bidi controls
    and `##[` shown escaped by `safe_text`; then GitHub's own escapes, `%` first, then CR
    and LF (the runner decodes them: a message may span lines without starting a new one).
    Nothing here begins a line, so a leading `::` is data, not a command."""
    return (
        escape(text, keep="\r\n", line_start=False)
        .replace("%", "%25")
        .replace("\r", "%0D")
        .replace("\n", "%0A")
    )


def escape_property(text: str) -> str:
    """Escape a property value (file, title): as the message, plus `:` and `,`."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


@dataclass(frozen=True, slots=True)
class Selection:
    shown: list[Finding]
    hidden: list[Finding]


def level(run: Run, finding: Finding) -> Severity:
    """The annotation level: ERROR only when the finding fails this run."""
    if run.fails_run(finding):
        return Severity.ERROR
    return Severity.WARNING if finding.severity >= Severity.WARNING else Severity.INFO


def select(run: Run) -> Selection:
    """The findings to annotate (most severe first, capped per level) and the rest."""
    ordered = sorted(
        run.active, key=lambda f: (-int(level(run, f)), -int(f.severity), *f.sort_key())
    )
    totals = Counter(level(run, finding) for finding in ordered)
    totals[Severity.ERROR] += len(run.input_errors)
    overflow = any(count > MAX_PER_LEVEL for count in totals.values())
    caps = dict.fromkeys(COMMANDS, MAX_PER_LEVEL)
    caps[Severity.ERROR] = max(MAX_PER_LEVEL - len(run.input_errors), 0)
    if overflow:
        caps[Severity.INFO] = MAX_PER_LEVEL - 1  # leave room for the closing notice
    used: Counter[Severity] = Counter()
    shown: list[Finding] = []
    hidden: list[Finding] = []
    for finding in ordered:
        which = level(run, finding)
        if used[which] < caps[which]:
            used[which] += 1
            shown.append(finding)
        else:
            hidden.append(finding)
    return Selection(shown, hidden)


def annotation(run: Run, finding: Finding) -> str:
    props = [f"file={escape_property(run.uri(finding.path))}"]
    if finding.span is not None:
        span = region(finding.span)
        end_line = last_line(finding.span)
        props.append(f"line={span.start_line}")
        props.append(f"endLine={end_line}")
        if end_line == span.start_line:
            # GitHub's column range is inclusive; ours ends after the region.
            props.append(f"col={span.start_col}")
            props.append(f"endColumn={max(span.start_col, span.end_col - 1)}")
    title = f"{finding.rule_id} {finding.slug}".strip()
    shown_level = level(run, finding)
    if shown_level != finding.severity:
        effect = "fails" if shown_level == Severity.ERROR else "does not fail"
        title += f" ({finding.severity.label}; {effect} this run)"
    props.append(f"title={escape_property(title)}")
    command = COMMANDS[shown_level]
    return f"::{command} {','.join(props)}::{escape_data(finding.message)}"


def overflow_message(hidden: list[Finding]) -> str:
    counts = Counter(finding.severity for finding in hidden)
    parts = [
        f"{counts[severity]} {severity.label}{'s' if counts[severity] != 1 else ''}"
        for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO)
        if counts[severity]
    ]
    noun = "finding was" if len(hidden) == 1 else "findings were"
    return (
        f"{len(hidden)} more {noun} not annotated ({', '.join(parts)}): GitHub shows at "
        f"most {MAX_PER_LEVEL} annotations per level in a step. The job summary and the "
        "SARIF report list every finding."
    )


def render(run: Run) -> str:
    selection = select(run)
    title = escape_property("dataplan-lint: input error")
    lines = [f"::error title={title}::{escape_data(problem)}" for problem in run.input_errors]
    lines += [annotation(run, finding) for finding in selection.shown]
    if selection.hidden:
        title = escape_property("dataplan-lint: more findings")
        lines.append(f"::notice title={title}::{escape_data(overflow_message(selection.hidden))}")
    return "".join(line + "\n" for line in lines)
