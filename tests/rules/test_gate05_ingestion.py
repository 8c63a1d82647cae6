"""Gate 5 rules: each triggers at an exact position, and a near-miss does not."""

from __future__ import annotations

from rulecases import Case, assert_near_miss, assert_triggers, parametrize

from dataplan_lint.config.file import LintConfig

STRICT = {"config": LintConfig(preset="strict")}
DEDUPE_STAGE = "  - stage: dedupe_events\n      kind: transform\n      depends_on: [kafka_source]"
DEAD_LETTER = (
    "    dead_letter:\n      target: web.clickstream.dlq.v1\n"
    "      owner: team-stream-processing\n"
    "      replay: Fix the deserializer or the schema, then replay the DLQ topic through the "
    "same job with a savepoint restart.\n"
)
QUARANTINE = (
    "    quarantine:\n      target: web.clickstream.quarantine.v1\n"
    "      owner: team-web-collector\n"
    "      criteria: Events failing contract checks (missing event_id, event_time more than "
    "24h in the future).\n"
    "      release: Reviewed daily; released by re-producing to the main topic with the "
    "original event_id.\n"
)
RECOVERY = (
    "  recovery:\n    restart_strategy: exponential-delay\n    max_restarts: 10\n"
    "    restore_from: checkpoint\n    rto: 15m\n"
)
ORDERS_TRIGGER = '    schedule: "*/15 * * * *"\n    interval: 15m\n'

CASES = [
    Case(
        "DP572",
        (("    interval: 15m\n", "    interval: 2h\n"),),
        "interval: 2h",
        "2h",
        (("    interval: 15m\n", "    interval: 60m\n"),),
        example="orders",
    ),
    Case(
        "DP573",
        (
            (
                ": upsert\n  delivery: at-least-once\n",
                ": upsert\n  delivery: effectively-exactly-once\n",
            ),
            (
                "    write_mode: upsert\n    idempotent: true\n    transactional: false\n",
                "    write_mode: append\n    idempotent: false\n    transactional: true\n",
            ),
            ("  update_semantics: upsert\n", "  update_semantics: append\n"),
            ("    action: update\n", "    action: side-output\n"),
            (
                "  idempotency:\n    strategy: upsert\n",
                "  idempotency:\n    strategy: overwrite-partition\n",
            ),
            ("    mode: exactly-once\n", "    mode: at-least-once\n"),
        ),
        "mode: at-least-once",
        "at-least-once",
        (
            (
                ": upsert\n  delivery: at-least-once\n",
                ": upsert\n  delivery: effectively-exactly-once\n",
            ),
            ("    mode: exactly-once\n", "    mode: at-least-once\n"),
        ),
    ),
    Case(
        "DP570",
        (("      initial: 1s\n", "      initial: 2m\n"),),
        "initial: 2m",
        "2m",
        (("      initial: 1s\n", "      initial: 60s\n"),),
    ),
    Case(
        "DP571",
        (("    name: serving.session_metrics\n", "    name: serving.session_metric\n"),),
        "name: serving.session_metric",
        "serving.session_metric",
        (("    name: serving.session_metrics\n", "    name: session_metrics\n"),),
    ),
    Case(
        "DP501",
        ((DEDUPE_STAGE, DEDUPE_STAGE.replace("[kafka_source]", "[kafka_sorce]")),),
        "depends_on: [kafka_sorce]",
        "kafka_sorce",
        ((DEDUPE_STAGE, DEDUPE_STAGE.replace("[kafka_source]", "[kafka_source, raw_archive]")),),
    ),
    Case(
        "DP502",
        (
            (
                "    - stage: kafka_source\n      kind: source\n      depends_on: []",
                "    - stage: kafka_source\n      kind: source\n      depends_on: [sessionize]",
            ),
        ),
        "      depends_on: [sessionize]",
        "sessionize",
        (
            (
                "      depends_on: [kafka_source]\n      owner: team-data-platform",
                "      depends_on: [kafka_source, sessionize]\n      owner: team-data-platform",
            ),
        ),
        nth=0,
    ),
    Case(
        "DP503",
        (("    - stage: raw_archive", "    - stage: sessionize"),),
        "    - stage: sessionize",
        "sessionize",
        (("    - stage: raw_archive", "    - stage: raw_archive_s3"),),
        nth=1,
    ),
    Case(
        "DP504",
        (
            (
                "      depends_on: [sessionize]\n      owner: team-stream-processing\n",
                "      depends_on: [sessionize]\n",
            ),
        ),
        "    - stage: postgres_sink",
        "postgres_sink",
        (
            (
                "      depends_on: [sessionize]\n      owner: team-stream-processing\n",
                "      depends_on: [sessionize]\n      owner: team-serving\n",
            ),
        ),
    ),
    Case(
        "DP1201",
        ((QUARANTINE, QUARANTINE.replace("owner: team-web-collector", "owner: '?'")),),
        "      owner: '?'",
        "'?'",
        ((QUARANTINE, QUARANTINE.replace("owner: team-web-collector", "owner: team-web")),),
    ),
    Case(
        "DP506",
        ((DEAD_LETTER + QUARANTINE, ""),),
        "  failure_handling:",
        "failure_handling",
        ((DEAD_LETTER, ""),),
    ),
    Case(
        "DP507",
        (("      backoff: exponential", "      backoff: none"),),
        "      backoff: none",
        "none",
        (
            ("      backoff: exponential", "      backoff: none"),
            ("max_attempts: 5", "max_attempts: 1"),
        ),
    ),
    Case(
        "DP508",
        ((ORDERS_TRIGGER, ""),),
        "    kind: schedule",
        "schedule",
        ((ORDERS_TRIGGER, "    interval: 15m\n"),),
        example="orders",
    ),
    Case(
        "DP509",
        ((RECOVERY, ""),),
        "  pattern: stream",
        "stream",
        ((RECOVERY, RECOVERY.replace("    rto: 15m\n", "")),),
    ),
    Case(
        "DP510",
        (("    max_parallelism: 24", "    max_parallelism: 64"),),
        "    max_parallelism: 64",
        "64",
        (("    max_parallelism: 24", "    max_parallelism: 48"),),
    ),
    Case(
        "DP511",
        (
            (
                "    idempotent: true\n    transactional: true",
                "    idempotent: false\n    transactional: false",
            ),
        ),
        "  delivery: effectively-exactly-once",
        "effectively-exactly-once",
        (
            (
                "    idempotent: true\n    transactional: true",
                "    idempotent: false\n    transactional: true",
            ),
        ),
        example="orders",
    ),
    Case(
        "DP512",
        (("    write_mode: upsert", "    write_mode: append"),),
        "    write_mode: append",
        "append",
        (
            ("  update_semantics: upsert", "  update_semantics: append"),
            ("    write_mode: upsert", "    write_mode: append"),
        ),
    ),
    Case(
        "DP513",
        (("  update_semantics: delete-aware", "  update_semantics: upsert"),),
        "  update_semantics: upsert",
        "upsert",
        (("  update_semantics: delete-aware", "  update_semantics: delete-aware"),),
        example="orders",
    ),
    Case(
        "DP514",
        (
            ("latency_class: near-real-time", "latency_class: hourly"),
            ("freshness: 5m", "freshness: 2h"),
            ("freshness: 10m", "freshness: 2h"),
            ("  pattern: stream", "  pattern: batch"),
        ),
        "    kind: continuous",
        "continuous",
        (
            ("latency_class: near-real-time", "latency_class: hourly"),
            ("freshness: 5m", "freshness: 2h"),
            ("freshness: 10m", "freshness: 2h"),
            ("  pattern: stream", "  pattern: batch"),
            ("    kind: continuous", "    kind: event"),
        ),
    ),
    Case(
        "DP515",
        (("  pattern: stream", "  pattern: micro-batch"), ("freshness: 5m", "freshness: 30s")),
        "  pattern: micro-batch",
        "micro-batch",
        (("  pattern: stream", "  pattern: micro-batch"),),
        options=STRICT,
    ),
    Case(
        "DP516",
        (
            (
                "    idempotent: true\n    transactional: false",
                "    idempotent: false\n    transactional: false",
            ),
        ),
        "  delivery: at-least-once",
        "at-least-once",
        (
            ("      critical: true", "      critical: false"),
            (
                "    idempotent: true\n    transactional: false",
                "    idempotent: false\n    transactional: false",
            ),
        ),
        options=STRICT,
        nth=1,
    ),
]


@parametrize(CASES)
def test_rule_triggers_at_position(case: Case) -> None:
    assert_triggers(case)


@parametrize(CASES)
def test_near_miss_is_clean(case: Case) -> None:
    assert_near_miss(case)


def test_strict_only_rules_are_off_in_recommended() -> None:
    from rulecases import edit
    from ruleplans import check_text

    text = edit(
        "clickstream",
        ("  pattern: stream", "  pattern: micro-batch"),
        ("freshness: 5m", "freshness: 30s"),
    )
    assert "DP515" not in [f.rule_id for f in check_text(text)]
    assert "DP515" in [f.rule_id for f in check_text(text, **STRICT)]
