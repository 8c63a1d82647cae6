"""Route a run's findings to the requested formats and destinations.

`--format` and `--output` may both repeat and pair up in order: the first format goes to
the first output, the second to the second, and so on; formats without an output of
their own go to stdout, and `-` names stdout explicitly:

    dataplan-lint check --format github --format sarif --output - --output out.sarif

With no `--format`, the format is `text`; inside GitHub Actions (`GITHUB_ACTIONS=true`)
it is `text` plus `github` annotations. When annotations are written and
`$GITHUB_STEP_SUMMARY` is set, the Markdown job summary is appended to that file.
Files are written by `atomic.write_output` (regular files replaced atomically, FIFOs and
devices written in place); stdout - also when named `/dev/stdout` - gets its formats in order.

The filters (baseline, `--changed-only`) ran before: see pipeline/filters.py.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from dataplan_lint.core.safe_text import escape, guard
from dataplan_lint.core.settings import Settings
from dataplan_lint.report.formats import FORMATS

STDOUT = "-"

if TYPE_CHECKING:  # imported lazily at run time: a plain text run should not pay for them
    from dataplan_lint.core.report import FileReport
    from dataplan_lint.pipeline.baseline import BaselineEntry
    from dataplan_lint.report.model import Run


class OutputError(Exception):
    """A usage or output problem that ends the run with exit 2."""


@dataclass(frozen=True, slots=True)
class Target:
    format: str
    destination: str  # a file path, or "-" for stdout

    @property
    def to_stdout(self) -> bool:
        from dataplan_lint.files.atomic import names_stdout

        return self.destination == STDOUT or names_stdout(self.destination)


@dataclass(slots=True)
class Request:
    """Everything decided from the command line before the files are checked."""

    targets: list[Target]
    summary_path: str | None = None
    baseline_path: str | None = None  # the baseline file the run's filters applied
    category: str = "default"
    notes: list[str] = field(default_factory=list)
    # Usage and input errors found after `prepare` (paths that do not exist): every
    # format reports them, and they make the run exit 2.
    errors: list[str] = field(default_factory=list)
    exit_zero: bool = False
    statistics: bool = False
    quiet: bool = False  # text: findings and errors only (no summary, fix hints, notes)
    # The gates whose rules ran (pipeline.configured.checked_gates), asked only when a
    # report shows a scorecard; None: every gate.
    checked_gates: Callable[[], frozenset[int]] | None = None


def pair_targets(
    formats: Sequence[str], outputs: Sequence[str], env: Mapping[str, str]
) -> list[Target]:
    chosen = [name.lower() for name in formats]
    if not chosen:
        chosen = ["text", "github"] if env.get("GITHUB_ACTIONS") == "true" else ["text"]
    for name in chosen:
        if name not in FORMATS:
            raise OutputError(f"unknown format {name!r} (expected one of: {', '.join(FORMATS)})")
    if len(outputs) > len(chosen):
        raise OutputError(
            f"{len(outputs)} --output values for {len(chosen)} formats: each --output pairs "
            "with the --format at the same position"
        )
    targets = [
        Target(name, outputs[index] if index < len(outputs) else STDOUT)
        for index, name in enumerate(chosen)
    ]
    files = [target.destination for target in targets if not target.to_stdout]
    for path in files:
        if files.count(path) > 1:
            raise OutputError(f"two formats write to the same file {path}")
        if Path(path).is_dir() or path.endswith(("/", os.sep)):
            raise OutputError(f"--output {path} is a directory, not a file")
    return targets


def summary_path(
    formats: Sequence[str], targets: Sequence[Target], env: Mapping[str, str]
) -> str | None:
    """The job-summary file, when annotations go out and GitHub gave us one."""
    path = env.get("GITHUB_STEP_SUMMARY")
    if not path:
        return None
    in_actions_default = not formats and env.get("GITHUB_ACTIONS") == "true"
    if in_actions_default or any(target.format == "github" for target in targets):
        return path
    return None


def prepare(
    formats: Sequence[str],
    outputs: Sequence[str],
    *,
    category: str = "default",
    env: Mapping[str, str] | None = None,
) -> Request:
    environ = os.environ if env is None else env
    targets = pair_targets(formats, outputs, environ)
    return Request(targets, summary_path(formats, targets, environ), category=category)


def repository_root(env: Mapping[str, str], cwd: Path | None = None) -> Path:
    """GITHUB_WORKSPACE when the working directory is inside it, else the enclosing git
    checkout, else the working directory itself."""
    here = (cwd or Path.cwd()).resolve()
    workspace = env.get("GITHUB_WORKSPACE")
    if workspace:
        root = Path(workspace).resolve()
        if here == root or root in here.parents:
            return root
    from dataplan_lint.files.git import enclosing_root

    return enclosing_root(here) or here


def build_run(
    reports: Sequence[FileReport],
    stale: Sequence[BaselineEntry],
    request: Request,
    settings: Settings,
    env: Mapping[str, str] | None = None,
) -> Run:
    from dataplan_lint import __version__
    from dataplan_lint.engine.catalog import rule_summaries
    from dataplan_lint.report.model import Run

    environ = os.environ if env is None else env
    here = Path.cwd().resolve()
    root = repository_root(environ, here)
    prefix = here.relative_to(root).as_posix() if here != root else ""
    return Run(
        reports=list(reports),
        rules=rule_summaries(),
        version=__version__,
        fail_on=settings.fail_on,
        stale_baseline=list(stale),
        baseline_path=request.baseline_path,
        category=request.category,
        uri_prefix="" if prefix == "." else prefix,
        root_uri=root.as_uri().rstrip("/") + "/",
        notes=list(request.notes),
        errors=list(request.errors),
        exit_zero=request.exit_zero,
        base_ref=_base_ref(settings),
        checked_gates=request.checked_gates() if request.checked_gates else None,
        source_url=source_url(environ),
    )


def source_url(env: Mapping[str, str]) -> str | None:
    """`https://github.com/OWNER/REPO/blob/SHA/` in GitHub Actions: the head commit of a
    pull request (DATAPLAN_LINT_HEAD_SHA, which the action sets), else GITHUB_SHA."""
    from dataplan_lint.core import regexes

    server = env.get("GITHUB_SERVER_URL", "https://github.com").rstrip("/")
    repository = env.get("GITHUB_REPOSITORY", "")
    sha = env.get("DATAPLAN_LINT_HEAD_SHA") or env.get("GITHUB_SHA", "")
    if not regexes.COMMIT_ID.compile().fullmatch(sha):
        return None
    parts = repository.split("/")
    allowed = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
    if len(parts) != 2 or not all(part and set(part) <= allowed for part in parts):
        return None
    if not regexes.GITHUB_SERVER.compile().fullmatch(server):
        return None
    return f"{server}/{repository}/blob/{sha}/"


def _base_ref(settings: Settings) -> str | None:
    return settings.base or None


def _renderer(name: str) -> Callable[..., str]:
    """The `render` of the format's module (imported only when that format is asked for)."""
    import importlib

    from dataplan_lint.report.formats import RENDERERS

    if name not in RENDERERS:
        raise OutputError(f"unknown format {name!r}")
    render: Callable[..., str] = importlib.import_module(
        f"dataplan_lint.report.{RENDERERS[name]}"
    ).render
    return render


def baseline_notes(stale: Sequence[BaselineEntry], source: str | None, limit: int = 20) -> str:
    """The info lines the text format prints about baseline entries that no longer occur."""
    if source is None or not stale:
        return ""
    noun = "entry" if len(stale) == 1 else "entries"
    verb = "occurs" if len(stale) == 1 else "occur"
    lines = [
        f"info: {len(stale)} baseline {noun} in {escape(source)} no longer {verb}; "
        "regenerate the baseline with `dataplan-lint baseline` to drop them:"
    ]
    for entry in stale[:limit]:
        lines.append(f"  {escape(entry.path)}: {escape(entry.rule_id)} {escape(entry.message)}")
    if len(stale) > limit:
        lines.append(f"  ... and {len(stale) - limit} more")
    return "\n".join(lines) + "\n"


def render_text(
    reports: Sequence[FileReport],
    stale: Sequence[BaselineEntry],
    request: Request,
    *,
    colour: bool,
    snippets: bool,
    unsafe_fixes: bool = False,
) -> str:
    from dataplan_lint.report import text

    errors = [*request.errors, *(report.input_error for report in reports if report.input_error)]
    if request.statistics:  # like ruff: counts per rule instead of every finding
        closing = "" if request.quiet else text.summary(reports, colour=colour, errors=errors)
        rendered = text.statistics(reports) + (closing + "\n" if closing else "")
    else:
        rendered = text.render(
            reports,
            colour=colour,
            snippets=snippets,
            errors=errors,
            unsafe_fixes=unsafe_fixes,
            quiet=request.quiet,
        )
    if request.quiet:  # like ruff's -q: the diagnostics and nothing else
        return guard(rendered, controls=not colour)
    rendered += baseline_notes(stale, request.baseline_path)
    for note in request.notes:
        rendered += f"info: {escape(note)}\n"
    # The last pass: whatever a user string slipped into a line cannot act in a CI log.
    return guard(rendered, controls=not colour)


def deliver(
    reports: Sequence[FileReport],
    stale: Sequence[BaselineEntry],
    request: Request,
    settings: Settings,
    *,
    write_stdout: Callable[[str, bool], None],
    colour: bool = False,
    snippets: bool = True,
    unsafe_fixes: bool = False,
) -> None:
    """Render every target; files are written first, then stdout gets its share in order."""
    from dataplan_lint.files.atomic import append_text, write_output

    run: Run | None = None
    rendered: list[tuple[Target, str, bool]] = []
    for target in request.targets:
        if target.format == "text":
            use_colour = colour and target.to_stdout
            body = render_text(
                reports,
                stale,
                request,
                colour=use_colour,
                snippets=snippets,
                unsafe_fixes=unsafe_fixes,
            )
        else:
            run = run or build_run(reports, stale, request, settings)
            body = _renderer(target.format)(run)
            use_colour = False
        rendered.append((target, body, use_colour))
    # Files first: a file that cannot be written stops the run before anything is printed.
    for target, body, _ in rendered:
        if target.to_stdout:
            continue
        try:
            write_output(target.destination, body, durable=False)
        except OSError as exc:
            raise OutputError(f"cannot write {target.destination}: {exc.strerror or exc}") from None
    for target, body, use_colour in rendered:
        if target.to_stdout:
            write_stdout(body, use_colour)
    if request.summary_path:
        from dataplan_lint.report import summary

        run = run or build_run(reports, stale, request, settings)
        try:
            append_text(request.summary_path, summary.render(run))
        except OSError as exc:
            raise OutputError(
                f"cannot append the job summary to {request.summary_path}: {exc.strerror or exc}"
            ) from None
