"""Check files, each under its own configuration (the nearest config file wins)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from dataplan_lint.config.file import ConfigResolver, LintConfig
from dataplan_lint.core.findings import Severity
from dataplan_lint.core.settings import Settings
from dataplan_lint.files.discovery import Discovered
from dataplan_lint.pipeline.runner import FileReport

if TYPE_CHECKING:
    from dataplan_lint.pipeline.progress import Progress
    from dataplan_lint.pipeline.result_cache import ResultCache


def resolve_all(files: Sequence[Discovered], resolver: ConfigResolver) -> list[LintConfig]:
    """The configuration of every file; raises ConfigError before anything is checked."""
    if resolver.override is not None:
        resolver.for_path(resolver.override)
    return [resolver.for_path(item.path) for item in files]


def fail_threshold(cli_fail_on: str | None, configs: Sequence[LintConfig]) -> Severity:
    """`--fail-on` when given, else the strictest `fail-on` of the files' configs."""
    if cli_fail_on:
        return Severity.parse(cli_fail_on)
    levels = [config.fail_on for config in configs if config.fail_on is not None]
    return min(levels) if levels else Severity.ERROR


def check_configured(
    files: Sequence[Discovered],
    configs: Sequence[LintConfig],
    settings: Settings,
    cache: ResultCache | None = None,
    progress: Progress | None = None,
) -> list[FileReport]:
    """Check each file with `settings` plus its own configuration."""
    from dataplan_lint.pipeline.parallel import check_all
    from dataplan_lint.pipeline.runner import check_file

    jobs = list(zip(files, per_file_settings(configs, settings), strict=True))
    if cache is None:  # on several processes when there are many files
        return check_all(jobs, check_file, progress)
    from dataplan_lint.pipeline.result_cache import config_fingerprint, split_jobs, store_all

    config_keys = [
        config_fingerprint(config, job[1]) for config, job in zip(configs, jobs, strict=True)
    ]
    reports, todo, keys = split_jobs(cache, jobs, config_keys)
    checked = check_all([jobs[index] for index in todo], check_file, progress)
    fresh = list(zip(todo, checked, strict=True))
    store_all(cache, fresh, keys)
    reports.update(fresh)
    return [reports[index] for index in range(len(jobs))]


def per_file_settings(configs: Sequence[LintConfig], settings: Settings) -> list[Settings]:
    """`settings` plus each file's own configuration, one `Settings` per file.

    A `max-file-size` in the configuration applies unless the command line set one
    (`settings.max_file_size` differs from the default).
    """
    from dataclasses import replace

    from dataplan_lint.core.settings import DEFAULT_MAX_BYTES

    out = []
    for config in configs:
        size = settings.max_file_size
        if size == DEFAULT_MAX_BYTES and config.max_file_size:
            size = config.max_file_size
        out.append(
            replace(
                settings,
                max_file_size=size,
                config=config,
                tolerance=config.tolerance,
                json_schema_policy=settings.json_schema_policy or config.json_schema_policy,
            )
        )
    return out


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
