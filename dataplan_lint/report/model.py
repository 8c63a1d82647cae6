"""What every machine-readable reporter receives: the run's reports plus rule metadata.

Reporters are pure functions `render(run) -> str`; they never read the environment, the
clock or the file system, which keeps their output reproducible (and golden-testable).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from dataplan_lint.core.findings import Finding, Severity
from dataplan_lint.core.report import FileReport
from dataplan_lint.core.rules import RuleMeta
from dataplan_lint.pipeline.baseline import BaselineEntry

TOOL_NAME = "dataplan-lint"
INFORMATION_URI = "https://github.com/dataplan-lint/dataplan-lint"
# Every rule's `reference` ("page.md#anchor") is resolved against this base.
REFERENCE_BASE_URL = "https://github.com/dataplan-lint/dataplan-lint/blob/main/references/"


def reference_url(rule: RuleMeta) -> str:
    """The rule's documentation page. A ruleset's `reference` is percent-encoded: it is
    user text and lands in Markdown links and SARIF, where `)`, a space or a line break
    would end the URL early."""
    if not rule.reference:
        return INFORMATION_URI
    from urllib.parse import quote

    return REFERENCE_BASE_URL + quote(rule.reference, safe="/#")


@dataclass(frozen=True)
class Run:
    """One lint run as the reporters see it.

    `uri_prefix` is the folder of the working directory relative to the repository root
    ("" when they are the same); finding paths are relative to the working directory.
    `root_uri` is the repository root as a file URI, when known.
    """

    reports: Sequence[FileReport]
    rules: Sequence[RuleMeta]
    version: str = "0.0.0"
    fail_on: Severity = Severity.ERROR
    stale_baseline: Sequence[BaselineEntry] = ()
    baseline_path: str | None = None
    category: str = "default"
    uri_prefix: str = ""
    root_uri: str | None = None
    notes: Sequence[str] = field(default_factory=tuple)
    # Usage and input errors not tied to one checked file (a path that does not exist).
    errors: Sequence[str] = field(default_factory=tuple)
    # `--exit-zero` (the Action's `fail-on: none`): findings are reported, never fail.
    exit_zero: bool = False
    # The `--base` ref: related locations named `REF:path` are on the base side.
    base_ref: str | None = None
    # The gates whose rules ran (0: file and schema checks); None: every gate.
    checked_gates: frozenset[int] | None = None
    # Where the checked files are browsed at the head commit ("https://github.com/o/r/
    # blob/SHA/"), for links in the job summary; None outside GitHub Actions.
    source_url: str | None = None

    @cached_property
    def findings(self) -> list[Finding]:
        """Every finding, suppressed ones included, in file/line order."""
        return sorted(
            (finding for report in self.reports for finding in report.findings),
            key=Finding.sort_key,
        )

    @cached_property
    def active(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.suppression is None]

    @cached_property
    def suppressed(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.suppression is not None]

    @cached_property
    def rule_table(self) -> list[RuleMeta]:
        """The run's rules plus a stand-in for any rule id a finding uses but no rule lists."""
        table = list(self.rules)
        known = {rule.id for rule in table}
        for finding in self.findings:
            if finding.rule_id not in known:
                known.add(finding.rule_id)
                table.append(stand_in_rule(finding))
        return table

    @cached_property
    def rule_index(self) -> dict[str, int]:
        return {rule.id: index for index, rule in enumerate(self.rule_table)}

    def rule(self, rule_id: str) -> RuleMeta:
        return self.rule_table[self.rule_index[rule_id]]

    def counts(self) -> Counter[Severity]:
        return Counter(finding.severity for finding in self.active)

    @cached_property
    def input_errors(self) -> list[str]:
        """Every usage or input error of the run: run-level ones, then per file."""
        per_file = [report.input_error for report in self.reports if report.input_error]
        return [*self.errors, *per_file]

    @cached_property
    def exit_code(self) -> int:
        """The run's exit status (see `core.report.exit_code`): every verdict derives from it."""
        from dataplan_lint.core.report import exit_code

        return exit_code(self.reports, self.fail_on, len(self.errors), exit_zero=self.exit_zero)

    @property
    def completed(self) -> bool:
        """False when a usage or input error stopped part of the check (exit 2)."""
        return self.exit_code != 2

    def failing(self) -> bool:
        """True when the run does not pass: findings that fail it, or an input error."""
        return self.exit_code != 0

    def gate_checked(self, gate: int) -> bool:
        """Whether a gate's checks ran to the end: never for a run that stopped (exit 2)."""
        if not self.completed:
            return False
        return self.checked_gates is None or gate in self.checked_gates

    def fails_run(self, finding: Finding) -> bool:
        """Whether this finding alone makes the run fail (exit 1)."""
        return (
            not self.exit_zero and finding.suppression is None and finding.severity >= self.fail_on
        )

    def source_link(self, path: str, line: int) -> str | None:
        """The file at the head commit, anchored at `line`; None when not known."""
        if self.source_url is None or path.startswith("/") or ":" in path.split("/", 1)[0]:
            return None
        from posixpath import normpath
        from urllib.parse import quote

        where = normpath(self.uri(path))
        if where.startswith("../"):
            return None
        return f"{self.source_url}{quote(where, safe='/')}#L{max(line, 1)}"

    def uri(self, path: str) -> str:
        """The repository-relative, forward-slash path used in SARIF and CI formats."""
        clean = path.replace("\\", "/")
        if clean.startswith("/"):
            return clean
        while clean.startswith("./"):
            clean = clean[2:]
        return f"{self.uri_prefix}/{clean}" if self.uri_prefix else clean


def stand_in_rule(finding: Finding) -> RuleMeta:
    return RuleMeta(
        id=finding.rule_id,
        slug=finding.slug or finding.rule_id.lower(),
        gate=finding.gate,
        family=finding.family,
        severity=finding.severity,
        summary=f"{finding.rule_id} {finding.slug}".strip(),
    )


def gate_of(finding: Finding) -> int:
    """The scorecard row a finding counts against: its gate 1-12, else 0 (file checks).

    A schema finding carries the gate whose section it sits in (see schema_check), so a
    unit error in `event_semantics` counts against gate 3, not the file checks.
    """
    if finding.family == "file":
        return 0
    return finding.gate if 1 <= finding.gate <= 12 else 0


def data_value(finding: Finding, key: str) -> str | None:
    for name, value in finding.data:
        if name == key:
            return value
    return None
