"""Capacity math: the figures a plan's capacity section implies, each with its formula.

Pure functions over plain plan data (the `data` of a loaded plan, or any dict of the
same shape). `derive(plan_data)` returns every figure that can be computed from the
inputs the plan declares; nothing is assumed: a figure whose inputs are missing is
simply absent, and `missing_inputs(plan_data)` says which declared figure lacks what.

Units: values are in base units (events per second, bytes, bytes per second, seconds,
plain counts, money in the plan's currency). MB = 10^6 B, a day = 86,400 s, a year =
365 days, a month = 730 hours. The formulas are the ones `references/capacity.md`
explains; the rules compare these figures with `capacity.declared` and the authoring
tools show them side by side.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from dataplan_lint.core import quantities
from dataplan_lint.core.pointers import resolve
from dataplan_lint.core.quantities import QuantityError

SECONDS_PER_DAY: Final = 86_400.0
SECONDS_PER_YEAR: Final = 365 * SECONDS_PER_DAY
HOURS_PER_MONTH: Final = 730.0
TEN_X: Final = 10.0

INPUTS: Final = "/capacity/inputs"
DECLARED: Final = "/capacity/declared"

# unit_kind values: how a figure's value is expressed (base units).
EVENT_RATE: Final = "event-rate"  # events per second
BYTE_RATE: Final = "byte-rate"  # bytes per second
SIZE: Final = "size"  # bytes
DURATION: Final = "duration"  # seconds
COUNT: Final = "count"  # a plain count (partitions, events, records)
MONEY: Final = "money"  # plan currency per month


@dataclass(frozen=True, slots=True)
class Derived:
    """One figure derived from the plan's inputs.

    `formula` is human-readable and shows the numbers that went in, for example
    ``peak_eps = avg_eps * peak_factor = 5,787/s * 3``. `inputs_used` are the JSON
    pointers of the plan values the figure was computed from. `declared_pointer` is the
    pointer of the matching `capacity.declared` entry when the plan declares one, and
    `declared_value` that entry in the same base unit. A value of `math.inf` means the
    figure does not converge (a backlog that never drains).
    """

    name: str
    value: float
    unit_kind: str
    formula: str
    inputs_used: tuple[str, ...] = ()
    declared_pointer: str | None = None
    declared_value: float | None = None

    @property
    def text(self) -> str:
        """The value rendered in the plan's own unit style."""
        return describe(self.value, self.unit_kind)


# Records one derived figure: name, value, unit kind, formula, pointers used.
_Add = Callable[[str, float, str, str, tuple[str, ...]], None]

# Which input (JSON pointer below the plan root) each figure needs, and the parse kind.
_INPUT_KINDS: Final[dict[str, str]] = {
    "events_per_day": "count",
    "peak_factor": "number",
    "bytes_per_event": "size",
    "compression_ratio": "number",
    "per_partition_throughput": "byte-rate",
    "per_consumer_throughput": "event-rate",
    "max_consumer_parallelism": "number",
    "retention": "duration",
    "replication_factor": "number",
    "headroom": "number",
    "growth_per_year": "number",
    "horizon": "duration",
    "active_keys": "count",
    "bytes_per_key": "size",
    "dedupe_key_bytes": "size",
    "outage": "duration",
    "consume_rate": "event-rate",
    "instances": "number",
    "hourly_rate": "number",
    "price_per_gb_month": "number",
}

# The declared figures and the parse kind of each (None: a plain number).
DECLARED_KINDS: Final[dict[str, str]] = {
    "avg_eps": "number",
    "peak_eps": "number",
    "peak_ingest": "byte-rate",
    "partitions": "number",
    "retention_storage": "size",
    "window_state": "size",
    "dedupe_state": "size",
    "lag_drain_time": "duration",
    "monthly_cost": "number",
    "events_per_day_at_horizon": "count",
}

# For `missing_inputs`: what each declared figure is computed from. Entries starting
# with "/" are pointers outside `capacity.inputs`.
REQUIRES: Final[dict[str, tuple[str, ...]]] = {
    "avg_eps": ("events_per_day",),
    "peak_eps": ("events_per_day", "peak_factor"),
    "peak_ingest": ("events_per_day", "peak_factor", "bytes_per_event"),
    "partitions": ("events_per_day", "peak_factor", "bytes_per_event", "per_partition_throughput"),
    "retention_storage": (
        "events_per_day",
        "bytes_per_event",
        "retention",
        "replication_factor",
        "headroom",
    ),
    "window_state": ("active_keys", "bytes_per_key", "/event_semantics/windows"),
    "dedupe_state": (
        "events_per_day",
        "peak_factor",
        "dedupe_key_bytes",
        "/event_semantics/duplicates/dedupe/window",
    ),
    "lag_drain_time": ("events_per_day", "peak_factor", "outage", "consume_rate"),
    "monthly_cost": (
        "events_per_day",
        "bytes_per_event",
        "retention",
        "replication_factor",
        "headroom",
        "price_per_gb_month",
        "instances",
        "hourly_rate",
    ),
    "events_per_day_at_horizon": ("events_per_day", "growth_per_year", "horizon"),
}


def _number(raw: Any) -> float | None:
    return quantities.finite_figure(raw)


def parse_value(kind: str, raw: Any) -> float | None:
    """Parse `raw` as `kind` ("number" or a quantity kind); None when absent or invalid.

    Invalid values are the schema check's to report; the math just leaves them out.
    """
    if raw is None:
        return None
    if kind == "number":
        return _number(raw)
    try:
        return quantities.parse(kind, raw).value
    except QuantityError:
        return None


@dataclass(slots=True)
class _Inputs:
    """The parsed inputs, with the pointer of every value that was present and valid."""

    values: dict[str, float] = field(default_factory=dict)
    pointers: dict[str, str] = field(default_factory=dict)
    invalid: set[str] = field(default_factory=set)

    def has(self, *names: str) -> bool:
        return all(name in self.values for name in names)

    def ptrs(self, *names: str) -> tuple[str, ...]:
        return tuple(self.pointers[name] for name in names if name in self.pointers)


def _read_inputs(data: Any) -> _Inputs:
    inputs = _Inputs()
    raw_inputs = resolve(data, INPUTS)
    if not isinstance(raw_inputs, Mapping):
        return inputs
    for name, kind in _INPUT_KINDS.items():
        raw = raw_inputs.get(name)
        if raw is None:
            continue
        value = parse_value(kind, raw)
        if value is None:
            inputs.invalid.add(name)
            continue
        inputs.values[name] = value
        inputs.pointers[name] = f"{INPUTS}/{name}"
    extra: dict[str, tuple[str, str]] = {
        "watermark_delay": ("/event_semantics/watermark/delay", "duration"),
        "allowed_lateness": ("/event_semantics/allowed_lateness", "duration"),
        "dedupe_window": ("/event_semantics/duplicates/dedupe/window", "duration"),
        "checkpoint_interval": ("/ingestion/checkpointing/interval", "duration"),
    }
    for name, (pointer, kind) in extra.items():
        raw = resolve(data, pointer)
        if raw is None:
            continue
        value = parse_value(kind, raw)
        if value is None:
            inputs.invalid.add(name)
            continue
        inputs.values[name] = value
        inputs.pointers[name] = pointer
    return inputs


def declared_values(plan_data: Any) -> dict[str, float]:
    """The figures `capacity.declared` states, parsed into base units."""
    raw = resolve(plan_data, DECLARED)
    out: dict[str, float] = {}
    if not isinstance(raw, Mapping):
        return out
    for name, kind in DECLARED_KINDS.items():
        value = parse_value(kind, raw.get(name))
        if value is not None:
            out[name] = value
    return out


@dataclass(frozen=True, slots=True)
class WindowSpan:
    """One event-time window as the state formula sees it."""

    pointer: str
    size_s: float
    slide_s: float

    def live_windows(self, watermark_delay_s: float, allowed_lateness_s: float) -> int:
        """Windows per key that hold state at once: ceil((size + delay + lateness) / slide)."""
        if self.slide_s <= 0:
            return 0
        return math.ceil((self.size_s + watermark_delay_s + allowed_lateness_s) / self.slide_s)


def windows(plan_data: Any) -> list[WindowSpan]:
    """The plan's event-time windows; the slide defaults to the size (tumbling, session)."""
    raw = resolve(plan_data, "/event_semantics/windows")
    out: list[WindowSpan] = []
    if not isinstance(raw, list):
        return out
    for index, window in enumerate(raw):
        if not isinstance(window, Mapping):
            continue
        size = parse_value("duration", window.get("size"))
        if size is None or size <= 0:
            continue
        slide = parse_value("duration", window.get("slide")) or size
        out.append(WindowSpan(f"/event_semantics/windows/{index}", size, slide))
    return out


def fmt(value: float) -> str:
    """A plain number for formulas: thousands separators, at most 3 significant decimals."""
    if math.isinf(value):
        return "infinity"
    if value == 0:
        return "0"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 100:
        return f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{value:.3g}"


def describe(value: float, unit_kind: str) -> str:
    """Render a base-unit value the way a plan would write it."""
    if math.isinf(value):
        return "never"
    if unit_kind == EVENT_RATE:
        return f"{fmt(value)}/s"
    if unit_kind == BYTE_RATE:
        return f"{quantities.describe_bytes(value)}/s"
    if unit_kind == SIZE:
        return quantities.describe_bytes(value)
    if unit_kind == DURATION:
        return quantities.describe_seconds(value)
    if unit_kind == MONEY:
        return f"{value:,.2f}"
    for suffix, size in (("B", 1e9), ("M", 1e6)):
        if value >= size:
            return f"{value / size:.4g}{suffix}"
    return fmt(value)


def _rate(value: float) -> str:
    return describe(value, EVENT_RATE)


def _bytes(value: float) -> str:
    return describe(value, SIZE)


def _secs(value: float) -> str:
    return describe(value, DURATION)


def derive(plan_data: Any) -> dict[str, Derived]:
    """Every figure the plan's inputs determine, keyed by name (see `_derive`).

    Absurd inputs (say a peak factor of 1e308) overflow somewhere; the figures computed
    before that point are returned and the rest are left out, never an exception.
    """
    out: dict[str, Derived] = {}
    with contextlib.suppress(ArithmeticError, ValueError):
        _derive(plan_data, out)
    return {name: item for name, item in out.items() if _sane(item)}


def _sane(item: Derived) -> bool:
    return math.isfinite(item.value) or (item.name == "lag_drain_time" and item.value > 0)


def _derive(plan_data: Any, out: dict[str, Derived]) -> None:
    """Every figure the plan's inputs determine, keyed by name.

    Names matching a `capacity.declared` key (avg_eps, peak_eps, peak_ingest, partitions,
    retention_storage, window_state, dedupe_state, lag_drain_time, monthly_cost,
    events_per_day_at_horizon) carry that entry's pointer and value. Further figures:
    `avg_ingest`, `partitions_throughput` (the throughput part of the partition need,
    before the parallelism floor), `backlog`, `replay_records` (records replayed after a
    failure), `peak_eps_10x`, `peak_ingest_10x`, `partitions_10x`, `window_state_10x`,
    `dedupe_state_10x`.
    """
    inputs = _read_inputs(plan_data)
    v = inputs.values
    declared = declared_values(plan_data)
    declared_raw = resolve(plan_data, DECLARED)
    declared_present = set(declared_raw) if isinstance(declared_raw, Mapping) else set()

    def add(name: str, value: float, unit_kind: str, formula: str, used: tuple[str, ...]) -> None:
        pointer = f"{DECLARED}/{name}" if name in declared_present else None
        out[name] = Derived(name, value, unit_kind, formula, used, pointer, declared.get(name))

    compression = v.get("compression_ratio", 1.0) or 1.0
    has_ratio = "compression_ratio" in v
    comp_text = " / compression_ratio" if has_ratio else ""
    comp_num = f" / {fmt(compression)}" if has_ratio else ""
    comp_used = inputs.ptrs("compression_ratio")

    if inputs.has("events_per_day"):
        avg = v["events_per_day"] / SECONDS_PER_DAY
        add(
            "avg_eps",
            avg,
            EVENT_RATE,
            f"avg_eps = events_per_day / 86,400 = {fmt(v['events_per_day'])} / 86,400",
            inputs.ptrs("events_per_day"),
        )
        if inputs.has("bytes_per_event"):
            avg_ingest = avg * v["bytes_per_event"] / compression
            add(
                "avg_ingest",
                avg_ingest,
                BYTE_RATE,
                f"avg_ingest = avg_eps * bytes_per_event{comp_text} = "
                f"{_rate(avg)} * {_bytes(v['bytes_per_event'])}{comp_num}",
                inputs.ptrs("events_per_day", "bytes_per_event") + comp_used,
            )
        if inputs.has("peak_factor"):
            peak = avg * v["peak_factor"]
            add(
                "peak_eps",
                peak,
                EVENT_RATE,
                f"peak_eps = avg_eps * peak_factor = {_rate(avg)} * {fmt(v['peak_factor'])}",
                inputs.ptrs("events_per_day", "peak_factor"),
            )
    peak_eps = out["peak_eps"].value if "peak_eps" in out else None

    if peak_eps is not None and inputs.has("bytes_per_event"):
        ingest = peak_eps * v["bytes_per_event"] / compression
        add(
            "peak_ingest",
            ingest,
            BYTE_RATE,
            f"peak_ingest = peak_eps * bytes_per_event{comp_text} = "
            f"{_rate(peak_eps)} * {_bytes(v['bytes_per_event'])}{comp_num}",
            inputs.ptrs("events_per_day", "peak_factor", "bytes_per_event") + comp_used,
        )
        if inputs.has("per_partition_throughput") and v["per_partition_throughput"] > 0:
            _partitions(add, inputs, "", peak_eps, ingest)
            _partitions(add, inputs, "_10x", peak_eps * TEN_X, ingest * TEN_X)
        add(
            "peak_ingest_10x",
            ingest * TEN_X,
            BYTE_RATE,
            f"peak_ingest_10x = 10 * peak_ingest = 10 * {describe(ingest, BYTE_RATE)}",
            out["peak_ingest"].inputs_used,
        )
    if peak_eps is not None:
        add(
            "peak_eps_10x",
            peak_eps * TEN_X,
            EVENT_RATE,
            f"peak_eps_10x = 10 * peak_eps = 10 * {_rate(peak_eps)}",
            out["peak_eps"].inputs_used,
        )

    if "avg_ingest" in out and inputs.has("retention", "replication_factor", "headroom"):
        avg_ingest = out["avg_ingest"].value
        storage = avg_ingest * v["retention"] * v["replication_factor"] * (1.0 + v["headroom"])
        add(
            "retention_storage",
            storage,
            SIZE,
            "retention_storage = avg_ingest * retention * replication_factor * (1 + headroom)"
            f" = {describe(avg_ingest, BYTE_RATE)} * {_secs(v['retention'])}"
            f" * {fmt(v['replication_factor'])} * {fmt(1.0 + v['headroom'])}",
            out["avg_ingest"].inputs_used
            + inputs.ptrs("retention", "replication_factor", "headroom"),
        )

    _state(add, inputs, plan_data, out)
    _drain(add, inputs, out)
    _cost(add, inputs, out, plan_data)

    if inputs.has("events_per_day", "growth_per_year", "horizon") and v["growth_per_year"] >= -1:
        years = v["horizon"] / SECONDS_PER_YEAR
        factor = (1.0 + v["growth_per_year"]) ** years
        add(
            "events_per_day_at_horizon",
            v["events_per_day"] * factor,
            COUNT,
            "events_per_day_at_horizon = events_per_day * (1 + growth_per_year) ^ years"
            f" = {fmt(v['events_per_day'])} * {fmt(1.0 + v['growth_per_year'])} ^ {fmt(years)}",
            inputs.ptrs("events_per_day", "growth_per_year", "horizon"),
        )

    if peak_eps is not None and inputs.has("checkpoint_interval"):
        add(
            "replay_records",
            peak_eps * v["checkpoint_interval"],
            COUNT,
            "replay_records = checkpoint_interval * peak_eps = "
            f"{_secs(v['checkpoint_interval'])} * {_rate(peak_eps)}",
            out["peak_eps"].inputs_used + inputs.ptrs("checkpoint_interval"),
        )


def _partitions(add: _Add, inputs: _Inputs, suffix: str, peak_eps: float, ingest: float) -> None:
    v = inputs.values
    per_partition = v["per_partition_throughput"]
    by_bytes = ingest / per_partition
    parts = [f"peak_ingest{suffix} / per_partition_throughput"]
    numbers = [f"{describe(ingest, BYTE_RATE)} / {describe(per_partition, BYTE_RATE)}"]
    need = by_bytes
    used = inputs.ptrs("events_per_day", "peak_factor", "bytes_per_event")
    used += inputs.ptrs("compression_ratio", "per_partition_throughput")
    if v.get("per_consumer_throughput", 0) > 0:
        by_events = peak_eps / v["per_consumer_throughput"]
        need = max(need, by_events)
        parts.append(f"peak_eps{suffix} / per_consumer_throughput")
        numbers.append(f"{_rate(peak_eps)} / {_rate(v['per_consumer_throughput'])}")
        used += inputs.ptrs("per_consumer_throughput")
    throughput_need = math.ceil(need - 1e-9)
    add(
        f"partitions_throughput{suffix}",
        float(throughput_need),
        COUNT,
        f"partitions_throughput{suffix} = ceil(max({', '.join(parts)}))"
        f" = ceil(max({', '.join(numbers)}))",
        used,
    )
    total = throughput_need
    formula = f"partitions{suffix} >= ceil(max({', '.join(parts)}))"
    computed = f"ceil(max({', '.join(numbers)}))"
    if "max_consumer_parallelism" in v and not suffix:
        # The parallelism floor applies to today's plan; at 10x the parallelism is
        # expected to change with the partitions, so only throughput counts there.
        total = max(total, math.ceil(v["max_consumer_parallelism"]))
        formula = f"partitions >= max(ceil(max({', '.join(parts)})), max_consumer_parallelism)"
        computed = f"max({computed}, {fmt(v['max_consumer_parallelism'])})"
        used += inputs.ptrs("max_consumer_parallelism")
    add(f"partitions{suffix}", float(total), COUNT, f"{formula} = {computed}", used)


def _state(add: _Add, inputs: _Inputs, plan_data: Any, out: dict[str, Derived]) -> None:
    v = inputs.values
    spans = windows(plan_data)
    if spans and inputs.has("active_keys", "bytes_per_key"):
        delay = v.get("watermark_delay", 0.0)
        lateness = v.get("allowed_lateness", 0.0)
        live = sum(span.live_windows(delay, lateness) for span in spans)
        state = v["active_keys"] * v["bytes_per_key"] * live
        add(
            "window_state",
            state,
            SIZE,
            "window_state = active_keys * bytes_per_key * live_windows, live_windows = "
            "sum of ceil((size + watermark_delay + allowed_lateness) / slide) = "
            f"{fmt(v['active_keys'])} * {_bytes(v['bytes_per_key'])} * {live}",
            inputs.ptrs("active_keys", "bytes_per_key", "watermark_delay", "allowed_lateness")
            + tuple(span.pointer for span in spans),
        )
        add(
            "window_state_10x",
            state * TEN_X,
            SIZE,
            f"window_state_10x = 10 * window_state = 10 * {_bytes(state)}",
            out["window_state"].inputs_used,
        )
    if "peak_eps" in out and inputs.has("dedupe_window", "dedupe_key_bytes"):
        peak = out["peak_eps"].value
        dedupe = peak * v["dedupe_window"] * v["dedupe_key_bytes"]
        add(
            "dedupe_state",
            dedupe,
            SIZE,
            "dedupe_state = peak_eps * dedupe_window * dedupe_key_bytes = "
            f"{_rate(peak)} * {_secs(v['dedupe_window'])} * {_bytes(v['dedupe_key_bytes'])}",
            out["peak_eps"].inputs_used + inputs.ptrs("dedupe_window", "dedupe_key_bytes"),
        )
        add(
            "dedupe_state_10x",
            dedupe * TEN_X,
            SIZE,
            f"dedupe_state_10x = 10 * dedupe_state = 10 * {_bytes(dedupe)}",
            out["dedupe_state"].inputs_used,
        )


def _drain(add: _Add, inputs: _Inputs, out: dict[str, Derived]) -> None:
    v = inputs.values
    if "peak_eps" not in out or not inputs.has("outage", "consume_rate"):
        return
    produce = out["peak_eps"].value
    backlog = produce * v["outage"]
    used = out["peak_eps"].inputs_used + inputs.ptrs("outage", "consume_rate")
    add(
        "backlog",
        backlog,
        COUNT,
        f"backlog = peak_eps * outage = {_rate(produce)} * {_secs(v['outage'])}",
        used,
    )
    consume = v["consume_rate"]
    headline = "lag_drain_time = backlog / (consume_rate - peak_eps)"
    if consume <= produce:
        add(
            "lag_drain_time",
            math.inf,
            DURATION,
            f"{headline}; consume_rate {_rate(consume)} <= peak_eps {_rate(produce)}, "
            "so the backlog never drains",
            used,
        )
        return
    add(
        "lag_drain_time",
        backlog / (consume - produce),
        DURATION,
        f"{headline} = {fmt(backlog)} / ({_rate(consume)} - {_rate(produce)})",
        used,
    )


def _cost(add: _Add, inputs: _Inputs, out: dict[str, Derived], plan_data: Any) -> None:
    v = inputs.values
    if "retention_storage" not in out:
        return
    if not inputs.has("price_per_gb_month", "instances", "hourly_rate"):
        return
    storage_gb = out["retention_storage"].value / 1e9
    storage = storage_gb * v["price_per_gb_month"]
    compute = v["instances"] * v["hourly_rate"] * HOURS_PER_MONTH
    tiers = tier_costs(plan_data)
    tiered = sum(tier.monthly for tier in tiers)
    tier_text = " + storage tiers" if tiers else ""
    tier_sum = f" + {tiered:,.2f}" if tiers else ""
    add(
        "monthly_cost",
        storage + compute + tiered,
        MONEY,
        "monthly_cost = storage_GB * price_per_gb_month + instances * hourly_rate * 730"
        f"{tier_text} = {fmt(storage_gb)} * {fmt(v['price_per_gb_month'])}"
        f" + {fmt(v['instances'])} * {fmt(v['hourly_rate'])} * 730{tier_text}"
        f" = {storage:,.2f} + {compute:,.2f}{tier_sum}",
        out["retention_storage"].inputs_used
        + inputs.ptrs("price_per_gb_month", "instances", "hourly_rate")
        + tuple(tier.pointer for tier in tiers),
    )


TIERS: Final = "/capacity/storage_tiers"


@dataclass(frozen=True, slots=True)
class TierCost:
    """One storage tier's steady-state size and monthly cost."""

    pointer: str  # the tier entry
    name: str
    days: float  # how many days of data the tier holds
    size_bytes: float
    monthly: float
    formula: str


def tier_daily_volume(plan_data: Any) -> tuple[float, str] | None:
    """Bytes written to the storage tiers per day, and how that figure was obtained."""
    stated = parse_value(SIZE, resolve(plan_data, f"{TIERS}/daily_volume"))
    if stated is not None:
        return stated, "daily_volume"
    inputs = _read_inputs(plan_data).values
    if not {"events_per_day", "bytes_per_event"} <= inputs.keys():
        return None
    ratio = inputs.get("compression_ratio", 1.0) or 1.0
    return (
        inputs["events_per_day"] * inputs["bytes_per_event"] / ratio,
        "events_per_day * bytes_per_event / compression_ratio",
    )


def tier_costs(plan_data: Any) -> list[TierCost]:
    """Each tier's size (daily volume * the days of data it holds) and monthly cost; [] when
    the daily volume or a tier's age or price cannot be read, or the ages do not grow."""
    tiers = resolve(plan_data, f"{TIERS}/tiers")
    daily = tier_daily_volume(plan_data)
    if not isinstance(tiers, list) or daily is None:
        return []
    volume, source = daily
    out: list[TierCost] = []
    start = 0.0
    for index, tier in enumerate(tiers):
        if not isinstance(tier, Mapping):
            return []
        until = parse_value(DURATION, tier.get("until"))
        price = _number(tier.get("price_per_gb_month"))
        if until is None or price is None or until <= start:
            return []
        days = (until - start) / SECONDS_PER_DAY
        size = volume * days
        monthly = size / 1e9 * price
        out.append(
            TierCost(
                f"{TIERS}/tiers/{index}",
                str(tier.get("name")),
                days,
                size,
                monthly,
                f"{source} * days in tier / 1e9 * price_per_gb_month = "
                f"{_bytes(volume)}/day * {fmt(days)} days / 1e9 * {fmt(price)} "
                f"= {monthly:,.2f} a month",
            )
        )
        start = until
    return out


def missing_inputs(plan_data: Any) -> dict[str, list[str]]:
    """For each figure `capacity.declared` states but the inputs cannot produce: what is missing.

    Names are input keys (`peak_factor`) or display paths for values outside
    `capacity.inputs` (`event_semantics.windows`). Inputs that are present but invalid
    are not listed: the schema check already reports them.
    """
    declared_raw = resolve(plan_data, DECLARED)
    if not isinstance(declared_raw, Mapping):
        return {}
    inputs = _read_inputs(plan_data)
    derived = derive(plan_data)
    out: dict[str, list[str]] = {}
    for name in DECLARED_KINDS:
        if name not in declared_raw or name in derived:
            continue
        missing: list[str] = []
        for need in REQUIRES[name]:
            if need.startswith("/"):
                if resolve(plan_data, need) in (None, [], {}):
                    missing.append(need.strip("/").replace("/", "."))
            elif need not in inputs.values and need not in inputs.invalid:
                missing.append(need)
        if missing:
            out[name] = missing
    return out


def relative_difference(declared: float, derived: float) -> float:
    """|declared - derived| / derived (the absolute difference when derived is 0)."""
    if math.isinf(derived):
        return math.inf
    if derived == 0:
        return abs(declared)
    return abs(declared - derived) / abs(derived)
