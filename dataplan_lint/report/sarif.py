"""SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

The log is built as plain JSON objects, one `_sarif` call per SARIF object with its
type's property order (`PROPERTY_ORDER`, checked against the `sarif-om` object model by
tests/reporters/test_sarif_structure.py), unset values dropped and `level` always
written so a reader never has to know SARIF's default. Importing the object model and
attrs cost more than the rest of a SARIF report, so the run does without them.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from dataplan_lint.core.findings import Finding, Related, Severity, Span, region
from dataplan_lint.core.safe_text import dump_json
from dataplan_lint.engine.catalog import RuleMeta, describe
from dataplan_lint.report.model import (
    INFORMATION_URI,
    TOOL_NAME,
    Run,
    reference_url,
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
LEFT_OUT_NOTIFICATION = "dataplan-lint/results-left-out"
SUPPRESSION_KINDS = {"inline": "inSource", "baseline": "external"}
# File, schema, reference and compatibility checks are exact; the others judge a plan.
_VERY_HIGH_PRECISION = {"file", "schema", "cross-reference", "compatibility"}

# Each SARIF object's properties in the order the object model (sarif-om) declares them,
# for the properties this reporter writes; `_FIRST_KEYS` go first for people reading.
PROPERTY_ORDER: dict[str, tuple[str, ...]] = {
    "SarifLog": ("runs", "version", "$schema"),
    "Run": (
        "tool",
        "automationDetails",
        "columnKind",
        "invocations",
        "originalUriBaseIds",
        "properties",
        "results",
    ),
    "Tool": ("driver",),
    "ToolComponent": ("name", "informationUri", "rules", "semanticVersion", "version"),
    "ReportingDescriptor": (
        "id",
        "defaultConfiguration",
        "fullDescription",
        "help",
        "helpUri",
        "name",
        "properties",
        "shortDescription",
    ),
    "MultiformatMessageString": ("text", "markdown"),
    "ReportingConfiguration": ("level",),
    "Result": (
        "message",
        "level",
        "locations",
        "partialFingerprints",
        "properties",
        "relatedLocations",
        "ruleId",
        "ruleIndex",
        "suppressions",
    ),
    "Message": ("text",),
    "Location": ("id", "message", "physicalLocation"),
    "PhysicalLocation": ("artifactLocation", "region"),
    "ArtifactLocation": ("description", "uri", "uriBaseId"),
    "Region": ("endColumn", "endLine", "startColumn", "startLine"),
    "Suppression": ("kind", "justification"),
    "Invocation": ("executionSuccessful", "exitCode", "toolExecutionNotifications"),
    "Notification": ("message", "descriptor", "level", "locations"),
    "ReportingDescriptorReference": ("id",),
    "RunAutomationDetails": ("id",),
}
# Written first for people reading the file; SARIF readers do not care about key order.
_FIRST_KEYS = ("$schema", "version", "id", "name", "ruleId", "ruleIndex", "level", "message")


def _sarif(sarif_type: str, /, **properties: Any) -> dict[str, Any]:
    """One SARIF object of `sarif_type` from its SARIF-named properties (None: unset)."""
    order = PROPERTY_ORDER[sarif_type]
    unknown = set(properties) - set(order)
    assert not unknown, f"{sarif_type} has no {unknown}"  # a typo here is a bug, not input
    first = [key for key in _FIRST_KEYS if key in order]
    rest = [key for key in order if key not in first]
    return {key: properties[key] for key in (*first, *rest) if properties.get(key) is not None}


def _message(text: str) -> dict[str, Any]:
    return _sarif("Message", text=text)


def render(run: Run) -> str:
    """The SARIF log, fitted to GitHub's limits (see `build` and `_fits`)."""
    limit = MAX_RESULTS
    while True:
        text = dump_json(build(run, limit))
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


def build(run: Run, max_results: int = MAX_RESULTS) -> dict[str, Any]:
    """The SARIF log of `run` as a JSON object, with at most `max_results` results."""
    findings = kept_findings(run.findings, max(max_results, 0))
    # Only the rules the results use: code scanning needs nothing else, and describing
    # all 160 rules made a clean run's report 300 KB (most of the time spent on SARIF).
    used = {finding.rule_id for finding in findings}
    described = [describe(rule) for rule in run.rule_table if rule.id in used]
    rule_index = {rule.id: index for index, rule in enumerate(described)}
    driver = _sarif(
        "ToolComponent",
        name=TOOL_NAME,
        version=run.version,
        semanticVersion=run.version,
        informationUri=INFORMATION_URI,
        rules=[_rule(rule) for rule in described],
    )
    left_out = len(run.findings) - len(findings)
    root = (
        _sarif("ArtifactLocation", uri=run.root_uri)
        if run.root_uri
        else _sarif("ArtifactLocation", description=_message("The repository root."))
    )
    sarif_run = _sarif(
        "Run",
        tool=_sarif("Tool", driver=driver),
        results=[_result(run, finding, rule_index) for finding in findings],
        automationDetails=_sarif("RunAutomationDetails", id=automation_id(run.category)),
        originalUriBaseIds={SRCROOT: root},
        columnKind="unicodeCodePoints",
        invocations=[_invocation(run, left_out)],
        properties=_run_properties(run),
    )
    return _sarif(
        "SarifLog", runs=[sarif_run], version=SARIF_VERSION, **{"$schema": SARIF_SCHEMA_URI}
    )


def _invocation(run: Run, left_out: int = 0) -> dict[str, Any]:
    """One invocation whose success is the run's exit status: False on exit 2 (a usage or
    input error), with one error notification per problem, so code scanning never
    reads an incomplete run as a clean one and closes open alerts. Results left out to
    fit GitHub's limits are counted in a warning notification."""
    notes: list[dict[str, Any]] = [
        _sarif("Notification", message=_message(problem), level="error") for problem in run.errors
    ]
    if left_out:
        total = len(run.findings)
        notes.append(
            _sarif(
                "Notification",
                message=_message(
                    f"{left_out:,} of {total:,} results were left out of this SARIF file "
                    f"to stay within GitHub code scanning's limits ({MAX_RESULTS:,} "
                    "results per run, 10 MB compressed); the most severe were kept. The "
                    "JSON report lists every finding."
                ),
                level="warning",
                descriptor=_sarif("ReportingDescriptorReference", id=LEFT_OUT_NOTIFICATION),
            )
        )
    for report in run.reports:
        if report.input_error:
            notes.append(
                _sarif(
                    "Notification",
                    message=_message(report.input_error),
                    level="error",
                    locations=[_location(run, report.path, None)],
                )
            )
    return _sarif(
        "Invocation",
        executionSuccessful=run.completed,
        exitCode=run.exit_code,
        toolExecutionNotifications=notes or None,
    )


def automation_id(category: str) -> str:
    """`dataplan-lint/<category>/`.

    Code scanning treats everything before the last `/` as the analysis category; the
    trailing slash makes the whole id the category, so two configurations uploaded with
    different categories never replace each other's alerts.
    """
    clean = category.strip().strip("/") or "default"
    return f"{TOOL_NAME}/{clean}/"


def _rule(rule: RuleMeta) -> dict[str, Any]:
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
    return _sarif(
        "ReportingDescriptor",
        id=rule.id,
        name=rule.slug,
        shortDescription=_sarif("MultiformatMessageString", text=_clip(summary)),
        fullDescription=_sarif("MultiformatMessageString", text=_clip(description)),
        help=_sarif("MultiformatMessageString", text=text, markdown=markdown),
        helpUri=url,
        defaultConfiguration=_sarif("ReportingConfiguration", level=LEVELS[rule.severity]),
        properties={
            "tags": tags,
            "precision": "very-high" if rule.family in _VERY_HIGH_PRECISION else "high",
            "problem.severity": PROBLEM_SEVERITY[rule.severity],
            "gate": rule.gate,
        },
    )


def _result(run: Run, finding: Finding, rule_index: dict[str, int]) -> dict[str, Any]:
    related = [
        _related(run, index, item)
        for index, item in enumerate(finding.related[:MAX_RELATED], start=1)
    ]
    suppressions = None
    if finding.suppression is not None:
        suppressions = [
            _sarif(
                "Suppression",
                kind=SUPPRESSION_KINDS.get(finding.suppression.kind, "external"),
                justification=finding.suppression.reason or None,
            )
        ]
    return _sarif(
        "Result",
        ruleId=finding.rule_id,
        ruleIndex=rule_index[finding.rule_id],
        level=LEVELS[finding.severity],
        message=_message(finding.message),
        locations=[_location(run, finding.path, finding.span)],
        partialFingerprints={FINGERPRINT_KEY: finding.fingerprint},
        relatedLocations=related or None,
        properties={"pointer": finding.pointer} if finding.pointer else None,
        suppressions=suppressions,
    )


def _related(run: Run, index: int, item: Related) -> dict[str, Any]:
    """A related location. One on the git base side (`REF:path`, a file that does not
    exist in the checkout) gets no artifact URI - GitHub would link a file literally
    named `main%3Aplan.yaml` - but a message naming the ref, path and line."""
    base = base_side(run, item.path)
    if base is not None:
        ref, path = base
        line = f" line {item.span.start_line}" if item.span is not None else ""
        text = f"{item.message} ({path}{line} at {ref})"
        return _sarif("Location", id=index, message=_message(text))
    physical = _location(run, item.path, item.span)["physicalLocation"]
    return _sarif("Location", id=index, message=_message(item.message), physicalLocation=physical)


def base_side(run: Run, path: str) -> tuple[str, str] | None:
    """(ref, path) when `path` names a file at the `--base` ref (`REF:path`)."""
    ref = run.base_ref
    if ref and path.startswith(ref + ":"):
        return ref, path[len(ref) + 1 :]
    return None


def _location(run: Run, path: str, span: Span | None) -> dict[str, Any]:
    uri = run.uri(path)
    if uri.startswith("/"):
        artifact = _sarif("ArtifactLocation", uri="file://" + quote(uri, safe="/"))
    else:
        artifact = _sarif("ArtifactLocation", uri=quote(uri, safe="/"), uriBaseId=SRCROOT)
    area = None
    if span is not None:
        fixed = region(span)
        area = _sarif(
            "Region",
            startLine=fixed.start_line,
            startColumn=fixed.start_col,
            endLine=fixed.end_line,
            endColumn=fixed.end_col,
        )
    physical = _sarif("PhysicalLocation", artifactLocation=artifact, region=area)
    return _sarif("Location", physicalLocation=physical)


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
