"""Gate 4: declared capacity figures against the figures their inputs imply."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.checks import capacity_math as cm
from dataplan_lint.checks.domain import Issue
from dataplan_lint.checks.domain import plan as p
from dataplan_lint.core.findings import Edit
from dataplan_lint.core.units import format_value
from dataplan_lint.engine.check_input import CheckInput


def _declared_text(data: Any, name: str, derived: cm.Derived) -> str:
    raw = p.get(data, f"{cm.DECLARED}/{name}")
    if isinstance(raw, str):
        return raw
    if derived.declared_value is not None:
        return cm.describe(derived.declared_value, derived.unit_kind)
    return str(raw)


def figure_mismatch(inp: CheckInput) -> Iterator[Issue]:
    """Declared figures (option `figures`) that differ from the derived ones by more than
    the configuration's `tolerance` (`settings.tolerance`)."""
    data, options, limit = inp.data, inp.options, inp.settings.tolerance
    derived = p.derived(data)
    corrected = _with_source_inputs(data, limit)
    for name in p.strings(options.get("figures")):
        figure = derived.get(name)
        if figure is None or figure.declared_pointer is None or figure.declared_value is None:
            continue
        if math.isinf(figure.value):
            continue  # a backlog that never drains has its own rule
        difference = cm.relative_difference(figure.declared_value, figure.value)
        other = corrected.get(name)
        if (
            other is not None
            and cm.relative_difference(figure.declared_value, other.value) <= limit
        ):
            continue  # sized from the sources; the input that differs is DP470's or DP471's
        if difference > limit:
            yield Issue(
                figure.declared_pointer,
                {
                    "figure": name,
                    "declared": _declared_text(data, name, figure),
                    "derived": figure.text,
                    "formula": figure.formula,
                    "difference": f"{difference:.0%}" if difference < 10 else "over 1000%",
                    "tolerance": f"{limit:.0%}",
                },
                related=tuple((ptr, "input") for ptr in figure.inputs_used[:3]),
                fix=_set_to_derived(data, name, figure),
            )


def _with_source_inputs(data: Any, limit: float) -> dict[str, cm.Derived]:
    """The derived figures once the capacity inputs that contradict the sources
    (`source_sizing.as_the_sources_say`) take the sources' values; {} when none does."""
    from dataplan_lint.checks.domain.source_sizing import as_the_sources_say

    overrides = as_the_sources_say(data, limit)
    if not overrides:
        return {}
    capacity = dict(p.mapping(data, "/capacity"))
    capacity["inputs"] = {**p.mapping(data, cm.INPUTS), **overrides}
    return cm.derive({**data, "capacity": capacity})


def _set_to_derived(data: Any, name: str, figure: cm.Derived) -> tuple[Edit, ...]:
    """The edit that states the derived figure in the declared entry's own form.

    A number stays a number (rounded as the figure is counted: whole events, cents),
    a quantity stays a quantity of the same kind; nothing when the rounded value would
    not parse back to within 1% of the derived one.
    """
    kind = cm.DECLARED_KINDS.get(name)
    raw = p.get(data, f"{cm.DECLARED}/{name}")
    if kind is None or figure.declared_pointer is None or isinstance(raw, bool):
        return ()
    new: Any
    if isinstance(raw, int | float):
        if kind != "number":
            return ()
        new = round(figure.value, 2) if figure.unit_kind == cm.MONEY else round(figure.value)
        if isinstance(raw, int) or float(new).is_integer():
            new = int(new)
    elif isinstance(raw, str) and kind != "number":
        new = format_value(kind, figure.value)
    else:
        return ()
    back = cm.parse_value(kind, new)
    if back is None or cm.relative_difference(back, figure.value) > 0.01 or new == raw:
        return ()
    return (Edit(figure.declared_pointer, new),)


def partitions_below_needed(inp: CheckInput) -> Iterator[Issue]:
    data, settings = inp.data, inp.settings
    derived = p.derived(data).get("partitions")
    if derived is None or derived.declared_value is None or derived.declared_pointer is None:
        return
    corrected = _with_source_inputs(data, settings.tolerance).get("partitions")
    if corrected is not None and derived.declared_value >= corrected.value:
        return  # needed only for an events_per_day the sources contradict (DP470)
    if derived.declared_value < derived.value:
        yield Issue(
            derived.declared_pointer,
            {
                "declared": int(derived.declared_value),
                "needed": int(derived.value),
                "formula": derived.formula,
            },
        )


def lag_never_drains(inp: CheckInput) -> Iterator[Issue]:
    data, settings = inp.data, inp.settings
    derived = p.derived(data)
    drain = derived.get("lag_drain_time")
    if drain is None or not math.isinf(drain.value):
        return
    corrected = _with_source_inputs(data, settings.tolerance).get("lag_drain_time")
    if corrected is not None and not math.isinf(corrected.value):
        return  # a peak only an events_per_day the sources contradict implies (DP470)
    consume = p.get(data, f"{cm.INPUTS}/consume_rate")
    yield Issue(
        f"{cm.INPUTS}/consume_rate",
        {"consume": str(consume), "produce": derived["peak_eps"].text},
    )


def inputs_missing(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    for name, missing in cm.missing_inputs(data).items():
        yield Issue(
            f"{cm.DECLARED}/{name}",
            {"figure": name, "missing": ", ".join(missing)},
        )


def _provisioned_partitions(data: Any) -> tuple[float, str] | None:
    declared = p.number(p.get(data, f"{cm.DECLARED}/partitions"))
    if declared is not None:
        return declared, f"{cm.DECLARED}/partitions"
    return None


def scale_path_partitions(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    derived = p.derived(data).get("partitions_10x")
    provisioned = _provisioned_partitions(data)
    if derived is None or provisioned is None or derived.value <= provisioned[0]:
        return
    path = p.mapping(data, "/capacity/scale_path_10x")
    text = " ".join(p.strings(path.get("changes")) + p.strings(path.get("throughput"))).lower()
    if "partition" in text:
        return
    pointer = "/capacity/scale_path_10x/changes" if path.get("changes") else "/capacity"
    yield Issue(
        pointer,
        {
            "needed": int(derived.value),
            "provisioned": int(provisioned[0]),
            "formula": derived.formula,
        },
        at_key=True,
    )


def headroom_target(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    headroom = p.number(p.get(data, f"{cm.INPUTS}/headroom"))
    if headroom is None or headroom < 0:
        return
    ceiling = 1.0 / (1.0 + headroom)
    utilization = p.number(p.get(data, "/capacity/runtime_envelope/target_utilization"))
    if utilization is not None and utilization > ceiling + 1e-9:
        yield Issue(
            "/capacity/runtime_envelope/target_utilization",
            {
                "problem": f"target utilization {utilization:g} leaves less than the "
                f"{headroom:.0%} headroom target (at most {ceiling:.2f})"
            },
        )
    derived = p.derived(data)
    throughput = derived.get("partitions_throughput")
    partitions = derived.get("partitions")
    if throughput is None or partitions is None or partitions.declared_value is None:
        return
    scaled = throughput.value * (1.0 + headroom)
    if not math.isfinite(scaled):
        return
    wanted = math.ceil(scaled - 1e-9)
    declared = partitions.declared_value
    if partitions.value <= declared < wanted:
        yield Issue(
            f"{cm.DECLARED}/partitions",
            {
                "problem": f"{int(declared)} partitions leave less than the {headroom:.0%} "
                f"headroom target over the {int(throughput.value)} that peak throughput needs "
                f"(want at least {wanted})"
            },
        )


def cost_drivers(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    required = p.strings(options.get("require")) or ["compute", "storage"]
    drivers = p.get(data, "/capacity/cost_drivers")
    if not isinstance(drivers, list):
        return
    kinds = [d.get("kind") for _, d in p.items(data, "/capacity/cost_drivers")]
    missing = [kind for kind in required if kind not in kinds]
    if missing:
        yield Issue("/capacity/cost_drivers", {"missing": ", ".join(missing)}, at_key=True)


def checkpoint_timing(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    interval = p.seconds(data, "/ingestion/checkpointing/interval")
    timeout = p.seconds(data, "/ingestion/checkpointing/timeout")
    duration_pointer = "/ingestion/checkpointing/expected_duration"
    duration = p.seconds(data, duration_pointer)
    if duration is None:
        duration_pointer = "/capacity/checkpoint_overhead/expected_duration"
        duration = p.seconds(data, duration_pointer)
    fmt = p.describe_seconds
    if duration is not None and interval is not None and duration >= interval:
        yield Issue(
            duration_pointer,
            {
                "problem": f"expected checkpoint duration {fmt(duration)} is not shorter than the "
                f"interval {fmt(interval)}"
            },
        )
    elif duration is not None and timeout is not None and duration >= timeout:
        yield Issue(
            duration_pointer,
            {
                "problem": f"expected checkpoint duration {fmt(duration)} is not shorter than the "
                f"timeout {fmt(timeout)}"
            },
        )
    if interval is not None and timeout is not None and interval >= timeout:
        yield Issue(
            "/ingestion/checkpointing/interval",
            {
                "problem": f"checkpoint interval {fmt(interval)} is not shorter than the timeout "
                f"{fmt(timeout)}"
            },
        )


def checkpoint_upload(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """A full checkpoint (the first one, one after a restore, or a compaction) must be
    able to finish before the timeout at the storage's write rate; the state it
    snapshots is the larger of the declared checkpoint size and the derived state."""
    overhead = "/capacity/checkpoint_overhead"
    rate = p.quantity("byte-rate", p.get(data, f"{overhead}/upload_throughput"))
    timeout = p.seconds(data, "/ingestion/checkpointing/timeout")
    if not rate or timeout is None:
        return
    size = p.quantity("size", p.get(data, f"{overhead}/checkpoint_size"))
    derived = p.derived(data)
    state = sum(derived[n].value for n in ("window_state", "dedupe_state") if n in derived)
    snapshot = max(size or 0.0, state)
    if snapshot <= 0:
        return
    upload = snapshot / rate
    if upload >= timeout:
        fmt = p.describe_seconds
        what = "checkpoint_size" if size is not None and size >= state else "derived state"
        yield Issue(
            f"{overhead}/upload_throughput",
            {
                "size": _size(snapshot),
                "what": what,
                "rate": str(p.get(data, f"{overhead}/upload_throughput")),
                "upload": fmt(upload),
                "timeout": fmt(timeout),
            },
            related=(("/ingestion/checkpointing/timeout", "the checkpoint timeout"),),
        )


def _size(value: float) -> str:
    for unit, scale in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if value >= scale:
            return f"{value / scale:.1f}{unit}"
    return f"{value:.0f}B"


def envelope_vs_parallelism(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """The runtime envelope holds the parallelism the job runs with, within the limits."""
    envelope = p.mapping(data, "/capacity/runtime_envelope")
    instances = p.number(envelope.get("instances"))
    slots = p.number(envelope.get("slots_per_instance"))
    parallelism = p.number(p.get(data, "/ingestion/concurrency/max_parallelism"))
    # Parallelism above the source partitions is DP510's finding, whose fix (lower
    # it) also fits the envelope; one defect, one finding.
    partitions = [
        value
        for _, source in p.sources(data)
        if (value := p.number(source.get("partitions"))) is not None and value > 0
    ]
    if parallelism is not None and partitions and parallelism > max(partitions):
        parallelism = None
    if (
        instances is not None
        and slots is not None
        and parallelism is not None
        and instances * slots < parallelism
    ):
        yield Issue(
            "/capacity/runtime_envelope/instances",
            {
                "problem": f"the runtime envelope has {int(instances * slots)} task slots "
                f"({int(instances)} instances x {int(slots)}), fewer than the max_parallelism "
                f"{int(parallelism)} the job runs with, so it cannot be scheduled",
                "fix": "add instances or slots, or lower the parallelism",
            },
            related=(("/ingestion/concurrency/max_parallelism", "the parallelism"),),
        )
        return
    limit = p.number(p.get(data, "/ingestion/concurrency/resource_limits/max_instances"))
    if instances is not None and limit is not None and instances > limit:
        yield Issue(
            "/capacity/runtime_envelope/instances",
            {
                "problem": f"the runtime envelope runs {int(instances)} instances, more than the "
                f"resource limit of {int(limit)}",
                "fix": "raise ingestion.concurrency.resource_limits.max_instances or size the "
                "envelope within it",
            },
            related=(("/ingestion/concurrency/resource_limits/max_instances", "the limit"),),
        )


def drain_estimate(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    if not p.is_streaming(data):
        return
    declared = p.get(data, cm.DECLARED)
    if not isinstance(declared, Mapping):
        return
    needed = (
        ("consumer_lag_threshold", "a consumer-lag threshold"),
        ("lag_drain_time", "a lag drain-time estimate"),
    )
    for key, what in needed:
        if not p.present(declared.get(key)):
            yield Issue(cm.DECLARED, {"missing": what, "key": key}, at_key=True)
