"""reviewdog Diagnostic Format (rdjson): one JSON document with every active finding.

`reviewdog -f=rdjson` reads this to comment on pull requests on GitHub, GitLab and
Gerrit. Columns are 1-based like ours; the end position is exclusive.
"""

from __future__ import annotations

from typing import Any

from dataplan_lint.core.findings import Related, Severity, Span, region
from dataplan_lint.core.safe_text import dump_json
from dataplan_lint.report.model import INFORMATION_URI, TOOL_NAME, Run, reference_url

SEVERITIES = {Severity.ERROR: "ERROR", Severity.WARNING: "WARNING", Severity.INFO: "INFO"}


def _location(run: Run, path: str, span: Span | None) -> dict[str, Any]:
    location: dict[str, Any] = {"path": run.uri(path)}
    if span is not None:
        fixed = region(span)
        location["range"] = {
            "start": {"line": fixed.start_line, "column": fixed.start_col},
            "end": {"line": fixed.end_line, "column": fixed.end_col},
        }
    return location


def _related(run: Run, item: Related) -> dict[str, Any]:
    return {"message": item.message, "location": _location(run, item.path, item.span)}


def render(run: Run) -> str:
    diagnostics: list[dict[str, Any]] = []
    for finding in run.active:
        rule = run.rule(finding.rule_id)
        diagnostic: dict[str, Any] = {
            "message": finding.message,
            "location": _location(run, finding.path, finding.span),
            "severity": SEVERITIES[finding.severity],
            "source": {"name": TOOL_NAME, "url": INFORMATION_URI},
            "code": {"value": finding.rule_id, "url": reference_url(rule)},
        }
        if finding.related:
            diagnostic["related_locations"] = [_related(run, item) for item in finding.related]
        diagnostics.append(diagnostic)
    document = {
        "source": {"name": TOOL_NAME, "url": INFORMATION_URI},
        "diagnostics": diagnostics,
    }
    return dump_json(document)
