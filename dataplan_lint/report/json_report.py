"""The versioned JSON report (`--format json`); docs/json-format.md describes the shape."""

from __future__ import annotations

from typing import Any

from dataplan_lint.core.findings import Finding, Related, Severity, Span
from dataplan_lint.core.safe_text import dump_json
from dataplan_lint.report.model import TOOL_NAME, Run, gate_of, reference_url

JSON_FORMAT_VERSION = 1


def render(run: Run) -> str:
    return dump_json(build(run))


def build(run: Run) -> dict[str, Any]:
    counts = run.counts()
    by_gate: dict[str, int] = {}
    for finding in run.active:
        key = str(gate_of(finding))
        by_gate[key] = by_gate.get(key, 0) + 1
    per_file: dict[str, int] = {}
    for finding in run.active:
        per_file[finding.path] = per_file.get(finding.path, 0) + 1
    return {
        "version": JSON_FORMAT_VERSION,
        "tool": {"name": TOOL_NAME, "version": run.version},
        "files": [
            {
                "path": report.path,
                "findings": per_file.get(report.path, 0),
                "error": report.input_error,
            }
            for report in run.reports
        ],
        "findings": [_finding(run, finding) for finding in run.findings],
        "baseline": (
            None
            if run.baseline_path is None
            else {
                "path": run.baseline_path,
                "stale": [entry.to_json() for entry in run.stale_baseline],
            }
        ),
        "summary": {
            "files": len(run.reports),
            "findings": len(run.active),
            "errors": counts[Severity.ERROR],
            "warnings": counts[Severity.WARNING],
            "infos": counts[Severity.INFO],
            "suppressed": len(run.suppressed),
            "by_gate": dict(sorted(by_gate.items(), key=lambda item: int(item[0]))),
            "fail_on": run.fail_on.label,
            "exit_zero": run.exit_zero,
            "failed": run.failing(),
            "exit_code": run.exit_code,
            "input_errors": list(run.input_errors),
        },
    }


def _span(span: Span | None) -> dict[str, int] | None:
    if span is None:
        return None
    return {
        "line": span.start_line,
        "column": span.start_col,
        "end_line": span.end_line,
        "end_column": span.end_col,
    }


def _related(item: Related) -> dict[str, Any]:
    return {"path": item.path, "span": _span(item.span), "message": item.message}


def _finding(run: Run, finding: Finding) -> dict[str, Any]:
    rule = run.rule(finding.rule_id)
    return {
        "rule_id": finding.rule_id,
        "slug": finding.slug or rule.slug,
        "severity": finding.severity.label,
        "message": finding.message,
        "path": finding.path,
        "line": finding.line,
        "column": finding.col,
        "span": _span(finding.span),
        "pointer": finding.pointer,
        "gate": finding.gate or rule.gate,
        "family": finding.family or rule.family,
        "fingerprint": finding.fingerprint,
        "related": [_related(item) for item in finding.related],
        "suppression": (
            None
            if finding.suppression is None
            else {"kind": finding.suppression.kind, "reason": finding.suppression.reason}
        ),
        "data": dict(finding.data),
        "help_uri": reference_url(rule),
    }
