"""Gate 11 rules: each triggers at an exact position, and a near-miss does not."""

from __future__ import annotations

from rulecases import Case, assert_near_miss, assert_triggers, parametrize
from ruleplans import block, check_text, edit, line_of

RELEASE_GATES = block("clickstream", "  release_gates:", "  incident_thresholds:")
PARALLEL = block("clickstream", "  parallel_run:", "  post_cutover:")
POST_CUTOVER = block("clickstream", "  post_cutover:", "  recovery:")
INCIDENTS = block("clickstream", "  incident_thresholds:", "risks:")
LAG_DRAIN = (block("clickstream", "    - Lag-drain test", "    - Restore from savepoint"), "")
STABILIZATION = "  stabilization_window: 14d\n"

AC1 = "      metric: end_to_end_latency\n      threshold: 3m"
# the clickstream plan: freshness SLO 5m, latency budget end_to_end 3m

CASES = [
    Case(
        "DP1108",
        ((AC1, AC1.replace("3m", "10m")),),
        "      threshold: 10m",
        "10m",
        ((AC1, AC1.replace("3m", "5m")),),
        nth=1,
    ),
    # at the SLO but looser than the budget: the launch can spend the whole margin
    Case(
        "DP1109",
        ((AC1, AC1.replace("3m", "5m")),),
        "      threshold: 5m",
        "5m",
        ((AC1, AC1.replace("3m", "150s")),),
        nth=2,
    ),
    # a freshness metric counts too; no duration threshold proves nothing
    Case(
        "DP1109",
        ((AC1, "      metric: end_to_end_latency"),),
        "      metric: end_to_end_latency",
        "end_to_end_latency",
        ((AC1, "      metric: freshness_lag_p99\n      threshold: 3m"),),
        nth=2,
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
    # issue 21: acceptance and the evidence for it
    Case(
        "DP1110",
        (("      metric: duplicate_sessions\n      threshold: 0\n", ""),),
        "id: AC-3",
        "id: AC-3",
        (
            (
                "      metric: duplicate_sessions\n      threshold: 0\n",
                "      metric: duplicate_sessions\n      threshold: 1\n",
            ),
        ),
    ),
    Case(
        "DP1111",
        (("    tolerance: 0.5%\n  post_cutover", "    tolerance: 1%\n  post_cutover"),),
        "tolerance: 1%",
        "1%",
        (("    tolerance: 0.5%\n  post_cutover", "    tolerance: 0.2%\n  post_cutover"),),
    ),
    Case(
        "DP1112",
        (
            (
                "      threshold: 30m\n      action: Declare a SEV-2",
                "      threshold: 30s\n      action: Declare a SEV-2",
            ),
        ),
        "threshold: 30s",
        "30s",
        (
            (
                "      threshold: 30m\n      action: Declare a SEV-2",
                "      threshold: 45m\n      action: Declare a SEV-2",
            ),
        ),
    ),
]


@parametrize(CASES)
def test_rule_triggers_at_position(case: Case) -> None:
    assert_triggers(case)


@parametrize(CASES)
def test_near_miss_is_clean(case: Case) -> None:
    assert_near_miss(case)


def test_budget_and_slo_breach_is_one_finding_whose_fix_settles_both() -> None:
    """A criterion looser than the SLO is DP1108 alone (not also DP1109); its fix asks for
    the budget's 3m, and that edit leaves the plan clean of both."""
    text = edit("clickstream", (AC1, AC1.replace("3m", "10m")))
    found = [f for f in check_text(text) if f.rule_id in ("DP1108", "DP1109")]
    line = line_of(text, "      threshold: 10m", 1)
    assert [(f.rule_id, f.line) for f in found] == [("DP1108", line)]
    assert found[0].message.endswith("- lower the threshold to 3m or less")
    fixed = edit("clickstream", (AC1, AC1.replace("3m", "10m").replace("10m", "3m")))
    assert not [f for f in check_text(fixed) if f.rule_id in ("DP1108", "DP1109")]


def test_budget_finding_names_the_budget_and_points_there() -> None:
    text = edit("clickstream", (AC1, AC1.replace("3m", "5m")))
    (finding,) = [f for f in check_text(text) if f.rule_id == "DP1109"]
    assert finding.message == (
        "AC-1 accepts end_to_end_latency up to 5m, looser than the latency budget's "
        "end-to-end target of 3m, so a launch that overruns the budget the design and its "
        "alerts rest on still passes - lower the threshold to 3m or less"
    )
    (related,) = finding.related
    assert related.span is not None
    assert related.span.start_line == line_of(text, "    end_to_end: 3m")
