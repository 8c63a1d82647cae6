"""`--changed-only`: report what the change caused - new against the base, plus changed lines.

A change to one input (`events_per_day: 500M` -> `5B`) makes findings appear on lines it
did not touch (too few partitions, a consume rate below the new peak). Deciding by line
would hide them. So, like Semgrep's `--baseline-commit` or SonarQube's "new code", each
plan the change touched - its own text, or a file it reads (a schema file, an ODCS file,
the dbt manifest or project) - is checked a second time at the base, with the same rules
and configuration (pipeline/base_snapshot.py), and a head finding is reported when

- the base's version of the plan does not have it: same rule, same place by identity
  (list items by `id`/`name`/`stage`, as in baselines), same message with its numbers
  blanked - never by line; a finding that occurs twice at the head and once at the base
  is new once; or
- the line filter keeps it (pipeline/changed_lines.py: a changed line, a changed
  contract or schema file, a compatibility finding, an internal error, a plan that no
  longer parses).

A plan the base does not have is new throughout; a plan whose text and read files are
unchanged reports only what the line filter keeps (nothing, unless it is a compatibility
finding). `--changed-lines-only` keeps the line filter alone.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from dataplan_lint.core.findings import Finding, blank_numbers
from dataplan_lint.core.report import FileReport
from dataplan_lint.core.settings import Settings
from dataplan_lint.pipeline.changed_lines import BaseTree, FileFilter, filter_reports


def filter_new(
    reports: Sequence[FileReport],
    per_file: Sequence[Settings],
    ref: str,
    cwd: Path | None = None,
) -> list[FileReport]:
    """Keep the findings the change since `ref` caused (see the module docstring).

    `per_file[i]` is the settings `reports[i]` was checked with; reports past its end
    (plans deleted since the base) are judged by the line filter alone.
    """

    def new(
        index: int, report: FileReport, decider: FileFilter, tree: BaseTree, rel: str
    ) -> set[int]:
        if index >= len(per_file):
            return set()
        return _new_ids(report, per_file[index], decider, tree, rel)

    return filter_reports(reports, ref, cwd, more=new)


def _new_ids(
    report: FileReport, settings: Settings, decider: FileFilter, tree: BaseTree, rel: str
) -> set[int]:
    """The ids of the head findings the base's version of the plan does not have."""
    if not _touched(report, decider, tree):
        return set()
    base_rel = tree.base_path(rel, decider.text)
    known = None if base_rel is None else _base_keys(report, settings, tree, base_rel)
    if known is None:  # no base version (or it could not be read): all of it is new
        return {id(f) for f in report.findings}
    plan = decider.plan()
    data = plan.data if plan is not None else None
    strip = str(tree.root) + "/"
    new = set()
    for finding in report.findings:
        key = _key(finding, data, strip)
        if known[key] > 0:
            known[key] -= 1
        else:
            new.add(id(finding))
    return new


def _touched(report: FileReport, decider: FileFilter, tree: BaseTree) -> bool:
    """Whether the plan's text, or a file its check read, differs from the base."""
    from dataplan_lint.files.dependencies import UNCACHEABLE

    if decider.changes.any:
        return True
    for dependency in report.dependencies:
        if dependency == UNCACHEABLE:  # it listed a folder (dbt models): assume a change
            return True
        rel = _inside(Path(dependency[0]), tree.root)
        if rel is not None and tree.file_changed(rel):
            return True
    return False


def _base_keys(
    report: FileReport, settings: Settings, tree: BaseTree, base_rel: str
) -> Counter[tuple[str, str, str]] | None:
    """The finding keys of the plan's base version, checked in a snapshot folder."""
    from dataplan_lint.files.discovery import Discovered
    from dataplan_lint.files.git import GitError
    from dataplan_lint.files.loader import load_text
    from dataplan_lint.files.plan_references import referenced_paths
    from dataplan_lint.pipeline.base_snapshot import Snapshot
    from dataplan_lint.pipeline.runner import check_file

    blob = tree.blob(base_rel)
    if blob is None:
        return None
    loaded = load_text(blob.decode("utf-8", "replace"), base_rel).plan
    data = loaded.data if loaded is not None else None
    files, folders = referenced_paths(data, base_rel)
    read = [_inside(Path(path), tree.root) for path, _ in report.dependencies if path]
    with tempfile.TemporaryDirectory(prefix="dataplan-lint-base-") as scratch:
        folder = Path(scratch).resolve()
        snapshot = Snapshot(tree.root, tree.git.commit, folder)
        try:
            snapshot.add([base_rel, *files, *(r for r in read if r), *snapshot.listed(folders)])
        except (GitError, OSError):
            return None
        plan_file = folder / base_rel
        base_settings = replace(settings, base=None, git_bases={})
        checked = check_file(Discovered(plan_file, str(plan_file)), base_settings)
        if checked.input_error:
            return None
        strip = str(folder) + "/"
        return Counter(_key(finding, data, strip) for finding in checked.findings)


def _inside(path: Path, root: Path) -> str | None:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):
        return None


def _key(finding: Finding, data: Any, strip: str) -> tuple[str, str, str]:
    """What identifies a finding across the two versions of a plan: never its line."""
    from dataplan_lint.pipeline.fingerprints import stable_pointer

    message = blank_numbers(finding.message.replace(strip, ""))
    return (finding.rule_id, stable_pointer(data, finding.pointer), message)
