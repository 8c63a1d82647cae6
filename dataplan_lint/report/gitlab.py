"""GitLab Code Quality report (a JSON array of Code Climate issues).

GitLab shows these in merge requests; it reads `description`, `check_name`,
`fingerprint`, `severity` (info, minor, major, critical, blocker) and
`location.path` with `location.lines.begin`. Suppressed findings are left out: GitLab
has no notion of a suppressed issue.
"""

from __future__ import annotations

from typing import Any

from dataplan_lint.core.findings import Finding, Severity, last_line
from dataplan_lint.core.safe_text import dump_json
from dataplan_lint.report.model import Run

# A file the tool cannot parse blocks every other check on it, hence "blocker".
SEVERITIES = {Severity.ERROR: "critical", Severity.WARNING: "major", Severity.INFO: "info"}


# Code Climate's categories, by rule family.
CATEGORIES = {
    "compatibility": "Compatibility",
    "capacity": "Performance",
    "completeness": "Clarity",
    "anti-pattern": "Clarity",
}


def severity(finding: Finding) -> str:
    if finding.severity is Severity.ERROR and finding.family == "file":
        return "blocker"
    return SEVERITIES[finding.severity]


def render(run: Run) -> str:
    issues: list[dict[str, Any]] = []
    for finding in run.active:
        rule = run.rule(finding.rule_id)
        issues.append(
            {
                "type": "issue",
                "description": f"{finding.rule_id}: {finding.message}",
                "check_name": f"{finding.rule_id} {finding.slug or rule.slug}".strip(),
                "categories": [CATEGORIES.get(finding.family, "Bug Risk")],
                "fingerprint": finding.fingerprint,
                "severity": severity(finding),
                "location": {
                    "path": run.uri(finding.path),
                    "lines": {"begin": finding.line, "end": last_line(finding.span)},
                },
            }
        )
    return dump_json(issues)
