"""Gate 1 rules: each triggers at an exact position, and a near-miss does not."""

from __future__ import annotations

from ridecases import RIDE_CASES
from rulecases import Case, assert_near_miss, assert_triggers, parametrize

CASES = [
    Case(
        "DP1201",
        (("owner: team-product-insights\n      decisions: Go", "owner: TBD\n      decisions: Go"),),
        "owner: TBD",
        "TBD",
        (
            (
                "owner: team-product-insights\n      decisions: Go",
                "owner: team-insights\n      decisions: Go",
            ),
        ),
    ),
    Case(
        "DP1201",
        (("owner: team-recommendations", "owner: <owner>"),),
        "owner: <owner>",
        "<owner>",
        (("owner: team-recommendations", "owner: ml-platform@example.com"),),
    ),
    Case(
        "DP102",
        (
            (
                "  out:\n      - Native mobile app events (separate plan, different collector).\n"
                "      - User identity stitching across devices.\n"
                "      - Marketing attribution models.\n",
                "  out: []\n",
            ),
        ),
        "out: []",
        "[]",
        (
            (
                "      - User identity stitching across devices.\n"
                "      - Marketing attribution models.\n",
                "",
            ),
        ),
    ),
    Case(
        "DP103",
        (("latency_class: near-real-time", "latency_class: hourly"),),
        "latency_class: hourly",
        "hourly",
        (("latency_class: near-real-time", "latency_class: minutes"),),
    ),
    Case(
        "DP103",
        (
            ("latency_class: near-real-time", "latency_class: minutes"),
            ("freshness: 5m", "freshness: 30s"),
        ),
        "latency_class: minutes",
        "minutes",
        (("freshness: 5m", "freshness: 30s"),),
    ),
    Case(
        "DP1201",
        (("    - Marketing attribution models.", "    - TODO"),),
        "    - TODO",
        "TODO",
        (("    - Marketing attribution models.", "    - Marketing attribution (todo list app)."),),
    ),
    Case(
        "DP1201",
        (
            (
                "decisions: Ranks product recommendations",
                "decisions: TBD - ranks product recommendations",
            ),
        ),
        "decisions: TBD",
        "TBD",
        (("decisions: Ranks product recommendations", "decisions: Ranks products"),),
    ),
    Case(
        "DP105",
        (
            (
                "  trigger:\n    kind: continuous",
                '  trigger:\n    kind: schedule\n    schedule: "*/5 * * * *"',
            ),
        ),
        "latency_class: near-real-time",
        "near-real-time",
        (("  trigger:\n    kind: continuous", "  trigger:\n    kind: event"),),
    ),
    Case(
        "DP105",
        (("  claims_real_time: false", "  claims_real_time: true"),),
        "claims_real_time: true",
        "true",
        (("  claims_real_time: false", "  claims_real_time: true"),),
        example="orders",
        near_example="clickstream",
    ),
    Case(
        "DP106",
        (("    - name: recs-session-features", "    - name: product-dashboard"),),
        "    - name: product-dashboard",
        "product-dashboard",
        (("    - name: recs-session-features", "    - name: product-dashboard-v2"),),
        nth=1,
    ),
]


CASES += RIDE_CASES[1]  # the optional fields of issue 21, on ride-trips


@parametrize(CASES)
def test_rule_triggers_at_position(case: Case) -> None:
    assert_triggers(case)


@parametrize(CASES)
def test_near_miss_is_clean(case: Case) -> None:
    assert_near_miss(case)
