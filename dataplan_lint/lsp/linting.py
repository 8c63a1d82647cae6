"""Check an open document's text as `check` would check the file, and keep the result.

The server holds one `Checked` per open document: the text that was checked, the
findings shown for it and what answering hovers and code actions needs (the settings
the fixer re-checks with, the rules' descriptions, the parsed plan). Configuration is
found for the document's path exactly as `check` finds it, and forgotten when a
configuration file changes (`Linter.reload`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from dataplan_lint.config.file import CONFIG_NAMES, PYPROJECT, ConfigError, ConfigResolver
from dataplan_lint.core.findings import Finding
from dataplan_lint.core.rules import RuleMeta
from dataplan_lint.files.plan_names import is_plan_name

if TYPE_CHECKING:
    from dataplan_lint.core.findings import Severity
    from dataplan_lint.core.settings import Settings
    from dataplan_lint.engine.model import Rule
    from dataplan_lint.files.loader import LoadedPlan
    from dataplan_lint.lsp.positions import Lines


@dataclass(slots=True)
class Checked:
    """One document as it was checked."""

    uri: str
    version: int | None
    text: str
    path: Path | None = None  # None: not a plan, nothing is shown
    findings: list[Finding] = field(default_factory=list)  # unsuppressed, in file order
    config_error: str | None = None
    overran: float | None = None  # the check ran past this budget (seconds) and was dropped
    readable: bool = False  # within the size limit and decoded: the loader may parse it
    settings: Settings | None = None
    rules: Mapping[str, RuleMeta] = field(default_factory=dict)
    _plan: LoadedPlan | None = None
    _plan_loaded: bool = False
    _lines: dict[str, Lines] = field(default_factory=dict)

    @property
    def is_plan(self) -> bool:
        return self.path is not None

    @property
    def plan(self) -> LoadedPlan | None:
        """The parsed plan (keys and their places), or None when it does not load."""
        if not self._plan_loaded:
            from dataplan_lint.files.loader import load_text

            self._plan_loaded = True
            if self.path is not None and self.readable:
                self._plan = load_text(self.text, self.path.name).plan
        return self._plan

    def lines(self, encoding: str) -> Lines:
        """The text's lines, converting positions in the client's `encoding`."""
        if encoding not in self._lines:
            from dataplan_lint.lsp.positions import Lines

            self._lines[encoding] = Lines(self.text, encoding)
        return self._lines[encoding]

    def rule(self, finding: Finding) -> RuleMeta:
        """The rule a finding belongs to (a stand-in when no rule lists its id)."""
        from dataplan_lint.report.model import stand_in_rule

        return self.rules.get(finding.rule_id) or stand_in_rule(finding)


def is_plan_path(path: Path | None) -> bool:
    """Whether `check` treats the file as a plan (discovery's name rules)."""
    return path is not None and is_plan_name(path.name)


def is_config_path(path: Path) -> bool:
    """Whether a change to this file can change a plan's configuration."""
    return path.name in CONFIG_NAMES or path.name == PYPROJECT


class Linter:
    """Checks documents, each under the configuration `check` would use for its path."""

    def __init__(self) -> None:
        self._resolver = ConfigResolver()
        self._rulesets: set[Path] = set()

    def reload(self) -> None:
        """Forget every configuration read (a configuration or ruleset file changed)."""
        self._resolver = ConfigResolver()
        self._rulesets = set()

    def watches(self, path: Path) -> bool:
        """Whether a change to `path` calls for a reload: a configuration file, or a
        ruleset file a configuration in use names."""
        if is_config_path(path):
            return True
        try:
            return path.resolve() in self._rulesets
        except (OSError, RuntimeError):
            return False

    def check(self, uri: str, version: int | None, text: str, path: Path | None) -> Checked:
        """Check `text` as the plan at `path` (nothing for a file that is not a plan)."""
        if not is_plan_path(path):
            return Checked(uri, version, text)
        assert path is not None
        from dataplan_lint.config.file import config_of
        from dataplan_lint.pipeline.configured import check_text

        try:
            report, settings = check_text(path, text, self._resolver)
        except ConfigError as exc:
            return Checked(uri, version, text, path, config_error=str(exc))
        config = config_of(settings)
        self._rulesets.update(config.rulesets)
        findings = [f for f in report.findings if f.suppression is None]
        rules = _rules(config.active_rules(), findings)
        readable = report.text is not None
        return Checked(
            uri, version, text, path, findings, readable=readable, settings=settings, rules=rules
        )


def _rules(
    active: Sequence[tuple[Rule, Severity]], findings: Sequence[Finding]
) -> dict[str, RuleMeta]:
    """The rules of these findings: the configuration's (its own rulesets too), then the
    built-in checks and bundled rules."""
    from dataplan_lint.engine.catalog import rule_summaries

    wanted = {finding.rule_id for finding in findings}
    out: dict[str, RuleMeta] = {}
    for rule, _ in active:
        if rule.id in wanted:
            out[rule.id] = rule.meta
    for meta in rule_summaries():
        if meta.id in wanted:
            out.setdefault(meta.id, meta)
    return out
