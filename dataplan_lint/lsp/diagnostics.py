"""Findings as LSP diagnostics: severity, rule id as `code`, a link to the rule's page,
related places; and the one diagnostic that says the configuration cannot be used (or
that the check overran its time and was abandoned)."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from dataplan_lint.core.findings import Finding, Related, Severity, Span
from dataplan_lint.core.safe_text import escape
from dataplan_lint.lsp.linting import Checked
from dataplan_lint.lsp.positions import Lines

SOURCE = "dataplan-lint"
CONFIG_CODE = "config"
TIMEOUT_CODE = "timeout"
SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def shown(text: str) -> str:
    """Text from a plan as an editor shows it: controls and bidi overrides escaped."""
    return escape(text, keep="\n", line_start=False)


def diagnostics(checked: Checked, lines: Lines) -> list[types.Diagnostic]:
    """What the editor shows for one checked document."""
    if checked.config_error is not None:
        return [
            types.Diagnostic(
                range=lines.range(None),
                message=f"configuration error: {shown(checked.config_error)}",
                severity=types.DiagnosticSeverity.Error,
                code=CONFIG_CODE,
                source=SOURCE,
            )
        ]
    if checked.overran is not None:
        return [
            types.Diagnostic(
                range=lines.range(None),
                message=(
                    f"the check did not finish within {checked.overran:g} s and was "
                    "abandoned; this plan is not checked (run `dataplan-lint check` on it "
                    "to see why it takes so long)"
                ),
                severity=types.DiagnosticSeverity.Error,
                code=TIMEOUT_CODE,
                source=SOURCE,
            )
        ]
    return [diagnostic(checked, finding, lines) for finding in checked.findings]


def diagnostic(checked: Checked, finding: Finding, lines: Lines) -> types.Diagnostic:
    from dataplan_lint.report.model import reference_url

    related = [
        info for item in finding.related if (info := _related(checked, item, lines)) is not None
    ]
    return types.Diagnostic(
        range=lines.range(finding.span),
        message=shown(finding.message),
        severity=SEVERITIES[finding.severity],
        code=finding.rule_id,
        code_description=types.CodeDescription(href=reference_url(checked.rule(finding))),
        source=SOURCE,
        related_information=related or None,
    )


def _related(
    checked: Checked, item: Related, lines: Lines
) -> types.DiagnosticRelatedInformation | None:
    """A related place in this document or in another file that exists (a base-ref
    version of a file, which exists only in git, is left out)."""
    message = shown(item.message)
    if checked.path is not None and item.path == _display(checked.path):
        location = types.Location(uri=checked.uri, range=lines.range(item.span))
        return types.DiagnosticRelatedInformation(location=location, message=message)
    path = Path(item.path)
    try:
        path = path if path.is_absolute() else Path.cwd() / path
        if not path.is_file():
            return None
        uri = path.resolve().as_uri()
    except (OSError, RuntimeError, ValueError):
        return None
    location = types.Location(uri=uri, range=_plain_range(item.span))
    return types.DiagnosticRelatedInformation(location=location, message=message)


def _plain_range(span: Span | None) -> types.Range:
    """A range in a file whose text is not at hand: columns counted in characters."""
    if span is None:
        span = Span(1, 1, 1, 1)

    def point(line: int, col: int) -> types.Position:
        return types.Position(line=max(line - 1, 0), character=max(col - 1, 0))

    return types.Range(
        start=point(span.start_line, span.start_col), end=point(span.end_line, span.end_col)
    )


def _display(path: Path) -> str:
    from dataplan_lint.files.discovery import display_path

    return display_path(path)
