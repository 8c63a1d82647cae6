"""`check --fix` and `check --diff`: repair what the findings say how to repair.

Each file is fixed in passes: apply the wanted fixes, check the new text again, apply
what that check offers, until nothing is left to do (at most `fixer.MAX_PASSES`). A
finding the run's filters left out (baseline, `--changed-only`) is not fixed in a
later pass either. `--fix` then replaces each changed file atomically, provided it
still holds what was checked; `--diff` prints what would change and writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dataplan_lint.pipeline.fixing import FileFix, fix_in_passes

if TYPE_CHECKING:
    from dataplan_lint.core.report import FileReport
    from dataplan_lint.core.settings import Settings
    from dataplan_lint.files.discovery import Discovered


@dataclass(slots=True)
class FixRun:
    files: list[FileFix] = field(default_factory=list)

    @property
    def changed(self) -> list[FileFix]:
        return [item for item in self.files if item.text != item.original and not item.error]

    @property
    def fixed(self) -> int:
        return sum(item.fixed for item in self.changed)


def fix_reports(
    files: Sequence[Discovered],
    reports: Sequence[FileReport],
    settings: Sequence[Settings],
    *,
    unsafe: bool,
) -> FixRun:
    """Fix every file in memory; `reports` are the (filtered) reports of the first check."""
    run = FixRun()
    for item, report, file_settings in zip(files, reports, settings, strict=True):
        if report.input_error or report.text is None:
            continue
        result = fix_in_passes(item, report, file_settings, unsafe=unsafe)
        if result is not None:
            run.files.append(result)
    return run


def write_fixed(run: FixRun, files: Sequence[Discovered], err: Callable[[str], None]) -> None:
    """Replace each changed file atomically, unless it changed since it was checked."""
    from dataplan_lint.files.atomic import write_output
    from dataplan_lint.files.loader import decode
    from dataplan_lint.files.reader import read_capped

    paths = {item.display: item.path for item in files if item.content is None}
    for item in run.changed:
        path = paths.get(item.display)
        if path is None:
            item.error = "standard input cannot be rewritten; use --diff"
            err(f"dataplan-lint: error: {item.display}: fixes not applied: {item.error}")
            continue
        if path.is_symlink() or not path.is_file():
            item.error = "it is not a regular file (a link is not written through); fix the target"
            err(f"dataplan-lint: error: {item.display}: fixes not applied: {item.error}")
            continue
        try:  # bounded: the checked text in any encoding fits; a bigger file changed
            raw = read_capped(path, 4 * len(item.original) + 16)
        except OSError as exc:
            item.error = f"cannot read it again: {exc.strerror or exc}"
        else:
            text, _ = decode(raw, item.display)
            if text != item.original:
                item.error = "it changed while it was being checked; run again"
            else:
                bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
                if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
                    item.error = "it is not UTF-8; fixes are written only to UTF-8 files"
                else:
                    try:
                        write_output(path, bom + item.text.encode("utf-8"))
                    except OSError as exc:
                        item.error = f"cannot write it: {exc.strerror or exc}"
        if item.error:
            err(f"dataplan-lint: error: {item.display}: fixes not applied: {item.error}")


def unified_diff(run: FixRun) -> str:
    import difflib

    out: list[str] = []
    for item in run.changed:
        out.extend(
            difflib.unified_diff(
                item.original.splitlines(keepends=True),
                item.text.splitlines(keepends=True),
                fromfile=item.display,
                tofile=item.display,
            )
        )
        if out and not out[-1].endswith("\n"):
            out[-1] += "\n\\ No newline at end of file\n"
    return "".join(out)


def merged(reports: Sequence[FileReport], run: FixRun) -> list[FileReport]:
    """`reports` with each fixed file's report replaced by the check of its new text."""
    by_path = {item.display: item.report for item in run.changed if item.report is not None}
    return [by_path.get(report.path) or report for report in reports]


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
