"""The `dataplan-lint` command line."""

from __future__ import annotations

import os
import sys
from typing import Any

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
    default=None,
    help="Lowest severity that makes the run fail (exit 1) [default: error, or the config's].",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Use this configuration file instead of searching upwards from each plan.",
)
@click.option(
    "--select",
    multiple=True,
    metavar="RULES",
    help="Only these rules: ids, slugs, gate:N or families, comma-separated (repeatable).",
)
@click.option(
    "--ignore",
    multiple=True,
    metavar="RULES",
    help="Switch these rules off: ids, slugs, gate:N or families (repeatable).",
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
    fail_on: str | None,
    config_file: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    exclude: tuple[str, ...],
    colour: str,
    no_snippets: bool,
    max_file_size: int | None,
) -> None:
    """Check plan files, or folders searched for dataplan.yaml / *.dataplan.yaml."""
    from dataplan_lint.discovery import discover
    from dataplan_lint.reporters import text
    from dataplan_lint.runner import exit_code
    from dataplan_lint.settings import Settings

    settings = Settings()
    if max_file_size is not None:
        settings.max_file_size = max_file_size
    found = discover(paths or (".",), exclude)
    for problem in found.errors:
        click.echo(f"dataplan-lint: error: {problem}", err=True)
    if not found.files and not found.errors:
        click.echo("dataplan-lint: no plan files found", err=True)
    reports = _check_with_config(found.files, settings, fail_on, config_file, select, ignore)
    for report in reports:
        if report.input_error:
            click.echo(f"dataplan-lint: error: {report.input_error}", err=True)
    coloured = use_colour(colour, sys.stdout)
    rendered = text.render(reports, colour=coloured, snippets=not no_snippets)
    click.echo(rendered, nl=False, color=coloured)
    sys.exit(exit_code(reports, settings.fail_on, len(found.errors)))


def _check_with_config(
    files: Any,
    settings: Any,
    fail_on: str | None,
    config_file: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
) -> Any:
    """Check each file under its own configuration; a config error exits 2.

    Sets `settings.fail_on` (`--fail-on`, else the strictest config's `fail-on`).
    """
    from pathlib import Path

    from dataplan_lint.config import ConfigError, ConfigResolver
    from dataplan_lint.engine.configured import check_configured, fail_threshold, resolve_all

    def split(values: tuple[str, ...]) -> list[str]:
        return [part.strip() for value in values for part in value.split(",") if part.strip()]

    resolver = ConfigResolver(
        Path(config_file) if config_file else None, split(select) or None, split(ignore)
    )
    try:
        configs = resolve_all(files, resolver)
    except ConfigError as exc:
        click.echo(f"dataplan-lint: config error: {exc}", err=True)
        sys.exit(2)
    settings.fail_on = fail_threshold(fail_on, configs)
    return check_configured(files, configs, settings)


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: a table by gate; json: a list of objects (id, slug, gate, family, ...).",
)
def rules(fmt: str) -> None:
    """List every rule: id, severity, slug and one line on what it checks."""
    from dataplan_lint.engine.docs import rules_json, rules_text

    click.echo(rules_json() if fmt == "json" else rules_text(), nl=False)


@cli.command()
@click.argument("rule")
def explain(rule: str) -> None:
    """Show one rule in full (by id or slug): what, why, a failing and a fixed example."""
    from dataplan_lint.catalog import all_rules, find
    from dataplan_lint.engine.docs import explain_text
    from dataplan_lint.engine.rulesets import did_you_mean

    meta = find(rule)
    if meta is None:
        names = [r.id for r in all_rules()] + [r.slug for r in all_rules()]
        hint = did_you_mean(rule.upper() if rule[:2].lower() == "dp" else rule, names)
        click.echo(f"dataplan-lint: error: unknown rule {rule!r}{hint}", err=True)
        sys.exit(2)
    click.echo(explain_text(meta), nl=False)


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
