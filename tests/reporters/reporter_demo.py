"""Hand-built runs for the reporter tests (golden files, escaping, volume)."""

from __future__ import annotations

from pathlib import Path

from dataplan_lint.core.findings import Finding, Related, Severity, Span, Suppression
from dataplan_lint.core.report import FileReport
from dataplan_lint.core.settings import Settings
from dataplan_lint.engine.catalog import RuleMeta, all_rules
from dataplan_lint.files.discovery import discover
from dataplan_lint.pipeline.baseline import BaselineEntry
from dataplan_lint.pipeline.runner import check_files
from dataplan_lint.report.model import Run

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
DEMO_PATH = "tests/reporters/fixtures/demo.dataplan.yaml"
VERSION = "0.0.0-golden"
ROOT_URI = "file:///repo/"

# Rule metadata for the hand-built findings; defined here (not taken from the growing
# catalog) so the golden files only change when the reporters change.
DEMO_RULES = (
    RuleMeta(
        "DP301",
        "watermark-exceeds-freshness-slo",
        3,
        "consistency",
        Severity.ERROR,
        "The watermark delay is longer than the freshness SLO allows.",
        "Results cannot be fresher than the watermark: every window closes only after "
        "the delay has passed, so a delay above the SLO target breaks the SLO by design.",
        "event-semantics.md#watermark-vs-freshness",
    ),
    RuleMeta(
        "DP402",
        "declared-peak-below-derived",
        4,
        "capacity",
        Severity.WARNING,
        "A declared capacity figure is below the figure derived from its inputs.",
        reference="capacity.md#peak-rate",
    ),
    RuleMeta(
        "DP731",
        "required-field-removed",
        7,
        "compatibility",
        Severity.ERROR,
        "A required field was removed from a contract whose mode forbids it.",
        reference="compatibility.md#field-removed",
    ),
    RuleMeta(
        "DP801",
        "quality-check-without-threshold",
        8,
        "completeness",
        Severity.WARNING,
        "A data-quality check has no threshold.",
        reference="quality.md#thresholds",
    ),
    RuleMeta(
        "DP901",
        "no-alerts",
        9,
        "anti-pattern",
        Severity.WARNING,
        "A streaming plan defines no alerts.",
        reference="operations.md#alerts",
    ),
)


def demo_findings(path: str = DEMO_PATH) -> list[Finding]:
    return [
        Finding(
            "DP301",
            Severity.ERROR,
            "watermark delay 15m is longer than the freshness SLO target 10m",
            path,
            Span(16, 12, 16, 15),
            "/event_semantics/watermark/delay",
            "watermark-exceeds-freshness-slo",
            3,
            "consistency",
            related=(Related(path, Span(18, 13, 18, 16), "the freshness SLO target"),),
        ),
        Finding(
            "DP402",
            Severity.WARNING,
            "declared peak_eps 926 is below the derived peak of 2778 events/s "
            "(80M/day x peak factor 3)",
            path,
            Span(25, 15, 25, 18),
            "/capacity/declared/peak_eps",
            "declared-peak-below-derived",
            4,
            "capacity",
            related=(Related(path, Span(22, 21, 22, 28), "events_per_day"),),
        ),
        Finding(
            "DP731",
            Severity.ERROR,
            "contract 'orders': required field 'customer_id' was removed; BACKWARD "
            "compatibility does not allow removing a required field",
            path,
            Span(31, 5, 37, 1),
            "/contracts/0/fields",
            "required-field-removed",
            7,
            "compatibility",
            related=(
                Related(path, Span(34, 9, 34, 20), "field 'customer_id' in the base version"),
            ),
            data=(("change", "required field removed"), ("mode", "BACKWARD")),
        ),
        Finding(
            "DP801",
            Severity.WARNING,
            "quality check 'orders-not-null' has no threshold",
            path,
            Span(40, 7, 40, 25),
            "/quality/checks/0",
            "quality-check-without-threshold",
            8,
            "completeness",
            suppression=Suppression("inline", "threshold agreed in the launch review"),
        ),
        Finding(
            "DP901",
            Severity.WARNING,
            "the plan defines no alerts",
            path,
            Span(44, 11, 44, 13),
            "/operations/alerts",
            "no-alerts",
            9,
            "anti-pattern",
            suppression=Suppression("baseline", "in baseline dataplan-lint-baseline.json"),
        ),
    ]


STALE = (
    BaselineEntry(
        "0123456789abcdef0123456789abcdef",
        "DP1101",
        DEMO_PATH,
        "acceptance criteria are not numbered",
        "/validation/acceptance",
    ),
)


def demo_run() -> Run:
    report = FileReport(DEMO_PATH, demo_findings(), text=None)
    return Run(
        reports=[report],
        rules=DEMO_RULES,
        version=VERSION,
        stale_baseline=STALE,
        baseline_path="dataplan-lint-baseline.json",
        category="default",
        root_uri=ROOT_URI,
    )


def invalid_run() -> Run:
    """The examples/invalid plans, file and schema findings only (call with cwd = REPO)."""
    found = discover(["examples/invalid"])
    reports = check_files(found.files, Settings())
    for report in reports:
        report.findings = [f for f in report.findings if f.family in ("file", "schema")]
        report.text = None
    used = {f.rule_id for report in reports for f in report.findings}
    return Run(
        reports=reports,
        rules=[rule for rule in all_rules() if rule.id in used],
        version=VERSION,
        root_uri=ROOT_URI,
    )


def many_run(count: int = 500, path: str = "plans/dataplan.yaml") -> Run:
    """`count` findings spread over the three severities (2:2:1)."""
    severities = (Severity.ERROR, Severity.WARNING, Severity.INFO, Severity.ERROR, Severity.WARNING)
    findings = [
        Finding(
            "DP301",
            severities[index % 5],
            f"finding number {index} of {count}",
            path,
            Span(index + 1, 3, index + 1, 9),
            f"/items/{index}",
            "watermark-exceeds-freshness-slo",
            3,
            "consistency",
        )
        for index in range(count)
    ]
    return Run([FileReport(path, findings)], DEMO_RULES, version=VERSION, root_uri=ROOT_URI)
