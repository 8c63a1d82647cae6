"""Gate 6 rules: each triggers at an exact position, and a near-miss does not."""

from __future__ import annotations

from ridecases import RIDE_CASES
from rulecases import Case, assert_near_miss, assert_triggers, parametrize

EXTRA_LAYER = """
    - name: {name}
      kind: raw
      owner: team-data-platform
      materialization: table
      stateful: false
      reads_from: [web_clickstream]

contracts:"""
INT_HANDLES = "        unique_key: [session_id]\n        handles: [late, duplicates]"
REVENUE_INCREMENTAL = (
    "      incremental:\n        strategy: insert-overwrite\n        lookback: 3d\n"
    "        handles: [late, duplicates, corrections]\n"
)
REVENUE_HEAD = (
    "      materialization: incremental\n      stateful: false\n      reads_from: [fct_orders]"
)
STG_TTL = "      stateful: true\n      state_ttl: 1h\n"

RAW_STORED = (
    "      owner: team-data-platform\n      materialization: table\n"
    "      stateful: false\n      immutable: true\n"
)

CASES = [
    Case(
        "DP670",
        ((RAW_STORED, RAW_STORED.replace(": table", ": view")),),
        "materialization: view",
        "view",
        ((RAW_STORED, RAW_STORED.replace("immutable: true", "immutable: true  # kept as landed")),),
    ),
    Case(
        "DP1201",
        (
            (
                "      kind: raw\n      owner: team-data-platform",
                "      kind: raw\n      owner: tbd",
            ),
        ),
        "      owner: tbd",
        "tbd",
        (
            (
                "      kind: raw\n      owner: team-data-platform",
                "      kind: raw\n      owner: team-lake",
            ),
        ),
    ),
    Case(
        "DP602",
        (("      reads_from: [stg_click_events]", "      reads_from: [stg_click_event]"),),
        "      reads_from: [stg_click_event]",
        "stg_click_event",
        (("      reads_from: [stg_click_events]", "      reads_from: [web_clickstream]"),),
    ),
    Case(
        "DP603",
        (("\n\ncontracts:", EXTRA_LAYER.format(name="raw_clickstream")),),
        "    - name: raw_clickstream",
        "raw_clickstream",
        (("\n\ncontracts:", EXTRA_LAYER.format(name="raw_clickstream_eu")),),
        nth=1,
    ),
    Case(
        "DP604",
        (
            (
                "      stateful: true\n      state_ttl: 1h\n      reads_from: [web_clickstream]",
                "      stateful: true\n      state_ttl: 1h\n      reads_from: [int_user_sessions]",
            ),
        ),
        "      reads_from: [int_user_sessions]",
        "int_user_sessions",
        (
            (
                "      stateful: true\n      state_ttl: 1h\n      reads_from: [web_clickstream]",
                "      stateful: true\n      state_ttl: 1h\n      reads_from: [raw_clickstream]",
            ),
        ),
        nth=0,
    ),
    Case(
        "DP605",
        ((INT_HANDLES, "        unique_key: [session_id]\n        handles: [late]"),),
        "        handles: [late]",
        "[late]",
        ((INT_HANDLES, "        unique_key: [session_id]\n        handles: [duplicates, late]"),),
    ),
    Case(
        "DP605",
        ((REVENUE_INCREMENTAL, REVENUE_INCREMENTAL.replace(", corrections]", "]")),),
        "        handles: [late, duplicates]",
        "[late, duplicates]",
        (
            (
                REVENUE_INCREMENTAL,
                REVENUE_INCREMENTAL.replace("insert-overwrite", "recompute").replace(
                    ", corrections]", "]"
                ),
            ),
        ),
        example="orders",
    ),
    Case(
        "DP606",
        ((REVENUE_INCREMENTAL, ""),),
        "    - name: fct_daily_revenue",
        "name",
        (
            (REVENUE_INCREMENTAL, ""),
            (
                REVENUE_HEAD,
                REVENUE_HEAD.replace("incremental", "table"),
            ),
        ),
        example="orders",
    ),
    Case(
        "DP607",
        ((STG_TTL, "      stateful: true\n"),),
        "    - name: stg_click_events",
        "name",
        ((STG_TTL, "      stateful: true\n      state_ttl: 2h\n"),),
    ),
    Case(
        "DP608",
        (
            (
                "      stateful: true\n      state_ttl: 1h\n      reads_from: [web_clickstream]",
                "      stateful: true\n      state_ttl: 1h\n      reads_from: [raw_clickstream]",
            ),
            (
                "      immutable: true\n      reads_from: [web_clickstream]",
                "      immutable: true\n      reads_from: []",
            ),
        ),
        "  - id: web_clickstream",
        "web_clickstream",
        (
            (
                "      stateful: true\n      state_ttl: 1h\n      reads_from: [web_clickstream]",
                "      stateful: true\n      state_ttl: 1h\n      reads_from: [raw_clickstream]",
            ),
        ),
    ),
    # issue 21: state and lookback against the lateness they must outlive
    Case(
        "DP618",
        (("        lookback: 4h", "        lookback: 5m"),),
        "lookback: 5m",
        "5m",
        (("        lookback: 4h", "        lookback: 15m"),),
    ),
    Case(
        "DP619",
        (("      state_ttl: 5h", "      state_ttl: 3h"),),
        "state_ttl: 3h",
        "3h",
        (("      state_ttl: 5h", "      state_ttl: 4h15m"),),
    ),
]


CASES += RIDE_CASES[6]  # the optional fields of issue 21, on ride-trips


@parametrize(CASES)
def test_rule_triggers_at_position(case: Case) -> None:
    assert_triggers(case)


@parametrize(CASES)
def test_near_miss_is_clean(case: Case) -> None:
    assert_near_miss(case)
