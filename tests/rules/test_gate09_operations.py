"""Gate 9 rules: each triggers at an exact position, and a near-miss does not."""

from __future__ import annotations

from rulecases import Case, assert_near_miss, assert_triggers, parametrize
from ruleplans import block

LAG_ALERT = "metric: consumer_lag_seconds\n      comparator"
WATERMARK_ALERT = "metric: watermark_lag\n"
REPLAY = block("clickstream", "  replay_workflow:", "  break_glass:")
BREAK_GLASS = block("clickstream", "  break_glass:", "  cost_guardrails:")
AUTOSCALING = block("clickstream", "    autoscaling:", "backfill:")

CASES = [
    Case(
        "DP970",
        (
            (
                '      comparator: ">"\n      threshold: 2m\n',
                '      comparator: "<="\n      threshold: 2m\n',
            ),
        ),
        'comparator: "<="',
        '"<="',
        (
            (
                '      comparator: ">"\n      threshold: 2m\n',
                '      comparator: ">="\n      threshold: 2m\n',
            ),
        ),
        nth=0,
    ),
    Case(
        "DP901",
        ((LAG_ALERT, LAG_ALERT.replace("seconds", "ms")),),
        "metric: consumer_lag_ms",
        "consumer_lag_ms",
        ((LAG_ALERT, LAG_ALERT.replace("seconds", "records")),),
    ),
    Case(
        "DP902",
        (("    - throughput\n", "    - records_total\n"),),
        "  metrics:",
        "metrics",
        (("    - throughput\n", "    - events_per_second_in\n"),),
        nth=1,
    ),
    Case(
        "DP903",
        (
            ("    - watermark_lag\n", "    - event_time_skew\n"),
            (WATERMARK_ALERT, "metric: event_time_skew\n"),
        ),
        "  metrics:",
        "metrics",
        (
            ("    - watermark_lag\n", "    - watermark_lag_seconds\n"),
            (WATERMARK_ALERT, "metric: watermark_lag_seconds\n"),
        ),
        nth=1,
    ),
    Case(
        "DP904",
        (
            (LAG_ALERT, LAG_ALERT.replace("consumer_lag_seconds", "throughput")),
            (WATERMARK_ALERT, "metric: backpressure\n"),
        ),
        "  alerts:",
        "alerts",
        ((LAG_ALERT, LAG_ALERT.replace("consumer_lag_seconds", "throughput")),),
    ),
    Case(
        "DP905",
        ((REPLAY, ""),),
        "operations:",
        "operations",
        ((REPLAY, REPLAY.replace("max_window: 3d", "max_window: 4d")),),
    ),
    Case(
        "DP906",
        ((BREAK_GLASS, ""),),
        "operations:",
        "operations",
        ((BREAK_GLASS, BREAK_GLASS.replace("alice.martin@example.com", "bob@example.com")),),
    ),
    Case(
        "DP907",
        ((AUTOSCALING, "\n"),),
        "  cost_guardrails:",
        "cost_guardrails",
        ((AUTOSCALING, AUTOSCALING.replace("min: 6", "min: 5")),),
    ),
    Case(
        "DP908",
        (("monthly_budget: 4500", "monthly_budget: 3000"),),
        "monthly_budget: 3000",
        "3000",
        (("monthly_budget: 4500", "monthly_budget: 3800"),),
    ),
    # issue 21: alerts against what they protect
    Case(
        "DP909",
        (("      threshold: 60s\n      for: 2m", "      threshold: 60s\n      for: 270s"),),
        "for: 270s",
        "270s",
        (("      threshold: 60s\n      for: 2m", "      threshold: 60s\n      for: 3m"),),
    ),
    # a threshold that alone exceeds the SLO is reported at the threshold
    Case(
        "DP909",
        (("      threshold: 2m\n      for: 3m", "      threshold: 6m\n      for: 3m"),),
        "threshold: 6m",
        "6m",
        (("      threshold: 2m\n      for: 3m", "      threshold: 1m\n      for: 3m"),),
    ),
    Case(
        "DP910",
        (("      min: 6\n", "      min: 8\n"),),
        "min: 8",
        "8",
        (("      min: 6\n", "      min: 4\n"),),
    ),
    Case(
        "DP911",
        (("      threshold: 5m\n      for: 10m", "      threshold: 12m\n      for: 10m"),),
        "threshold: 12m",
        "12m",
        (("      threshold: 5m\n      for: 10m", "      threshold: 8m\n      for: 10m"),),
    ),
]


@parametrize(CASES)
def test_rule_triggers_at_position(case: Case) -> None:
    assert_triggers(case)


@parametrize(CASES)
def test_near_miss_is_clean(case: Case) -> None:
    assert_near_miss(case)
