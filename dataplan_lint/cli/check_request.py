"""`CheckRequest`: everything one `dataplan-lint check` command line asks for.

Built once - by the click command or by the click-free fast path (`entry.py`) - and
handed whole to `check_command.run_check`. It is immutable (a typed named tuple:
attributes cannot be set; `_replace` derives another). Not a dataclass: a frozen
dataclass of these 27 fields took about 1 ms of every run's start-up to create (its
generated methods are compiled at import), a named tuple a quarter of that.
"""

from __future__ import annotations

from typing import NamedTuple

STDIN = "-"  # the path that means standard input


class CheckRequest(NamedTuple):
    """The paths and options of one `check`; each option fills the field its entry in
    `cli.check_options.CHECK_OPTIONS` names, with the same default."""

    paths: tuple[str, ...] = ()  # files and folders; `-` is standard input
    fail_on: str | None = None  # error|warning|info; None: the strictest config's, else error
    config_file: str | None = None  # one configuration instead of the nearest to each plan
    select: tuple[str, ...] = ()  # rules to keep (comma-separated lists, repeatable)
    ignore: tuple[str, ...] = ()  # rules to switch off
    exclude: tuple[str, ...] = ()  # gitignore-style globs of files and folders to skip
    colour: str = "auto"  # auto|always|never
    no_snippets: bool = False  # text output without the source lines
    quiet: bool = False  # text output: findings and errors only, no summary or notes
    max_file_size: int | None = None  # bytes; None: the config's, else 2,000,000
    formats: tuple[str, ...] = ()  # output formats; none: text (+ github in Actions)
    outputs: tuple[str, ...] = ()  # where the format at the same position goes
    baseline_file: str | None = None  # findings recorded there are suppressed
    base: str | None = None  # git ref for compatibility checks and --changed-only
    changed_only: bool = False  # only findings the change since --base caused
    changed_lines_only: bool = False  # only findings on lines changed since --base
    sarif_category: str = "default"  # SARIF automationDetails category
    exit_zero: bool = False  # findings never fail the run; usage/input errors still exit 2
    statistics: bool = False  # text output: one count per rule instead of every finding
    timings: bool = False  # print time per stage and the slowest rules to stderr
    skip_missing_base: bool = False  # a --base that does not exist: a notice, not exit 2
    base_only: bool = False  # report only findings of the comparison with --base
    json_schema_policy: str | None = None  # strict|lenient; None: the config's, else strict
    stdin_filename: str | None = None  # the name a `-` path (stdin) is checked under
    no_cache: bool = False  # check every file afresh, neither reading nor writing the cache
    cache_dir: str | None = None  # the result cache folder (default: .dataplan-lint-cache)
    fix: bool = False  # write the fixes of the findings into the plans
    diff: bool = False  # print the fixes as a unified diff, write nothing
    unsafe_fixes: bool = False  # also apply (or mark) the fixes that need review
