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
    col = text.splitlines()[line - 1].index("warn") + 1
    assert [(f.rule_id, f.line, f.col, f.severity.name) for f in findings] == [
        ("DP812", line, col, "ERROR")
    ]
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


def _without(text: str, section: str, next_section: str) -> str:
    start = text.index(f"\n{section}:\n") + 1
    return text[:start] + text[text.index(f"\n{next_section}:\n") + 1 :]


def _last_line(text: str) -> int:
    return max(n for n, row in enumerate(text.splitlines(), 1) if row.strip())


@pytest.mark.parametrize(
    ("section", "following", "at"),
    [
        ("quality", "operations", "operations:"),
        ("metadata", "assumptions", "assumptions:"),
        ("risks", "constraints", None),  # nothing follows risks in the schema's order
    ],
)
def test_a_missing_section_is_one_finding_where_it_belongs(
    section: str, following: str, at: str | None
) -> None:
    """Reported at the key of the next section in the schema's order that the plan has,
    else at the end of the document (never 1:1, a comment line), and no rule restates
    what the missing section would have said."""
    text = _without(text_of("clickstream"), section, following)
    rows = text.splitlines()
    line = next(n for n, row in enumerate(rows, 1) if row == at) if at else _last_line(text)
    assert only(text) == [("DP012", line, 1)]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("    retention: 7d\n    high", "    retention: 3 days\n    high"),
        ("    delay: 30s", "    delay: 15 minutes"),
        ("    active_keys: 1.8M", "    active_keys: lots"),
        ("    peak_factor: 3", "    peak_factor: high"),
        ("    end_to_end: 3m", "    end_to_end: 3 minutes"),
    ],
)
def test_a_malformed_value_is_only_its_schema_finding(old: str, new: str) -> None:
    text = edit("clickstream", (old, new))
    found = check_text(text)
    assert [f.rule_id for f in found] in (["DP015"], ["DP013"])
    assert found[0].line == line_of(text, new.split("\n")[0])


CONTRACT_REF = "    contract: clickstream_event\n"


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        # a date that breaks the date pattern: no "assumption confirmed after launch"
        ('validate_by: "2025-09-15"', 'validate_by: "2025-9-15"', 'validate_by: "2025-9-15"'),
        # a blank owner: no "event-time semantics lack an owner" at the parent key,
        # no placeholder finding
        ("  event_time_owner: team-web-collector\n", "  event_time_owner: ' '\n", "' '"),
    ],
)
def test_a_value_breaking_its_pattern_is_only_its_schema_finding(
    old: str, new: str, needle: str
) -> None:
    text = edit("clickstream", (old, new))
    line = line_of(text, needle)
    value = new.strip().split(": ", 1)[1]
    assert only(text) == [("DP016", line, text.splitlines()[line - 1].index(value) + 1)]


def test_an_unknown_reference_breaking_the_id_pattern_is_one_reference_finding() -> None:
    """`Web Events Topic` breaks the id pattern and names no contract: one finding, the
    unknown reference (which lists what to name), not also the pattern mismatch."""
    text = edit("clickstream", (CONTRACT_REF, "    contract: Web Events Topic\n"))
    assert only(text) == [at(text, "DP201", "contract: Web Events Topic", "Web Events Topic")]


def test_a_pattern_mismatch_a_reference_fix_repairs_yields_to_it() -> None:
    """`Clickstream_event` breaks the id pattern and names no contract; the unknown-reference
    finding says which contract was meant and `--fix` sets it, so it is the one kept."""
    text = edit("clickstream", (CONTRACT_REF, "    contract: Clickstream_event\n"))
    found = check_text(text)
    assert only(text) == [at(text, "DP201", "contract: Clickstream_event", "Clickstream_event")]
    assert "did you mean `clickstream_event`?" in found[0].message
    assert found[0].fix is not None
    assert [(e.pointer, e.value) for e in found[0].fix.edits] == [
        ("/sources/0/contract", "clickstream_event")
    ]


def test_removing_the_reconciliations_is_one_finding() -> None:
    text = _without(text_of("clickstream"), "  reconciliation", "  drift")
    assert [f.rule_id for f in check_text(text)] == ["DP807"]


def test_three_vague_rollback_triggers_are_one_grouped_finding() -> None:
    text = edit(
        "clickstream",
        ('        comparator: ">"\n        threshold: 10m\n', '        comparator: ">"\n'),
        ('        comparator: ">"\n        threshold: 2%\n', '        comparator: ">"\n'),
        (
            '        comparator: ">="\n        threshold: 5\n        for: 15m',
            '        comparator: ">="\n        for: 15m',
        ),
    )
    found = check_text(text)
    triggers = [n for n, row in enumerate(text.splitlines(), 1) if row == "    triggers:"]
    assert [(f.rule_id, f.line) for f in found] == [("DP1007", triggers[0] + 1)]
    assert found[0].message.startswith("rollback has 3 triggers without threshold")
    assert len(found[0].related) == 2


@pytest.mark.parametrize(
    ("old", "new", "rule", "needle", "value"),
    [
        # the capacity volume contradicts the source: not also DP401/DP402/DP406 for every
        # rate, partition count and drain time computed from the wrong volume
        (
            "    events_per_day: 500M\n",
            "    events_per_day: 2B\n",
            "DP470",
            "events_per_day: 2B",
            "2B",
        ),
        # the capacity retention contradicts the source: not also DP403 for the storage
        (
            "    retention: 7d\n    replication",
            "    retention: 3d\n    replication",
            "DP471",
            "retention: 3d",
            "3d",
        ),
        # a source's shortened retention is DP318's (below the replay window), not DP471's
        (
            "    retention: 7d\n    high_card",
            "    retention: 3d\n    high_card",
            "DP318",
            "retention: 3d",
            "3d",
        ),
        # a checkpoint longer than its interval is DP413's, not also DP473's
        (
            "    expected_duration: 15s\n  recovery",
            "    expected_duration: 70s\n  recovery",
            "DP413",
            "expected_duration: 70s",
            "70s",
        ),
    ],
)
def test_a_capacity_input_contradicting_its_source_is_one_finding(
    old: str, new: str, rule: str, needle: str, value: str
) -> None:
    text = edit("clickstream", (old, new))
    assert only(text) == [at(text, rule, needle, value)]
