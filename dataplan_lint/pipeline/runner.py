"""Check plan files: load, validate, run the rule stages, and collect findings.

Every stage after loading runs under a guard: a crash in one stage on one file becomes an
internal-error finding on that file (DP099) instead of a traceback or a silent pass.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Iterable

from dataplan_lint.core.findings import Finding
from dataplan_lint.core.report import FileReport
from dataplan_lint.core.rules import (
    INTERNAL_ERROR,
    MALFORMED_VALUE_RULES,
    PATTERN_MISMATCH,
    UNSUPPORTED_TAG,
    builtin_finding,
)
from dataplan_lint.core.settings import Settings
from dataplan_lint.files.dependencies import digest
from dataplan_lint.files.discovery import Discovered
from dataplan_lint.files.loader import LoadedPlan, load_limited, read_limited
from dataplan_lint.pipeline.timings import add

# A stage gets the plan, its settings and the file's timings (None unless --timings).
Stage = Callable[[LoadedPlan, Settings, "dict[str, float] | None"], Iterable[Finding]]


def _schema_stage(
    plan: LoadedPlan, settings: Settings, timings: dict[str, float] | None = None
) -> list[Finding]:
    from dataplan_lint.schema.check import check

    return check(plan)


def _finalize(
    findings: list[Finding], text: str | None, path: str, settings: Settings
) -> list[Finding]:
    """Configuration filters, severity overrides and inline suppressions."""
    from dataplan_lint.pipeline.filtering import finalize

    return finalize(findings, text, path, settings)


def _rules_stage(
    plan: LoadedPlan, settings: Settings, timings: dict[str, float] | None = None
) -> list[Finding]:
    """The active rules of the plan's configuration."""
    from dataplan_lint.config.file import config_of
    from dataplan_lint.engine.run import run_rules

    return run_rules(plan, settings, config_of(settings).active_rules(), timings)


def stages() -> list[tuple[str, Stage]]:
    """The checks run on every loaded plan, in order."""
    return [("schema", _schema_stage), ("rules", _rules_stage)]


def internal_error(path: str, stage: str, exc: BaseException) -> Finding:
    where = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
    origin = f" at {where[0].filename.rsplit('/', 1)[-1]}:{where[0].lineno}" if where else ""
    return builtin_finding(
        INTERNAL_ERROR,
        f"internal error in {stage}: {type(exc).__name__}: {exc}{origin}; "
        "the file was not fully checked (please report this)",
        path,
    )


def drop_cascades(findings: list[Finding]) -> list[Finding]:
    """Rule findings that only restate a value the schema already rejected, removed.

    A malformed value (`15 minutes`, a wrong type, an id that breaks its pattern) is
    reported once, by its schema finding. A rule that reads the same value - at the same
    place, or naming it as a related place - computes from an absent or misread input, so
    what it says (a derived figure that differs, "no stated retention", "unknown
    reference") is a cascade, not a defect.

    One exception keeps the better of two findings about one defect: a pattern mismatch
    (DP016) yields to a cross-reference finding at the same value (an unknown reference).
    Such a rule compares the value exactly as written with the names the plan defines -
    nothing is misread - and says which names exist, with a did-you-mean and a `--fix`
    when one is close (`Orders_cdc_event` -> `orders_cdc_event`); the pattern finding
    would only quote the regular expression. Every other rule reading a value that breaks
    its pattern computes from it (a date compared as text, a blank owner) and is dropped.
    Type, choice and quantity findings never yield: the rule read nothing usable there.
    """
    findings = _drop_tag_cascades(findings)
    referenced = {
        f.pointer for f in findings if f.family == "cross-reference" and f.span is not None
    }
    findings = [
        f for f in findings if not (f.rule_id == PATTERN_MISMATCH and f.pointer in referenced)
    ]
    malformed = [f for f in findings if f.rule_id in MALFORMED_VALUE_RULES]
    bad = {(f.pointer, f.line) for f in malformed if f.span is not None}
    if not bad:
        return findings
    pointers = {pointer for pointer, _ in bad}
    lines = {line for _, line in bad}

    def cascade(finding: Finding) -> bool:
        if finding.rule_id.startswith("DP0") or finding.span is None:
            return False
        if finding.pointer in pointers or finding.line in lines:
            return True
        return any(r.span is not None and r.span.start_line in lines for r in finding.related)

    return [f for f in findings if not cascade(f)]


def _drop_tag_cascades(findings: list[Finding]) -> list[Finding]:
    """A value behind an unsupported tag is read as null (DP010 says so): a schema or
    rule finding at that very place ("must be a string, not null") restates it."""
    tagged = {(f.line, f.col) for f in findings if f.rule_id == UNSUPPORTED_TAG and f.span}
    if not tagged:
        return findings
    return [
        f
        for f in findings
        if f.rule_id == UNSUPPORTED_TAG or f.span is None or (f.line, f.col) not in tagged
    ]


def check_file(item: Discovered, settings: Settings) -> FileReport:
    from dataplan_lint.files.dependencies import recording

    with recording() as dependencies:
        report = _check_file(item, settings)
    report.dependencies = tuple(dependencies)
    return report


def _check_file(item: Discovered, settings: Settings) -> FileReport:
    report = FileReport(item.display)
    timings = report.timings = {} if settings.timings else None
    clock = time.perf_counter
    start = clock()
    try:
        if item.content is not None:
            raw = item.content
        elif item.path.is_dir():
            report.input_error = f"{item.display}: is a directory, not a plan file"
            return report
        else:
            raw = read_limited(item.path, settings.max_file_size)
        report.plan_digest = digest(raw)
        add(timings, "read", clock() - start)
        start = clock()
        loaded = load_limited(raw, item.display, settings.max_file_size)
        add(timings, "load", clock() - start)
    except OSError as exc:
        report.input_error = f"{item.display}: cannot read: {exc.strerror or exc}"
        return report
    except Exception as exc:  # a loader bug: this file fails loudly, the others still run
        report.findings.append(internal_error(item.display, "loader", exc))
        return report
    report.findings.extend(loaded.findings)
    report.text = loaded.text
    plan = loaded.plan
    if plan is not None:
        for name, stage in stages():
            start = clock()
            try:
                report.findings.extend(stage(plan, settings, timings))
            except Exception as exc:  # a bug must surface as a finding, never as a pass
                report.findings.append(internal_error(item.display, name, exc))
            add(timings, name, clock() - start)
        report.findings = drop_cascades(report.findings)
    start = clock()
    try:  # also for files that did not load: per-file ignores and suppressions apply
        report.findings = _finalize(report.findings, report.text, item.display, settings)
    except Exception as exc:  # unfiltered findings plus the crash beat a silent pass
        report.findings.append(internal_error(item.display, "filtering", exc))
    report.findings.sort(key=Finding.sort_key)
    add(timings, "filter", clock() - start)
    return report


def check_files(items: Iterable[Discovered], settings: Settings) -> list[FileReport]:
    """`check_file` for every item, in order; on several processes when there are many."""
    from dataplan_lint.pipeline.parallel import check_all

    return check_all([(item, settings) for item in items], check_file)
