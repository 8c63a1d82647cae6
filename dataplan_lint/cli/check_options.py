"""The options of `dataplan-lint check`, declared once, and the click-free parser.

`CHECK_OPTIONS` is the one table: names, the `CheckRequest` field each fills, its kind
(flag, value, or repeatable), value type, choices, default, metavar and help. The click
command's options are generated from it (`cli.commands`), and `parse_fast` reads it to
parse the common command lines without importing click, which costs more than the rest
of a clean run's start-up. The table is plain data: importing it imports no click.

`parse_fast` accepts only what it can parse exactly as click would; anything else (an
option not in the table, `--help`, a value that looks like an option or is not one of
the choices, a short option with `=`) returns None, and click, which owns usage errors
and help, gets the command line.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from dataplan_lint.cli.check_request import STDIN, CheckRequest
from dataplan_lint.core.settings import JSON_SCHEMA_POLICIES
from dataplan_lint.report.formats import FORMATS


class Option(NamedTuple):
    """One option of `check`: what click declares and what the fast parser reads.

    (A named tuple, not a dataclass: the table is built on every start-up.)
    """

    names: tuple[str, ...]  # spellings on the command line (`-o`, `--output`, ...)
    dest: str  # the CheckRequest field it fills
    kind: str  # "flag", "value" (one value) or "multi" (repeatable)
    help: str
    value: str = "text"  # "text", "file" (not a folder) or "positive-int"
    choices: tuple[str, ...] | None = None
    case_sensitive: bool = True  # False: choices match in any case, canonical spelling kept
    default: str | None = None  # a value option's default (flags default to off)
    metavar: str | None = None
    show_default: bool = False


# --config's help; other commands name what their search starts from (see cli.commands).
CONFIG_HELP = "Use this configuration file instead of searching upwards from {}."

CHECK_OPTIONS: tuple[Option, ...] = (
    Option(
        ("--fail-on",),
        "fail_on",
        "value",
        "Lowest severity that makes the run fail (exit 1) [default: error, or the config's].",
        choices=("error", "warning", "info"),
        case_sensitive=False,
    ),
    Option(
        ("--config",),
        "config_file",
        "value",
        CONFIG_HELP.format("each plan"),
        value="file",
    ),
    Option(
        ("--select",),
        "select",
        "multi",
        "Only these rules: ids, slugs, gate:N or families, comma-separated (repeatable).",
        metavar="RULES",
    ),
    Option(
        ("--ignore",),
        "ignore",
        "multi",
        "Switch these rules off: ids, slugs, gate:N or families (repeatable).",
        metavar="RULES",
    ),
    Option(
        ("--exclude",),
        "exclude",
        "multi",
        "Skip files and folders matching a gitignore-style glob (repeatable).",
        metavar="GLOB",
    ),
    Option(
        ("--color",),
        "colour",
        "value",
        "Colour the console output (auto: only on a terminal and when NO_COLOR is unset).",
        choices=("auto", "always", "never"),
        default="auto",
        show_default=True,
    ),
    Option(("--no-snippets",), "no_snippets", "flag", "Print only the finding lines, no source."),
    Option(
        ("-q", "--quiet"),
        "quiet",
        "flag",
        "Text output: the findings and errors only - no closing summary, fix hints or notes.",
    ),
    Option(
        ("--max-file-size",),
        "max_file_size",
        "value",
        "Largest plan file read (default 2,000,000 bytes); bigger files are a finding.",
        value="positive-int",
        metavar="BYTES",
    ),
    Option(
        ("--format",),
        "formats",
        "multi",
        "Output format (repeatable; default text, plus github inside GitHub Actions).",
        choices=FORMATS,
        case_sensitive=False,
    ),
    Option(
        ("-o", "--output", "--output-file"),
        "outputs",
        "multi",
        "Where the --format at the same position goes ('-' = stdout; repeatable).",
        metavar="FILE",
    ),
    Option(
        ("--baseline",),
        "baseline_file",
        "value",
        "Findings in this baseline file are suppressed; only new ones fail the run.",
        metavar="FILE",
    ),
    Option(
        ("--base",),
        "base",
        "value",
        "Git ref to compare against (compatibility checks, --changed-only).",
        metavar="REF",
    ),
    Option(
        ("--changed-only",),
        "changed_only",
        "flag",
        "Report only what the change since --base caused: findings its version of "
        "each plan does not have, and findings on changed lines.",
    ),
    Option(
        ("--changed-lines-only",),
        "changed_lines_only",
        "flag",
        "Report only findings on lines added or changed since --base (a line filter: "
        "consequences elsewhere in the plan are not shown).",
    ),
    Option(
        ("--sarif-category",),
        "sarif_category",
        "value",
        "SARIF automationDetails category (one per configuration uploaded).",
        default="default",
        show_default=True,
    ),
    Option(
        ("--exit-zero",),
        "exit_zero",
        "flag",
        "Exit 0 even when findings are at or above the fail level (errors still exit 2).",
    ),
    Option(
        ("--statistics",),
        "statistics",
        "flag",
        "Text output: count the findings of each rule instead of listing them.",
    ),
    Option(
        ("--timings",),
        "timings",
        "flag",
        "Print where the time went to stderr: each stage, and the slowest rules with the "
        "ruleset they come from.",
    ),
    Option(
        ("--skip-missing-base",),
        "skip_missing_base",
        "flag",
        "When --base does not exist (a repository without commits), print a notice and "
        "check without it instead of exiting 2 (the pre-commit compat hook).",
    ),
    Option(
        ("--base-only",),
        "base_only",
        "flag",
        "Report only what the comparison with --base finds (the pre-commit compat hook, "
        "next to the plain hook that reports everything else).",
    ),
    Option(
        ("--json-schema-policy",),
        "json_schema_policy",
        "value",
        "How adding/removing properties of open JSON Schema objects is judged "
        "[default: the config's json-schema-policy, else strict].",
        choices=JSON_SCHEMA_POLICIES,
    ),
    Option(
        ("--stdin-filename",),
        "stdin_filename",
        "value",
        "Check standard input (the path '-') as if it were this file: its config, "
        "per-file ignores and name in the output.",
        metavar="PATH",
    ),
    Option(
        ("--no-cache",),
        "no_cache",
        "flag",
        "Check every file afresh: neither read nor write the result cache.",
    ),
    Option(
        ("--cache-dir",),
        "cache_dir",
        "value",
        "Result cache folder [default: .dataplan-lint-cache at the top of the git "
        "working tree; off when CI is set unless this or DATAPLAN_LINT_CACHE=1 is given].",
        metavar="DIR",
    ),
    Option(
        ("--fix",),
        "fix",
        "flag",
        "Apply the safe fixes of the findings (marked [*]) and report what is left.",
    ),
    Option(
        ("--diff",),
        "diff",
        "flag",
        "Print the fixes as a unified diff instead of writing them (exit 1 if any).",
    ),
    Option(
        ("--unsafe-fixes",),
        "unsafe_fixes",
        "flag",
        "Also apply (or show) fixes that change what the plan claims; review them.",
    ),
)

OPTION_BY_DEST = {option.dest: option for option in CHECK_OPTIONS}
_BY_NAME = {name: option for option in CHECK_OPTIONS for name in option.names}


def parse_fast(argv: Sequence[str]) -> CheckRequest | None:
    """The request of a `check ...` argv, or None to leave the command line to click."""
    if not argv or argv[0] != "check":
        return None
    values: dict[str, Any] = {}
    paths: list[str] = []
    args = list(argv[1:])
    index = 0
    while index < len(args):
        arg = args[index]
        index += 1
        if arg == "--":  # everything after it is a path (pre-commit appends file names)
            paths.extend(args[index:])
            break
        if not arg.startswith("-") or arg == STDIN:
            paths.append(arg)
            continue
        name, eq, inline = arg.partition("=")
        option = _BY_NAME.get(name)
        if option is None or (eq and not name.startswith("--")):  # click reads -o=x as "=x"
            return None
        if option.kind == "flag":
            if eq:
                return None
            values[option.dest] = True
            continue
        if eq:
            raw = inline
        elif index < len(args):
            raw, index = args[index], index + 1
        else:
            return None
        value = _value(option, raw)
        if value is None:
            return None
        if option.kind == "multi":
            values.setdefault(option.dest, []).append(value)
        else:
            values[option.dest] = value
    values = {
        key: tuple(value) if isinstance(value, list) else value for key, value in values.items()
    }
    return CheckRequest(paths=tuple(paths), **values)


def _value(option: Option, raw: str) -> str | int | None:
    """`raw` as click would pass it on, or None where click may answer otherwise."""
    if raw.startswith("-") and raw != STDIN:
        return None
    if option.choices is not None:
        value = raw if option.case_sensitive else raw.lower()
        return value if value in option.choices else None
    if option.value == "positive-int":
        return int(raw) if raw.isascii() and raw.isdigit() and int(raw) >= 1 else None
    if option.value == "file":
        from pathlib import Path

        return None if Path(raw).is_dir() else raw  # click's error names the folder
    return raw
