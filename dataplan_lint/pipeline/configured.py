"""Check files, each under its own configuration (the nearest config file wins)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from dataplan_lint.config.file import ConfigResolver, LintConfig
from dataplan_lint.core.report import FileReport
from dataplan_lint.core.settings import Settings
from dataplan_lint.files.discovery import Discovered

if TYPE_CHECKING:
    from dataplan_lint.pipeline.progress import Progress
    from dataplan_lint.pipeline.result_cache import ResultCache


def resolve_all(files: Sequence[Discovered], resolver: ConfigResolver) -> list[LintConfig]:
    """The configuration of every file; raises ConfigError before anything is checked."""
    if resolver.override is not None:
        resolver.for_path(resolver.override)
    return [resolver.for_path(item.path) for item in files]


class Resolved(NamedTuple):
    """The run's settings (`fail_on` decided) and the settings of each file."""

    run: Settings
    per_file: list[Settings]


def resolve_settings(settings: Settings, configs: Sequence[LintConfig]) -> Resolved:
    """The one place a value is chosen: the command line when it gave one
    (`settings.given`, even when that equals the default), else the file's
    configuration, else `settings`' own value (the default). The run fails at
    `--fail-on`, else at the strictest `fail-on` of the files' configurations."""
    given = settings.given
    levels = [config.fail_on for config in configs if config.fail_on is not None]
    fail_on = given.fail_on or (min(levels) if levels else settings.fail_on)
    run = replace(settings, fail_on=fail_on)
    per_file = [
        replace(
            run,
            config=config,
            max_file_size=given.max_file_size or config.max_file_size or run.max_file_size,
            tolerance=config.tolerance,
            json_schema_policy=(
                given.json_schema_policy or config.json_schema_policy or run.json_schema_policy
            ),
        )
        for config in configs
    ]
    return Resolved(run, per_file)


def check_configured(
    files: Sequence[Discovered],
    per_file: Sequence[Settings],
    cache: ResultCache | None = None,
    progress: Progress | None = None,
) -> list[FileReport]:
    """Check each file with its own settings (`resolve_settings`), reusing cached reports."""
    from dataplan_lint.pipeline.parallel import check_all
    from dataplan_lint.pipeline.runner import check_file

    jobs = list(zip(files, per_file, strict=True))
    if cache is None:  # on several processes when there are many files
        return check_all(jobs, check_file, progress)
    from dataplan_lint.config.file import config_of
    from dataplan_lint.pipeline.result_cache import config_fingerprint, split_jobs, store_all

    config_keys = [config_fingerprint(config_of(settings), settings) for _, settings in jobs]
    reports, todo, keys = split_jobs(cache, jobs, config_keys)
    checked = check_all([jobs[index] for index in todo], check_file, progress)
    fresh = list(zip(todo, checked, strict=True))
    store_all(cache, fresh, keys)
    reports.update(fresh)
    return [reports[index] for index in range(len(jobs))]


def checked_gates(per_file: Sequence[Settings]) -> frozenset[int]:
    """The gates whose rules ran on at least one file (0: the file and schema checks,
    which run on every file). A gate outside it was not checked - `--select gate:7`,
    `ignore: [gate:4]` - and a scorecard must never show it as passing."""
    from dataplan_lint.config.file import config_of

    if not per_file:
        return frozenset()
    gates = {0}
    for settings in per_file:
        gates.update(rule.gate for rule, _ in config_of(settings).active_rules())
    return frozenset(gates)


def per_file_settings(configs: Sequence[LintConfig], settings: Settings) -> list[Settings]:
    """`settings` plus each file's own configuration (see `resolve_settings`)."""
    return resolve_settings(settings, configs).per_file


def check_text(
    path: Path, text: str, resolver: ConfigResolver, settings: Settings | None = None
) -> tuple[FileReport, Settings]:
    """Check a plan held in memory (an editor's unsaved buffer) the way `check` checks
    the file at `path`: the configuration found for `path`, every stage, the filters and
    the inline suppressions; nothing is read from `path` itself.

    Returns the report and the settings it was checked with (a fixer re-checks with
    them). A configuration that cannot be used raises `ConfigError`.
    """
    from dataplan_lint.files.discovery import display_path
    from dataplan_lint.pipeline.runner import check_file

    config = resolver.for_path(path)
    file_settings = per_file_settings([config], settings or Settings())[0]
    # The loader decodes bytes (and bounds their size); text from an editor may hold a
    # lone surrogate, which then becomes the invalid-encoding finding, not a crash.
    raw = text.encode("utf-8", "surrogatepass")
    item = Discovered(path, display_path(path), content=raw)
    return check_file(item, file_settings), file_settings
