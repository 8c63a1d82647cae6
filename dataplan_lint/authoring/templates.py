"""Starter plans for `init`: streaming, CDC and batch, built from the answers.

Every time figure in a plan is tied to the freshness SLO the way a reviewer expects
(the latency legs add up below the end-to-end target, alerts fire before the SLO is
breached, freshness checks warn before they fail), so a different SLO gives a different
but still consistent plan. The capacity section holds the inputs only; `init` fills
`capacity.declared` afterwards from `dataplan_lint.checks.capacity_math`, the formulas the
capacity rules check against.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from dataplan_lint.authoring.answers import PLACEHOLDER_OWNER, Answers
from dataplan_lint.core import quantities, units

Plan = dict[str, Any]

# Planning constants every template states as inputs (and, in one-shot mode, as owned
# assumptions); the tool never hides them inside a formula.
PER_PARTITION_MBPS = 10
REPLICATION_FACTOR = 3
HEADROOM = 0.3
SLOTS_PER_INSTANCE = 4

_SCHEDULES = (60, 120, 180, 300, 600, 900, 1200, 1800, 3600, 7200, 10800, 14400, 21600, 43200)


def _chain(*stages: tuple[str, str, str]) -> list[dict[str, Any]]:
    """A linear topology: each (stage, kind, owner) depends on the stage before it."""
    out: list[dict[str, Any]] = []
    for stage, kind, owner in stages:
        after = [out[-1]["stage"]] if out else []
        out.append({"stage": stage, "kind": kind, "depends_on": after, "owner": owner})
    return out


def _dbt_stages(owner: str) -> tuple[tuple[str, str, str], ...]:
    """The warehouse tail shared by the CDC and batch templates: staging, marts, tests."""
    return (
        ("staging_models", "transform", owner),
        ("mart_models", "transform", owner),
        ("model_tests", "test", owner),
    )


def secs(value: float, *, up: bool = False) -> int:
    """Round seconds to a granularity a person would write (s, then m, then h)."""
    step = 1 if value < 600 else 60 if value < 2 * 86400 else 3600
    rounded = (math.ceil if up else math.floor)(value / step - (1e-9 if up else -1e-9)) * step
    return max(1, int(rounded))


def d(value: float) -> str:
    return units.duration(value)


def schedule_for(target: float) -> tuple[int, str]:
    """The longest cron-friendly interval not above `target` seconds, and its cron line."""
    interval = max((s for s in _SCHEDULES if s <= target), default=60)
    if target >= 86400:
        interval = 86400
    if interval < 3600:
        return interval, f"*/{interval // 60} * * * *"
    if interval < 86400:
        hours = interval // 3600
        return interval, "0 * * * *" if hours == 1 else f"0 */{hours} * * *"
    return interval, "0 2 * * *"


def latency_class(slo: float, pattern: str) -> str:
    if slo < 1:
        return "sub-second"
    if slo <= 15 * 60 and pattern == "stream":
        return "near-real-time"
    if slo < 3600:
        return "minutes"
    if slo < 86400:
        return "hourly"
    return "daily"


@dataclass(slots=True)
class Leg:
    name: str
    start: str
    end: str
    seconds: int

    def as_plan(self) -> dict[str, str]:
        return {"name": self.name, "from": self.start, "to": self.end, "budget": d(self.seconds)}


@dataclass(slots=True)
class Volume:
    avg_eps: float
    peak_eps: float
    parallelism: int
    instances: int
    per_consumer_eps: int
    consume_eps: float


def volume(a: Answers, per_consumer_eps: int) -> Volume:
    avg = quantities.parse("count", a.events_per_day).value / 86400
    peak = avg * a.peak_factor
    parallelism = max(2, math.ceil(peak * (1 + HEADROOM) / per_consumer_eps))
    parallelism += parallelism % 2
    instances = max(2, math.ceil(parallelism / SLOTS_PER_INSTANCE))
    consume = parallelism * per_consumer_eps
    return Volume(avg, peak, parallelism, instances, per_consumer_eps, consume)


def lag_threshold(slo: float, legs: list[Leg], share: float) -> int:
    """A consumer-lag alert level that fires while the SLO can still be met.

    `share` of the SLO, but never more than half the room the latency legs leave.
    """
    room = slo - sum(leg.seconds for leg in legs)
    return secs(max(1.0, min(share * slo, 0.5 * room)))


def alert_hold(slo: float, threshold: float, usual: float) -> str:
    """How long a staleness alert's condition must hold: the usual hold, shortened so
    that threshold + hold still fits in the freshness SLO (DP909)."""
    return d(secs(max(1.0, min(usual, slo - threshold))))


def rate_per_second(value: float) -> str:
    """A consume rate rounded down to two significant digits, as an event rate."""
    magnitude = 10 ** max(0, math.floor(math.log10(max(value, 1))) - 1)
    return units.event_rate(math.floor(value / magnitude) * magnitude)


def plain(value: float) -> int | float:
    """A whole number without its `.0` (answers arrive as floats)."""
    return int(value) if float(value).is_integer() else value


def due_date(days: int) -> str:
    """A follow-up date `days` from today; the plan owner moves it as work is planned."""
    import datetime

    return (datetime.date.today() + datetime.timedelta(days=days)).isoformat()


def _underscore(name: str) -> str:
    return name.replace("-", "_").replace(".", "_")


def _slug(name: str) -> str:
    return name.replace("_", "-").replace(".", "-")


# --- assumptions ---------------------------------------------------------------------


def assumptions(
    a: Answers, template: str, one_shot: bool, extra: list[tuple[int, str]]
) -> list[Plan]:
    """Owned assumptions; in one-shot mode also one per unanswered question, owner TBD."""
    items: list[tuple[int, str, str, str]] = []
    if one_shot:
        unknown = PLACEHOLDER_OWNER
        time_text = (
            f"Processing follows event time, taken from the field {a.event_time_field}."
            if a.time == "event-time"
            else "Processing follows processing time; no event-time field is used."
        )
        items += [
            (
                1,
                f"The pipeline serves this decision or metric: {a.decision}; "
                f"{a.consumer} is its consumer and {a.owner} owns the plan.",
                unknown,
                "A different consumer or decision changes the latency goal and the serving design.",
            ),
            (
                2,
                f"The source is {a.source_system}, and {a.source_owner} owns its events.",
                unknown,
                "Another source or owner changes the contract, its version owner and delivery.",
            ),
            (
                3,
                time_text,
                unknown,
                "The other time basis changes watermarks, windows and the lateness handling.",
            ),
            (
                3,
                f"Consumers need data at most {a.freshness_slo} old at p99.",
                unknown,
                "A tighter SLO shrinks every latency leg and may need another ingestion pattern.",
            ),
            (
                3,
                f"Events arrive at most {a.lateness_p99} late at p99 and {a.lateness_max} at "
                f"worst; duplicates {'are' if a.duplicates else 'are not'} expected"
                + (f" (copies up to {a.duplicate_spread} apart)" if a.duplicates else "")
                + f"; corrections arrive as {a.corrections}.",
                unknown,
                "Later or corrected events change the watermark, dedupe window and reconciliation.",
            ),
            (
                7,
                f"Consumers accept {a.compatibility} compatibility with a "
                f"{a.deprecation_window} deprecation window.",
                unknown,
                "A stricter mode changes the upgrade order of producers and consumers.",
            ),
            (
                4,
                f"Volume is {a.events_per_day} events a day of {a.bytes_per_event} each, peaking "
                f"at {a.peak_factor:g}x the average and growing {a.growth_per_year:.0%} a year.",
                unknown,
                "Every capacity figure scales with these inputs; partitions and cost follow.",
            ),
            (
                9,
                f"{a.on_call} is on call, the budget is {a.monthly_budget:g} a month and the log "
                f"keeps {a.retention} of data; "
                + (
                    f"the data is personal, kept at most {a.personal_retention} and within "
                    f"{a.residency}."
                    if a.personal_data
                    else "the data holds no personal data."
                ),
                unknown,
                "Without an on-call owner alerts go unanswered; a shorter retention limits replay.",
            ),
        ]
    for gate, statement in extra:
        items.append(
            (
                gate,
                statement,
                PLACEHOLDER_OWNER if one_shot else a.owner,
                "The capacity figures computed from this input change with it.",
            )
        )
    return [
        {"id": f"A-{n}", "statement": s, "owner": o, "gate": g, "impact": i}
        for n, (g, s, o, i) in enumerate(items, start=1)
    ]


def _constants_assumption(template: str) -> list[tuple[int, str]]:
    return [
        (
            4,
            f"Each log partition carries {PER_PARTITION_MBPS}MB/s and each consumer instance "
            f"runs {SLOTS_PER_INSTANCE} slots (planning figures; confirm with a load test).",
        ),
        (4, "Instance and storage prices are current list prices in USD."),
    ]


# --- shared sections -----------------------------------------------------------------


def metadata(a: Answers, template: str, one_shot: bool, description: str) -> dict[str, Any]:
    return {
        "name": a.name,
        "owner": a.owner,
        "version": "0.1.0",
        "status": "draft",
        "mode": "one-shot" if one_shot else "guided",
        "description": description,
        "labels": {"template": template},
    }


_CONSUMER_KINDS = (
    ("ml-model", ("model", "feature", "score", "ranking", "recommend", "fraud")),
    ("dashboard", ("dashboard", "tile", "monitor")),
    ("export", ("export", "payout", "invoice", "regulator", "filing")),
    ("service", ("api", "service", "ledger", "balance", "payment")),
    ("analyst", ("report", "analysis", "analyst", "forecast")),
)


def consumer_kind(decision: str, fallback: str) -> str:
    """The consumer kind the decision answer describes (a payments ledger is a service,
    a churn model an ml-model), so a template never carries its own example's consumer
    into another product; the template's kind when the answer says nothing."""
    words = decision.lower()
    for kind, hints in _CONSUMER_KINDS:
        if any(hint in words for hint in hints):
            return kind
    return fallback


def consumer_name(a: Answers, fallback: str) -> str:
    return f"{_slug(a.name)}-{consumer_kind(a.decision, fallback)}"


def context(a: Answers, kind: str, pattern: str, scope_in: list[str], out: list[str]) -> Plan:
    slo = a.slo_seconds()
    kind = consumer_kind(a.decision, kind)
    return {
        "problem": (
            f"{a.consumer} needs {a.decision[0].lower() + a.decision[1:]}, at most "
            f"{a.freshness_slo} old, from {a.source_system}."
        ),
        "goals": [
            f"Data behind the decision is at most {a.freshness_slo} old at p99.",
            "Counts match the source within 0.5% during the parallel run.",
        ],
        "consumers": [
            {
                "name": consumer_name(a, kind),
                "kind": kind,
                "owner": a.consumer,
                "decisions": a.decision,
                "freshness": a.freshness_slo,
                "critical": True,
            }
        ],
        "scope": {"in": scope_in, "out": out},
        "latency_class": latency_class(slo, pattern),
        "claims_real_time": False,
    }


def event_semantics(
    a: Answers,
    ordering_key: list[str],
    dedupe_key: list[str],
    dedupe_window: int,
    watermark: int,
    allowed_lateness: int,
    legs: list[Leg],
    late_policy: Plan,
    measured_at: str,
    windows: list[Plan] | None = None,
) -> tuple[Plan, int, int]:
    """The gate 3 section; returns it with the end-to-end target and alert level (seconds)."""
    slo = a.slo_seconds()
    total = sum(leg.seconds for leg in legs)
    end_to_end = max(secs(0.75 * slo), total)
    alert_at = max(total, min(secs(0.6 * slo), end_to_end))
    section: Plan = {"time": a.time}
    if a.time == "event-time":
        section["event_time_field"] = a.event_time_field
        section["event_time_owner"] = a.source_owner
    section["ordering"] = {"scope": "per-key", "key": ordering_key}
    duplicates: Plan = {"expected": a.duplicates}
    if a.duplicates:
        duplicates["dedupe"] = {"key": dedupe_key, "window": d(dedupe_window)}
    section["duplicates"] = duplicates
    section["lateness"] = {"p99": a.lateness_p99, "max": a.lateness_max}
    if a.time == "event-time":
        section["watermark"] = {"strategy": "fixed-lag", "delay": d(watermark)}
    if windows:
        section["windows"] = windows
    section["allowed_lateness"] = d(allowed_lateness)
    section["late_data_policy"] = late_policy
    section["freshness_slo"] = {
        "target": a.freshness_slo,
        "percentile": "p99",
        "measured_at": measured_at,
    }
    section["latency_budget"] = {
        "legs": [leg.as_plan() for leg in legs],
        "end_to_end": d(end_to_end),
        "alert_at": d(alert_at),
    }
    return section, end_to_end, alert_at


def capacity_inputs(a: Answers, v: Volume, extra: Plan, horizon: str) -> Plan:
    inputs: Plan = {
        "events_per_day": a.events_per_day,
        "peak_factor": plain(a.peak_factor),
        "bytes_per_event": a.bytes_per_event,
    }
    inputs.update(extra.pop("_before_partition", {}))
    inputs |= {
        "per_partition_throughput": f"{PER_PARTITION_MBPS}MB/s",
        "per_consumer_throughput": units.event_rate(v.per_consumer_eps),
        "max_consumer_parallelism": v.parallelism,
        "retention": a.retention,
        "replication_factor": REPLICATION_FACTOR,
        "headroom": HEADROOM,
        "growth_per_year": a.growth_per_year,
        "horizon": horizon,
    }
    inputs.update(extra)
    return inputs


def cost_drivers(compute_what: str, storage_what: str) -> list[Plan]:
    # `monthly` figures are filled in by `init` from the derived storage and compute cost.
    return [
        {"name": "compute", "kind": "compute", "description": compute_what},
        {"name": "log-retention", "kind": "storage", "description": storage_what},
    ]


def contract_fields_event(a: Answers, key: str, extra: list[Plan]) -> list[Plan]:
    fields: list[Plan] = [
        {"name": "event_id", "type": "string", "required": True, "doc": "Unique per event."}
    ]
    if a.time == "event-time":
        fields.append(
            {
                "name": a.event_time_field,
                "type": "timestamp",
                "required": True,
                "doc": "When it happened (UTC).",
            }
        )
    fields.append({"name": key, "type": "string", "required": True, "doc": "The partition key."})
    return fields + extra


def mart_contract(a: Answers, serving: str, key: str, updated: str, consumer: str) -> Plan:
    """The contract of the mart the consumer reads (a dbt-style model contract)."""
    return {
        "name": f"{serving}_contract",
        "kind": "model",
        "owner": a.owner,
        "consumers": [consumer],
        "format": "table",
        "compatibility": "BACKWARD",
        "version": 1,
        "versioning": "integer",
        "enforced": True,
        "fields": [
            {
                "name": key,
                "type": "varchar",
                "required": True,
                "constraints": {"not_null": True, "unique": True},
            },
            {"name": "amount", "type": "number(12,2)", "required": True},
            {
                "name": updated,
                "type": "timestamp_ntz",
                "required": True,
                "constraints": {"not_null": True},
            },
        ],
        "deprecation_window": "90d",
        "migration": [
            "Add columns freely; removals and type changes need a new model version.",
            "Consumers move to the new version within the deprecation window.",
        ],
    }


def serving_checks(
    a: Answers, serving: str, upstream: str, grain: str, schedule: str
) -> list[Plan]:
    """The check kinds every consumer-facing dataset carries (DP811), all blocking so a
    failure stops publication to the consumer (DP812, DP804)."""
    first = grain.split(",")[0].strip()

    def check(suffix: str, kind: str, **extra: Any) -> Plan:
        return {
            "id": f"{serving}_{suffix}",
            "dataset": serving,
            "kind": kind,
            **extra,
            "severity": "blocking",
            "owner": a.owner,
            "schedule": schedule,
        }

    return [
        check(
            "volume",
            "volume",
            threshold={"warn": "30%", "error": "50%"},
            description="Rows written per hour against the same hour last week.",
        ),
        check("not_null", "null", column=first, threshold=0),
        check("unique", "uniqueness", column=grain, threshold=0),
        check(
            "keys_known",
            "referential",
            column=first,
            references=f"{upstream}.{first}",
            threshold=0,
        ),
        check(
            "values_in_range",
            "accepted-values",
            column=first,
            description=f"{first} is non-empty and matches the source's key format.",
            threshold=0,
        ),
    ]


def quality_common(
    a: Answers,
    dataset_event: str,
    serving: str,
    raw: str,
    staging: str,
    freshness_column: str,
    schedule: str,
    reconciliation: Plan,
    grain: str = "record_id",
) -> Plan:
    slo = a.slo_seconds()
    checks: list[Plan] = [
        {
            "id": f"{serving}_freshness",
            "dataset": serving,
            "kind": "freshness",
            "column": freshness_column,
            "threshold": {"warn": d(secs(0.8 * slo)), "error": a.freshness_slo},
            "severity": "blocking",
            "owner": a.owner,
            "schedule": schedule,
        },
        *serving_checks(a, serving, staging, grain, schedule),
        {
            "id": f"{raw}_volume",
            "dataset": raw,
            "kind": "volume",
            "threshold": {"warn": "30%", "error": "50%"},
            "severity": "error",
            "owner": a.source_owner,
            "schedule": "hourly",
            "description": "Volume per hour against the same hour last week.",
        },
        {
            "id": "event_id_not_null",
            "dataset": dataset_event,
            "kind": "null",
            "column": "event_id",
            "threshold": "0%",
            "severity": "blocking",
            "owner": a.source_owner,
            "schedule": "hourly",
        },
        {
            "id": f"{staging}_duplicates",
            "dataset": staging,
            "kind": "duplicates",
            "column": "event_id",
            "threshold": {"warn": "0.01%", "error": "0.1%"},
            "severity": "error",
            "owner": a.owner,
            "schedule": "hourly",
        },
    ]
    if a.time == "event-time":
        checks.append(
            {
                "id": "late_event_rate",
                "dataset": staging,
                "kind": "out-of-order",
                "column": a.event_time_field,
                "threshold": {"warn": "0.5%", "error": "2%"},
                "severity": "warn",
                "owner": a.owner,
                "schedule": "hourly",
                "description": "Share of events arriving after the watermark.",
            }
        )
    return {
        "checks": checks,
        "reconciliation": [reconciliation],
        "drift": {
            "metrics": ["Events per hour per event type.", "Share of late events per day."],
            "threshold": "25%",
            "window": "7d",
            "owner": a.consumer,
        },
        "escalation": {
            "path": [
                "Check owner through the data-quality alert channel.",
                f"{a.on_call} on-call for blocking failures.",
                "Engineering manager of the owning team when a blocking check fails for 2 hours.",
            ],
            "owner": a.owner,
        },
    }


def alert(
    a: Answers, ident: str, metric: str, comparator: str, threshold: Any, for_: str, sev: str
) -> Plan:
    return {
        "id": ident,
        "metric": metric,
        "comparator": comparator,
        "threshold": threshold,
        "for": for_,
        "severity": sev,
        "owner": a.on_call,
        "runbook": f"docs/runbooks/{_slug(a.name)}.md#{ident}",
    }


def operations(a: Answers, metrics: list[str], alerts: list[Plan], replay_window: int) -> Plan:
    return {
        "metrics": metrics,
        "alerts": alerts,
        "on_call": {
            "rotation": f"{_slug(a.on_call)}-primary",
            "owner": a.on_call,
            "escalation": [
                f"{_slug(a.on_call)}-secondary after 15 minutes",
                "Engineering manager after 30 minutes",
            ],
        },
        "replay_workflow": {
            "runbook": f"docs/runbooks/{_slug(a.name)}.md#replay",
            "owner": a.owner,
            "max_window": d(replay_window),
        },
        "break_glass": {
            "procedure": (
                "The on-call may stop the pipeline, reset offsets or disable the sink without "
                "change approval during an incident; every action is logged in the incident "
                "channel and reviewed afterwards."
            ),
            "approvers": sorted({a.owner, a.on_call}),
        },
    }


def cost_guardrails(a: Answers, v: Volume) -> Plan:
    return {
        "monthly_budget": plain(a.monthly_budget),
        "alert_at": "80%",
        "autoscaling": {
            "min": v.instances,
            "max": v.instances * 2,
            "metric": "busy time per slot above 70% for 10 minutes",
        },
    }


def backfill(
    a: Answers,
    replay: Plan,
    idempotency: Plan,
    estimate: Plan,
    parallel_days: int,
    latency_metric: str,
    diff_metric: str,
) -> Plan:
    slo = a.slo_seconds()
    return {
        "replay": replay,
        "idempotency": idempotency,
        "estimate": estimate,
        "cutover": {
            "strategy": "staged",
            "stages": [
                {
                    "name": "shadow",
                    "traffic": "0%",
                    "duration": f"{parallel_days}d",
                    "exit_criteria": [
                        f"Daily counts within 0.5% of the current path for {parallel_days} days.",
                        "No blocking quality check failed in the last 7 days.",
                    ],
                },
                {
                    "name": "full",
                    "traffic": "100%",
                    "exit_criteria": [f"{a.consumer} signs off the new data."],
                },
            ],
            "checkpoints": [
                {
                    "name": "count_match",
                    "metric": diff_metric,
                    "comparator": "<=",
                    "threshold": "0.5%",
                },
                {
                    "name": "freshness_within_slo",
                    "metric": latency_metric,
                    "comparator": "<=",
                    "threshold": a.freshness_slo,
                },
            ],
            "go_no_go": [
                "All acceptance criteria met.",
                "On-call rotation staffed and runbooks reviewed.",
            ],
            "owner": a.owner,
        },
        "rollback": {
            "triggers": [
                {
                    "metric": latency_metric,
                    "comparator": ">",
                    "threshold": d(2 * slo),
                    "for": d(secs(max(slo, 1800))),
                },
                {"metric": diff_metric, "comparator": ">", "threshold": "2%", "for": "1h"},
            ],
            "steps": [
                "Point consumers back to the current path.",
                "Stop the new pipeline, keeping its raw layer.",
                "Announce the rollback in the consumers' channel.",
            ],
            "safeguards": [
                "The current path keeps running until 30 days after full cutover.",
                "The raw layer is append-only, so no data is lost during rollback.",
            ],
            "owner": a.owner,
            "max_duration": "1h",
        },
    }


def validation(
    a: Answers,
    end_to_end: int,
    parallel_days: int,
    latency_metric: str,
    diff_metric: str,
    lag_metric: str,
    drain_text: str,
) -> Plan:
    slo = a.slo_seconds()
    return {
        "pre_launch": [
            f"Load test at {a.peak_factor:g}x the average rate for 1 hour within the lag alert.",
            "Contract compatibility check passes for every event contract.",
            "Restart test: the pipeline recovers from its last checkpoint without data loss.",
        ],
        "parallel_run": {
            "duration": f"{parallel_days}d",
            "compare": ["Daily counts.", "Daily totals of the main measure."],
            "tolerance": "0.5%",
        },
        "post_cutover": [
            "Freshness and latency alerts silent for 7 days.",
            "Reconciliation within tolerance at every run.",
        ],
        "recovery": [drain_text, "Replay of one day from the raw layer leaves outputs unchanged."],
        "stabilization_window": "14d",
        "acceptance": [
            {
                # The latency budget's target, not the SLO: the launch proves the design.
                "id": "AC-1",
                "criterion": f"End-to-end latency stays within the {d(end_to_end)} budget at "
                f"p99 (the SLO allows {a.freshness_slo}).",
                "metric": latency_metric,
                "threshold": d(end_to_end),
            },
            {
                "id": "AC-2",
                "criterion": "Counts match the source within 0.5% per day.",
                "metric": diff_metric,
                "threshold": "0.5%",
            },
            {
                "id": "AC-3",
                "criterion": "A replay produces no duplicate rows.",
                "metric": "duplicate_rows",
                "threshold": 0,
            },
        ],
        "release_gates": [
            "dataplan-lint check passes with no error findings.",
            "Integration tests pass against the event contract.",
            f"Sign-off from {a.consumer}.",
        ],
        "incident_thresholds": [
            {
                "metric": latency_metric,
                "threshold": d(3 * slo),
                "action": "Declare an incident and tell consumers the data is stale.",
            },
            {
                "metric": lag_metric,
                "threshold": d(2 * slo),
                "action": "Declare an incident; consider break-glass scaling.",
            },
        ],
    }


def risks(a: Answers, extra: list[Plan]) -> list[Plan]:
    base = [
        {
            "id": "R-1",
            "risk": "Hot keys concentrate traffic on a few partitions and slow the pipeline.",
            "owner": a.owner,
            "likelihood": "medium",
            "impact": "medium",
            "mitigation": "Partition skew alert and per-key metrics.",
            "follow_up": "Add key salting for the hottest keys if skew stays above 3 for a week.",
        },
        {
            "id": "R-2",
            "risk": "Volume grows faster than planned and outgrows the partition count.",
            "owner": a.owner,
            "likelihood": "low",
            "impact": "medium",
            "mitigation": "Headroom in the partition count; throughput alert at 70% of capacity.",
            "follow_up": "Review the capacity inputs every quarter against measured volume.",
        },
    ]
    for n, item in enumerate(extra, start=len(base) + 1):
        base.append({"id": f"R-{n}", **item})
    return base


# --- templates -----------------------------------------------------------------------


def streaming(a: Answers, one_shot: bool) -> Plan:
    slo = a.slo_seconds()
    v = volume(a, per_consumer_eps=2000)
    src = "source_events"
    event = f"{_underscore(a.name)}_event"
    key = "entity_id"
    event_time = a.event_time_field if a.time == "event-time" else "received_at"
    watermark = secs(quantities.seconds(a.lateness_p99) * 1.5, up=True)
    window = secs(0.2 * slo)
    commit = max(1, secs(0.03 * slo))
    legs = [
        Leg("collect", "producer", "log topic", max(1, secs(0.02 * slo))),
        Leg("consume", "log topic", "stream processor", max(1, secs(0.02 * slo))),
    ]
    if a.time == "event-time":
        legs.append(Leg("watermark", "event arrival", "watermark passes the event", watermark))
    legs += [
        Leg("window_close", "window start", "window result emitted", window),
        Leg("sink_commit", "stream processor", "committed rows in the serving store", commit),
        Leg("serve", "serving store", "consumer read", max(1, secs(0.1 * slo))),
    ]
    checkpoint = min(60, max(1, secs(0.2 * slo)))
    dedupe_window = max(3600, 2 * checkpoint)
    lateness_max = quantities.seconds(a.lateness_max)
    # Results stay open for late events up to 10 minutes; later ones go to the side output.
    allowed = secs(min(lateness_max, 600))
    retention = quantities.seconds(a.retention)
    replay_window = secs(retention / 2)
    es, end_to_end, alert_at = event_semantics(
        a,
        ordering_key=[key],
        dedupe_key=["event_id"],
        dedupe_window=dedupe_window,
        watermark=watermark,
        allowed_lateness=allowed,
        legs=legs,
        late_policy={
            "action": "update",
            "dropped_metric": "late_records_dropped",
            "side_output": f"{src}.late",
            "reconciliation": "rec_events_vs_metrics",
        },
        measured_at=f"max(updated_at) of {_underscore(a.name)}_serving as the consumer reads it",
        windows=[
            {
                "name": "per_window_metrics",
                "kind": "tumbling",
                "size": d(window),
                "emit": "on-close",
            }
        ],
    )
    extra_inputs: Plan = {
        "_before_partition": {"compression_ratio": 4},
        "active_keys": "1M",
        "bytes_per_key": "1KB",
        "outage": "30m",
        "consume_rate": rate_per_second(v.consume_eps),
        "instances": v.instances,
        "hourly_rate": 0.768,
        "price_per_gb_month": 0.10,
        "currency": "USD",
    }
    if a.duplicates:
        extra_inputs["dedupe_key_bytes"] = "40B"
    lag_alert = lag_threshold(slo, legs, 0.2)
    serving = f"{_underscore(a.name)}_serving"
    plan: Plan = {
        "apiVersion": "dataplan/v1",
        "kind": "DataPlan",
        "metadata": metadata(
            a,
            "streaming",
            one_shot,
            f"Streams {a.source_system} through a stream processor into a serving table "
            f"for {a.consumer}.",
        ),
        "assumptions": assumptions(
            a,
            "streaming",
            one_shot,
            [
                *_constants_assumption("streaming"),
                (4, "About 1M keys are active in a window at peak, 1KB of state each."),
            ],
        ),
        "context": context(
            a,
            "dashboard",
            "stream",
            [f"Events from {a.source_system}.", "Windowed metrics per key for the consumer."],
            [
                "Sources other than the one named in `sources`.",
                "Historical backfill beyond the replay window.",
            ],
        ),
        "sources": [
            {
                "id": src,
                "system": a.source_system,
                "kind": "stream",
                "owner": a.source_owner,
                "contract": event,
                "mutation": "append-only",
                "corrections": {
                    "how": a.corrections,
                    "description": "Handled by updating results within the allowed lateness.",
                },
                "delivery": "at-least-once",
                "volume": f"{a.events_per_day}/day",
                "partition_key": key,
                "partitions": 0,  # set from the derived partition count
                "retention": a.retention,
                "high_cardinality_keys": [key],
                "skew_risk": "medium",
            }
        ],
        "event_semantics": es,
        "capacity": {
            "inputs": capacity_inputs(a, v, extra_inputs, "730d"),
            "declared": {},
            "cost_drivers": cost_drivers(
                f"{v.instances} stream-processing instances with {SLOTS_PER_INSTANCE} slots each.",
                "Log retention, replicated, plus headroom.",
            ),
            "runtime_envelope": {
                "instances": v.instances,
                "vcpu_per_instance": 16,
                "memory_per_instance": "64GiB",
                "slots_per_instance": SLOTS_PER_INSTANCE,
                "target_utilization": 0.6,
                "state_backend": "RocksDB on local disk with incremental checkpoints",
            },
            "checkpoint_overhead": {
                "expected_duration": d(max(1, secs(checkpoint / 4))),
                "throughput_cost": "3%",
            },
            "scale_path_10x": {
                "throughput": "Grow partitions and parallelism tenfold in a maintenance window "
                "(keys remap, so open windows are closed and reopened).",
                "state": "Window and dedupe state grow tenfold; keep RocksDB with incremental "
                "checkpoints on larger local disks.",
                "changes": [
                    "Topic partitions x10, announced to consumers one release ahead.",
                    "Parallelism and instances x10.",
                    "Serving store moves to a partitioned table.",
                ],
                "owner": a.owner,
            },
        },
        "ingestion": {
            "pattern": "stream",
            "update_semantics": "upsert",
            "delivery": "at-least-once",
            "sink": {
                "name": serving,
                "kind": "postgresql",
                "write_mode": "upsert",
                "idempotent": True,
                "transactional": False,
                "commit_interval": d(commit),
            },
            "failure_handling": {
                "retry": {
                    "max_attempts": 5,
                    "backoff": "exponential",
                    "initial": "1s",
                    "max": "1m",
                },
                "dead_letter": {"target": f"{src}.dlq", "owner": a.owner},
                "quarantine": {"target": f"{src}.quarantine", "owner": a.source_owner},
            },
            "topology": [
                {
                    "stage": "log_source",
                    "kind": "source",
                    "depends_on": [],
                    "owner": a.source_owner,
                },
                {
                    "stage": "dedupe",
                    "kind": "transform",
                    "depends_on": ["log_source"],
                    "owner": a.owner,
                },
                {
                    "stage": "aggregate",
                    "kind": "aggregate",
                    "depends_on": ["dedupe"],
                    "owner": a.owner,
                },
                {
                    "stage": "serving_sink",
                    "kind": "sink",
                    "depends_on": ["aggregate"],
                    "owner": a.owner,
                },
                {
                    "stage": "raw_archive",
                    "kind": "sink",
                    "depends_on": ["log_source"],
                    "owner": a.owner,
                },
            ],
            "trigger": {"kind": "continuous"},
            "concurrency": {
                "max_parallelism": v.parallelism,
                "resource_limits": {"max_instances": v.instances * 2},
            },
            "checkpointing": {
                "interval": d(checkpoint),
                "timeout": d(10 * checkpoint),
                "min_pause": d(max(1, checkpoint // 2)),
                "mode": "exactly-once",
                "storage": f"object storage bucket for {a.name} checkpoints",
                "expected_duration": d(max(1, secs(checkpoint / 4))),
            },
            "recovery": {
                "restart_strategy": "exponential-delay",
                "max_restarts": 10,
                "restore_from": "checkpoint",
                "rto": "15m",
            },
        },
        "modeling": {
            "layers": [
                {
                    "name": "raw_events",
                    "kind": "raw",
                    "owner": a.owner,
                    "materialization": "table",
                    "stateful": False,
                    "immutable": True,
                    "reads_from": [src],
                    "description": "Every event as received, append-only, partitioned by hour.",
                },
                {
                    "name": "stg_events",
                    "kind": "staging",
                    "owner": a.owner,
                    "materialization": "stream",
                    "stateful": True,
                    "state_ttl": d(dedupe_window),
                    "reads_from": [src],
                    "description": "Contract-checked, deduplicated events.",
                },
                {
                    "name": serving,
                    "kind": "serving",
                    "owner": a.owner,
                    "materialization": "table",
                    "stateful": False,
                    "reads_from": ["stg_events"],
                    "incremental": {
                        "strategy": "merge",
                        "unique_key": [key, "window_start"],
                        "handles": ["late", "duplicates", "corrections"],
                    },
                    "description": "One row per key and window, upserted.",
                },
            ]
        },
        "contracts": [
            {
                "name": event,
                "kind": "event",
                "owner": a.source_owner,
                "consumers": sorted({a.owner}),
                "format": "avro",
                "compatibility": a.compatibility,
                "version": "1.0.0",
                "versioning": "semver",
                "fields": contract_fields_event(
                    a,
                    key,
                    [
                        {"name": "received_at", "type": "timestamp", "required": True},
                        {
                            "name": "event_type",
                            "type": "enum",
                            "required": True,
                            "enum": ["created", "updated", "deleted", "other"],
                            "enum_default": "other",
                        },
                        {
                            "name": "properties",
                            "type": "map",
                            "required": False,
                            "default": {},
                            "values": {"type": "string"},
                        },
                    ],
                ),
                "deprecation_window": a.deprecation_window,
                "migration": [
                    f"Register the new version; the {a.compatibility} check must pass.",
                    "Upgrade consumers to the new reader schema first.",
                    "Upgrade producers after every consumer runs the new version.",
                ],
            },
            {
                "name": f"{serving}_table",
                "kind": "dataset",
                "owner": a.owner,
                "consumers": [consumer_name(a, "dashboard")],
                "format": "table",
                "compatibility": "BACKWARD",
                "version": 1,
                "versioning": "integer",
                "fields": [
                    {
                        "name": key,
                        "type": "string",
                        "required": True,
                        "constraints": {"not_null": True},
                    },
                    {"name": "window_start", "type": "timestamp", "required": True},
                    {
                        "name": "events",
                        "type": "long",
                        "required": True,
                        "constraints": {"minimum": 0},
                    },
                    {"name": "updated_at", "type": "timestamp", "required": True},
                ],
                "deprecation_window": "30d",
                "migration": [
                    "Add columns as nullable; consumers list columns explicitly.",
                    "Drop columns only after the deprecation window.",
                ],
            },
        ],
        "quality": quality_common(
            a,
            event,
            serving,
            "raw_events",
            "stg_events",
            "updated_at",
            "every 1m",
            {
                "id": "rec_events_vs_metrics",
                "compares": "aggregate",
                "measure": "count(distinct event_id) per hour",
                "source": "raw_events (deduplicated)",
                "target": f"sum(events) in {serving}",
                "tolerance": "0.5%",
                "cadence": "1h",
                "window": "6h",
                "owner": a.owner,
            },
            grain=f"{key}, window_start",
        ),
        "operations": operations(
            a,
            [
                "consumer_lag_seconds",
                "watermark_lag",
                "throughput",
                "error_rate",
                "checkpoint_duration",
                "checkpoint_failures",
                "state_size",
                "partition_skew",
                "late_records_dropped",
                "end_to_end_latency",
                "count_diff",
            ],
            [
                alert(
                    a,
                    "consumer-lag-high",
                    "consumer_lag_seconds",
                    ">",
                    d(lag_alert),
                    alert_hold(slo, lag_alert, 120),
                    "page",
                ),
                alert(
                    a,
                    "watermark-stalled",
                    "watermark_lag",
                    ">",
                    d(secs(0.4 * slo)),
                    alert_hold(slo, secs(0.4 * slo), 180),
                    "page",
                ),
                alert(
                    a,
                    "checkpoint-slow",
                    "checkpoint_duration",
                    ">",
                    d(5 * checkpoint),
                    "10m",
                    "ticket",
                ),
                alert(a, "checkpoint-failing", "checkpoint_failures", ">=", 3, "5m", "page"),
                alert(a, "late-drops", "late_records_dropped", ">", "0.5%", "15m", "ticket"),
                alert(a, "hot-partition", "partition_skew", ">", 3, "15m", "ticket"),
                alert(a, "state-growth", "state_size", ">", "20GB", "30m", "ticket"),
                alert(a, "e2e-latency", "end_to_end_latency", ">", d(alert_at), "5m", "page"),
            ],
            replay_window,
        ),
        "backfill": backfill(
            a,
            {
                "scope": f"stg_events and {serving} for the chosen window; raw is never rewritten.",
                "window": d(replay_window),
                "source": "log",
                "source_name": src,
                "boundaries": {
                    "from": "First event time of the affected window",
                    "to": "The moment the replay starts",
                },
            },
            {"strategy": "upsert", "key": [key, "window_start"]},
            {"duration": "2h", "resources": "A second job with the same parallelism."},
            14,
            "end_to_end_latency",
            "count_diff",
        ),
        "validation": validation(
            a,
            end_to_end,
            14,
            "end_to_end_latency",
            "count_diff",
            "consumer_lag_seconds",
            "Lag-drain test - stop the job for 30 minutes at peak and time the drain.",
        ),
        "risks": risks(a, []),
    }
    plan["operations"]["cost_guardrails"] = cost_guardrails(a, v)
    plan["_meta"] = {"lag_alert": lag_alert, "event_time": event_time}
    return plan


def cdc(a: Answers, one_shot: bool) -> Plan:
    slo = a.slo_seconds()
    v = volume(a, per_consumer_eps=2000)
    src = "source_table"
    event = f"{_underscore(a.name)}_cdc_event"
    key = "record_id"
    interval, cron = schedule_for(0.25 * slo)
    watermark = secs(quantities.seconds(a.lateness_p99) * 1.5, up=True)
    legs = [
        Leg("capture", "commit in the source database", "log topic", min(10, secs(0.01 * slo))),
        Leg("land", "log topic", "warehouse raw table", max(1, secs(0.03 * slo))),
    ]
    if a.time == "event-time":
        legs.append(
            Leg("high_water_mark", "raw landing", "row below the high-water mark", watermark)
        )
    legs += [
        Leg("schedule_wait", "row eligible", "next transform run starts", interval),
        Leg("transform", "transform run start", "marts merged", max(1, secs(0.15 * slo))),
        Leg("serve", "marts", "consumer refresh", max(1, secs(0.08 * slo))),
    ]
    lateness_max = quantities.seconds(a.lateness_max)
    lookback = secs(max(lateness_max, 86400), up=True)
    retention = quantities.seconds(a.retention)
    es, end_to_end, alert_at = event_semantics(
        a,
        ordering_key=[key],
        dedupe_key=[key, "cdc_lsn"],
        dedupe_window=lookback,
        watermark=watermark,
        allowed_lateness=lookback,
        legs=legs,
        late_policy={"action": "update", "reconciliation": "rec_daily_rows"},
        measured_at="now() minus max(last_updated_at) in the mart",
    )
    serving = f"fct_{_underscore(a.name)}"
    lag_alert = lag_threshold(slo, legs, 0.1)
    plan: Plan = {
        "apiVersion": "dataplan/v1",
        "kind": "DataPlan",
        "metadata": metadata(
            a,
            "cdc",
            one_shot,
            f"Streams changes of {a.source_system} through a CDC connector into the warehouse "
            f"and merges them into marts for {a.consumer}.",
        ),
        "assumptions": assumptions(a, "cdc", one_shot, _constants_assumption("cdc")),
        "context": context(
            a,
            "dashboard",
            "cdc",
            [
                f"Changes (inserts, updates, deletes) of {a.source_system}.",
                "Marts for the consumer.",
            ],
            ["Other tables of the source database.", "Personal data beyond ids."],
        ),
        "sources": [
            {
                "id": src,
                "system": a.source_system,
                "kind": "cdc",
                "owner": a.source_owner,
                "contract": event,
                "mutation": "cdc-deletes",
                "corrections": {
                    "how": a.corrections,
                    "description": "Corrections update the source row; each emits a change event.",
                },
                "delivery": "at-least-once",
                "volume": f"{a.events_per_day}/day",
                "partition_key": key,
                "partitions": 0,
                "retention": a.retention,
                "high_cardinality_keys": [key],
                "skew_risk": "low",
            }
        ],
        "event_semantics": es,
        "capacity": {
            "inputs": capacity_inputs(
                a,
                v,
                {
                    "outage": "1h",
                    "consume_rate": rate_per_second(v.consume_eps),
                    "instances": v.instances,
                    "hourly_rate": 0.192,
                    "price_per_gb_month": 0.10,
                    "currency": "USD",
                },
                "1095d",
            ),
            "declared": {},
            "cost_drivers": cost_drivers(
                f"{v.instances} connector workers running the CDC source and the warehouse sink.",
                "Log retention of change events, replicated, plus headroom.",
            ),
            "runtime_envelope": {
                "instances": v.instances,
                "vcpu_per_instance": 2,
                "memory_per_instance": "8GiB",
                "slots_per_instance": SLOTS_PER_INSTANCE,
                "target_utilization": 0.5,
                "state_backend": "Stateless connectors; offsets in the log.",
            },
            "scale_path_10x": {
                "throughput": "Raise sink tasks and workers tenfold; add partitions only with a "
                "planned key remap.",
                "state": "No streaming state; raw tables grow tenfold and incremental models keep "
                "their lookback so each run scans the same window.",
                "changes": [
                    "Connector workers x10.",
                    "A larger warehouse size for transform runs.",
                ],
                "owner": a.owner,
            },
        },
        "ingestion": {
            "pattern": "cdc",
            "update_semantics": "delete-aware",
            "delivery": "effectively-exactly-once",
            "sink": {
                "name": f"analytics.marts.{serving}",
                "kind": "snowflake",
                "write_mode": "merge",
                "idempotent": True,
                "transactional": True,
                "commit_interval": d(interval),
            },
            "failure_handling": {
                "retry": {
                    "max_attempts": 10,
                    "backoff": "exponential",
                    "initial": "1s",
                    "max": "5m",
                },
                "dead_letter": {"target": f"{src}.dlq", "owner": a.owner},
                "quarantine": {"target": "analytics.quarantine", "owner": a.owner},
            },
            "topology": _chain(
                ("cdc_capture", "source", a.owner),
                ("warehouse_landing", "sink", a.owner),
                *_dbt_stages(a.owner),
            ),
            "trigger": {"kind": "schedule", "schedule": cron, "interval": d(interval)},
            "concurrency": {
                "max_parallelism": v.parallelism,
                "resource_limits": {"max_instances": v.instances * 2},
            },
            "checkpointing": {
                "interval": "1m",
                "timeout": "5m",
                "mode": "at-least-once",
                "storage": "Connector offsets topic",
                "expected_duration": "5s",
            },
            "recovery": {
                "restart_strategy": "exponential-delay",
                "max_restarts": 20,
                "restore_from": "committed-offsets",
                "rto": "30m",
            },
        },
        "modeling": {
            "layers": [
                {
                    "name": "raw_changes",
                    "kind": "raw",
                    "owner": a.owner,
                    "materialization": "table",
                    "stateful": False,
                    "immutable": True,
                    "reads_from": [src],
                    "description": "Every change event as landed, append-only.",
                },
                {
                    "name": "stg_records",
                    "kind": "staging",
                    "owner": a.owner,
                    "materialization": "incremental",
                    "stateful": False,
                    "reads_from": ["raw_changes"],
                    "incremental": {
                        "strategy": "merge",
                        "unique_key": [key],
                        "lookback": d(lookback),
                        "handles": ["late", "duplicates", "corrections"],
                    },
                    "description": "Latest state per record (highest cdc_lsn wins).",
                },
                {
                    "name": serving,
                    "kind": "mart",
                    "owner": a.owner,
                    "materialization": "incremental",
                    "stateful": False,
                    "reads_from": ["stg_records"],
                    "incremental": {
                        "strategy": "merge",
                        "unique_key": [key],
                        "lookback": d(lookback),
                        "handles": ["late", "duplicates", "corrections"],
                    },
                },
            ]
        },
        "contracts": [
            {
                "name": event,
                "kind": "event",
                "owner": a.source_owner,
                "consumers": [a.owner],
                "format": "avro",
                "compatibility": a.compatibility,
                "version": 1,
                "versioning": "integer",
                "fields": [
                    {"name": key, "type": "string", "required": True},
                    {
                        "name": "event_id",
                        "type": "string",
                        "required": True,
                        "doc": "Connector-assigned change id.",
                    },
                    *(
                        [{"name": a.event_time_field, "type": "timestamp", "required": True}]
                        if a.time == "event-time"
                        else []
                    ),
                    {"name": "status", "type": "string", "required": True},
                    {
                        "name": "cdc_op",
                        "type": "enum",
                        "required": True,
                        "enum": ["c", "u", "d", "r"],
                    },
                    {"name": "cdc_lsn", "type": "long", "required": True},
                    {"name": "cdc_deleted", "type": "boolean", "required": True},
                ],
                "deprecation_window": a.deprecation_window,
                "migration": [
                    "Column changes go through expand-and-contract: add nullable columns first.",
                    f"The registry checks {a.compatibility} compatibility on registration.",
                    "Update the staging model in the same pull request as the migration.",
                ],
            },
            mart_contract(a, serving, key, "last_updated_at", consumer_name(a, "dashboard")),
        ],
        "quality": quality_common(
            a,
            event,
            serving,
            "raw_changes",
            "stg_records",
            "last_updated_at",
            f"every {d(interval)}",
            {
                "id": "rec_daily_rows",
                "compares": "rows",
                "source": "source database read replica - rows per day",
                "target": f"{serving} - non-deleted rows per day",
                "tolerance": "0%",
                "cadence": "1d",
                "window": d(lookback),
                "owner": a.owner,
            },
            grain=key,
        ),
        "operations": operations(
            a,
            [
                "consumer_lag_seconds",
                "throughput",
                "error_rate",
                "dlq_records",
                "checkpoint_duration",
                "partition_skew",
                "transform_failures",
                "freshness_lag",
                "recon_row_diff",
            ],
            [
                alert(a, "sink-lag-high", "consumer_lag_seconds", ">", d(lag_alert), "10m", "page"),
                alert(a, "dlq-records", "dlq_records", ">", 0, "15m", "ticket"),
                alert(a, "transform-failing", "transform_failures", ">=", 2, "30m", "page"),
                alert(a, "marts-stale", "freshness_lag", ">", d(alert_at), "5m", "page"),
                alert(a, "recon-mismatch", "recon_row_diff", ">", 0, "1m", "page"),
                alert(a, "hot-partition", "partition_skew", ">", 3, "15m", "ticket"),
            ],
            min(secs(retention / 2), 30 * 86400),
        ),
        "backfill": backfill(
            a,
            {
                "scope": f"stg_records and {serving}; raw tables are never rewritten.",
                "window": d(min(secs(retention / 2), 30 * 86400)),
                "source": "raw-layer",
                "source_name": "raw_changes",
                "boundaries": {
                    "from": "First event time of the affected window",
                    "to": "The moment the replay starts",
                },
            },
            {"strategy": "upsert", "key": [key]},
            {"duration": "1h", "resources": "A full-window transform run on a larger warehouse."},
            30,
            "freshness_lag",
            "recon_row_diff",
        ),
        "validation": validation(
            a,
            end_to_end,
            30,
            "freshness_lag",
            "recon_row_diff",
            "consumer_lag_seconds",
            "Lag-drain test - stop the sink for 1 hour and time the drain.",
        ),
        "risks": risks(
            a,
            [
                {
                    "risk": "A stalled connector lets the replication slot retain WAL until the "
                    "source database disk fills.",
                    "owner": a.source_owner,
                    "likelihood": "medium",
                    "impact": "high",
                    "mitigation": "Replication slot lag alert and a WAL size cap.",
                    "follow_up": "Add a heartbeat table so idle periods advance the slot.",
                    "due": due_date(90),
                }
            ],
        ),
    }
    plan["operations"]["cost_guardrails"] = cost_guardrails(a, v)
    plan["_meta"] = {"lag_alert": lag_alert}
    return plan


def batch(a: Answers, one_shot: bool) -> Plan:
    slo = a.slo_seconds()
    v = volume(a, per_consumer_eps=2000)
    src = "source_files"
    event = f"{_underscore(a.name)}_record"
    key = "record_id"
    interval, cron = schedule_for(0.25 * slo)
    watermark = secs(quantities.seconds(a.lateness_p99), up=True)
    legs = [
        Leg("export", "source system", "file landed in object storage", max(1, secs(0.1 * slo)))
    ]
    legs += [
        Leg("schedule_wait", "file landed", "next batch run starts", interval),
        Leg("load", "batch run start", "raw table loaded", max(1, secs(0.05 * slo))),
        Leg("transform", "raw table", "marts rebuilt", max(1, secs(0.1 * slo))),
        Leg("serve", "marts", "report refreshed", max(1, secs(0.05 * slo))),
    ]
    lateness_max = quantities.seconds(a.lateness_max)
    lookback = secs(max(lateness_max, 86400), up=True)
    retention = quantities.seconds(a.retention)
    es, end_to_end, alert_at = event_semantics(
        a,
        ordering_key=[key],
        dedupe_key=[key],
        dedupe_window=lookback,
        watermark=watermark,
        allowed_lateness=lookback,
        legs=legs,
        late_policy={"action": "reprocess", "reconciliation": "rec_daily_totals"},
        measured_at="now() minus max(loaded_at) in the report mart",
    )
    serving = f"fct_{_underscore(a.name)}"
    plan: Plan = {
        "apiVersion": "dataplan/v1",
        "kind": "DataPlan",
        "metadata": metadata(
            a,
            "batch",
            one_shot,
            f"Loads {a.source_system} on a schedule and rebuilds report marts for {a.consumer}.",
        ),
        "assumptions": assumptions(a, "batch", one_shot, _constants_assumption("batch")),
        "context": context(
            a,
            "analyst",
            "batch",
            [f"Files from {a.source_system}.", "Report marts rebuilt for the lookback window."],
            ["Real-time figures.", "Corrections older than the lookback window."],
        ),
        "sources": [
            {
                "id": src,
                "system": a.source_system,
                "kind": "file",
                "owner": a.source_owner,
                "contract": event,
                "mutation": "upsert",
                "corrections": {
                    "how": a.corrections,
                    "description": "Corrected rows arrive again in a later file with the same id.",
                },
                "delivery": "at-least-once",
                "volume": f"{a.events_per_day}/day",
                "partition_key": key,
                "partitions": 0,
                "retention": a.retention,
                "skew_risk": "low",
            }
        ],
        "event_semantics": es,
        "capacity": {
            "inputs": capacity_inputs(
                a,
                v,
                {
                    "outage": "6h",
                    "consume_rate": rate_per_second(v.consume_eps),
                    "instances": v.instances,
                    "hourly_rate": 0.192,
                    "price_per_gb_month": 0.023,
                    "currency": "USD",
                },
                "1095d",
            ),
            "declared": {},
            "cost_drivers": cost_drivers(
                f"{v.instances} batch workers while a run is active.",
                "Landed files and raw tables kept for the retention period.",
            ),
            "runtime_envelope": {
                "instances": v.instances,
                "vcpu_per_instance": 4,
                "memory_per_instance": "16GiB",
                "slots_per_instance": SLOTS_PER_INSTANCE,
                "target_utilization": 0.5,
                "state_backend": "Stateless; each run reads its window from the raw layer.",
            },
            "scale_path_10x": {
                "throughput": "Split each run by date partition; run partitions in parallel.",
                "state": "No long-lived state; raw tables grow tenfold and are clustered by date.",
                "changes": ["Batch workers x10 during runs.", "Raw tables clustered by load date."],
                "owner": a.owner,
            },
        },
        "ingestion": {
            "pattern": "batch",
            "update_semantics": "upsert",
            "delivery": "effectively-exactly-once",
            "sink": {
                "name": f"analytics.marts.{serving}",
                "kind": "warehouse",
                "write_mode": "overwrite",
                "idempotent": True,
                "transactional": True,
                "commit_interval": d(interval),
            },
            "failure_handling": {
                "retry": {
                    "max_attempts": 3,
                    "backoff": "exponential",
                    "initial": "1m",
                    "max": "15m",
                },
                "dead_letter": {
                    "target": "s3 quarantine prefix for unreadable files",
                    "owner": a.owner,
                },
                "quarantine": {"target": "analytics.quarantine", "owner": a.source_owner},
            },
            "topology": _chain(
                ("file_sensor", "source", a.owner),
                ("load_raw", "sink", a.owner),
                *_dbt_stages(a.owner),
            ),
            "trigger": {"kind": "schedule", "schedule": cron, "interval": d(interval)},
            "concurrency": {
                "max_parallelism": v.parallelism,
                "resource_limits": {"max_instances": v.instances * 2},
            },
            "checkpointing": {
                "interval": d(interval),
                "timeout": d(2 * interval),
                "mode": "exactly-once",
                "storage": "Orchestrator run state; each run commits one transaction.",
                "expected_duration": d(max(1, secs(0.05 * slo))),
            },
            "recovery": {
                "restart_strategy": "fixed-delay",
                "max_restarts": 3,
                "restore_from": "checkpoint",
                "rto": d(interval),
            },
        },
        "modeling": {
            "layers": [
                {
                    "name": "raw_files",
                    "kind": "raw",
                    "owner": a.owner,
                    "materialization": "table",
                    "stateful": False,
                    "immutable": True,
                    "reads_from": [src],
                    "description": "Every file as landed, append-only, with its load time.",
                },
                {
                    "name": "stg_records",
                    "kind": "staging",
                    "owner": a.owner,
                    "materialization": "incremental",
                    "stateful": False,
                    "reads_from": ["raw_files"],
                    "incremental": {
                        "strategy": "merge",
                        "unique_key": [key],
                        "lookback": d(lookback),
                        "handles": ["late", "duplicates", "corrections"],
                    },
                },
                {
                    "name": serving,
                    "kind": "mart",
                    "owner": a.owner,
                    "materialization": "incremental",
                    "stateful": False,
                    "reads_from": ["stg_records"],
                    "incremental": {
                        "strategy": "insert-overwrite",
                        "lookback": d(lookback),
                        "handles": ["late", "duplicates", "corrections"],
                    },
                },
            ]
        },
        "contracts": [
            {
                "name": event,
                "kind": "dataset",
                "owner": a.source_owner,
                "consumers": [a.owner],
                "format": "json-schema",
                "content_model": "closed",
                "compatibility": a.compatibility,
                "version": 1,
                "versioning": "integer",
                "fields": [
                    {"name": key, "type": "string", "required": True},
                    {
                        "name": "event_id",
                        "type": "string",
                        "required": True,
                        "doc": "Row id in the file.",
                    },
                    *(
                        [{"name": a.event_time_field, "type": "timestamp", "required": True}]
                        if a.time == "event-time"
                        else []
                    ),
                    {
                        "name": "amount",
                        "type": "number",
                        "required": True,
                        "constraints": {"minimum": 0},
                    },
                    {
                        "name": "currency",
                        "type": "string",
                        "required": True,
                        "constraints": {"pattern": "^[A-Z]{3}$"},
                    },
                ],
                "deprecation_window": a.deprecation_window,
                "migration": [
                    "The source adds columns as optional first and announces removals.",
                    f"Files are checked against the {a.compatibility} contract before loading.",
                ],
            },
            mart_contract(a, serving, key, "loaded_at", consumer_name(a, "analyst")),
        ],
        "quality": quality_common(
            a,
            event,
            serving,
            "raw_files",
            "stg_records",
            "loaded_at",
            "after every run",
            {
                "id": "rec_daily_totals",
                "compares": "aggregate",
                "measure": "sum(amount) per day",
                "source": "control totals file delivered with each export",
                "target": serving,
                "tolerance": "0%",
                "cadence": "1d",
                "window": d(lookback),
                "owner": a.owner,
            },
            grain=key,
        ),
        "operations": operations(
            a,
            ["run_duration", "run_failures", "freshness_lag", "rows_loaded", "recon_total_diff"],
            [
                alert(a, "run-failing", "run_failures", ">=", 2, "1h", "page"),
                alert(a, "marts-stale", "freshness_lag", ">", d(alert_at), "15m", "page"),
                alert(a, "run-slow", "run_duration", ">", d(interval), "15m", "ticket"),
                alert(a, "recon-mismatch", "recon_total_diff", ">", 0, "1m", "page"),
            ],
            min(secs(retention / 2), 30 * 86400),
        ),
        "backfill": backfill(
            a,
            {
                "scope": f"stg_records and {serving}; raw tables are never rewritten.",
                "window": d(min(secs(retention / 2), 30 * 86400)),
                "source": "raw-layer",
                "source_name": "raw_files",
                "boundaries": {
                    "from": "First event time of the affected window",
                    "to": "The moment the replay starts",
                },
            },
            {"strategy": "overwrite-partition", "key": [key]},
            {
                "duration": "2h",
                "resources": "The normal batch workers, one date partition at a time.",
            },
            14,
            "freshness_lag",
            "recon_total_diff",
        ),
        "validation": validation(
            a,
            end_to_end,
            14,
            "freshness_lag",
            "recon_total_diff",
            "freshness_lag",
            "Recovery test - skip one run and confirm the next run catches up within the SLO.",
        ),
        "risks": risks(a, []),
    }
    plan["operations"]["cost_guardrails"] = cost_guardrails(a, v)
    plan["_meta"] = {"lag_alert": lag_threshold(slo, legs, 0.1)}
    return plan


BUILDERS = {"streaming": streaming, "cdc": cdc, "batch": batch}


def build(template: str, answers: Answers, one_shot: bool) -> Plan:
    """The plan for `template` before its declared capacity figures are filled in."""
    from dataplan_lint.authoring import optional_fields

    plan = BUILDERS[template](answers, one_shot)
    optional_fields.apply(plan, answers)
    return plan
