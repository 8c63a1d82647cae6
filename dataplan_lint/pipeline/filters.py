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

from dataplan_lint.core.report import FileReport

if TYPE_CHECKING:
    from dataplan_lint.pipeline.baseline import Baseline, BaselineEntry


class FilterError(Exception):
    """A baseline or base ref that cannot be used (exit 2)."""


@dataclass(slots=True)
class RunFilters:
    """What the filters of one run need, decided from the command line."""

    baseline: Baseline | None = None
    baseline_path: str | None = None
    changed_since: str | None = None  # the --base ref of --changed-only
    notes: list[str] = field(default_factory=list)  # what the reports should tell the reader


def prepare_filters(
    baseline: str | None = None, changed_only: bool = False, base: str | None = None
) -> RunFilters:
    """Load the baseline and check the `--changed-only` base (FilterError: exit 2)."""
    filters = RunFilters()
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
            raise FilterError("--changed-only needs --base REF (the ref to compare against)")
        from dataplan_lint.pipeline.changed_lines import ChangedLinesError, check_ref

        try:
            check_ref(base)
        except ChangedLinesError as exc:
            raise FilterError(str(exc)) from None
        filters.changed_since = base
        filters.notes.append(f"Only findings on lines changed since {base} are reported.")
    return filters


def apply_filters(
    reports: Sequence[FileReport], filters: RunFilters
) -> tuple[list[FileReport], list[BaselineEntry]]:
    """Baseline first (so its stale list sees every finding), then `--changed-only`."""
    result = list(reports)
    stale: list[BaselineEntry] = []
    if filters.baseline is not None:
        from dataplan_lint.pipeline.baseline import apply

        result, stale = apply(result, filters.baseline)
    if filters.changed_since is not None:
        from dataplan_lint.pipeline.changed_lines import ChangedLinesError, filter_reports

        try:
            result = filter_reports(result, filters.changed_since)
        except ChangedLinesError as exc:
            raise FilterError(str(exc)) from None
    return result, stale
