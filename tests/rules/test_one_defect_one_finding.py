"""One defect, one finding: a planted defect is reported once, at its line, and nothing
else in the plan is reported (no second rule restating it, no cascade from it)."""

from __future__ import annotations

import pytest
from ruleplans import check_text, edit, line_of

SINK = "    write_mode: upsert\n    idempotent: true\n"
APPEND_IDEMPOTENT = (
    "    write_mode: upsert\n    idempotent: true\n",
    "    write_mode: append\n    idempotent: true\n",
)
APPEND_PLAIN = (SINK, "    write_mode: append\n    idempotent: false\n")
INGEST_APPEND = ("  update_semantics: upsert\n", "  update_semantics: append\n")
LATE_SIDE_OUTPUT = ("    action: update\n", "    action: side-output\n")


def only(text: str) -> list[tuple[str, int, int]]:
    return [(f.rule_id, f.line, f.col) for f in check_text(text)]


def at(text: str, rule: str, needle: str, value: str) -> tuple[str, int, int]:
    line = line_of(text, needle)
    return rule, line, text.splitlines()[line - 1].index(value) + 1


SINK_CASES = [
    # ingestion upserts into an appending sink: the sink is reported once (not also as a
    # late-update or replay finding)
    ((APPEND_IDEMPOTENT,), "DP512", "write_mode: append", "append"),
    ((APPEND_PLAIN,), "DP512", "write_mode: append", "append"),
    # late updates into an appending sink marked idempotent
    ((APPEND_IDEMPOTENT, INGEST_APPEND), "DP306", "action: update", "update"),
    # at-least-once into an appending, non-transactional sink behind an upstream dedupe
    ((APPEND_PLAIN, INGEST_APPEND, LATE_SIDE_OUTPUT), "DP309", "write_mode: append", "append"),
    # a replay that upserts on a key into an appending sink
    ((APPEND_IDEMPOTENT, INGEST_APPEND, LATE_SIDE_OUTPUT), "DP1011", "strategy: upsert", "upsert"),
]


@pytest.mark.parametrize(("edits", "rule", "needle", "value"), SINK_CASES)
def test_appending_sink_is_reported_once(
    edits: tuple[tuple[str, str], ...], rule: str, needle: str, value: str
) -> None:
    text = edit("clickstream", *edits)
    assert only(text) == [at(text, rule, needle, value)]
