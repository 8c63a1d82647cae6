"""The run-level filters applied after checking: the baseline, then `--changed-only`.

They take file reports and their own inputs and return file reports, so `report/` only
routes and renders what they leave. Loading the baseline and validating the base ref
happen before any file is checked (`prepare_filters`), so a bad baseline or ref is an
exit-2 error that every requested report still states.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dataplan_lint.core.refs import shown_ref
from dataplan_lint.core.report import FileReport

if TYPE_CHECKING:
    from dataplan_lint.core.settings import Settings
    from dataplan_lint.pipeline.baseline import Baseline, BaselineEntry


class FilterError(Exception):
    """A baseline or base ref that cannot be used (exit 2)."""


@dataclass(slots=True)
class RunFilters:
    """What the filters of one run need, decided from the command line."""

    baseline: Baseline | None = None
    baseline_path: str | None = None
    changed_since: str | None = None  # the --base ref of --changed-only/--changed-lines-only
    lines_only: bool = False  # --changed-lines-only: the line filter alone
    notes: list[str] = field(default_factory=list)  # what the reports should tell the reader


def prepare_filters(
    baseline: str | None = None,
    changed_only: bool = False,
    base: str | None = None,
    lines_only: bool = False,
) -> RunFilters:
    """Load the baseline and check the `--changed-only` base (FilterError: exit 2)."""
    filters = RunFilters(lines_only=lines_only)
    changed_only = changed_only or lines_only
    option = "--changed-lines-only" if lines_only else "--changed-only"
    if baseline is not None:
        from dataplan_lint.pipeline.baseline import BaselineError, load

        try:
            filters.baseline = load(baseline)
        except BaselineError as exc:
            raise FilterError(str(exc)) from None
        filters.baseline_path = baseline
        if filters.baseline.version == 1:
            filters.notes.append(
                f"Baseline {baseline} is a version-1 file (list positions, paths from the "
                "working directory); regenerate it with `dataplan-lint baseline` so that "
                "list insertions and other folders keep it valid."
            )
    if changed_only:
        if not base:
            raise FilterError(f"{option} needs --base REF (the ref to compare against)")
        from dataplan_lint.files.git import GitError
        from dataplan_lint.pipeline.changed_lines import check_ref

        try:
            check_ref(base)
        except GitError as exc:
            raise FilterError(str(exc)) from None
        filters.changed_since = base
        shown = shown_ref(base)
        if lines_only:
            filters.notes.append(f"Only findings on lines changed since {shown} are reported.")
        else:
            filters.notes.append(
                f"Only findings the change since {shown} caused are reported: new against "
                "its version of each plan, or on changed lines."
            )
    return filters


def apply_filters(
    reports: Sequence[FileReport], filters: RunFilters, per_file: Sequence[Settings] = ()
) -> tuple[list[FileReport], list[BaselineEntry]]:
    """Baseline first (so its stale list sees every finding), then `--changed-only`.

    `per_file[i]` is what `reports[i]` was checked with: `--changed-only` checks the
    base's version of a changed plan the same way (pipeline/new_findings.py)."""
    result = list(reports)
    stale: list[BaselineEntry] = []
    if filters.baseline is not None:
        from dataplan_lint.pipeline.baseline import apply

        result, stale = apply(result, filters.baseline)
    if filters.changed_since is not None:
        from dataplan_lint.files.git import GitError
        from dataplan_lint.pipeline.changed_lines import filter_reports
        from dataplan_lint.pipeline.new_findings import filter_new

        try:
            if filters.lines_only:
                result = filter_reports(result, filters.changed_since)
            else:
                result = filter_new(result, per_file, filters.changed_since)
        except GitError as exc:
            raise FilterError(str(exc)) from None
    return result, stale
