"""The `dataplan-lint` command line."""

from __future__ import annotations

import os
import sys

import click

from dataplan_lint import __version__

SEVERITY_CHOICES = click.Choice(["error", "warning", "info"], case_sensitive=False)


def use_colour(choice: str, stream: object) -> bool:
    if choice == "always":
        return True
    if choice == "never" or "NO_COLOR" in os.environ:
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dataplan-lint")
def cli() -> None:
    """Lint data plans (dataplan.yaml): schema, rules, capacity math, compatibility."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--fail-on",
    type=SEVERITY_CHOICES,
    default="error",
    show_default=True,
    help="Lowest severity that makes the run fail (exit 1).",
)
@click.option(
    "--exclude",
    multiple=True,
    metavar="GLOB",
    help="Skip files and folders matching a gitignore-style glob (repeatable).",
)
@click.option(
    "--color",
    "colour",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour the console output (auto: only on a terminal and when NO_COLOR is unset).",
)
@click.option("--no-snippets", is_flag=True, help="Print only the finding lines, no source.")
@click.option(
    "--max-file-size",
    type=click.IntRange(min=1),
    default=None,
    metavar="BYTES",
    help="Largest plan file read (default 2,000,000 bytes); bigger files are a finding.",
)
def check(
    paths: tuple[str, ...],
    fail_on: str,
    exclude: tuple[str, ...],
    colour: str,
    no_snippets: bool,
    max_file_size: int | None,
) -> None:
    """Check plan files, or folders searched for dataplan.yaml / *.dataplan.yaml."""
    from dataplan_lint.discovery import discover
    from dataplan_lint.findings import Severity
    from dataplan_lint.reporters import text
    from dataplan_lint.runner import check_files, exit_code
    from dataplan_lint.settings import Settings

    settings = Settings(fail_on=Severity.parse(fail_on))
    if max_file_size is not None:
        settings.max_file_size = max_file_size
    found = discover(paths or (".",), exclude)
    for problem in found.errors:
        click.echo(f"dataplan-lint: error: {problem}", err=True)
    if not found.files and not found.errors:
        click.echo("dataplan-lint: no plan files found", err=True)
    reports = check_files(found.files, settings)
    for report in reports:
        if report.input_error:
            click.echo(f"dataplan-lint: error: {report.input_error}", err=True)
    coloured = use_colour(colour, sys.stdout)
    rendered = text.render(reports, colour=coloured, snippets=not no_snippets)
    click.echo(rendered, nl=False, color=coloured)
    sys.exit(exit_code(reports, settings.fail_on, len(found.errors)))


@cli.command()
def schema() -> None:
    """Print the bundled JSON Schema as one self-contained document."""
    import json

    from dataplan_lint.schema_bundle import bundled_schema

    click.echo(json.dumps(bundled_schema(), indent=2, ensure_ascii=False))


def main() -> None:
    try:
        cli(prog_name="dataplan-lint")
    except KeyboardInterrupt:
        click.echo("dataplan-lint: interrupted", err=True)
        sys.exit(130)
