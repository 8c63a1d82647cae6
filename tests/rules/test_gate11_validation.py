"""Gate 11 rules: each triggers at an exact position, and a near-miss does not."""

from __future__ import annotations

from rulecases import Case, assert_near_miss, assert_triggers, parametrize
from ruleplans import block

RELEASE_GATES = block("clickstream", "  release_gates:", "  incident_thresholds:")
PARALLEL = block("clickstream", "  parallel_run:", "  post_cutover:")
POST_CUTOVER = block("clickstream", "  post_cutover:", "  recovery:")
INCIDENTS = block("clickstream", "  incident_thresholds:", "risks:")
LAG_DRAIN = (block("clickstream", "    - Lag-drain test", "    - Restore from savepoint"), "")
STABILIZATION = "  stabilization_window: 14d\n"

AC1 = "      metric: end_to_end_latency\n      threshold: 5m"

CASES = [
    Case(
        "DP1108",
        ((AC1, AC1.replace("5m", "10m")),),
        "      threshold: 10m",
        "10m",
        ((AC1, AC1.replace("5m", "4m")),),
        nth=1,
    ),
    Case(
        "DP1108",
        ((AC1, AC1.replace("end_to_end_latency", "dashboard_tiles_ok")),),
        "  acceptance:",
        "acceptance",
        ((AC1, AC1.replace("end_to_end_latency", "freshness_lag_p99")),),
    ),
    Case(
        "DP1101",
        ((RELEASE_GATES, ""),),
        "validation:",
        "validation",
        (("    - Sign-off from team-product-insights and team-recommendations.\n", ""),),
    ),
    Case(
        "DP1102",
        ((PARALLEL, ""),),
        "validation:",
        "validation",
        ((PARALLEL, PARALLEL.replace("duration: 14d", "duration: 21d")),),
    ),
    Case(
        "DP1103",
        ((POST_CUTOVER, ""),),
        "validation:",
        "validation",
        (("    - Freshness and latency alerts silent for 7 days.\n", ""),),
    ),
    Case(
        "DP1104",
        (LAG_DRAIN,),
        "  recovery:",
        "recovery",
        (("    - Restore from savepoint into a new cluster.\n", ""),),
        nth=1,
    ),
    Case(
        "DP1105",
        ((STABILIZATION, ""),),
        "validation:",
        "validation",
        ((STABILIZATION, "  stabilization_window: 21d\n"),),
    ),
    Case(
        "DP1106",
        (("    - id: AC-4", "    - id: AC-5"),),
        "- id: AC-5",
        "AC-5",
        (("    - id: AC-4\n      criterion: Lag", "    - id: AC-4\n      criterion: The lag"),),
    ),
    Case(
        "DP1106",
        (("    - id: AC-4", "    - id: AC-3"),),
        "- id: AC-3",
        "AC-3",
        (("    - id: AC-4", "    - id: AC-4"),),
        nth=1,
    ),
    Case(
        "DP1107",
        ((INCIDENTS, ""),),
        "validation:",
        "validation",
        ((INCIDENTS, INCIDENTS.replace("threshold: 15m", "threshold: 20m")),),
    ),
]


@parametrize(CASES)
def test_rule_triggers_at_position(case: Case) -> None:
    assert_triggers(case)


@parametrize(CASES)
def test_near_miss_is_clean(case: Case) -> None:
    assert_near_miss(case)
