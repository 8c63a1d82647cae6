"""What a run produced per file, and the one exit status every verdict derives from.

Here, in the lowest layer, because every layer above uses them: the runner builds file
reports, the filters (baseline, changed lines) and the deleted-plan step return them, and
the reporters render them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from dataplan_lint.core.findings import Finding, Severity


@dataclass(slots=True)
class FileReport:
    """What one file produced: findings, or an input error that stops the run with exit 2."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    text: str | None = None
    input_error: str | None = None
    # Files read besides the plan, and the digest of the plan's bytes as checked: what
    # the result cache needs to know when this report may be reused.
    dependencies: tuple[tuple[str, str], ...] = ()
    plan_digest: str | None = None
    # Seconds per stage and per rule with `check --timings`, else None (a report from the
    # result cache has none: see pipeline/timings.py).
    timings: dict[str, float] | None = None


def exit_code(
    reports: Iterable[FileReport],
    fail_on: Severity,
    usage_errors: int = 0,
    *,
    exit_zero: bool = False,
) -> int:
    """The one exit status of a run: 2 on any usage or input error, else 1 when an
    unsuppressed finding is at or above `fail_on` (never with `exit_zero`), else 0.

    Every report (summary verdict, SARIF `executionSuccessful`, JSON `summary.failed`,
    annotation levels) derives from this same function, so they cannot disagree.
    """
    reports = list(reports)
    if usage_errors or any(report.input_error for report in reports):
        return 2
    if exit_zero:
        return 0
    failing = any(
        finding.severity >= fail_on and finding.suppression is None
        for report in reports
        for finding in report.findings
    )
    return 1 if failing else 0
