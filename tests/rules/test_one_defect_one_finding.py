"""One defect, one finding: a planted defect is reported once, at its line, and nothing
else in the plan is reported (no second rule restating it, no cascade from it)."""

from __future__ import annotations

import pytest
from ruleplans import check_text, edit, line_of, text_of

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


def test_consumer_facing_dataset_without_blocking_check_is_one_error() -> None:
    """All checks downgraded to warn: one DP812 error at the first facing check, not a
    DP804 warning per check (and not a warning that lets CI pass)."""
    text = text_of("clickstream").replace("      severity: blocking\n", "      severity: warn\n")
    findings = check_text(text)
    line = line_of(text, "kind: freshness") + 5
    assert [(f.rule_id, f.line, f.severity.name) for f in findings] == [("DP812", line, "ERROR")]
    assert findings[0].message.startswith(
        "no check on consumer-facing dataset session_metrics blocks publication"
    )


def test_no_quality_checks_on_gold_names_every_missing_kind_once() -> None:
    facing = [
        "session_metrics_freshness",
        "session_id_unique",
        "session_metrics_volume",
        "session_metrics_not_null",
        "session_visitors_known",
        "session_page_views_range",
    ]
    text = text_of("clickstream")
    for check in facing:
        start = text.index(f"    - id: {check}\n")
        end = min(text.index("    - id: ", start + 10), text.index("\n  reconciliation:\n") + 1)
        text = text[:start] + text[end:]
    findings = check_text(text)
    assert [(f.rule_id, f.line) for f in findings] == [("DP811", line_of(text, "  checks:"))]
    assert findings[0].message == (
        "consumer-facing dataset session_metrics has no check of kind freshness, volume, "
        "null, uniqueness, referential, accepted-values; add them to `quality.checks` "
        "(reconciliation may be a `quality.reconciliation` entry whose target names the "
        "dataset)"
    )
