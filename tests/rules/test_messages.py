"""Every finding says what to do: each rule's failing example yields a message with a
fix clause (ruff's message + fix title, in one line) and no unfilled placeholder."""

from __future__ import annotations

import re

import pytest
from test_rule_docs import RULES, example_findings

from dataplan_lint.engine.model import Rule

# The first word of a fix clause: an imperative that says what to change.
FIX_VERBS = frozenset(
    (
        "add",
        "adopt",
        "align",
        "back",
        "bump",
        "check",
        "choose",
        "confirm",
        "consider",
        "copy",
        "correct",
        "count",
        "cover",
        "declare",
        "extend",
        "fix",
        "give",
        "grow",
        "keep",
        "lengthen",
        "link",
        "list",
        "lower",
        "make",
        "mark",
        "model",
        "move",
        "name",
        "page",
        "partition",
        "plan",
        "point",
        "provision",
        "publish",
        "raise",
        "record",
        "reduce",
        "reference",
        "remove",
        "rename",
        "renumber",
        "reorder",
        "replace",
        "replay",
        "restore",
        "route",
        "run",
        "say",
        "send",
        "set",
        "shorten",
        "size",
        "split",
        "state",
        "stream",
        "switch",
        "tighten",
        "use",
        "write",
    )
)
CLAUSE = re.compile(r"; | - |: ")
UNFILLED = re.compile(r"\{[a-z_]+\}|\bNone\b|\(none\)|\babsent\b")


def fix_clause(message: str) -> str | None:
    """The first clause after the statement of the problem that starts with a fix verb."""
    for clause in CLAUSE.split(message)[1:]:
        words = clause.strip().split(" ")
        first = words[0].strip("`(").lower()
        if first in FIX_VERBS or (first in ("or", "and", "then") and len(words) > 1):
            return clause
    return None


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_failing_example_message_says_what_to_do(rule: Rule) -> None:
    found = example_findings(rule, "fail")
    messages = [message for rule_id, _, message in found if rule_id == rule.id]
    assert messages, f"{rule.id}: the failing example triggers nothing"
    for message in messages:
        assert fix_clause(message), f"{rule.id}: no fix clause in {message!r}"
        assert not UNFILLED.search(message), f"{rule.id}: unfilled value in {message!r}"


def test_fix_clause_detection() -> None:
    assert fix_clause("x is late; set alert_at below 3m") == "set alert_at below 3m"
    assert fix_clause("the sink appends - make it transactional") == "make it transactional"
    assert fix_clause("the sink appends; rows are doubled") is None
