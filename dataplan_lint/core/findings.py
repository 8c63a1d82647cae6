"""The one `Finding` type that flows from loader and rules to every reporter."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace

from dataplan_lint.core import regexes


class Severity(enum.IntEnum):
    """Finding severity; the integer order is the order of importance."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return _SEVERITY_NAMES[text.strip().lower()]
        except KeyError:
            names = ", ".join(sorted({"error", "warning", "info"}))
            raise ValueError(f"unknown severity {text!r} (expected one of: {names})") from None

    @property
    def label(self) -> str:
        return self.name.lower()


_SEVERITY_NAMES = {
    "error": Severity.ERROR,
    "warning": Severity.WARNING,
    "warn": Severity.WARNING,
    "info": Severity.INFO,
    "note": Severity.INFO,
}


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A region of a file. Lines and columns are 1-based; `end_col` is exclusive."""

    start_line: int
    start_col: int
    end_line: int
    end_col: int

    @classmethod
    def point(cls, line: int, col: int) -> Span:
        return cls(line, col, line, col + 1)


@dataclass(frozen=True, slots=True)
class Related:
    """Another place that explains a finding (for example the base-file side of a diff)."""

    path: str
    span: Span | None
    message: str


@dataclass(frozen=True, slots=True)
class Suppression:
    """Why a finding is not counted: an inline comment or a baseline entry."""

    kind: str  # "inline" or "baseline"
    reason: str


_NUMBER = regexes.MESSAGE_NUMBER.compile()


def blank_numbers(message: str) -> str:
    """The message with every number replaced by `#` (for fingerprints)."""
    return _NUMBER.sub("#", message)


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in one file.

    `pointer` is the JSON pointer of the plan element the finding is about ("" for the
    whole file); `span` is where that element sits in the file, when known.
    """

    rule_id: str
    severity: Severity
    message: str
    path: str
    span: Span | None = None
    pointer: str = ""
    slug: str = ""
    gate: int = 0
    family: str = ""
    related: tuple[Related, ...] = ()
    suppression: Suppression | None = None
    data: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    @property
    def line(self) -> int:
        return self.span.start_line if self.span else 1

    @property
    def col(self) -> int:
        return self.span.start_col if self.span else 1

    @property
    def fingerprint(self) -> str:
        """A key that survives edits that only move lines.

        Built from the rule, the file, the JSON pointer and the message with its numbers
        blanked out, so a finding keeps its identity when unrelated lines are added
        above it or when a quoted figure changes slightly.
        """
        import hashlib  # only runs that report fingerprints pay for it

        message = blank_numbers(self.message)
        raw = "\x1f".join((self.rule_id, self.path, self.pointer, message))
        return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:32]

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.col, self.rule_id, self.message)

    def with_severity(self, severity: Severity) -> Finding:
        return replace(self, severity=severity)

    def suppressed(self, suppression: Suppression) -> Finding:
        return replace(self, suppression=suppression)
