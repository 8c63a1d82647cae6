"""A finding about a change made in a schema file is shown where the change is.

The compatibility analysis reports a break made inside `schemas/checkout.avsc` against
the plan's `schema_file:` line - the place that names the contract, and the one inline
suppressions, baselines and `--changed-only` judge it by. Reviewers read the diff,
though, and GitHub shows an annotation in the diff only on a line the pull request
changed. So, once the findings are filtered, such a finding (marked with
`Finding.data` CHANGE_SITE) takes the changed field's line in the schema file as its
primary location - in annotations, SARIF, text and every other format - and keeps the
plan's line as its first related location.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from dataplan_lint.core.findings import CHANGE_SITE, IN_SCHEMA_FILE, Finding, Related
from dataplan_lint.core.report import FileReport


def at_change_site(reports: Sequence[FileReport], base_ref: str | None) -> list[FileReport]:
    """The reports with each schema-file finding moved to the schema file's line."""
    out = []
    for report in reports:
        if any((CHANGE_SITE, IN_SCHEMA_FILE) in finding.data for finding in report.findings):
            moved = [_moved(finding, base_ref) for finding in report.findings]
            report = replace(report, findings=moved)
        out.append(report)
    return out


def _moved(finding: Finding, base_ref: str | None) -> Finding:
    if (CHANGE_SITE, IN_SCHEMA_FILE) not in finding.data:
        return finding
    base_side = f"{base_ref}:" if base_ref else None
    site = next(
        (
            item
            for item in reversed(finding.related)
            if item.path != finding.path
            and item.span is not None
            and not (base_side and item.path.startswith(base_side))
        ),
        None,
    )
    if site is None:
        return finding
    plan_line = Related(finding.path, finding.span, "the contract's `schema_file` in the plan")
    others = tuple(item for item in finding.related if item is not site)
    return replace(finding, path=site.path, span=site.span, related=(plan_line, *others))
