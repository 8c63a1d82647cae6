"""The `dataplan-lint` command line."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from typing import Any, NoReturn, TypeVar

import click

from dataplan_lint import __version__
from dataplan_lint.cli.check_command import use_colour  # noqa: F401 (kept importable here)
from dataplan_lint.cli.check_options import CHECK_OPTIONS, CONFIG_HELP, OPTION_BY_DEST, Option
from dataplan_lint.core.safe_text import escape, guard

F = TypeVar("F", bound=Callable[..., Any])


def click_option(option: Option) -> Callable[[F], F]:
    """The click option for one entry of the option table (cli/check_options.py)."""
    settings: dict[str, Any] = {"help": option.help}
    if option.kind == "flag":
        settings["is_flag"] = True
    else:
        settings["default"] = option.default
        settings["multiple"] = option.kind == "multi"
        if option.choices is not None:
            settings["type"] = click.Choice(option.choices, case_sensitive=option.case_sensitive)
        elif option.value == "file":
            settings["type"] = click.Path(dir_okay=False)
        elif option.value == "positive-int":
            settings["type"] = click.IntRange(min=1)
    if option.metavar is not None:
        settings["metavar"] = option.metavar
    if option.show_default:
        settings["show_default"] = True
    return click.option(*option.names, option.dest, **settings)


def check_options(command: F) -> F:
    """Every option of `check`, in the table's order (`--allow-external-rulesets`, which
    acts through a callback, comes with `--config`, as `config_option` adds them)."""
    for option in reversed(CHECK_OPTIONS):
        command = click_option(option)(command)
        if option.dest == "config_file":
            command = _external_rulesets(command)
    return command


def config_option(searched_from: str) -> Callable[[F], F]:
    """`--config FILE` (the table's, searched upwards from `searched_from`) and with it
    `--allow-external-rulesets`, which lets a configuration name ruleset files outside
    the repository (it only sets a flag, so commands need no parameter)."""
    config = OPTION_BY_DEST["config_file"]
    config_click = click_option(config._replace(help=CONFIG_HELP.format(searched_from)))

    def decorate(command: F) -> F:
        return _external_rulesets(config_click(command))

    return decorate


def _allow_external_rulesets(_context: click.Context, _param: click.Parameter, value: bool) -> bool:
    from dataplan_lint.config.file import allow_external_rulesets

    allow_external_rulesets(bool(value))
    return value


_external_rulesets = click.option(
    "--allow-external-rulesets",
    is_flag=True,
    expose_value=False,
    callback=_allow_external_rulesets,
    help="Let the configuration name ruleset files outside the repository.",
)


json_schema_policy_option = click_option(OPTION_BY_DEST["json_schema_policy"])
exclude_option = click_option(OPTION_BY_DEST["exclude"])


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="dataplan-lint")
def cli() -> None:
    """Lint data plans (dataplan.yaml): schema, rules, capacity math, compatibility."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@check_options
def check(paths: tuple[str, ...], **options: Any) -> None:
    """Check plan files, or folders searched for dataplan.yaml / *.dataplan.yaml."""
    # The body lives in check_command.py (click-free): entry.py runs the same function
    # for the common command lines without importing click.
    from dataplan_lint.cli.check_command import run_check
    from dataplan_lint.cli.check_request import CheckRequest

    sys.exit(run_check(CheckRequest(paths, **options), err=_echo_err, out=_echo_out))


def _write_or_exit(path: str, text: str) -> None:
    """Write a command's output file (atomically); a failure is an input error, exit 2."""
    from dataplan_lint.files.atomic import write_output

    try:
        write_output(path, text)
    except OSError as exc:
        _echo_err(f"dataplan-lint: error: cannot write {path}: {exc.strerror or exc}")
        sys.exit(2)


def _echo_err(message: str) -> None:
    """Every message to stderr is one line; it may name files or values from a pull
    request, so a line break or a control character in them is shown escaped."""
    click.echo(escape(message, keep="\t"), err=True)


def _say(text: str, *, nl: bool = True) -> None:
    """Output to stdout that may carry file names or plan text (diff, bundle, init)."""
    click.echo(guard(text), nl=nl)


def _echo_out(body: str, coloured: bool) -> None:
    click.echo(body, nl=False, color=coloured)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "-o",
    "--output",
    "output_file",
    required=True,
    metavar="FILE",
    help="The baseline file to write (JSON; a regular file is replaced atomically).",
)
@exclude_option
@config_option("each plan")
def baseline(
    paths: tuple[str, ...], output_file: str, exclude: tuple[str, ...], config_file: str | None
) -> None:
    """Record the current findings so `check --baseline FILE` fails only on new ones.

    Entries name files relative to the repository root and list items by their id, name
    or stage, so the baseline holds from any folder and when items are inserted.
    """
    from dataplan_lint.core.settings import Settings
    from dataplan_lint.files.atomic import names_stdout
    from dataplan_lint.files.discovery import discover
    from dataplan_lint.pipeline.baseline import dumps

    found = discover(paths or (".",), exclude)
    for problem in found.errors:
        _echo_err(f"dataplan-lint: error: {problem}")
    reports = _check_with_config(found.files, Settings(), config_file).reports
    failed = [report.input_error for report in reports if report.input_error]
    for problem in failed:
        _echo_err(f"dataplan-lint: error: {problem}")
    if found.errors or failed:
        sys.exit(2)
    document = dumps(reports)
    _write_or_exit(output_file, document)
    count = document.count('"fingerprint"')
    # The note goes to stderr when the baseline itself went to stdout.
    to_stderr = names_stdout(output_file)
    note = f"Wrote {count} baseline entr{'y' if count == 1 else 'ies'} to {output_file}."
    if to_stderr:
        _echo_err(note)
    else:
        _say(note)


def _check_with_config(files: Any, settings: Any, config_file: str | None) -> Any:
    """Check each file under its own configuration (`check_command.Configured`); a
    config error exits 2."""
    from dataplan_lint.cli.check_command import Exit, check, configure

    try:
        configured = configure(files, settings, config_file, (), (), _echo_err)
    except Exit as exc:
        sys.exit(exc.code)
    return configured._replace(reports=check(files, configured.per_file, None))


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: a table by gate; json: a list of objects (id, slug, gate, family, ...).",
)
@config_option("the current folder")
def rules(fmt: str, config_file: str | None) -> None:
    """List every rule: id, severity, slug and one line on what it checks.

    Rules of the project's own rulesets (the configuration's `rulesets`) are listed
    after the tool's, with the file each comes from.
    """
    from dataplan_lint.engine.docs import rules_json, rules_text

    project = _project_rules(config_file)
    _say(rules_json(project) if fmt == "json" else rules_text(project), nl=False)


def _project_rules(config_file: str | None) -> tuple[Any, ...]:
    """The project rules for `rules` and `explain`, or exit 2 naming the problem."""
    from pathlib import Path

    from dataplan_lint.config.file import ConfigError
    from dataplan_lint.config.project_rules import project_rules

    try:
        return project_rules(Path(config_file) if config_file else None, Path.cwd())
    except ConfigError as exc:
        _echo_err(f"dataplan-lint: error: {exc}")
        sys.exit(2)


@cli.command()
@click.argument("rule")
@click.option(
    "--example",
    "which",
    type=click.Choice(["fail", "pass"]),
    default=None,
    help="Print the whole file the failing (fail) or fixed (pass) example stands for, "
    "ready for `dataplan-lint check`, instead of the page.",
)
@config_option("the current folder")
def explain(rule: str, which: str | None, config_file: str | None) -> None:
    """Show one rule in full (by id, slug or a part of the slug that names one rule): what,
    why, a failing and a fixed example.

    Rules of the project's own rulesets (the configuration's `rulesets`) are found too.
    """
    from dataplan_lint.core.words import did_you_mean
    from dataplan_lint.engine.catalog import all_rules, find
    from dataplan_lint.engine.docs import example_file, explain_text, find_project_rule

    meta = find(rule)
    # The tool's own rules need no configuration: a broken one in this folder does not
    # keep their pages from showing (unless --config names it).
    project = _project_rules(config_file) if meta is None or config_file else ()
    own = find_project_rule(project, rule) if meta is None else None
    if own is not None:
        meta = own.rule.meta
    if meta is None:
        known = [*all_rules(), *(item.rule.meta for item in project)]
        part = [r for r in known if rule.strip().lower() in r.slug.lower()] if rule.strip() else []
        if len(part) > 1:  # a part of several slugs: say which, like an ambiguous prefix
            _echo_err(f"dataplan-lint: error: {len(part)} rules match {rule!r}:")
            for item in part[:20]:
                _echo_err(f"  {item.id} {item.slug}")
            if len(part) > 20:
                _echo_err(f"  ... and {len(part) - 20} more")
            sys.exit(2)
        if part:
            meta = part[0]
            own = find_project_rule(project, meta.id)
    if meta is None:
        names = [r.id for r in known] + [r.slug for r in known]
        hint = did_you_mean(rule.upper() if rule[:2].lower() == "dp" else rule, names)
        _echo_err(f"dataplan-lint: error: unknown rule {rule!r}{hint}")
        sys.exit(2)
    if which is None:
        _say(explain_text(meta, own), nl=False)
        return
    from dataplan_lint.engine.examples import ExampleError

    try:
        content = example_file(meta, which, own)
    except (LookupError, ExampleError) as exc:
        _echo_err(f"dataplan-lint: error: {exc}")
        sys.exit(2)
    if sys.stdout.isatty():  # a ruleset's example may hold control characters
        _say(content.decode("utf-8", "replace"), nl=False)
        return
    # Redirected: the file as it is (an example may be saved in another encoding).
    sys.stdout.flush()
    sys.stdout.buffer.write(content)
    sys.stdout.buffer.flush()


@cli.command()
@click.option(
    "-o",
    "--output",
    "output_file",
    metavar="FILE",
    default=None,
    help="Write the schema to FILE (replaced atomically) instead of printing it; point "
    "the plan's `# yaml-language-server: $schema=` line at it.",
)
def schema(output_file: str | None) -> None:
    """Print the bundled JSON Schema as one self-contained document.

    Quantities carry a `pattern` beside the tool's own format, so editors
    (yaml-language-server) and other validators (check-jsonschema) reject a malformed
    quantity such as `15 minutes` too.
    """
    from dataplan_lint.schema.editor import editor_schema_text

    text = editor_schema_text()
    if output_file is None:
        _say(text, nl=False)
        return
    _write_or_exit(output_file, text)


@cli.command("diff")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--base", "base", required=True, metavar="REF", help="Git ref to compare with.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Changelog as text or JSON.",
)
@exclude_option
@json_schema_policy_option
@config_option("each plan")
def diff_command(
    paths: tuple[str, ...],
    base: str,
    output_format: str,
    exclude: tuple[str, ...],
    json_schema_policy: str | None,
    config_file: str | None,
) -> None:
    """Changelog of contract changes against a git base, each marked breaking or not.

    Exit code 1 when a change breaks the contract's declared mode and no waiver covers it.
    """
    from dataplan_lint.compat.changelog import run_diff
    from dataplan_lint.core.settings import Settings
    from dataplan_lint.files.discovery import discover
    from dataplan_lint.files.git import GitError, validate

    found = discover(paths or (".",), exclude)
    for problem in found.errors:
        _echo_err(f"dataplan-lint: error: {problem}")
    from pathlib import Path

    from dataplan_lint.config.file import ConfigError, ConfigResolver

    resolver = ConfigResolver(Path(config_file) if config_file else None)
    try:
        git_bases = validate(base, [f.path for f in found.files])
        settings = Settings(json_schema_policy=json_schema_policy, base=base, git_bases=git_bases)
        body, code, errors = run_diff(
            found.files,
            base,
            settings,
            output_format,
            lambda plan: resolver.for_path(plan).json_schema_policy,
        )
    except ConfigError as exc:
        _echo_err(f"dataplan-lint: error: {exc}")
        sys.exit(2)
    except GitError as exc:
        _echo_err(f"dataplan-lint: error: {exc}")
        sys.exit(2)
    for problem in errors:
        _echo_err(f"dataplan-lint: error: {problem}")
    _say(body, nl=False)
    sys.exit(2 if found.errors else code)


@cli.command()
@click.argument("path", default="dataplan.yaml", type=click.Path())
@click.option(
    "--template",
    type=click.Choice(["streaming", "cdc", "batch"]),
    default="streaming",
    show_default=True,
    help="Starting point: a stream processor, change data capture, or scheduled batch loads.",
)
@click.option(
    "--one-shot",
    "mode",
    flag_value="one-shot",
    help="Ask nothing; record every unknown as an assumption owned by TBD "
    "(the default when stdin is not a terminal).",
)
@click.option(
    "--guided",
    "mode",
    flag_value="guided",
    help="Ask the planning questions even when stdin is not a terminal (answers from stdin).",
)
@click.option("--name", default=None, help="Data product name (default: the template's).")
@click.option("--force", is_flag=True, help="Overwrite PATH if it exists.")
@click.option(
    "--schema-file",
    metavar="FILE",
    default="",
    help="Write the JSON Schema for editors here; the plan's first line points at it "
    "[default: .dataplan/dataplan.schema.json at the top of the git repository, or "
    "beside the plan outside one].",
)
@click.option(
    "--no-schema-file",
    is_flag=True,
    help="Write no schema file; point the plan at the schema released with this "
    "version in the dataplan-lint repository instead.",
)
def init(
    path: str,
    template: str,
    mode: str | None,
    name: str | None,
    force: bool,
    schema_file: str,
    no_schema_file: bool,
) -> None:
    """Write a complete starter plan to PATH (default dataplan.yaml), and the schema
    that editors (yaml-language-server) read to check it as you type."""
    from dataplan_lint.authoring import init as authoring_init

    if mode is None:
        mode = "guided" if sys.stdin.isatty() else "one-shot"
    one_shot = mode == "one-shot"
    if not one_shot:
        _say(f"Planning questions for a {template} pipeline; press Enter to keep a default.")
    try:
        target, schema = authoring_init.run(
            path,
            template,
            one_shot,
            force,
            name,
            announce=_say,
            schema_file=None if no_schema_file else schema_file,
        )
    except authoring_init.InitError as exc:
        _echo_err(f"dataplan-lint: error: {exc}")
        sys.exit(2)
    except click.Abort:
        _echo_err("")  # end the prompt's line
        _echo_err("dataplan-lint: init cancelled; nothing written")
        sys.exit(2)
    _say(f"Wrote {target} ({template} template, {mode} mode).")
    if schema is not None:
        shown = authoring_init.shown_path(schema)
        _say(
            f"Wrote {shown}, the schema its first line points editors at "
            f"(refresh it with `dataplan-lint schema --output {shown}`)."
        )
    if one_shot:
        _say(
            "Every unknown is an assumption owned by TBD; `dataplan-lint check` reports each "
            "one until someone owns it."
        )
    _say(f"Next: dataplan-lint check {target}")


@cli.command()
@click.argument("plan", type=click.Path())
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the bundle to this file instead of stdout (a file is replaced atomically).",
)
@click.option("--html", is_flag=True, help="Render a self-contained HTML page.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "json"]),
    default="markdown",
    show_default=True,
    help="Markdown for review, or the same content as JSON data.",
)
@config_option("PLAN")
def bundle(plan: str, output: str | None, html: bool, fmt: str, config_file: str | None) -> None:
    """Render the Final Data Plan Bundle of PLAN for review."""
    from dataplan_lint.authoring import bundle as authoring_bundle

    if html and fmt == "json":
        _echo_err("dataplan-lint: error: --html and --format json exclude each other")
        sys.exit(2)
    try:
        text = authoring_bundle.render(plan, "html" if html else fmt, config_file)
    except authoring_bundle.BundleError as exc:
        _echo_err(f"dataplan-lint: error: {exc}")
        sys.exit(2)
    if output is None:
        _say(text, nl=False)
        return
    _write_or_exit(output, text)
    _echo_err(f"Wrote {output}")


@cli.group()
def export() -> None:
    """Write a plan's contents in another standard's format."""


@export.command("odcs")
@click.argument("plan", default="dataplan.yaml", type=click.Path())
@click.option(
    "--output-dir",
    "-o",
    "output_dir",
    required=True,
    type=click.Path(file_okay=False),
    help="Folder for the <contract>.odcs.yaml files (created when missing).",
)
def export_odcs(plan: str, output_dir: str) -> None:
    """Write each contract of PLAN as an Open Data Contract Standard v3.0.2 file."""
    from dataplan_lint.compat.odcs_export import ExportError, export_plan

    try:
        result = export_plan(plan, output_dir)
    except ExportError as exc:
        _echo_err(f"dataplan-lint: error: {exc}")
        sys.exit(2)
    for path in result.written:
        _say(f"Wrote {path}")
    for why in result.skipped:
        _echo_err(f"dataplan-lint: error: not exported: {why}")
    sys.exit(2 if result.skipped else 0)


@cli.group()
def cache() -> None:
    """Manage the result cache (.dataplan-lint-cache)."""


@cache.command("clean")
@click.option(
    "--cache-dir",
    metavar="DIR",
    default=None,
    help="The cache folder [default: .dataplan-lint-cache at the top of the git working tree].",
)
def cache_clean(cache_dir: str | None) -> None:
    """Remove the result cache; the next check reads every plan afresh."""
    from pathlib import Path

    from dataplan_lint.pipeline.result_cache import clean, default_directory

    folder = Path(cache_dir) if cache_dir else default_directory()
    try:
        removed = clean(folder)
    except OSError as exc:
        _echo_err(f"dataplan-lint: error: cannot remove {folder}: {exc.strerror or exc}")
        sys.exit(2)
    _echo_err(f"Removed {folder}" if removed else f"No cache at {folder}")


@cache.command("key")
@click.argument("paths", nargs=-1, type=click.Path())
@exclude_option
@config_option("each plan")
def cache_key(paths: tuple[str, ...], exclude: tuple[str, ...], config_file: str | None) -> None:
    """Print a key for a CI cache of `check PATHS`: the tool's version and a digest of the
    installed tool and of every configuration and ruleset the plans are checked under.

    The GitHub Action keys actions/cache on it, so a new version or a changed
    configuration starts a fresh cache.
    """
    from pathlib import Path

    import dataplan_lint
    from dataplan_lint.config.file import ConfigError, ConfigResolver
    from dataplan_lint.core.settings import Settings
    from dataplan_lint.files.discovery import discover
    from dataplan_lint.pipeline.configured import per_file_settings, resolve_all
    from dataplan_lint.pipeline.result_cache import run_key

    found = discover(paths or (".",), exclude)
    try:
        configs = resolve_all(
            found.files, ConfigResolver(Path(config_file) if config_file else None)
        )
    except ConfigError as exc:
        _echo_err(f"dataplan-lint: config error: {exc}")
        sys.exit(2)
    key = run_key(configs, per_file_settings(configs, Settings()))
    _echo_out(f"dataplan-lint-{dataplan_lint.__version__}-{key[:24]}\n", coloured=False)


@cli.command()
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion(shell: str) -> None:
    """Print the completion script for SHELL (commands, options, choices, paths).

    \b
    bash:  eval "$(dataplan-lint completion bash)"   (in ~/.bashrc)
    zsh:   eval "$(dataplan-lint completion zsh)"    (in ~/.zshrc)
    fish:  dataplan-lint completion fish > ~/.config/fish/completions/dataplan-lint.fish
    """
    from click.shell_completion import get_completion_class

    completer = get_completion_class(shell)
    if completer is None:  # click knows all three; kept for a click without one
        raise click.ClickException(f"no completion for {shell}")
    _say(completer(cli, {}, "dataplan-lint", COMPLETE_VAR).source(), nl=False)


@cli.command()
@click.option(
    "--stdio",
    is_flag=True,
    help="Talk over standard input and output (the only transport; accepted because "
    "editor clients pass it).",
)
@click.option("--verbose", "-v", is_flag=True, help="Log what the server does on stderr.")
@click.option(
    "--check-timeout",
    type=click.FloatRange(min=0.01),
    default=30.0,
    show_default=True,
    metavar="SECONDS",
    help="Abandon a check that runs longer (the document then shows one diagnostic).",
)
def server(stdio: bool, verbose: bool, check_timeout: float) -> None:
    """Run the language server for editors (LSP over stdio).

    Diagnostics for every finding while a plan is edited, hover explanations, and the
    findings' fixes and suppressions as code actions. Needs the `lsp` extra:
    pip install 'dataplan-lint[lsp]'. The README's "In your editor" sets it up.
    """
    import logging

    try:
        from dataplan_lint.lsp.server import serve
    except ImportError as exc:
        missing = (exc.name or "").partition(".")[0]
        if missing not in ("pygls", "lsprotocol", "cattrs", "attrs"):
            raise
        raise click.ClickException(
            f"the language server needs {missing}, which is not installed: "
            "pip install 'dataplan-lint[lsp]'"
        ) from None
    serve(logging.DEBUG if verbose else logging.WARNING, check_timeout)


# The variable click reads to answer a completion request instead of running a command.
COMPLETE_VAR = "_DATAPLAN_LINT_COMPLETE"


def main() -> None:
    """Run the click application; Ctrl-C is exit 130 with one line, never a traceback.

    Click's standalone mode turns Ctrl-C into "Aborted!" and exit 1, which a CI step or
    a shell script cannot tell from findings; so click runs in non-standalone mode and
    its outcomes are mapped here.
    """
    try:
        code = cli.main(prog_name="dataplan-lint", standalone_mode=False)
    except KeyboardInterrupt:
        _interrupted()
    except click.exceptions.Abort as exc:
        if isinstance(exc.__cause__, KeyboardInterrupt):
            _interrupted()
        else:  # end of input at a prompt
            _echo_err("Aborted!")
            code = 1
    except click.ClickException as exc:
        exc.show()
        code = exc.exit_code
    sys.exit(code if isinstance(code, int) else 0)


def _interrupted() -> NoReturn:
    """Exit 130 at once: the atexit hooks (joining the worker pool's threads) are
    skipped, so neither a second Ctrl-C nor a half-stopped pool can add a traceback."""
    import os
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _echo_err("dataplan-lint: interrupted")
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(130)
