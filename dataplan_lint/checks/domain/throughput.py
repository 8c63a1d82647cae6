"""Gate 4: the consumers and the money, weighed against the rates they must carry.

Partitions are sized from the peak rate (DP402); the consumers that read them must carry
it too: parallelism x what one consumer sustains covers the peak, and the catch-up rate
the drain estimate assumes is no faster than those consumers can read. Each cost driver
that restates a figure the inputs determine (compute hours, retained storage) agrees
with it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.checks import capacity_math as cm
from dataplan_lint.checks.domain import Issue
from dataplan_lint.checks.domain import plan as p
from dataplan_lint.engine.check_input import CheckInput

PER_CONSUMER = f"{cm.INPUTS}/per_consumer_throughput"
PARALLELISMS = ("/ingestion/concurrency/max_parallelism", f"{cm.INPUTS}/max_consumer_parallelism")


def _rate(value: float) -> str:
    return cm.describe(value, cm.EVENT_RATE)


def _peak(data: Any) -> tuple[float, str] | None:
    """The peak rate: derived from the inputs, else as declared."""
    derived = p.derived(data).get("peak_eps")
    if derived is not None:
        return derived.value, derived.formula
    declared = p.number(p.get(data, f"{cm.DECLARED}/peak_eps"))
    return (declared, "declared peak_eps") if declared is not None else None


def _parallelisms(data: Any) -> list[tuple[str, float]]:
    out = []
    for pointer in PARALLELISMS:
        value = p.number(p.get(data, pointer))
        if value is not None and value > 0:
            out.append((pointer, value))
    return out


def _inputs_contradict_sources(inp: CheckInput, *names: str) -> bool:
    """A capacity input the sources contradict (DP470, DP471): figures derived from it
    describe another system, and the source-sizing finding is the one finding."""
    from dataplan_lint.checks.domain.source_sizing import as_the_sources_say

    wrong = as_the_sources_say(inp.data, inp.settings.tolerance)
    return any(name in wrong for name in names)


def consumers_cover_peak(inp: CheckInput) -> Iterator[Issue]:
    """parallelism x per-consumer throughput >= peak rate.

    When every stated parallelism falls short, the per-consumer figure they share is the
    one finding; otherwise the parallelism that falls short is.
    """
    data = inp.data
    if _inputs_contradict_sources(inp, "events_per_day"):
        return
    per_consumer = p.quantity("event-rate", p.get(data, PER_CONSUMER))
    peak = _peak(data)
    found = _parallelisms(data)
    if per_consumer is None or per_consumer <= 0 or peak is None or not found:
        return
    short = [(pointer, value) for pointer, value in found if value * per_consumer < peak[0]]
    if not short:
        return
    if len(short) == len(found) and len(found) > 1:
        pointer, value = PER_CONSUMER, max(v for _, v in found)
    else:
        pointer, value = short[0]
    yield Issue(
        pointer,
        {
            "parallelism": int(value),
            "per_consumer": _rate(per_consumer),
            "capacity": _rate(value * per_consumer),
            "peak": _rate(peak[0]),
            "needed": math.ceil(peak[0] / per_consumer - 1e-9),
            "formula": peak[1],
        },
        related=tuple((other, "consumer parallelism") for other, _ in found if other != pointer)
        + (((PER_CONSUMER, "what one consumer sustains"),) if pointer != PER_CONSUMER else ()),
    )


def catch_up_within_consumers(inp: CheckInput) -> Iterator[Issue]:
    """The catch-up rate is no faster than parallelism x per-consumer throughput."""
    data, settings = inp.data, inp.settings
    if _inputs_contradict_sources(inp, "events_per_day"):
        return
    pointer = f"{cm.INPUTS}/consume_rate"
    consume = p.quantity("event-rate", p.get(data, pointer))
    per_consumer = p.quantity("event-rate", p.get(data, PER_CONSUMER))
    found = _parallelisms(data)
    if consume is None or per_consumer is None or not found:
        return
    parallelism = max(value for _, value in found)
    ceiling = parallelism * per_consumer
    peak = _peak(data)
    if peak is not None and ceiling < peak[0]:
        return  # the consumers cannot even carry the peak: DP417 is the finding
    if consume > ceiling * (1.0 + settings.tolerance):
        yield Issue(
            pointer,
            {
                "consume": _rate(consume),
                "ceiling": _rate(ceiling),
                "parallelism": int(parallelism),
                "per_consumer": _rate(per_consumer),
            },
            related=((PER_CONSUMER, "what one consumer sustains"),),
        )


def _driver(data: Any, kind: str) -> tuple[str, float] | None:
    """(pointer of its monthly figure, value) of the one driver of `kind` with a figure."""
    found = [
        (f"{pointer}/monthly", value)
        for pointer, driver in p.items(data, "/capacity/cost_drivers")
        if driver.get("kind") == kind and (value := p.number(driver.get("monthly"))) is not None
    ]
    return found[0] if len(found) == 1 else None


def _compute_cost(data: Any) -> tuple[float, str] | None:
    inputs = p.mapping(data, cm.INPUTS)
    instances = p.number(inputs.get("instances"))
    rate = p.number(inputs.get("hourly_rate"))
    if instances is None or rate is None:
        return None
    cost = instances * rate * cm.HOURS_PER_MONTH
    return cost, f"instances * hourly_rate * 730 = {cm.fmt(instances)} * {cm.fmt(rate)} * 730"


def _storage_cost(data: Any) -> tuple[float, str] | None:
    storage = p.derived(data).get("retention_storage")
    price = p.number(p.get(data, f"{cm.INPUTS}/price_per_gb_month"))
    if storage is None or price is None:
        return None
    gb = storage.value / 1e9
    return gb * price, f"retention_storage_GB * price_per_gb_month = {cm.fmt(gb)} * {cm.fmt(price)}"


def _off(stated: float, expected: float, tolerance: float) -> bool:
    """Apart by more than the tolerance, and by more than one unit of money (figures
    written to the cent differ from tiny exact costs by rounding alone)."""
    return abs(stated - expected) >= 1.0 and cm.relative_difference(stated, expected) > tolerance


def cost_driver_figures(inp: CheckInput) -> Iterator[Issue]:
    """A compute or storage driver's monthly figure agrees with the inputs' cost.

    The storage driver is weighed only while the declared monthly cost agrees with the
    inputs (DP407 quiet), so a wrong input is one finding, not one per figure it feeds.
    """
    data, tolerance = inp.data, inp.settings.tolerance
    if _inputs_contradict_sources(inp, "events_per_day", "retention"):
        return
    compute = _compute_cost(data)
    driver = _driver(data, "compute")
    if compute is not None and driver is not None and _off(driver[1], compute[0], tolerance):
        yield _driver_issue(driver, compute, "compute", tolerance)
    storage = _storage_cost(data)
    driver = _driver(data, "storage")
    total = p.derived(data).get("monthly_cost")
    agrees = (
        total is not None
        and total.declared_value is not None
        and not _off(total.declared_value, total.value, tolerance)
    )
    if (
        storage is not None
        and driver is not None
        and agrees
        and _off(driver[1], storage[0], tolerance)
    ):
        yield _driver_issue(driver, storage, "storage", tolerance)


def _driver_issue(
    driver: tuple[str, float], expected: tuple[float, str], kind: str, tolerance: float
) -> Issue:
    return Issue(
        driver[0],
        {
            "kind": kind,
            "stated": f"{driver[1]:,.2f}",
            "expected": f"{expected[0]:,.2f}",
            "formula": expected[1],
            "tolerance": f"{tolerance:.0%}",
        },
    )


def autoscaling_bounds(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """min <= steady-state instances <= max <= the instance limit; one finding, at the
    bound that leaves the others."""
    scaling = "/operations/cost_guardrails/autoscaling"
    low = p.number(p.get(data, f"{scaling}/min"))
    high = p.number(p.get(data, f"{scaling}/max"))
    instances = p.number(p.get(data, "/capacity/runtime_envelope/instances"))
    limit = p.number(p.get(data, "/ingestion/concurrency/resource_limits/max_instances"))
    problem: tuple[str, str, str] | None = None
    if low is not None and high is not None and low > high:
        problem = (f"{scaling}/max", f"max {high:g} is below min {low:g}", f"{scaling}/min")
    elif instances is not None and low is not None and instances < low:
        problem = (
            f"{scaling}/min",
            f"min {low:g} is above the {instances:g} instances the runtime envelope plans",
            "/capacity/runtime_envelope/instances",
        )
    elif instances is not None and high is not None and instances > high:
        problem = (
            f"{scaling}/max",
            f"max {high:g} is below the {instances:g} instances the runtime envelope plans",
            "/capacity/runtime_envelope/instances",
        )
    elif limit is not None and high is not None and high > limit:
        problem = (
            f"{scaling}/max",
            f"max {high:g} is above the limit of {limit:g} instances",
            "/ingestion/concurrency/resource_limits/max_instances",
        )
    if problem is not None:
        yield Issue(problem[0], {"problem": problem[1]}, related=((problem[2], "the other bound"),))
