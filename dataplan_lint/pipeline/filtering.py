"""The last step for each file: configuration filters, severity overrides, suppressions."""

from __future__ import annotations

from collections.abc import Iterable

from dataplan_lint.core.findings import Finding
from dataplan_lint.core.rules import BUILTIN_RULES, SCHEMA_RULES, SUPPRESSION_RULES, find_rule
from dataplan_lint.core.settings import Settings


def finalize(
    findings: Iterable[Finding], text: str | None, path: str, settings: Settings
) -> list[Finding]:
    """Apply select/ignore, per-file ignores, severity overrides and inline suppressions."""
    from dataplan_lint.config.file import config_of
    from dataplan_lint.pipeline.suppression import apply

    config = config_of(settings)
    kept: list[Finding] = []
    for finding in findings:
        if not config.is_selected(finding.rule_id):
            continue
        if finding.rule_id in SCHEMA_RULES and not config.selects_section(
            finding.rule_id, finding.gate
        ):
            continue
        if config.ignored_in_file(finding.rule_id, path):
            continue
        level = config.severity_override(finding.rule_id)
        if level is not None and level != finding.severity:
            finding = finding.with_severity(level)
        kept.append(finding)
    result = apply(
        kept,
        text,
        path,
        known=rule_id_for,
        enabled=config.is_selected,
    )
    result = [
        finding
        for finding in result
        if finding.rule_id not in SUPPRESSION_RULES
        or (
            config.is_selected(finding.rule_id)
            and not config.ignored_in_file(finding.rule_id, path)
        )
    ]
    result.sort(key=Finding.sort_key)
    return result


def rule_id_for(name: str) -> str | None:
    """The rule id an inline suppression's name (id or slug) stands for."""
    from dataplan_lint.engine.rulesets import bundled

    meta = find_rule(bundled().rules, name) or find_rule(BUILTIN_RULES.values(), name)
    if meta is None:
        from dataplan_lint.engine.catalog import find  # rules other parts register (slow path)

        meta = find(name)
    return meta.id if meta else None
