"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

The log is built from `sarif-om` objects and serialised through the JSON property names
that package records on each attribute (`schema_property_name`), dropping unset values
and values equal to the SARIF default - except `level`, which is always written so a
reader never has to know SARIF's default.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import attr
import sarif_om as om

from dataplan_lint.core.findings import Finding, Related, Severity, Span
from dataplan_lint.core.safe_text import dump_json
from dataplan_lint.engine.catalog import RuleMeta
from dataplan_lint.report.model import (
    INFORMATION_URI,
    TOOL_NAME,
    Run,
    reference_url,
    region,
)

SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
SRCROOT = "%SRCROOT%"
# Our own stable key in partialFingerprints (see Finding.fingerprint); GitHub computes its
# own primaryLocationLineHash and warns when a tool sets that one.
FINGERPRINT_KEY = "dataplanLint/v1"
MAX_DESCRIPTION = 1024
# GitHub code scanning's documented limits for one uploaded SARIF file: at most 25,000
# results per run (the rest are dropped without a word), 1,000 related locations per
# result of which 100 are shown, and 10 MB once gzip-compressed.
MAX_RESULTS = 25_000
MAX_RELATED = 100
MAX_GZIP_BYTES = 10 * 1024 * 1024
_GZIP_MARGIN = 256 * 1024

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
PROBLEM_SEVERITY = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "recommendation",
}
SUPPRESSION_KINDS = {"inline": "inSource", "baseline": "external"}
# File, schema, reference and compatibility checks are exact; the others judge a plan.
_VERY_HIGH_PRECISION = {"file", "schema", "cross-reference", "compatibility"}
_ALWAYS_WRITTEN = {"level"}


def render(run: Run) -> str:
    """The SARIF log, fitted to GitHub's limits (see `build` and `_fits`)."""
    limit = MAX_RESULTS
    while True:
        text = dump_json(to_json(build(run, limit)))
        kept = min(limit, len(run.findings))
        size = _gzip_size(text)
        if size <= MAX_GZIP_BYTES - _GZIP_MARGIN or kept == 0:
            return text
        # Too big for an upload: keep proportionally fewer (the least severe go first).
        limit = int(kept * (MAX_GZIP_BYTES - _GZIP_MARGIN) / size * 0.95)


def _gzip_size(text: str) -> int:
    import zlib

    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)  # gzip framing
    data = text.encode("utf-8")
    return len(compressor.compress(data)) + len(compressor.flush())


def kept_findings(findings: list[Finding], limit: int) -> list[Finding]:
    """At most `limit` findings: the most severe (unsuppressed before suppressed) first,
    returned in their original file and line order."""
    if len(findings) <= limit:
        return findings
    order = sorted(
        range(len(findings)),
        key=lambda i: (
            -int(findings[i].severity),
            findings[i].suppression is not None,
            findings[i].sort_key(),
        ),
    )
    chosen = sorted(order[:limit])
    return [findings[i] for i in chosen]


def build(run: Run, max_results: int = MAX_RESULTS) -> om.SarifLog:
    driver = om.ToolComponent(
        name=TOOL_NAME,
        version=run.version,
        semantic_version=run.version,
        information_uri=INFORMATION_URI,
        rules=[_rule(rule) for rule in run.rule_table],
    )
    findings = kept_findings(run.findings, max(max_results, 0))
    left_out = len(run.findings) - len(findings)
    invocation = _invocation(run, left_out)
    base_ids: dict[str, Any] = {
        SRCROOT: (
            om.ArtifactLocation(uri=run.root_uri)
            if run.root_uri
            else om.ArtifactLocation(description=om.Message(text="The repository root."))
        )
    }
    sarif_run = om.Run(
        tool=om.Tool(driver=driver),
        results=[_result(run, finding) for finding in findings],
        automation_details=om.RunAutomationDetails(id=automation_id(run.category)),
        original_uri_base_ids=base_ids,
        column_kind="unicodeCodePoints",
        invocations=[invocation],
        properties=_run_properties(run),
    )
    return om.SarifLog(runs=[sarif_run], version=SARIF_VERSION, schema_uri=SARIF_SCHEMA_URI)


def _invocation(run: Run, left_out: int = 0) -> om.Invocation:
    """One invocation whose success is the run's exit status: False on exit 2 (a usage or
    input error), with one error notification per problem, so code scanning never
    reads an incomplete run as a clean one and closes open alerts. Results left out to
    fit GitHub's limits are counted in a warning notification."""
    notes: list[om.Notification] = [
        om.Notification(message=om.Message(text=problem), level="error") for problem in run.errors
    ]
    if left_out:
        total = len(run.findings)
        notes.append(
            om.Notification(
                message=om.Message(
                    text=(
                        f"{left_out:,} of {total:,} results were left out of this SARIF file "
                        f"to stay within GitHub code scanning's limits ({MAX_RESULTS:,} "
                        "results per run, 10 MB compressed); the most severe were kept. The "
                        "JSON report lists every finding."
                    )
                ),
                level="warning",
                descriptor=om.ReportingDescriptorReference(id="dataplan-lint/results-left-out"),
            )
        )
    for report in run.reports:
        if report.input_error:
            notes.append(
                om.Notification(
                    message=om.Message(text=report.input_error),
                    level="error",
                    locations=[_location(run, report.path, None)],
                )
            )
    return om.Invocation(
        execution_successful=run.completed,
        exit_code=run.exit_code,
        tool_execution_notifications=notes or None,
    )


def automation_id(category: str) -> str:
    """`dataplan-lint/<category>/`.

    Code scanning treats everything before the last `/` as the analysis category; the
    trailing slash makes the whole id the category, so two configurations uploaded with
    different categories never replace each other's alerts.
    """
    clean = category.strip().strip("/") or "default"
    return f"{TOOL_NAME}/{clean}/"


def _rule(rule: RuleMeta) -> om.ReportingDescriptor:
    url = reference_url(rule)
    summary = rule.summary.strip() or rule.id
    description = rule.description.strip() or summary
    tags = [f"gate-{rule.gate}" if rule.gate else "file-and-schema"]
    if rule.family:
        tags.append(rule.family)
    text = (
        f"{summary}\n\n{description}\n\nReference: {url}"
        if description != summary
        else (f"{summary}\n\nReference: {url}")
    )
    page = rule.reference or "README"
    body = f"\n\n{description}" if description != summary else ""
    markdown = f"**{rule.id} `{rule.slug}`**: {summary}{body}\n\nSee [{page}]({url})."
    return om.ReportingDescriptor(
        id=rule.id,
        name=rule.slug,
        short_description=om.MultiformatMessageString(text=_clip(summary)),
        full_description=om.MultiformatMessageString(text=_clip(description)),
        help=om.MultiformatMessageString(text=text, markdown=markdown),
        help_uri=url,
        default_configuration=om.ReportingConfiguration(level=LEVELS[rule.severity]),
        properties={
            "tags": tags,
            "precision": "very-high" if rule.family in _VERY_HIGH_PRECISION else "high",
            "problem.severity": PROBLEM_SEVERITY[rule.severity],
            "gate": rule.gate,
        },
    )


def _result(run: Run, finding: Finding) -> om.Result:
    related = [
        _related(run, index, item)
        for index, item in enumerate(finding.related[:MAX_RELATED], start=1)
    ]
    result = om.Result(
        rule_id=finding.rule_id,
        rule_index=run.rule_index[finding.rule_id],
        level=LEVELS[finding.severity],
        message=om.Message(text=finding.message),
        locations=[_location(run, finding.path, finding.span)],
        partial_fingerprints={FINGERPRINT_KEY: finding.fingerprint},
        related_locations=related or None,
    )
    if finding.pointer:
        result.properties = {"pointer": finding.pointer}
    if finding.suppression is not None:
        result.suppressions = [
            om.Suppression(
                kind=SUPPRESSION_KINDS.get(finding.suppression.kind, "external"),
                justification=finding.suppression.reason or None,
            )
        ]
    return result


def _related(run: Run, index: int, item: Related) -> om.Location:
    """A related location. One on the git base side (`REF:path`, a file that does not
    exist in the checkout) gets no artifact URI - GitHub would link a file literally
    named `main%3Aplan.yaml` - but a message naming the ref, path and line."""
    base = base_side(run, item.path)
    if base is not None:
        ref, path = base
        line = f" line {item.span.start_line}" if item.span is not None else ""
        text = f"{item.message} ({path}{line} at {ref})"
        return om.Location(id=index, message=om.Message(text=text))
    location = _location(run, item.path, item.span)
    location.id = index
    location.message = om.Message(text=item.message)
    return location


def base_side(run: Run, path: str) -> tuple[str, str] | None:
    """(ref, path) when `path` names a file at the `--base` ref (`REF:path`)."""
    ref = run.base_ref
    if ref and path.startswith(ref + ":"):
        return ref, path[len(ref) + 1 :]
    return None


def _location(run: Run, path: str, span: Span | None) -> om.Location:
    uri = run.uri(path)
    if uri.startswith("/"):
        artifact = om.ArtifactLocation(uri="file://" + quote(uri, safe="/"))
    else:
        artifact = om.ArtifactLocation(uri=quote(uri, safe="/"), uri_base_id=SRCROOT)
    physical = om.PhysicalLocation(artifact_location=artifact)
    if span is not None:
        fixed = region(span)
        physical.region = om.Region(
            start_line=fixed.start_line,
            start_column=fixed.start_col,
            end_line=fixed.end_line,
            end_column=fixed.end_col,
        )
    return om.Location(physical_location=physical)


def _run_properties(run: Run) -> dict[str, Any] | None:
    if run.baseline_path is None:
        return None
    return {
        "baseline": {
            "path": run.baseline_path,
            "stale": [entry.to_json() for entry in run.stale_baseline],
        }
    }


def _clip(text: str) -> str:
    return text if len(text) <= MAX_DESCRIPTION else text[: MAX_DESCRIPTION - 1] + "…"


# Written first for people reading the file; SARIF readers do not care about key order.
_FIRST_KEYS = ("$schema", "version", "id", "name", "ruleId", "ruleIndex", "level", "message")


def to_json(value: Any) -> Any:
    """Serialise sarif-om objects with their SARIF property names."""
    if attr.has(type(value)):
        out: dict[str, Any] = {}
        for field in attr.fields(type(value)):
            item = getattr(value, field.name)
            if item is None:
                continue
            name = field.metadata["schema_property_name"]
            if name not in _ALWAYS_WRITTEN and _is_default(field, item):
                continue
            out[name] = to_json(item)
        first = {key: out.pop(key) for key in _FIRST_KEYS if key in out}
        return first | out
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(item) for item in value]
    return value


def _is_default(field: Any, value: Any) -> bool:
    default = field.default
    if isinstance(default, attr.Factory):  # type: ignore[arg-type]
        default = default.factory()
    return bool(default is not attr.NOTHING and value == default)
