"""Rule metadata: the one type that describes a rule, and the built-in checks (DP0xx).

Rules from ruleset files (`rules/*.yaml`, user rulesets) describe themselves in YAML and
carry this metadata as `engine.model.Rule.meta`; the checks written in code - reading the
file, validating against the schema, inline suppressions, a crashed rule - are listed once
here, and `builtin_finding` is the one way to build their findings.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, TypeVar

from dataplan_lint.core.findings import SAFE, Edit, Finding, Severity, Span, make_fix


@dataclass(frozen=True, slots=True)
class RuleMeta:
    """What `rules`, `explain`, SARIF and configuration selectors know about a rule."""

    id: str
    slug: str
    gate: int
    family: str
    severity: Severity
    summary: str
    description: str = ""
    reference: str = ""  # "page.md#anchor" under references/
    fix: str = ""  # "safe" or "unsafe" when `check --fix` can repair its findings

    def is_named(self, name: str) -> bool:
        return is_named(self, name)


class _Named(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def slug(self) -> str: ...


N = TypeVar("N", bound=_Named)


def is_named(rule: _Named, name: str) -> bool:
    """Whether `name` is the rule's id (any case) or its slug (any case)."""
    wanted = name.strip()
    return wanted.upper() == rule.id.upper() or wanted.lower() == rule.slug


def find_rule(rules: Iterable[N], name: str) -> N | None:
    """The rule `name` (an id such as DP301 or a slug) stands for, if any."""
    for rule in rules:
        if is_named(rule, name):
            return rule
    return None


def _table(
    family: str, severity: Severity, page: str, rows: dict[str, tuple[str, str]]
) -> dict[str, RuleMeta]:
    return {
        rule_id: RuleMeta(rule_id, slug, 0, family, severity, summary, reference=f"{page}#{slug}")
        for rule_id, (slug, summary) in rows.items()
    }


LOADER_RULES = _table(
    "file",
    Severity.ERROR,
    "plan-format.md",
    {
        "DP001": ("yaml-syntax", "The file is not valid YAML."),
        "DP002": ("duplicate-key", "A mapping repeats a key; YAML loaders silently keep one."),
        "DP003": ("tab-indentation", "Tabs are not allowed for indentation in YAML."),
        "DP004": ("not-a-mapping", "The document is not a mapping of plan sections."),
        "DP005": ("multiple-documents", "A plan file holds exactly one YAML document."),
        "DP006": ("invalid-encoding", "The file is not UTF-8 (or UTF-16/32 with a BOM)."),
        "DP007": ("empty-file", "The file holds no YAML document."),
        "DP008": ("file-too-large", "The file is larger than the configured size limit."),
        "DP009": ("document-too-complex", "Alias expansion or nesting exceeds safe limits."),
        "DP010": ("unsupported-tag", "A YAML tag other than the core schema's is used."),
    },
)
SCHEMA_RULES = _table(
    "schema",
    Severity.ERROR,
    "plan-format.md",
    {
        "DP011": ("unknown-key", "A key the schema does not define (often a typo)."),
        "DP012": ("missing-required", "A required key is missing."),
        "DP013": ("wrong-type", "A value has the wrong type."),
        "DP014": ("invalid-value", "A value is not one of the allowed choices."),
        "DP015": ("invalid-quantity", "A quantity is malformed or uses an unknown unit."),
        "DP016": ("pattern-mismatch", "A string does not match the required pattern."),
        "DP017": ("schema-violation", "A value breaks another schema constraint."),
    },
)
# Schema findings about a malformed value (wrong type, choice, quantity or pattern): rule
# findings at or about the same value are cascades of it (pipeline.runner.drop_cascades).
PATTERN_MISMATCH = "DP016"
MALFORMED_VALUE_RULES = frozenset({"DP013", "DP014", "DP015", PATTERN_MISMATCH})
# A value behind an unsupported tag is read as null; findings at that place restate it.
UNSUPPORTED_TAG = "DP010"

# The schema findings `check --fix` can repair (all safe: one clear candidate).
for _fixable in ("DP011", "DP014", "DP015"):
    SCHEMA_RULES[_fixable] = dataclasses.replace(SCHEMA_RULES[_fixable], fix=SAFE)

SUPPRESSION_RULES = _table(
    "file",
    Severity.WARNING,
    "configuration.md",
    {
        "DP018": ("suppression-without-reason", "An inline suppression does not say why."),
        "DP019": (
            "unused-suppression",
            "An inline suppression silences no finding on its line.",
        ),
        "DP020": ("unknown-rule-in-suppression", "An inline suppression names no known rule."),
    },
)
INTERNAL_ERROR = "DP099"
INTERNAL_RULES = _table(
    "file",
    Severity.ERROR,
    "plan-format.md",
    {
        INTERNAL_ERROR: (
            "internal-error",
            "A check crashed on this file; the file was not fully checked.",
        )
    },
)

BUILTIN_RULES: dict[str, RuleMeta] = {
    **LOADER_RULES,
    **SCHEMA_RULES,
    **SUPPRESSION_RULES,
    **INTERNAL_RULES,
}


def builtin_finding(
    rule_id: str,
    message: str,
    path: str,
    span: Span | None = None,
    *,
    pointer: str = "",
    gate: int | None = None,
    data: tuple[tuple[str, str], ...] = (),
    fix: tuple[Edit, ...] = (),
) -> Finding:
    """A finding of a built-in check (at line 1, column 1 when no span is known).

    `fix` edits become the finding's fix when the check declares one (`RuleMeta.fix`).
    """
    meta = BUILTIN_RULES[rule_id]
    return Finding(
        rule_id=rule_id,
        severity=meta.severity,
        message=message,
        path=path,
        span=span or Span.point(1, 1),
        pointer=pointer,
        slug=meta.slug,
        gate=meta.gate if gate is None else gate,
        family=meta.family,
        data=data,
        fix=make_fix(meta.fix, fix),
    )
