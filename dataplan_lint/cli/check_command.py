"""The body of `dataplan-lint check`, free of click.

`cli.check` (the click command) and the fast entry point (`entry.py`, which skips
importing click for the common `check PATHS [options]` form) both build a
`CheckRequest` and call `run_check` with it, so the two can never disagree on what a
check does. Messages go through the `err` and `out` callables each caller passes in.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from dataplan_lint.cli.check_request import STDIN, CheckRequest

if TYPE_CHECKING:
    from dataplan_lint.core.settings import Settings
    from dataplan_lint.files.discovery import Discovered, Discovery
    from dataplan_lint.pipeline.result_cache import ResultCache
    from dataplan_lint.pipeline.runner import FileReport

ErrWriter = Callable[[str], None]
OutWriter = Callable[[str, bool], None]


class Exit(Exception):
    """Stop the command with this exit code (the message was already written)."""

    def __init__(self, code: int, message: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.message = message


def write_err(message: str) -> None:
    """One line to stderr; it may name files and values from the checked repository, so
    line breaks and control characters in it are shown escaped."""
    from dataplan_lint.core.safe_text import escape

    sys.stderr.write(escape(message, keep="\t") + "\n")
    sys.stderr.flush()


def write_out(body: str, coloured: bool) -> None:
    sys.stdout.write(body)
    sys.stdout.flush()


def use_colour(choice: str, stream: object) -> bool:
    if choice == "always":
        return True
    if choice == "never" or "NO_COLOR" in os.environ:
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def check_with_config(
    files: Sequence[Discovered],
    settings: Settings,
    fail_on: str | None,
    config_file: str | None,
    select: Sequence[str],
    ignore: Sequence[str],
    err: ErrWriter = write_err,
    cache: ResultCache | None = None,
) -> Configured:
    """Check each file under its own configuration; a config error raises Exit(2).

    The run's settings come back with `fail_on` decided (`--fail-on`, else the strictest
    config's `fail-on`), beside the settings each file was checked with.
    """
    from dataclasses import replace

    from dataplan_lint.config.file import ConfigError
    from dataplan_lint.pipeline.configured import (
        check_configured,
        fail_threshold,
        per_file_settings,
        resolve_all,
    )

    resolver = _resolver(config_file, select, ignore)
    try:
        configs = resolve_all(files, resolver)
    except ConfigError as exc:
        err(f"dataplan-lint: config error: {exc}")
        raise Exit(2, f"config error: {exc}") from None
    settings = replace(settings, fail_on=fail_threshold(fail_on, configs))
    from dataplan_lint.pipeline.progress import terminal_progress

    progress = terminal_progress(sys.stderr, len(files))
    reports: list[FileReport] = check_configured(files, configs, settings, cache, progress)
    return Configured(settings, per_file_settings(configs, settings), reports)


class Configured(NamedTuple):
    """A run checked under each file's configuration (see `check_with_config`)."""

    settings: Settings  # the run's settings, `fail_on` decided
    per_file: list[Settings]  # what each file was checked with, in the order of the files
    reports: list[FileReport]


def _resolver(config_file: str | None, select: Sequence[str], ignore: Sequence[str]) -> Any:
    from pathlib import Path

    from dataplan_lint.config.file import ConfigResolver

    def split(values: Sequence[str]) -> list[str]:
        return [part.strip() for value in values for part in value.split(",") if part.strip()]

    return ConfigResolver(
        Path(config_file) if config_file else None, split(select) or None, split(ignore)
    )


def _deleted_plans(
    request: CheckRequest, settings: Settings, reports: list[FileReport]
) -> list[FileReport]:
    """Reports for plans deleted since --base under the folders checked (compat/deleted)."""
    from pathlib import Path

    from dataplan_lint.compat.deleted import RULE_ID, deleted_plan_reports
    from dataplan_lint.core.findings import Severity
    from dataplan_lint.files.discovery import excluded

    resolver = _resolver(request.config_file, request.select, request.ignore)
    exclude = request.exclude

    def severity_for(path: Path) -> Severity | None:
        active = resolver.for_path(path).active_rules()
        return next((sev for rule, sev in active if rule.id == RULE_ID), None)

    folders = [p for p in (request.paths or (".",)) if Path(p).is_dir()]
    return deleted_plan_reports(
        settings.base or "",
        folders,
        reports,
        lambda d: excluded(d, exclude),
        severity_for,
        settings.git_bases,
    )


def run_check(
    request: CheckRequest, *, err: ErrWriter = write_err, out: OutWriter = write_out
) -> int:
    """Run `dataplan-lint check` as `request` asks and return its exit code (0, 1 or 2)."""
    try:
        return _run_check(request, err, out)
    except Exit as exc:
        return exc.code


def _run_check(request: CheckRequest, err: ErrWriter, out: OutWriter) -> int:
    from dataclasses import replace

    from dataplan_lint.core.settings import Settings
    from dataplan_lint.files.discovery import discover
    from dataplan_lint.pipeline.runner import exit_code
    from dataplan_lint.report import output

    paths = request.paths
    try:
        delivery = output.prepare(request.formats, request.outputs, category=request.sarif_category)
    except output.OutputError as exc:  # nowhere to report to yet: stderr only
        err(f"dataplan-lint: error: {exc}")
        return 2
    delivery.exit_zero = request.exit_zero
    delivery.statistics = request.statistics
    settings = Settings()
    reports: list[FileReport] = []

    def stop(message: str) -> int:
        """A usage or input error: still write every requested report, saying so (exit 2)."""
        delivery.errors.append(message)
        _deliver(request, delivery, reports, [], settings, err, out)
        return 2

    try:
        output.attach(
            delivery,
            baseline=request.baseline_file,
            changed_only=request.changed_only,
            base=request.base,
        )
    except output.OutputError as exc:
        err(f"dataplan-lint: error: {exc}")
        return stop(str(exc))
    if request.max_file_size is not None:
        settings = replace(settings, max_file_size=request.max_file_size)
    if STDIN in paths:
        found = _stdin_discovery(paths, request.stdin_filename, settings.max_file_size, err)
    else:
        found = discover(paths or (".",), request.exclude)
    for problem in found.errors:
        err(f"dataplan-lint: error: {problem}")
    delivery.errors.extend(found.errors)
    if not found.files and not found.errors:
        err("dataplan-lint: no plan files found")
    # The command line beats the config key (see pipeline.configured.per_file_settings).
    settings = replace(settings, json_schema_policy=request.json_schema_policy)
    if request.base is not None:  # a bad ref is a usage error (exit 2), before any check
        from dataplan_lint.files.git import BaseError, validate

        try:
            git_bases = validate(request.base, [f.path for f in found.files])
            settings = replace(settings, base=request.base, git_bases=git_bases)
        except BaseError as exc:
            if not request.skip_missing_base:
                err(f"dataplan-lint: error: {exc}")
                return stop(str(exc))
            # pre-commit's compat hook on a first commit: check the plans without a base.
            err(f"dataplan-lint: notice: {exc}; the comparison with the base is skipped")
            delivery.changed_since = None
    try:
        configured = check_with_config(
            found.files,
            settings,
            request.fail_on,
            request.config_file,
            request.select,
            request.ignore,
            err,
            _cache(request),
        )
    except Exit as exc:
        return stop(exc.message) if exc.message else exc.code
    settings, per_file, reports = configured.settings, configured.per_file, configured.reports
    for report in reports:
        if report.input_error:
            err(f"dataplan-lint: error: {report.input_error}")
    if settings.base is not None and STDIN not in paths:
        from dataplan_lint.config.file import ConfigError
        from dataplan_lint.files.git import BaseError

        try:
            reports += _deleted_plans(request, settings, reports)
        except (BaseError, ConfigError) as exc:
            err(f"dataplan-lint: error: {exc}")
            return stop(str(exc))
    if request.base_only:
        reports = [_base_findings_only(report) for report in reports]
    try:
        filtered, stale = output.apply_filters(reports, delivery)
        if request.diff:
            return _show_diff(found.files, filtered, per_file, request, err, out, delivery.errors)
        if request.fix:
            from dataplan_lint.cli import fix_command

            checked = found.files[: len(per_file)]  # not the deleted plans of --base
            run = fix_command.fix_reports(checked, filtered, per_file, unsafe=request.unsafe_fixes)
            fix_command.write_fixed(run, checked, err)
            if run.changed:
                files = fix_command.plural(len(run.changed), "file")
                err(f"dataplan-lint: fixed {fix_command.plural(run.fixed, 'finding')} in {files}")
            filtered, stale = output.apply_filters(fix_command.merged(reports, run), delivery)
        reports = filtered
    except output.OutputError as exc:
        err(f"dataplan-lint: error: {exc}")
        return stop(str(exc))
    if not _deliver(request, delivery, reports, stale, settings, err, out):
        return 2
    return exit_code(reports, settings.fail_on, len(delivery.errors), exit_zero=request.exit_zero)


def _show_diff(
    files: Sequence[Discovered],
    reports: Sequence[FileReport],
    per_file: Sequence[Settings],
    request: CheckRequest,
    err: ErrWriter,
    out: OutWriter,
    errors: Sequence[str],
) -> int:
    """`--diff`: print what `--fix` would change, write nothing; 1 when there is something."""
    from dataplan_lint.cli import fix_command

    checked = files[: len(per_file)]
    run = fix_command.fix_reports(
        checked, reports[: len(per_file)], per_file, unsafe=request.unsafe_fixes
    )
    for item in run.files:
        if item.error:
            err(f"dataplan-lint: error: {item.display}: fixes not applied: {item.error}")
    text = fix_command.unified_diff(run)
    if text:
        out(text, False)
    changed = len(run.changed)
    if changed:
        err(
            f"dataplan-lint: would fix {fix_command.plural(run.fixed, 'finding')} in "
            f"{fix_command.plural(changed, 'file')}"
        )
    else:
        err("dataplan-lint: nothing to fix")
    if errors or any(report.input_error for report in reports):
        return 2
    return 1 if changed else 0


def _cache(request: CheckRequest) -> ResultCache | None:
    """The result cache for this run, or None (off, or a --base run: see result_cache)."""
    from dataplan_lint.pipeline import result_cache

    if request.base is not None or not result_cache.wanted(request.no_cache, request.cache_dir):
        return None
    from pathlib import Path

    cache_dir = request.cache_dir
    folder = Path(cache_dir) if cache_dir else result_cache.default_directory()
    return result_cache.ResultCache(folder)


def _deliver(
    request: CheckRequest,
    delivery: Any,
    reports: list[FileReport],
    stale: list[Any],
    settings: Settings,
    err: ErrWriter,
    out: OutWriter,
) -> bool:
    """Write every requested format; False (after saying why) when one cannot be written."""
    from dataplan_lint.report import output

    try:
        output.deliver(
            reports,
            stale,
            delivery,
            settings,
            write_stdout=out,
            colour=use_colour(request.colour, sys.stdout),
            snippets=not request.no_snippets,
            unsafe_fixes=request.unsafe_fixes,
        )
    except output.OutputError as exc:
        err(f"dataplan-lint: error: {exc}")
        return False
    return True


def _base_findings_only(report: FileReport) -> FileReport:
    """`--base-only`: keep what the comparison with --base found (see compat.analysis)."""
    from dataclasses import replace

    kept = [f for f in report.findings if ("origin", "base") in f.data]
    return replace(report, findings=kept)


def _stdin_discovery(
    paths: Sequence[str], name: str | None, max_bytes: int, err: ErrWriter
) -> Discovery:
    """The one plan read from standard input (`-`), named by `--stdin-filename`."""
    from pathlib import Path

    from dataplan_lint.files.discovery import Discovered, Discovery, display_path

    if len(paths) != 1:
        err("dataplan-lint: error: '-' (standard input) cannot be mixed with other paths")
        raise Exit(2)
    display = display_path(Path(name)) if name else STDIN
    raw = sys.stdin.buffer.read(max_bytes + 1)
    # Configuration is looked up from the named file's folder (the working directory
    # for a bare `-`); the file itself need not exist.
    where = Path(name) if name else Path("stdin.dataplan.yaml")
    return Discovery([Discovered(where, display, raw)], [])
