"""Table-driven rule cases: an edit that triggers a rule at an exact position, and a
near-miss edit that does not.

A `Case` edits an example plan's text (so every untouched line keeps its position) and
names where the finding must point: the line holding `line_text` and the column where
`col_text` starts on that line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from ruleplans import check_text, edit, line_of


@dataclass(frozen=True)
class Case:
    rule: str
    edits: tuple[tuple[str, str], ...]
    line_text: str
    col_text: str
    near_miss: tuple[tuple[str, str], ...]
    example: str = "clickstream"
    near_example: str | None = None
    nth: int | None = None  # which line containing `line_text`, when it is not unique
    options: dict[str, object] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.rule}-{self.line_text.strip()[:30]}"


def assert_triggers(case: Case) -> None:
    text = edit(case.example, *case.edits)
    findings = check_text(text, **case.options)
    line = line_of(text, case.line_text, case.nth)
    col = text.splitlines()[line - 1].index(case.col_text) + 1
    hits = [f for f in findings if f.rule_id == case.rule]
    assert hits, f"{case.rule} not reported; got {[(f.rule_id, f.message) for f in findings]}"
    assert (line, col) in [(f.line, f.col) for f in hits], [
        (f.line, f.col, f.message) for f in hits
    ]


def assert_near_miss(case: Case) -> None:
    text = edit(case.near_example or case.example, *case.near_miss)
    findings = check_text(text, **case.options)
    assert case.rule not in [f.rule_id for f in findings], [
        (f.rule_id, f.line, f.message) for f in findings if f.rule_id == case.rule
    ]


def parametrize(cases: list[Case]) -> pytest.MarkDecorator:
    return pytest.mark.parametrize("case", cases, ids=[c.rule for c in cases])
