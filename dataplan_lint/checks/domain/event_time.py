"""Gate 3: event-time semantics, freshness and the latency budget.

The checks follow one model of where time goes between an event happening and a
consumer seeing it: the legs of `latency_budget` add up to `end_to_end`, which must fit
in the freshness SLO; some waits are built into the design (the watermark delay, the
time a window holds results before emitting them, the commit interval of a
transactional sink) and each must show up as a leg.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from dataplan_lint.checks.contract_fields import ContractFields, contract_fields
from dataplan_lint.checks.domain import Issue
from dataplan_lint.checks.domain import plan as p
from dataplan_lint.compat.model import Field
from dataplan_lint.engine.check_input import CheckInput
from dataplan_lint.files.loader import LoadedPlan

ES = "/event_semantics"
BUDGET = f"{ES}/latency_budget"
TIMESTAMP_HINTS = ("timestamp", "datetime", "date", "time", "instant")
EPOCH_TYPES = ("long", "int64", "bigint", "number(38,0)", "int", "integer")
UNFIT_KEY_TYPES = ("record", "map", "array", "float", "double", "struct", "object")
DEFAULT_RETENTION_MARGIN = "1d"


@dataclass(frozen=True, slots=True)
class Wait:
    """A wait built into the design that a latency leg must cover."""

    what: str
    seconds: float
    pointer: str


def _fmt(value: float) -> str:
    return p.describe_seconds(value)


def waits(data: Any) -> list[Wait]:
    """The watermark delay, the longest window emit wait, and a transactional commit."""
    out: list[Wait] = []
    delay = p.seconds(data, f"{ES}/watermark/delay")
    if delay:
        out.append(Wait("watermark delay", delay, f"{ES}/watermark/delay"))
    window_wait: Wait | None = None
    for pointer, window in p.items(data, f"{ES}/windows"):
        emit = window.get("emit")
        candidate: Wait | None = None
        if emit == "on-close":
            key = "gap" if window.get("kind") == "session" and window.get("gap") else "size"
            if window.get("kind") in ("hopping", "sliding") and window.get("slide") is not None:
                key = "slide"  # a result is fresh every slide, not every size
            value = p.quantity("duration", window.get(key))
            if value:
                what = {"gap": "session gap", "slide": "window slide"}.get(key, "window size")
                candidate = Wait(f"{what} (results emit on close)", value, f"{pointer}/{key}")
        elif emit == "early-and-on-close":
            value = p.quantity("duration", window.get("early_interval"))
            if value:
                candidate = Wait("early-firing interval", value, f"{pointer}/early_interval")
        if candidate and (window_wait is None or candidate.seconds > window_wait.seconds):
            window_wait = candidate
    if window_wait:
        out.append(window_wait)
    sink = p.mapping(data, "/ingestion/sink")
    if sink.get("transactional") is True:
        commit = p.quantity("duration", sink.get("commit_interval"))
        pointer = "/ingestion/sink/commit_interval"
        if commit is None:
            commit = p.seconds(data, "/ingestion/checkpointing/interval")
            pointer = "/ingestion/checkpointing/interval"
        if commit:
            out.append(Wait("transactional sink commit interval", commit, pointer))
    return out


def _legs(data: Any) -> list[tuple[str, float]]:
    out = []
    for pointer, leg in p.items(data, f"{BUDGET}/legs"):
        value = p.quantity("duration", leg.get("budget"))
        if value is not None:
            out.append((pointer, value))
    return out


def watermark_vs_slo(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    slo = p.slo_seconds(data)
    found = waits(data)
    if slo is None or not found:
        return
    total = sum(wait.seconds for wait in found)
    if total > slo:
        parts = " + ".join(f"{wait.what} {_fmt(wait.seconds)}" for wait in found)
        yield Issue(
            found[0].pointer,
            {"waits": parts, "total": _fmt(total), "slo": _fmt(slo)},
            related=((f"{ES}/freshness_slo/target", "the freshness SLO"),),
        )


def legs_exceed_end_to_end(data: Any) -> float | None:
    """The legs' total when it is more than the end-to-end target (DP302), else None."""
    legs = _legs(data)
    end_to_end = p.seconds(data, f"{BUDGET}/end_to_end")
    if not legs or end_to_end is None:
        return None
    total = sum(value for _, value in legs)
    return total if total > end_to_end else None


def legs_vs_end_to_end(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    total = legs_exceed_end_to_end(data)
    end_to_end = p.seconds(data, f"{BUDGET}/end_to_end")
    if total is not None and end_to_end is not None:
        yield Issue(
            f"{BUDGET}/end_to_end",
            {"total": _fmt(total), "count": len(_legs(data)), "end_to_end": _fmt(end_to_end)},
        )


def end_to_end_vs_slo(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    end_to_end = p.seconds(data, f"{BUDGET}/end_to_end")
    slo = p.slo_seconds(data)
    if end_to_end is not None and slo is not None and end_to_end > slo:
        yield Issue(
            f"{BUDGET}/end_to_end",
            {"end_to_end": _fmt(end_to_end), "slo": _fmt(slo)},
            related=((f"{ES}/freshness_slo/target", "the freshness SLO"),),
        )


def alert_vs_end_to_end(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    alert = p.seconds(data, f"{BUDGET}/alert_at")
    end_to_end = p.seconds(data, f"{BUDGET}/end_to_end")
    if alert is not None and end_to_end is not None and alert > end_to_end:
        yield Issue(f"{BUDGET}/alert_at", {"alert_at": _fmt(alert), "end_to_end": _fmt(end_to_end)})


def budget_covers_waits(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """Every built-in wait needs a leg at least as long; each leg covers one wait."""
    legs = sorted(_legs(data), key=lambda leg: leg[1])
    found = waits(data)
    slo = p.slo_seconds(data)
    if not legs or (slo is not None and sum(w.seconds for w in found) > slo):
        return  # waits that cannot fit the SLO at all are the watermark rule's finding
    unused = list(legs)
    for wait in sorted(found, key=lambda w: w.seconds, reverse=True):
        match = next((leg for leg in unused if leg[1] >= wait.seconds), None)
        if match is not None:
            unused.remove(match)
            continue
        yield Issue(
            f"{BUDGET}/legs",
            {
                "wait": wait.what,
                "duration": _fmt(wait.seconds),
                "origin": p.where(wait.pointer, data),
            },
            at_key=True,
            related=((wait.pointer, f"the {wait.what}"),),
        )


def late_update_sink(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """Late updates need a sink that replaces a result by key.

    An idempotent flag is not enough: it makes a redelivered identical record harmless,
    but a late firing writes a different result for the same window, and an appending
    sink keeps both rows. When ingestion itself upserts, DP512 reports the sink once.
    """
    if p.get(data, f"{ES}/late_data_policy/action") != "update":
        return
    if not p.sink_appends(data) or p.ingestion_applies_updates(data):
        return
    idempotent = p.get(data, "/ingestion/sink/idempotent") is True
    yield Issue(
        f"{ES}/late_data_policy/action",
        {
            "sink": p.sink_name(data),
            "idempotent": (
                "; `idempotent: true` only absorbs identical redeliveries, not a changed result"
                if idempotent
                else ""
            ),
        },
        related=(("/ingestion/sink/write_mode", "the sink appends"),),
    )


def late_drop_budget(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    policy = p.mapping(data, f"{ES}/late_data_policy")
    if policy.get("action") != "drop":
        return
    needed = ("loss_tolerance", "dropped_metric")
    missing = [key for key in needed if not p.present(policy.get(key))]
    if missing:
        yield Issue(f"{ES}/late_data_policy/action", {"missing": " and ".join(missing)})
        return
    metric = policy.get("dropped_metric")
    known = p.metrics(data)
    if isinstance(metric, str) and known and metric not in known:
        yield Issue(
            f"{ES}/late_data_policy/dropped_metric",
            {
                "missing": f"a dropped-records metric that is emitted ({metric} is not in "
                "operations.metrics)"
            },
        )


def late_reconciliation(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    policy = p.mapping(data, f"{ES}/late_data_policy")
    name = policy.get("reconciliation")
    known = {
        rec["id"]
        for _, rec in p.items(data, "/quality/reconciliation")
        if isinstance(rec.get("id"), str)
    }
    if policy.get("action") == "reprocess" and not p.present(name):
        yield Issue(
            f"{ES}/late_data_policy/action",
            {"problem": "names no reconciliation that shows the corrected results agree"},
        )
    elif isinstance(name, str) and name not in known and known:
        # With no reconciliation at all, DP807 (or the missing quality section) is the
        # one finding; naming the absent entry here again would be a cascade.
        listed = ", ".join(sorted(str(k) for k in known)) or "none"
        yield Issue(
            f"{ES}/late_data_policy/reconciliation",
            {
                "problem": f"names reconciliation {name!r}, which quality.reconciliation does not "
                f"define (defined: {listed})"
            },
        )


def at_least_once_dedupe(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """At-least-once delivery needs duplicates removed or absorbed where results land.

    An appending sink that is neither transactional nor idempotent double-writes even
    behind a dedupe: after a restart everything since the last checkpoint reaches the
    sink again, and the dedupe state restored from that checkpoint has not seen it. That
    case is reported at the sink (unless DP512 or DP306 already name it); otherwise the
    plan needs a dedupe or a sink that absorbs repeats.
    """
    deliveries = p.at_least_once(data)
    if not deliveries:
        return
    has_dedupe = p.present(p.get(data, f"{ES}/duplicates/dedupe"))
    if p.replays_into_append(data):
        if p.ingestion_applies_updates(data) or p.late_update_into_append(data):
            return
        upstream = (
            "; the dedupe runs upstream, so records replayed after a restart are appended "
            "a second time"
            if has_dedupe
            else ", so redelivered records are appended twice"
        )
        yield Issue(
            "/ingestion/sink/write_mode",
            {
                "problem": f"sink {p.sink_name(data)} appends without transactions or "
                f"idempotence{upstream}",
                "fix": "make the sink transactional (commit with the checkpoint) or idempotent "
                "(upsert or merge on a key)",
            },
            related=((deliveries[0], "at-least-once delivery"),),
        )
        return
    if not has_dedupe and not p.sink_is_idempotent(data):
        yield Issue(
            deliveries[0],
            {
                "problem": "the plan has no dedupe (event_semantics.duplicates.dedupe) and the "
                "sink is not idempotent, so redelivered records are counted twice",
                "fix": "add a dedupe key and window, or write to an upsert or merge sink",
            },
        )


def _partitioned_sources(data: Any) -> Iterator[tuple[str, Mapping[str, Any]]]:
    for pointer, source in p.sources(data):
        if source.get("kind") in p.STREAMING_SOURCE_KINDS or source.get("partition_key"):
            yield pointer, source


def ordering_vs_partition_key(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    ordering = p.mapping(data, f"{ES}/ordering")
    if ordering.get("scope") != "per-key":
        return
    keys = p.strings(ordering.get("key"))
    if not keys:
        return
    for pointer, source in _partitioned_sources(data):
        partition_key = source.get("partition_key")
        if isinstance(partition_key, str) and partition_key not in keys:
            yield Issue(
                f"{pointer}/partition_key",
                {
                    "source": str(source.get("id")),
                    "partition_key": partition_key,
                    "ordering_key": ", ".join(keys),
                },
            )


def global_ordering(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    if p.get(data, f"{ES}/ordering/scope") != "global":
        return
    for pointer, source in p.sources(data):
        partitions = p.number(source.get("partitions"))
        if partitions is not None and partitions > 1:
            yield Issue(
                f"{pointer}/partitions",
                {"source": str(source.get("id")), "partitions": int(partitions)},
            )


def streaming_without_event_time(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    if not p.is_streaming(data):
        return
    semantics = p.mapping(data, ES)
    time = semantics.get("time")
    windows = p.present(semantics.get("windows"))
    if time == "processing-time" and windows:
        yield Issue(
            f"{ES}/time",
            {
                "problem": "uses processing time although it aggregates in windows; replays, "
                "lag and late events put records in the wrong windows"
            },
        )
    elif (
        time == "event-time"
        and not p.present(semantics.get("event_time_field"))
        and not (p.present(semantics.get("watermark")))
    ):
        yield Issue(
            f"{ES}/time",
            {"problem": "claims event time but names neither an event-time field nor a watermark"},
        )


def event_time_incomplete(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    semantics = p.mapping(data, ES)
    if semantics.get("time") != "event-time":
        return
    needed = (
        ("event_time_field", "the event-time field"),
        ("event_time_owner", "an owner of the event-time field"),
        ("watermark", "a watermark strategy and delay"),
        ("lateness", "a lateness profile (p99 and max)"),
        ("late_data_policy", "a late-data policy"),
    )
    for key, what in needed:
        if not p.present(semantics.get(key)):
            if key in semantics:  # written but blank: at the value (its schema finding wins)
                yield Issue(f"{ES}/{key}", {"missing": what, "key": key})
            else:
                yield Issue(ES, {"missing": what, "key": key}, at_key=True)


def _source_contracts(
    data: Any, plan: LoadedPlan
) -> list[tuple[str, Any, tuple[str, str], ContractFields]]:
    """(source pointer, source, (contract pointer, name), its fields) for sources whose
    contract's fields can be read (inline, or from a schema file that reads cleanly)."""
    contracts = p.contracts(data)
    out = []
    for pointer, source in p.sources(data):
        name = source.get("contract")
        if isinstance(name, str) and name in contracts:
            contract_pointer, contract = contracts[name]
            fields = contract_fields(plan, contract_pointer, contract)
            if fields is not None:
                out.append((pointer, source, (contract_pointer, name), fields))
    return out


def _key_fields(data: Any) -> Iterator[tuple[str, str, str]]:
    """(pointer, field name, role) of every field the semantics name for all sources."""
    field = p.get(data, f"{ES}/event_time_field")
    if isinstance(field, str) and field.strip():
        yield f"{ES}/event_time_field", field, "event-time field"
    for index, name in enumerate(p.listed(data, f"{ES}/duplicates/dedupe/key")):
        if isinstance(name, str):
            yield f"{ES}/duplicates/dedupe/key/{index}", name, "dedupe key"
    if p.get(data, f"{ES}/ordering/scope") == "per-key":
        for index, name in enumerate(p.listed(data, f"{ES}/ordering/key")):
            if isinstance(name, str):
                yield f"{ES}/ordering/key/{index}", name, "ordering key"


def _type_name(field: Field) -> str:
    """The type as the contract writes it (a schema file's type as its reader names it)."""
    return field.type.text.strip().lower()


def _fits(role: str, field: Field) -> bool:
    kind = _type_name(field)
    if role == "event-time field":
        return (
            any(hint in kind for hint in TIMESTAMP_HINTS)
            or kind in EPOCH_TYPES
            or field.type.kind in ("timestamp", "date", "time")
        )
    return kind not in UNFIT_KEY_TYPES and field.type.kind not in UNFIT_KEY_TYPES


def _expected(role: str) -> str:
    if role == "event-time field":
        return "a timestamp (or epoch integer)"
    return "a scalar type that compares exactly (not a record, map, array or float)"


@dataclass(frozen=True, slots=True)
class _Checked:
    pointer: str  # the plan value naming the field
    name: str
    role: str
    contract: tuple[str, str]  # its pointer and name
    fields: ContractFields
    field: Field | None


def _checked_fields(data: Any, plan: LoadedPlan) -> Iterator[_Checked]:
    """Each key field the plan names, looked up in each source contract."""
    pairs = _source_contracts(data, plan)
    seen: set[tuple[str, str]] = set()
    for pointer, name, role in _key_fields(data):
        for _, _, contract, fields in pairs:
            if (pointer, contract[1]) in seen:
                continue
            seen.add((pointer, contract[1]))
            yield _Checked(pointer, name, role, contract, fields, fields.field(name))
    for source_pointer, source, contract, fields in pairs:
        key = source.get("partition_key")
        if isinstance(key, str) and key.strip():
            yield _Checked(
                f"{source_pointer}/partition_key",
                key,
                "partition key",
                contract,
                fields,
                fields.field(key),
            )


def key_fields_in_contract(inp: CheckInput) -> Iterator[Issue]:
    for checked in _checked_fields(inp.data, inp.plan):
        if checked.field is None:
            values = {"role": checked.role, "name": checked.name, "contract": checked.contract[1]}
            yield Issue(checked.pointer, values, related=_schema_file(checked))


def key_field_types(inp: CheckInput) -> Iterator[Issue]:
    for checked in _checked_fields(inp.data, inp.plan):
        field = checked.field
        if field is not None and not _fits(checked.role, field):
            yield Issue(
                checked.pointer,
                {
                    "role": checked.role,
                    "name": checked.name,
                    "contract": checked.contract[1],
                    "type": _type_name(field),
                    "expected": _expected(checked.role),
                },
                related=_schema_file(checked)
                + checked.fields.place(field, f"field {field.name} in the schema file"),
            )


def _schema_file(checked: _Checked) -> tuple[tuple[str, str], ...]:
    """The contract's `schema_file` line in the plan, when its fields come from a file."""
    shown = checked.fields.schema_file
    if shown is None:
        return ()
    pointer, name = checked.contract
    return ((f"{pointer}/schema_file", f"contract {name} takes its fields from {shown}"),)


def lateness_vs_allowed(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    p99 = p.seconds(data, f"{ES}/lateness/p99")
    delay = p.seconds(data, f"{ES}/watermark/delay")
    if p99 is None or delay is None:
        return
    allowed = p.seconds(data, f"{ES}/allowed_lateness") or 0.0
    if delay + allowed < p99:
        pointer = f"{ES}/allowed_lateness"
        if p.get(data, pointer) is None:
            pointer = f"{ES}/watermark/delay"
        yield Issue(
            pointer,
            {
                "covered": _fmt(delay + allowed),
                "delay": _fmt(delay),
                "allowed": _fmt(allowed),
                "p99": _fmt(p99),
            },
        )


def dedupe_vs_checkpoint(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    if not p.at_least_once(data):
        return
    window = p.seconds(data, f"{ES}/duplicates/dedupe/window")
    interval = p.seconds(data, "/ingestion/checkpointing/interval")
    if window is not None and interval is not None and window < interval:
        yield Issue(
            f"{ES}/duplicates/dedupe/window",
            {"window": _fmt(window), "interval": _fmt(interval)},
            related=(("/ingestion/checkpointing/interval", "the checkpoint interval"),),
        )


def _replay_need(data: Any) -> tuple[float, str] | None:
    """The longest window replay reads from the log, with the pointer that asks for it."""
    best: tuple[float, str] | None = None
    if p.get(data, "/backfill/replay/source") == "log":
        window = p.seconds(data, "/backfill/replay/window")
        if window is not None:
            best = (window, "/backfill/replay/window")
        workflow = p.seconds(data, "/operations/replay_workflow/max_window")
        if workflow is not None and (best is None or workflow > best[0]):
            best = (workflow, "/operations/replay_workflow/max_window")
    return best


def retention_vs_replay(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    need = _replay_need(data)
    if need is None:
        return
    margin = p.quantity("duration", options.get("margin", DEFAULT_RETENTION_MARGIN)) or 0.0
    named = p.get(data, "/backfill/replay/source_name")
    for pointer, source in p.sources(data):
        if isinstance(named, str) and source.get("id") != named:
            continue
        retention = p.quantity("duration", source.get("retention"))
        if retention is None and source.get("retention") is not None:
            continue  # malformed: the schema finding (DP015) names it; no second finding
        if retention is None:
            yield Issue(
                pointer,
                {
                    "source": str(source.get("id")),
                    "retention": "no stated retention",
                    "window": _fmt(need[0]),
                    "origin": p.where(need[1], data),
                    "margin": _fmt(margin),
                },
                at_key=True,
                related=((need[1], "the replay window"),),
            )
        elif retention < need[0] + margin:
            yield Issue(
                f"{pointer}/retention",
                {
                    "source": str(source.get("id")),
                    "retention": f"retention {_fmt(retention)}",
                    "window": _fmt(need[0]),
                    "origin": p.where(need[1], data),
                    "margin": _fmt(margin),
                },
                related=((need[1], "the replay window"),),
            )


def replay_raw_layer(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    if p.get(data, "/backfill/replay/source") != "raw-layer":
        return
    name = p.get(data, "/backfill/replay/source_name")
    layers = p.layers(data)
    if not isinstance(name, str):
        raw = [n for n, (_, layer) in layers.items() if layer.get("immutable") is True]
        if not raw:
            yield Issue("/backfill/replay/source", {"problem": "no layer is marked immutable"})
        return
    if name not in layers:
        yield Issue(
            "/backfill/replay/source_name",
            {"problem": f"{name!r} is not a layer in modeling.layers"},
        )
    elif layers[name][1].get("immutable") is not True:
        yield Issue(
            "/backfill/replay/source_name",
            {"problem": f"layer {name!r} is not marked immutable: true"},
            related=((layers[name][0], "the layer"),),
        )


def _processing_budget(data: Any) -> float:
    return sum(value for _, value in _legs(data))


def lag_alert_vs_slo(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    slo = p.slo_seconds(data)
    if slo is None or not _legs(data):
        return
    budget = _processing_budget(data)
    room = slo - budget
    candidates: list[tuple[str, float]] = []
    declared = p.threshold_seconds(p.get(data, "/capacity/declared/consumer_lag_threshold"))
    if declared is not None:
        candidates.append(("/capacity/declared/consumer_lag_threshold", declared))
    for pointer, alert in p.items(data, "/operations/alerts"):
        metric = alert.get("metric")
        value = p.threshold_seconds(alert.get("threshold"))
        if isinstance(metric, str) and "consumer_lag" in metric and value is not None:
            candidates.append((f"{pointer}/threshold", value))
    for pointer, value in candidates:
        if value >= room:
            yield Issue(
                pointer,
                {
                    "threshold": _fmt(value),
                    "slo": _fmt(slo),
                    "budget": _fmt(budget),
                    "room": _fmt(max(room, 0.0)),
                },
            )
