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
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, NamedTuple

from dataplan_lint.cli.check_request import STDIN, CheckRequest

if TYPE_CHECKING:
    from dataplan_lint.core.report import FileReport
    from dataplan_lint.core.settings import Settings
    from dataplan_lint.files.discovery import Discovered, Discovery
    from dataplan_lint.pipeline.filters import RunFilters
    from dataplan_lint.pipeline.result_cache import ResultCache
    from dataplan_lint.pipeline.timings import RunTimings

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


def configure(
    files: Sequence[Discovered],
    settings: Settings,
    config_file: str | None,
    select: Sequence[str],
    ignore: Sequence[str],
    err: ErrWriter = write_err,
) -> Configured:
    """Each file's configuration and settings (`pipeline.configured.resolve_settings`),
    no file checked yet; a config error raises Exit(2)."""
    from dataplan_lint.config.file import ConfigError
    from dataplan_lint.pipeline.configured import resolve_all, resolve_settings

    try:
        configs = resolve_all(files, _resolver(config_file, select, ignore))
    except ConfigError as exc:
        err(f"dataplan-lint: config error: {exc}")
        raise Exit(2, f"config error: {exc}") from None
    resolved = resolve_settings(settings, configs)
    return Configured(resolved.run, resolved.per_file, [])


def check(
    files: Sequence[Discovered], per_file: Sequence[Settings], cache: ResultCache | None
) -> list[FileReport]:
    """Check every file with its settings, showing progress on a terminal."""
    from dataplan_lint.pipeline.configured import check_configured
    from dataplan_lint.pipeline.progress import terminal_progress

    progress = terminal_progress(sys.stderr, len(files))
    return check_configured(files, per_file, cache, progress)


class Configured(NamedTuple):
    """A run's settings under each file's configuration (see `configure`)."""

    settings: Settings  # the run's settings, `fail_on` decided
    per_file: list[Settings]  # what each file is checked with, in the order of the files
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


class _Run:
    """One `check` as it moves through its steps: what each step decided so far."""

    def __init__(self, request: CheckRequest, err: ErrWriter, out: OutWriter) -> None:
        self.request = request
        self.err = err
        self.out = out
        self.delivery: Any = None  # report.output.Request, once the targets are known
        self.filters: RunFilters | None = None
        self.settings = _given_settings(request)
        self.files: list[Discovered] = []
        self.per_file: list[Settings] = []
        self.reports: list[FileReport] = []
        self.unfiltered: list[FileReport] = []  # the reports before the filters ran
        self.stale: list[Any] = []
        self.timings: RunTimings | None = None  # --timings
        if request.timings:
            from dataplan_lint.pipeline.timings import RunTimings

            self.timings = RunTimings()

    def timed(self, name: str) -> AbstractContextManager[None]:
        """A block timed under `name` with --timings."""
        from contextlib import nullcontext

        return nullcontext() if self.timings is None else self.timings.stage(name)

    def step(self, name: str, step: Callable[[_Run], None]) -> None:
        with self.timed(name):
            step(self)

    def stop(self, message: str) -> Exit:
        """A usage or input error: still write every requested report, saying so (exit 2)."""
        self.err(f"dataplan-lint: error: {message}")
        self.delivery.errors.append(message)
        _deliver(self.request, self.delivery, self.reports, [], self.settings, self.err, self.out)
        return Exit(2, message)


def _run_check(request: CheckRequest, err: ErrWriter, out: OutWriter) -> int:
    """The steps of a check, in order; a step that cannot go on raises Exit."""
    run = _Run(request, err, out)
    run.step("prepare", _prepare)
    run.step("discover", _discover)
    run.step("open bases", _open_bases)
    run.step("configure", _configure)
    run.step("check", _check)
    run.step("filter", _filter)
    if request.diff:
        return _show_diff(run, err, out)
    if request.fix:
        run.step("fix", _fix)
    return _finish(run)


def _given_settings(request: CheckRequest) -> Settings:
    """The run's settings as the command line gives them; configuration comes later."""
    from dataplan_lint.core.findings import Severity
    from dataplan_lint.core.settings import DEFAULT_MAX_BYTES, Given, Settings

    given = Given(
        fail_on=Severity.parse(request.fail_on) if request.fail_on else None,
        max_file_size=request.max_file_size,
        json_schema_policy=request.json_schema_policy,
    )
    return Settings(
        max_file_size=request.max_file_size or DEFAULT_MAX_BYTES,
        json_schema_policy=request.json_schema_policy,
        given=given,
        timings=request.timings,
    )


def _prepare(run: _Run) -> None:
    """Where the reports go, then the filters' inputs (baseline, --changed-only base)."""
    from dataplan_lint.pipeline.filters import FilterError, prepare_filters
    from dataplan_lint.report import output

    request = run.request
    try:
        run.delivery = output.prepare(
            request.formats, request.outputs, category=request.sarif_category
        )
    except output.OutputError as exc:  # nowhere to report to yet: stderr only
        run.err(f"dataplan-lint: error: {exc}")
        raise Exit(2) from None
    run.delivery.exit_zero = request.exit_zero
    run.delivery.statistics = request.statistics
    run.delivery.quiet = request.quiet
    run.delivery.checked_gates = frozenset  # none until the configuration says which run
    from dataplan_lint.files.dependencies import TODAY_ENV, date_problem

    problem = date_problem(os.environ.get(TODAY_ENV, "").strip() or "2000-01-01")
    if problem is not None:  # the date the waivers are judged on (files/dependencies.py)
        raise run.stop(problem)
    try:
        run.filters = prepare_filters(
            request.baseline_file, request.changed_only, request.base, request.changed_lines_only
        )
    except FilterError as exc:
        raise run.stop(str(exc)) from None
    run.delivery.baseline_path = run.filters.baseline_path
    run.delivery.notes.extend(run.filters.notes)


def _discover(run: _Run) -> None:
    """The plan files named by the paths (or standard input)."""
    from dataplan_lint.files.discovery import discover

    request = run.request
    if STDIN in request.paths:
        found = _stdin_discovery(
            request.paths, request.stdin_filename, run.settings.max_file_size, run.err
        )
    else:
        found = discover(request.paths or (".",), request.exclude)
    for problem in found.errors:
        run.err(f"dataplan-lint: error: {problem}")
    run.delivery.errors.extend(found.errors)
    if not found.files and not found.errors:
        run.err("dataplan-lint: no plan files found")
    run.files = list(found.files)


def _open_bases(run: _Run) -> None:
    """`--base`: open the base of every plan's repository; a bad ref is exit 2, before
    any check (pre-commit's compat hook on a first commit skips it instead)."""
    from dataclasses import replace

    request = run.request
    if request.base is None:
        return
    from dataplan_lint.files.git import GitError, validate

    try:
        git_bases = validate(request.base, [item.path for item in run.files])
    except GitError as exc:
        if not request.skip_missing_base:
            raise run.stop(str(exc)) from None
        run.err(f"dataplan-lint: notice: {exc}; the comparison with the base is skipped")
        assert run.filters is not None
        run.filters.changed_since = None
        return
    run.settings = replace(run.settings, base=request.base, git_bases=git_bases)


def _configure(run: _Run) -> None:
    """Each file's configuration, and the settings resolved from it (exit 2 on an error)."""
    request = run.request
    try:
        configured = configure(
            run.files, run.settings, request.config_file, request.select, request.ignore, run.err
        )
    except Exit as exc:
        run.delivery.errors.append(exc.message)
        _deliver(request, run.delivery, [], [], run.settings, run.err, run.out)
        raise
    run.settings, run.per_file = configured.settings, configured.per_file
    run.delivery.checked_gates = lambda: _checked_gates(run.per_file)


def _checked_gates(per_file: Sequence[Settings]) -> frozenset[int]:
    from dataplan_lint.pipeline.configured import checked_gates

    return checked_gates(per_file)


def _check(run: _Run) -> None:
    """Check the files; with --base, add the plans deleted since it; --base-only keeps
    only what the comparison with the base found."""
    request = run.request
    run.reports = check(run.files, run.per_file, _cache(request))
    for report in run.reports:
        if report.input_error:
            run.err(f"dataplan-lint: error: {report.input_error}")
    if run.settings.base is not None and STDIN not in request.paths:
        from dataplan_lint.config.file import ConfigError
        from dataplan_lint.files.git import GitError

        try:
            run.reports += _deleted_plans(request, run.settings, run.reports)
        except (GitError, ConfigError) as exc:
            raise run.stop(str(exc)) from None
    if request.base_only:
        run.reports = [_base_findings_only(report) for report in run.reports]


def _filter(run: _Run) -> None:
    """The baseline, then --changed-only (pipeline/filters.py); then a change made in a
    schema file is shown there (pipeline/change_site.py)."""
    from dataplan_lint.pipeline.change_site import at_change_site
    from dataplan_lint.pipeline.filters import FilterError, apply_filters

    assert run.filters is not None
    run.unfiltered = run.reports
    try:
        run.reports, run.stale = apply_filters(run.reports, run.filters, run.per_file)
    except FilterError as exc:
        raise run.stop(str(exc)) from None
    run.reports = at_change_site(run.reports, run.settings.base)


def _fix(run: _Run) -> None:
    """--fix: write the fixes into the plans, then report what the fixed plans still hold."""
    from dataplan_lint.cli import fix_command

    checked = run.files[: len(run.per_file)]  # not the deleted plans of --base
    fixes = fix_command.fix_reports(
        checked, run.reports, run.per_file, unsafe=run.request.unsafe_fixes
    )
    fix_command.write_fixed(fixes, checked, run.err)
    if fixes.changed:
        files = fix_command.plural(len(fixes.changed), "file")
        run.err(f"dataplan-lint: fixed {fix_command.plural(fixes.fixed, 'finding')} in {files}")
    run.reports = fix_command.merged(run.unfiltered, fixes)
    _filter(run)


def _finish(run: _Run) -> int:
    """Write every report and return the exit code."""
    from dataplan_lint.core.report import exit_code

    request = run.request
    with run.timed("report"):
        delivered = _deliver(
            request, run.delivery, run.reports, run.stale, run.settings, run.err, run.out
        )
    if run.timings is not None:
        _print_timings(run.timings, run.unfiltered, run.err)
    if not delivered:
        return 2
    errors = len(run.delivery.errors)
    return exit_code(run.reports, run.settings.fail_on, errors, exit_zero=request.exit_zero)


def _print_timings(timings: RunTimings, reports: Sequence[FileReport], err: ErrWriter) -> None:
    """`--timings`: the run's steps and the files' own figures, after the report."""
    from dataplan_lint.engine.rulesets import bundled
    from dataplan_lint.pipeline.timings import render

    bundled_ids = frozenset(rule.id for rule in bundled().rules)
    for line in render(timings, reports, bundled_ids).splitlines():
        err(line)


def _show_diff(run: _Run, err: ErrWriter, out: OutWriter) -> int:
    """`--diff`: print what `--fix` would change, write nothing; 1 when there is something."""
    from dataplan_lint.cli import fix_command

    checked = run.files[: len(run.per_file)]
    fixes = fix_command.fix_reports(
        checked, run.reports[: len(run.per_file)], run.per_file, unsafe=run.request.unsafe_fixes
    )
    for item in fixes.files:
        if item.error:
            err(f"dataplan-lint: error: {item.display}: fixes not applied: {item.error}")
    text = fix_command.unified_diff(fixes)
    if text:
        out(text, False)
    changed = len(fixes.changed)
    if changed:
        err(
            f"dataplan-lint: would fix {fix_command.plural(fixes.fixed, 'finding')} in "
            f"{fix_command.plural(changed, 'file')}"
        )
    else:
        err("dataplan-lint: nothing to fix")
    if run.delivery.errors or any(report.input_error for report in run.reports):
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
