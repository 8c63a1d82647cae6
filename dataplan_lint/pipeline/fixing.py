"""Fix a plan in passes: apply the findings' fixes, check again, apply what the new
check offers, until nothing is left to do. `check --fix`/`--diff` and the language
server's "fix all" both fix this way.

A finding the caller's filters left out (baseline, `--changed-only`) is not fixed in a
later pass either.
"""

from __future__ import annotations

from dataclasses import dataclass

from dataplan_lint.core.findings import Finding
from dataplan_lint.core.report import FileReport
from dataplan_lint.core.settings import Settings
from dataplan_lint.files.discovery import Discovered
from dataplan_lint.pipeline.runner import check_file


@dataclass(slots=True)
class FileFix:
    """The result of fixing one file."""

    display: str
    original: str
    text: str
    fixed: int = 0  # findings repaired
    error: str | None = None  # why the file was left as it was
    report: FileReport | None = None  # the check of `text` (None: unchanged)


def _key(finding: Finding) -> tuple[str, str]:
    return (finding.rule_id, finding.pointer)


def fix_in_passes(
    item: Discovered, report: FileReport, settings: Settings, *, unsafe: bool
) -> FileFix | None:
    """Fix one file in memory: apply the wanted fixes of `report` (the check of
    `item`), check the new text, apply what that check offers, until nothing is left
    (at most `fixer.MAX_PASSES`). None when nothing is to be fixed; on a fix that does
    not apply cleanly, the original text and the error.
    """
    from dataplan_lint.files.fixer import MAX_PASSES, apply, wanted

    assert report.text is not None
    findings = report.findings
    fixes = wanted(findings, unsafe)
    if not fixes:
        return None
    chosen = {_key(f) for f in findings if f.fix is not None and f.fix in fixes}
    left_out = {_key(f) for f in findings if _key(f) not in chosen}
    result = FileFix(item.display, report.text, report.text)
    for _ in range(MAX_PASSES):
        outcome = apply(result.text, fixes)
        if outcome.error is not None:
            result.error = outcome.error
            result.text, result.fixed, result.report = result.original, 0, None
            return result
        if not outcome.applied:
            break
        applied = {tuple(fix.edits) for fix in outcome.applied}
        result.fixed += sum(
            1 for f in findings if f.fix is not None and tuple(f.fix.edits) in applied
        )
        result.text = outcome.text
        again = Discovered(item.path, item.display, content=result.text.encode("utf-8"))
        result.report = check_file(again, settings)
        findings = [f for f in result.report.findings if _key(f) not in left_out]
        fixes = wanted(findings, unsafe)
        if not fixes:
            break
    return result
