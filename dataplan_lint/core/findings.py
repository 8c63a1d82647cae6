"""The one `Finding` type that flows from loader and rules to every reporter."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from typing import Any

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


def region(span: Span | None) -> Span:
    """A well-formed region: 1-based, the end after the start (SARIF's exclusive end column)."""
    if span is None:
        return Span(1, 1, 1, 2)
    start_line, start_col = max(span.start_line, 1), max(span.start_col, 1)
    end_line, end_col = max(span.end_line, start_line), max(span.end_col, 1)
    if end_line == start_line and end_col <= start_col:
        end_col = start_col + 1
    return Span(start_line, start_col, end_line, end_col)


def last_line(span: Span | None) -> int:
    """The last line a span covers; a span ending at column 1 stops on the line before."""
    if span is None:
        return 1
    fixed = region(span)
    if fixed.end_line > fixed.start_line and fixed.end_col <= 1:
        return fixed.end_line - 1
    return fixed.end_line


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


# Finding.data: where the change a finding reports was made, when not in the plan - a
# field changed in a contract's schema file (pipeline/change_site.py moves the finding's
# primary location there, the plan's `schema_file:` line becoming a related location).
CHANGE_SITE = "site"
IN_SCHEMA_FILE = "schema-file"

SAFE = "safe"
UNSAFE = "unsafe"
APPLICABILITIES = (SAFE, UNSAFE)


@dataclass(frozen=True, slots=True)
class Edit:
    """One change to the plan: set the value at `pointer`, or rename its key.

    With `rename` set, the key at the end of `pointer` becomes `rename` (value, position
    and comments stay); otherwise the value at `pointer` becomes `value`.
    """

    pointer: str
    value: Any = None
    rename: str | None = None


@dataclass(frozen=True, slots=True)
class Fix:
    """What `check --fix` can do about a finding.

    `applicability` is `safe` (applied by `--fix`: the meaning the author intended is
    beyond doubt) or `unsafe` (only with `--unsafe-fixes`: it changes what the plan
    claims, so a person should look at the result).
    """

    title: str
    edits: tuple[Edit, ...]
    applicability: str = SAFE

    @property
    def safe(self) -> bool:
        return self.applicability == SAFE


def make_fix(applicability: str, edits: tuple[Edit, ...], title: str = "") -> Fix | None:
    """A `Fix` for a rule that declares one and a finding that has edits, else None."""
    if not applicability or not edits:
        return None
    return Fix(title or describe_edits(edits), edits, applicability)


def describe_edits(edits: tuple[Edit, ...]) -> str:
    """A short title for a fix: what it sets or renames."""
    from dataplan_lint.core.pointers import display, split

    parts = []
    for edit in edits[:3]:
        if edit.rename is not None:
            parts.append(f"rename `{split(edit.pointer)[-1]}` to `{edit.rename}`")
        else:
            parts.append(f"set `{display(edit.pointer)}` to `{edit.value}`")
    more = f" and {len(edits) - 3} more" if len(edits) > 3 else ""
    return "; ".join(parts) + more


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
    fix: Fix | None = field(default=None, compare=False)

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
