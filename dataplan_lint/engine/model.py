"""What a rule is once its ruleset file has been read."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dataplan_lint.core.findings import Severity
from dataplan_lint.core.rules import RuleMeta

FAMILIES = (
    "completeness",
    "cross-reference",
    "consistency",
    "capacity",
    "anti-pattern",
    "compatibility",
)


@dataclass(frozen=True, slots=True)
class Call:
    """One `then` entry: a function, the field it looks at, and its options."""

    function: str
    field: str | None = None  # a relative pointer below each `given` match
    options: Mapping[str, Any] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Rule:
    """The run-time part of a rule (descriptions and examples load only for docs)."""

    id: str
    slug: str
    gate: int
    family: str
    severity: Severity
    message: str
    summary: str
    reference: str
    given: tuple[str, ...]
    then: tuple[Call, ...]
    presets: tuple[str, ...] = ()  # empty: on in every preset
    source: str = ""  # the ruleset file the rule came from
    when: Mapping[str, Any] = dataclasses.field(default_factory=dict)  # see engine.when
    fix: str = ""  # "safe" or "unsafe" when the rule can offer a fix; "" when it cannot

    @property
    def meta(self) -> RuleMeta:
        """The rule's metadata, the type every rule (also the built-in DP0xx) shares."""
        return RuleMeta(
            self.id,
            self.slug,
            self.gate,
            self.family,
            self.severity,
            self.summary,
            reference=self.reference,
            fix=self.fix,
        )

    def to_index(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "slug": self.slug,
            "gate": self.gate,
            "family": self.family,
            "severity": self.severity.label,
            "message": self.message,
            "summary": self.summary,
            "reference": self.reference,
            "given": list(self.given),
            "then": [
                {"function": call.function, "field": call.field, "options": dict(call.options)}
                for call in self.then
            ],
            "presets": list(self.presets),
            "source": self.source,
            "when": dict(self.when),
            "fix": self.fix,
        }

    @classmethod
    def from_index(cls, raw: Mapping[str, Any]) -> Rule:
        return cls(
            id=raw["id"],
            slug=raw["slug"],
            gate=raw["gate"],
            family=raw["family"],
            severity=Severity.parse(raw["severity"]),
            message=raw["message"],
            summary=raw["summary"],
            reference=raw["reference"],
            given=tuple(raw["given"]),
            then=tuple(
                Call(call["function"], call.get("field"), call.get("options") or {})
                for call in raw["then"]
            ),
            presets=tuple(raw.get("presets", ())),
            source=raw.get("source", ""),
            when=raw.get("when") or {},
            fix=raw.get("fix", ""),
        )


@dataclass(frozen=True, slots=True)
class Preset:
    """A named selection of rules with severity overrides (rules/presets/*.yaml)."""

    name: str
    extends: str | None = None
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, str] = dataclasses.field(default_factory=dict)
    description: str = ""

    def to_index(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "extends": self.extends,
            "ignore": list(self.ignore),
            "severity": dict(self.severity),
            "description": self.description,
        }

    @classmethod
    def from_index(cls, raw: Mapping[str, Any]) -> Preset:
        return cls(
            name=raw["name"],
            extends=raw.get("extends"),
            ignore=tuple(raw.get("ignore", ())),
            severity=dict(raw.get("severity", {})),
            description=raw.get("description", ""),
        )
