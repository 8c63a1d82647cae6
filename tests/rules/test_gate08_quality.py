"""Gate 8 rules: each triggers at an exact position, and a near-miss does not."""

from __future__ import annotations

from ridecases import RIDE_CASES
from rulecases import Case, assert_near_miss, assert_triggers, parametrize
from ruleplans import block

FRESHNESS = "        warn: 4m\n        error: 5m\n"
FIRST_SEVERITY = (
    "      severity: blocking\n      owner: team-stream-processing\n      schedule: every 1m"
)
RAW_SEVERITY = (
    "      severity: error\n      owner: team-web-collector\n      schedule: hourly\n      desc"
)
RECONCILIATION = block("clickstream", "  reconciliation:", "  drift:")
DRIFT = block("clickstream", "  drift:", "  escalation:")
LATE_REC = ("    reconciliation: rec_events_vs_sessions\n", "")
MEASURE = ("      measure: count(distinct event_id) of non-bot events per hour\n", "")

SESSION_VOLUME = block(
    "clickstream", "    - id: session_metrics_volume", "    - id: session_metrics_not_null"
)
SESSION_REFERENTIAL = block(
    "clickstream", "    - id: session_visitors_known", "    - id: session_page_views_range"
)

CASES = [
    Case(
        "DP811",
        ((SESSION_VOLUME, ""),),
        "  checks:",
        "checks",
        ((SESSION_VOLUME, SESSION_VOLUME.replace("session_metrics_volume", "sm_volume")),),
    ),
    Case(
        "DP811",
        ((SESSION_VOLUME, ""), (SESSION_REFERENTIAL, "")),
        "  checks:",
        "checks",
        (
            (
                SESSION_REFERENTIAL,
                SESSION_REFERENTIAL.replace(
                    "kind: referential", "kind: referential  # on visitors"
                ),
            ),
        ),
    ),
    Case(
        "DP801",
        (("      column: session_id\n      threshold: 0\n", "      column: session_id\n"),),
        "- id: session_id_unique",
        "id",
        (
            (
                "      column: session_id\n      threshold: 0\n",
                "      column: session_id\n      threshold: 1\n",
            ),
        ),
    ),
    Case(
        "DP802",
        (("dataset: session_summary", "dataset: session_summaries"),),
        "dataset: session_summaries",
        "session_summaries",
        (("dataset: session_summary", "dataset: session_metrics"),),
    ),
    Case(
        "DP803",
        ((FRESHNESS, "        warn: 4m\n        error: 6m\n"),),
        "error: 6m",
        "6m",
        ((FRESHNESS, "        warn: 3m\n        error: 5m\n"),),
    ),
    Case(
        "DP803",
        ((FRESHNESS, "        warn: 5m\n        error: 5m\n"),),
        "warn: 5m",
        "5m",
        ((FRESHNESS, "        warn: 290s\n        error: 5m\n"),),
    ),
    Case(
        "DP804",
        ((FIRST_SEVERITY, FIRST_SEVERITY.replace("blocking", "error")),),
        "      severity: error\n"[:-1],
        "error",
        ((RAW_SEVERITY, RAW_SEVERITY.replace("error", "warn")),),
        nth=0,
    ),
    Case(
        "DP805",
        (("      kind: duplicates", "      kind: custom"),),
        "  checks:",
        "checks",
        (
            (
                "      kind: duplicates\n      column: event_id",
                "      kind: duplicates\n      column: page_url",
            ),
        ),
    ),
    Case(
        "DP806",
        (("      kind: out-of-order", "      kind: custom"),),
        "  checks:",
        "checks",
        (
            (
                "      kind: out-of-order\n      column: event_time",
                "      kind: out-of-order\n      column: received_at",
            ),
        ),
    ),
    Case(
        "DP807",
        ((RECONCILIATION, ""), LATE_REC),
        "quality:",
        "quality",
        (LATE_REC,),
    ),
    Case(
        "DP808",
        (("      window: 6h", "      window: 30m"),),
        "window: 30m",
        "30m",
        (("      window: 6h", "      window: 1h"),),
    ),
    Case(
        "DP809",
        (MEASURE,),
        "compares: aggregate",
        "aggregate",
        (MEASURE, ("compares: aggregate", "compares: rows")),
    ),
    Case(
        "DP810",
        ((DRIFT, ""),),
        "quality:",
        "quality",
        ((DRIFT, DRIFT.replace("threshold: 25%", "threshold: 30%")),),
    ),
    # issue 21: checks against the contracts and criteria they name
    Case(
        "DP813",
        (
            (
                "      column: event_id\n      threshold: 0%",
                "      column: eventid\n      threshold: 0%",
            ),
        ),
        "column: eventid",
        "eventid",
        (
            (
                "      column: event_id\n      threshold: 0%",
                "      column: received_at\n      threshold: 0%",
            ),
        ),
    ),
    # a value the enum does not define is reported at the value
    Case(
        "DP814",
        (
            (
                "checkout_start, purchase, other]\n      threshold",
                "checkout_start, purchase, othr]\n      threshold",
            ),
        ),
        "purchase, othr]",
        "othr",
        (
            (
                "[page_view, click, add_to_cart, remove_from_cart, checkout_start, purchase, other]"
                "\n      threshold",
                "[other, page_view, click, add_to_cart, remove_from_cart, checkout_start, purchase]"
                "\n      threshold",
            ),
        ),
    ),
    # a symbol left out is reported at the list
    Case(
        "DP814",
        (
            (
                "checkout_start, purchase, other]\n      threshold",
                "checkout_start, purchase]\n      threshold",
            ),
        ),
        "checkout_start, purchase]",
        "[page_view",
        (),
    ),
    Case(
        "DP815",
        (("references: raw_clickstream.anonymous_id", "references: raw_clickstream.anon_id"),),
        "references: raw_clickstream.anon_id",
        "raw_clickstream.anon_id",
        (("references: raw_clickstream.anonymous_id", "references: raw_clickstream.user_id"),),
    ),
    Case(
        "DP816",
        (("      schedule: every 1m", "      schedule: every 10m"),),
        "schedule: every 10m",
        "every 10m",
        (("      schedule: every 1m", "      schedule: every 5m"),),
    ),
    Case(
        "DP817",
        (("      tolerance: 0.5%\n      cadence: 1h", "      tolerance: 2%\n      cadence: 1h"),),
        "tolerance: 2%",
        "2%",
        (("      tolerance: 0.5%\n      cadence: 1h", "      tolerance: 0.1%\n      cadence: 1h"),),
    ),
]


CASES += RIDE_CASES[8]  # the optional fields of issue 21, on ride-trips


@parametrize(CASES)
def test_rule_triggers_at_position(case: Case) -> None:
    assert_triggers(case)


@parametrize(CASES)
def test_near_miss_is_clean(case: Case) -> None:
    assert_near_miss(case)
