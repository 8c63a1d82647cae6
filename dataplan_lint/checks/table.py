"""Every built-in rule function: the name rules use -> the code that implements it.

A rule's `then.function` is a key of `FUNCTIONS`; its row names the module and function
(below the `dataplan_lint` package), how the engine calls it (`value`, `plan`,
`analysis`: see `engine/registry.py`) and the options a rule may give it. A rule giving
an option that is not declared here, or a value of the wrong type, fails when its
ruleset loads (exit 2). `dataplan-lint explain RULE` prints the row's code location.

Adding a function: write it (generic functions in `checks/<name>.py` on the rule context;
gate logic as a pure `check(data, options)` in `checks/domain/<topic>.py`), add its row
here, and use it from a rule. `tests/test_function_table.py` checks that every row
resolves, every rule's function has a row, and every row is used by a rule or listed in
`GENERIC` (documented for user rulesets in rules/README.md).
"""

from __future__ import annotations

from typing import Final

from dataplan_lint.engine import options as o
from dataplan_lint.engine.registry import Builtin, analysis, check, plan, value

# The building blocks of rules/README.md ("Built-in generic functions"): documented for
# user rulesets, so kept even while no bundled rule uses one of them.
GENERIC: Final = frozenset(
    {
        "present",
        "truthy",
        "non-empty",
        "pattern",
        "enum",
        "reference-exists",
        "unique",
        "compare",
        "owner-set",
        "count-at-least",
        "referenced",
        "acyclic",
        "fail",
    }
)


def _capacity_figures() -> list[str]:
    from dataplan_lint.checks.capacity_math import DECLARED_KINDS

    return list(DECLARED_KINDS)


_COMPAT = "compat.analysis:analyse"
_DBT = "checks.dbt_compare:analyse"

FUNCTIONS: Final[dict[str, Builtin]] = {
    # ---- generic functions, called per match of `given` (checks/<name>.py); every
    # ---- other row is gate logic: a pure function of the plan (checks/domain/<topic>.py)
    "present": value("checks.present:present"),
    "truthy": value("checks.truthy:truthy"),
    "non-empty": value("checks.non_empty:non_empty", {"min": o.integer(default=1)}),
    "pattern": value(
        "checks.pattern:pattern",
        {"match": o.regex(), "not-match": o.regex(), "ignore-case": o.flag(default=False)},
    ),
    "enum": value("checks.enum:enum", {"values": o.Option((list,)), "not": o.Option((list,))}),
    "reference-exists": value(
        "checks.reference_exists:reference_exists", {"in": o.text_or_list(required=True)}
    ),
    "unique": value("checks.unique:unique", {"key": o.text()}),
    "compare": value(
        "checks.compare:compare",
        {
            "op": o.text(default="<="),
            "kind": o.text(),
            "other": o.text(),
            "value": o.Option((str, float)),
            "factor": o.number(default=1),
        },
    ),
    "owner-set": value("checks.owner_set:owner_set", {"placeholders": o.Option((list,))}),
    "count-at-least": value(
        "checks.count_at_least:count_at_least",
        {"min": o.integer(default=1), "where": o.mapping()},
    ),
    "referenced": value("checks.referenced:referenced", {"by": o.text_or_list(required=True)}),
    "acyclic": value(
        "checks.acyclic:acyclic",
        {"name": o.text(default="name"), "edges": o.text(default="depends_on")},
    ),
    "fail": value("checks.fail:fail", {"at-key": o.flag(default=False)}),
    # ---- gates 1, 2, 5 and 6: latency class, sources, ingestion, modeling (whole plan)
    "latency-class-fits-consumers": plan("checks.domain.latency:class_fits_consumers"),
    "latency-real-time-claim": plan("checks.domain.latency:real_time_claim"),
    "latency-sub-minute-streaming": plan(
        "checks.domain.latency:sub_minute_streaming", {"below-seconds": o.number(default=60)}
    ),
    "source-corrections-fit-mutation": plan("checks.domain.source:corrections_fit_mutation"),
    "source-partition-strategy": plan("checks.domain.source:partition_strategy"),
    "ingestion-parallelism-vs-partitions": plan(
        "checks.domain.ingestion:parallelism_vs_partitions"
    ),
    "ingestion-critical-wants-exactly-once": plan(
        "checks.domain.ingestion:critical_wants_exactly_once"
    ),
    "modeling-incremental-handling": plan("checks.domain.modeling:incremental_handling"),
    # ---- gate 3 event semantics (checks/domain/event_time.py, whole plan)
    "event-time-alert-vs-end-to-end": plan("checks.domain.event_time:alert_vs_end_to_end"),
    "event-time-at-least-once-dedupe": plan("checks.domain.event_time:at_least_once_dedupe"),
    "event-time-budget-covers-waits": plan("checks.domain.event_time:budget_covers_waits"),
    "event-time-dedupe-vs-checkpoint": plan("checks.domain.event_time:dedupe_vs_checkpoint"),
    "event-time-end-to-end-vs-slo": plan("checks.domain.event_time:end_to_end_vs_slo"),
    "event-time-global-ordering": plan("checks.domain.event_time:global_ordering"),
    "event-time-incomplete": plan("checks.domain.event_time:event_time_incomplete"),
    "event-time-key-field-types": check("checks.domain.event_time:key_field_types"),
    "event-time-key-fields-in-contract": check("checks.domain.event_time:key_fields_in_contract"),
    "event-time-lag-alert-vs-slo": plan("checks.domain.event_time:lag_alert_vs_slo"),
    "event-time-late-drop-budget": plan("checks.domain.event_time:late_drop_budget"),
    "event-time-late-reconciliation": plan("checks.domain.event_time:late_reconciliation"),
    "event-time-late-update-sink": plan("checks.domain.event_time:late_update_sink"),
    "event-time-lateness-vs-allowed": plan("checks.domain.event_time:lateness_vs_allowed"),
    "event-time-legs-vs-end-to-end": plan("checks.domain.event_time:legs_vs_end_to_end"),
    "event-time-ordering-vs-partition-key": plan(
        "checks.domain.event_time:ordering_vs_partition_key"
    ),
    "event-time-replay-raw-layer": plan("checks.domain.event_time:replay_raw_layer"),
    "event-time-retention-vs-replay": plan(
        "checks.domain.event_time:retention_vs_replay",
        {"margin": o.quantity("duration", default="1d")},
    ),
    "event-time-streaming-without-event-time": plan(
        "checks.domain.event_time:streaming_without_event_time"
    ),
    "event-time-watermark-vs-slo": plan("checks.domain.event_time:watermark_vs_slo"),
    # ---- gate 4 capacity (checks/domain/capacity.py, whole plan)
    "capacity-figure-mismatch": check(
        "checks.domain.capacity:figure_mismatch",
        {"figures": o.names(_capacity_figures, "capacity figure", required=True)},
    ),
    "capacity-partitions-below-needed": check("checks.domain.capacity:partitions_below_needed"),
    "capacity-lag-never-drains": check("checks.domain.capacity:lag_never_drains"),
    "capacity-inputs-missing": plan("checks.domain.capacity:inputs_missing"),
    "capacity-scale-path-partitions": plan("checks.domain.capacity:scale_path_partitions"),
    "capacity-headroom-target": plan("checks.domain.capacity:headroom_target"),
    "capacity-checkpoint-upload": plan("checks.domain.capacity:checkpoint_upload"),
    # ---- issue 21, consistency2: values weighed against their counterparts
    "sizing-volume-vs-sources": check("checks.domain.source_sizing:volume_vs_sources"),
    "sizing-retention-vs-sources": check("checks.domain.source_sizing:retention_vs_sources"),
    "sizing-partitions-vs-sources": plan("checks.domain.source_sizing:partitions_vs_sizing"),
    "bounds-window-slide": plan("checks.domain.bounds:window_slide"),
    "bounds-checkpoint-pause": plan("checks.domain.bounds:checkpoint_pause"),
    "bounds-retry-backoff": plan("checks.domain.bounds:retry_backoff"),
    "layers-immutable-rewritten": plan("checks.domain.immutable_layers:rewritten"),
    "alerts-comparator-direction": plan("checks.domain.alert_direction:comparator_direction"),
    "bounds-trigger-interval": plan("checks.domain.bounds:trigger_interval"),
    "bounds-exactly-once-checkpoints": plan("checks.domain.bounds:exactly_once_checkpoints"),
    "sizing-outage-vs-rto": plan("checks.domain.source_sizing:outage_vs_rto"),
    "fields-scale-within-precision": plan("checks.domain.field_attributes:scale_within_precision"),
    "targets-sink-is-layer": plan("checks.domain.targets:sink_is_layer"),
    "targets-replay-source-exists": plan("checks.domain.targets:replay_source_exists"),
    "defaults-null-needs-nullable": plan(
        "checks.domain.field_attributes:null_default_not_nullable"
    ),
    "capacity-envelope-vs-parallelism": plan("checks.domain.capacity:envelope_vs_parallelism"),
    "capacity-cost-drivers": plan(
        "checks.domain.capacity:cost_drivers", {"require": o.text_list()}
    ),
    "capacity-checkpoint-timing": plan("checks.domain.capacity:checkpoint_timing"),
    "capacity-drain-estimate": plan("checks.domain.capacity:drain_estimate"),
    # ---- gate 6 dbt cross-check (one analysis per plan: checks/dbt_compare.py)
    "dbt-manifest": analysis(_DBT, "manifest"),
    "dbt-layer-missing": analysis(_DBT, "layer-missing"),
    "dbt-model-not-in-plan": analysis(_DBT, "model-not-in-plan"),
    "dbt-materialization": analysis(_DBT, "materialization"),
    "dbt-incremental": analysis(_DBT, "incremental"),
    "dbt-contract": analysis(_DBT, "contract"),
    "dbt-test-missing": analysis(_DBT, "test-missing"),
    "dbt-test-not-in-plan": analysis(_DBT, "test-not-in-plan"),
    "dbt-source-freshness": analysis(_DBT, "source-freshness"),
    # ---- gate 7 compatibility (one analysis per plan and --base: compat/analysis.py)
    "compatibility-history": analysis(_COMPAT, "history"),
    "compatibility-base": analysis(_COMPAT, "base"),
    "compatibility-version-order": analysis(_COMPAT, "version-order"),
    "compatibility-version-bump": analysis(_COMPAT, "version-bump"),
    "compatibility-major-bump": analysis(_COMPAT, "major-bump"),
    "compatibility-migration-plan": analysis(_COMPAT, "migration-plan"),
    "compatibility-mode-weakened": analysis(_COMPAT, "mode-weakened"),
    "compatibility-contract-removed": analysis(_COMPAT, "contract-removed"),
    "compatibility-model-contract": analysis(_COMPAT, "model-contract"),
    "compatibility-waiver-expired": analysis(_COMPAT, "waiver-expired"),
    "compatibility-waiver-unused": analysis(_COMPAT, "waiver-unused"),
    "compatibility-schema-file": analysis(_COMPAT, "schema-file"),
    "compatibility-schema-file-outside": analysis(_COMPAT, "schema-file-outside"),
    "compatibility-protobuf-reserve": analysis(_COMPAT, "protobuf-reserve"),
    "compatibility-schema-reference": analysis(_COMPAT, "schema-reference"),
    # ---- gate 7 (completeness) contracts (checks/domain/contracts.py, whole plan)
    "contracts-critical-consumer-contract": plan(
        "checks.domain.contracts:critical_consumer_contract"
    ),
    "contracts-migration-steps-missing": plan("checks.domain.contracts:migration_steps_missing"),
    "contracts-migration-without-window": plan("checks.domain.contracts:migration_without_window"),
    "contracts-required-fields-undeclared": check(
        "checks.domain.contracts:required_fields_undeclared"
    ),
    "contracts-schema-missing": plan("checks.domain.contracts:schema_missing"),
    "contracts-versioning-missing": plan("checks.domain.contracts:versioning_missing"),
    # ---- gate 8 quality (checks/domain/quality.py, whole plan)
    "quality-aggregate-measure": plan("checks.domain.quality:aggregate_measure"),
    "quality-critical-not-blocking": plan("checks.domain.quality:critical_not_blocking"),
    "quality-drift-missing": plan("checks.domain.quality:drift_missing"),
    "quality-facing-coverage": plan(
        "checks.domain.quality:facing_coverage", {"kinds": o.text_list()}
    ),
    "quality-facing-without-blocking": plan("checks.domain.quality:facing_without_blocking"),
    "quality-freshness-thresholds": plan("checks.domain.quality:freshness_thresholds"),
    "quality-reconciliation-missing": plan("checks.domain.quality:reconciliation_missing"),
    "quality-reconciliation-window": plan("checks.domain.quality:reconciliation_window"),
    "quality-stream-duplicates": plan("checks.domain.quality:stream_duplicates"),
    "quality-stream-out-of-order": plan("checks.domain.quality:stream_out_of_order"),
    "quality-unknown-dataset": plan("checks.domain.quality:unknown_dataset"),
    "quality-without-threshold": plan("checks.domain.quality:without_threshold"),
    # ---- gate 9 operations (checks/domain/operations.py, whole plan)
    "operations-alert-metric-emitted": plan("checks.domain.operations:alert_metric_emitted"),
    "operations-break-glass": plan("checks.domain.operations:break_glass"),
    "operations-budget-vs-estimate": plan("checks.domain.operations:budget_vs_estimate"),
    "operations-cost-guardrails": plan("checks.domain.operations:cost_guardrails"),
    "operations-lag-alerts": plan("checks.domain.operations:lag_alerts"),
    "operations-replay-workflow": plan("checks.domain.operations:replay_workflow"),
    "operations-telemetry-incomplete": plan("checks.domain.operations:telemetry_incomplete"),
    "operations-watermark-lag": plan("checks.domain.operations:watermark_lag"),
    # ---- gate 10 backfill (checks/domain/backfill.py, whole plan)
    "backfill-cutover-checkpoints": plan("checks.domain.backfill:cutover_checkpoints"),
    "backfill-estimate-missing": plan("checks.domain.backfill:estimate_missing"),
    "backfill-go-no-go": plan("checks.domain.backfill:go_no_go"),
    "backfill-idempotency-key": plan("checks.domain.backfill:idempotency_key"),
    "backfill-replay-boundaries": plan("checks.domain.backfill:replay_boundaries"),
    "backfill-replay-upsert-into-append-sink": plan(
        "checks.domain.backfill:replay_upsert_into_append_sink"
    ),
    "backfill-replay-window-vs-workflow": plan("checks.domain.backfill:replay_window_vs_workflow"),
    "backfill-replay-without-idempotency": plan(
        "checks.domain.backfill:replay_without_idempotency"
    ),
    "backfill-rollback-safeguards": plan("checks.domain.backfill:rollback_safeguards"),
    "backfill-rollback-triggers": plan("checks.domain.backfill:rollback_triggers"),
    "backfill-trigger-metric-known": plan("checks.domain.backfill:trigger_metric_known"),
    # ---- gate 11 validation (checks/domain/validation.py, whole plan)
    "validation-acceptance-numbering": plan("checks.domain.validation:acceptance_numbering"),
    "validation-acceptance-proves-slo": plan("checks.domain.validation:acceptance_proves_slo"),
    "validation-acceptance-proves-budget": plan(
        "checks.domain.validation:acceptance_proves_budget"
    ),
    "validation-incident-thresholds": plan("checks.domain.validation:incident_thresholds"),
    "validation-no-validation-gates": plan("checks.domain.validation:no_validation_gates"),
    "validation-parallel-run": plan("checks.domain.validation:parallel_run"),
    "validation-post-cutover": plan("checks.domain.validation:post_cutover"),
    "validation-recovery-lag-drain": plan("checks.domain.validation:recovery_lag_drain"),
    "validation-stabilization-window": plan("checks.domain.validation:stabilization_window"),
    # ---- gate 12 bundle (checks/domain/constraints.py and concrete.py, whole plan)
    "constraints-assumption-after-launch": plan(
        "checks.domain.constraints:assumption_after_launch"
    ),
    "constraints-on-call-rotation": plan(
        "checks.domain.constraints:on_call_rotation", {"min_rotation": o.mapping()}
    ),
    "constraints-pii-kept-longer": plan("checks.domain.constraints:pii_kept_longer"),
    "constraints-pii-retention-residency": plan(
        "checks.domain.constraints:pii_retention_residency"
    ),
    "concrete-placeholder-values": plan("checks.domain.concrete:placeholder_values"),
    # ---- the optional fields of issue 21: per-dataset freshness, stream joins, duplicate
    # ---- spread, history, personal data, storage tiers, backfill target and restore
    "freshness-layer-vs-readers": plan("checks.domain.dataset_freshness:layer_vs_readers"),
    "join-state-vs-window": plan("checks.domain.stream_joins:state_vs_window"),
    "join-input-lateness-vs-watermark": plan(
        "checks.domain.stream_joins:input_lateness_vs_watermark"
    ),
    "join-key-arity": plan("checks.domain.stream_joins:key_arity"),
    "join-keys-in-contracts": check("checks.domain.stream_joins:keys_in_contracts"),
    "dedupe-window-vs-spread": plan("checks.domain.stream_joins:dedupe_vs_spread"),
    "history-incomplete": plan("checks.domain.history:incomplete"),
    "history-columns-in-contract": plan("checks.domain.history:columns_in_contract"),
    "history-scd2-merge-key": plan("checks.domain.history:scd2_merge_key"),
    "privacy-classification-vs-pii": plan("checks.domain.privacy:classification_vs_pii"),
    "privacy-layer-kept-longer": plan("checks.domain.privacy:layer_kept_longer"),
    "privacy-clear-where-masking-required": plan(
        "checks.domain.privacy:clear_where_masking_required"
    ),
    "privacy-handling-vs-contract": plan("checks.domain.privacy:handling_vs_contract"),
    "storage-tier-cost-mismatch": check("checks.domain.storage_tiers:cost_mismatch"),
    "storage-tier-ages-not-growing": plan("checks.domain.storage_tiers:ages_not_growing"),
    "storage-tier-lifecycle-vs-retention": plan(
        "checks.domain.storage_tiers:lifecycle_vs_retention"
    ),
    "backfill-shadow-without-swap": plan("checks.domain.backfill_target:shadow_without_swap"),
    "backfill-shadow-is-live": plan("checks.domain.backfill_target:shadow_is_live"),
    "backfill-restore-retention": plan("checks.domain.backfill_target:restore_retention"),
    "backfill-rebuild-from-raw": plan("checks.domain.backfill_target:rebuild_from_raw"),
    # ---- issue 21 (consistency): values weighed against their counterparts
    "lateness-profile-ordered": plan("checks.domain.lateness:lateness_ordered"),
    "lateness-dedupe-ttl": plan("checks.domain.lateness:dedupe_ttl"),
    "lateness-window-layer-ttl": plan("checks.domain.lateness:window_layer_ttl"),
    "lateness-lookback": plan("checks.domain.lateness:lookback_covers_lateness"),
    "latency-slo-fits-consumers": plan("checks.domain.latency:slo_fits_consumers"),
    "throughput-consumers-cover-peak": check("checks.domain.throughput:consumers_cover_peak"),
    "throughput-catch-up-within-consumers": check(
        "checks.domain.throughput:catch_up_within_consumers"
    ),
    "throughput-cost-driver-figures": check("checks.domain.throughput:cost_driver_figures"),
    "throughput-autoscaling-bounds": plan("checks.domain.throughput:autoscaling_bounds"),
    "columns-check-column": check("checks.domain.columns:check_columns"),
    "columns-accepted-values": check("checks.domain.columns:accepted_values"),
    "columns-referential-target": check("checks.domain.columns:referential_target"),
    "columns-enum-default": plan("checks.domain.columns:enum_default"),
    "columns-constraint-bounds": plan("checks.domain.columns:constraint_bounds"),
    "timing-alert-time-to-page": plan("checks.domain.timing:alert_time_to_page"),
    "timing-checkpoint-alert": plan("checks.domain.timing:checkpoint_alert_before_timeout"),
    "timing-freshness-check-schedule": plan("checks.domain.timing:freshness_check_schedule"),
    "evidence-measurable": plan("checks.domain.evidence:measurable"),
    "evidence-parallel-run-tolerance": plan("checks.domain.evidence:parallel_run_tolerance"),
    "evidence-reconciliation-tolerance": plan("checks.domain.evidence:reconciliation_tolerance"),
    "evidence-rollback-inside-checkpoint": plan(
        "checks.domain.evidence:rollback_inside_checkpoint"
    ),
    "evidence-incident-before-page": plan("checks.domain.evidence:incident_before_page"),
    "evidence-cutover-traffic": plan("checks.domain.evidence:cutover_traffic"),
    "evidence-idempotency-key": plan("checks.domain.evidence:idempotency_key"),
}
