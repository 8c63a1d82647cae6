"""`--changed-only`: keep the findings on lines added or changed since a git base.

For each plan file, `git diff --unified=0 <base> -- <file>` (working tree against the
base) gives the new-side line ranges of every hunk. A finding is kept when its span
touches one of them. A hunk that only deletes lines marks the line the deletion
follows, so a finding caused by a removal (a required key deleted from a mapping) is
still shown. A file the base does not have (new or untracked) is changed throughout;
a finding without a position is kept when its file changed at all.

git runs with an argument list, never through a shell, and refs that start with `-` are
rejected so a ref can never be read as an option.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from dataplan_lint.core.findings import Finding
from dataplan_lint.pipeline.runner import FileReport
from dataplan_lint.report.model import last_line

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.MULTILINE)


class ChangedLinesError(Exception):
    """The base ref is unusable or git failed (exit 2)."""


@dataclass(frozen=True, slots=True)
class FileChanges:
    """The changed lines of one file; `everything` for a file the base does not have."""

    lines: frozenset[int] = frozenset()
    everything: bool = False

    @property
    def any(self) -> bool:
        return self.everything or bool(self.lines)

    def touches(self, first: int, last: int) -> bool:
        if self.everything:
            return True
        return any(line in self.lines for line in range(first, last + 1))


def _git(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            ["git", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            check=False,
        )
    except FileNotFoundError:
        raise ChangedLinesError("git is not installed or not on PATH") from None


def check_ref(ref: str, cwd: Path | None = None) -> str:
    """Validate a base ref and return the commit it names."""
    where = cwd or Path.cwd()
    if not ref or ref.startswith("-"):
        raise ChangedLinesError(
            f"invalid base ref {ref!r}: a ref may not be empty or start with '-'"
        )
    done = _git(
        ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], where
    )
    if done.returncode != 0:
        detail = "" if "not a git repository" not in done.stderr else " (not a git repository)"
        raise ChangedLinesError(f"unknown base ref {ref!r}{detail}")
    return done.stdout.strip()


def parse_hunks(diff: str) -> frozenset[int]:
    """New-side line numbers touched by the hunks of a `--unified=0` diff."""
    lines: set[int] = set()
    for match in _HUNK.finditer(diff):
        start = int(match.group(1))
        count = int(match.group(2)) if match.group(2) is not None else 1
        if count == 0:
            lines.add(max(start, 1))  # a pure deletion after line `start`
        else:
            lines.update(range(start, start + count))
    return frozenset(lines)


def changes_for(path: Path, commit: str, cwd: Path | None = None) -> FileChanges:
    where = cwd or Path.cwd()
    done = _git(
        [
            "diff",
            "--unified=0",
            "--no-color",
            "--no-ext-diff",
            "--no-renames",
            commit,
            "--",
            str(path),
        ],
        where,
    )
    if done.returncode != 0:
        raise ChangedLinesError(f"git diff failed for {path}: {done.stderr.strip()}")
    if "\nnew file mode" in "\n" + done.stdout:
        return FileChanges(everything=True)
    if done.stdout.strip():
        return FileChanges(parse_hunks(done.stdout))
    # No diff: unchanged, or unknown to git (untracked files never show in a diff).
    tracked = _git(["ls-files", "--error-unmatch", "--", str(path)], where)
    in_base = _git(["cat-file", "-e", f"{commit}:./{path.as_posix()}"], where)
    if tracked.returncode != 0 and in_base.returncode != 0:
        return FileChanges(everything=True)
    return FileChanges()


def keep(finding: Finding, changes: FileChanges) -> bool:
    if finding.span is None:
        return changes.any
    return changes.touches(finding.span.start_line, last_line(finding.span))


def filter_reports(
    reports: Sequence[FileReport], ref: str, cwd: Path | None = None
) -> list[FileReport]:
    """Drop findings outside the lines changed since `ref` (raises ChangedLinesError)."""
    commit = check_ref(ref, cwd)
    out: list[FileReport] = []
    for report in reports:
        if report.input_error or not report.findings:
            out.append(report)
            continue
        changes = changes_for(Path(report.path), commit, cwd)
        out.append(replace(report, findings=[f for f in report.findings if keep(f, changes)]))
    return out
