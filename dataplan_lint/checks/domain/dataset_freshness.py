"""Freshness per dataset: what each dataset's own consumers need, not one plan-wide SLO.

A hybrid plan serves a streaming path with a minutes SLO and a daily batch mart whose
consumers need a day. `modeling.layers[].freshness` states a dataset's own target, and
`context.consumers[].reads` says which datasets a consumer reads (so does a contract's
`consumers` list when it names a consumer, or its owning team). A dataset with neither
falls back to the plan's `event_semantics.freshness_slo` - unless that SLO says it is
measured at another layer this dataset does not feed (`measured_at`), in which case the
SLO is not this dataset's promise and the loosest consumer freshness bounds it instead.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from dataplan_lint.checks.domain import Issue
from dataplan_lint.checks.domain import plan as p
from dataplan_lint.core import regexes

CONSUMERS = "/context/consumers"
SLO = "/event_semantics/freshness_slo"


@dataclass(frozen=True, slots=True)
class Target:
    """A dataset's freshness target, where it is stated and what it is called."""

    seconds: float
    pointer: str
    label: str


def _layer_of(data: Any, dataset: str) -> str | None:
    """The layer a dataset is: itself, or the layer built to it when it is a contract."""
    layers = p.layers(data)
    if dataset in layers:
        return dataset
    built = [name for name, (_, layer) in layers.items() if layer.get("contract") == dataset]
    return built[0] if len(built) == 1 else None


def readers(data: Any, dataset: str) -> list[tuple[str, Mapping[str, Any]]]:
    """(pointer, consumer) of every consumer that reads `dataset`: its `reads` names the
    dataset, or the dataset's contract (the layer's `contract`, or the dataset itself when
    it is a contract) lists the consumer, or its owning team, among its `consumers`."""
    contracts = p.contracts(data)
    layer = p.layers(data).get(dataset)
    contract_name = layer[1].get("contract") if layer is not None else dataset
    listed: set[str] = set()
    if isinstance(contract_name, str) and contract_name in contracts:
        listed = set(p.strings(contracts[contract_name][1].get("consumers")))
    return [
        (ptr, c)
        for ptr, c in p.items(data, CONSUMERS)
        if dataset in p.strings(c.get("reads"))
        or any(isinstance(c.get(key), str) and c.get(key) in listed for key in ("name", "owner"))
    ]


def _upstream(data: Any, layer: str) -> set[str]:
    """Every layer `layer` reads, directly or through other layers."""
    layers = p.layers(data)
    seen: set[str] = set()
    todo = [layer]
    while todo:
        current = layers.get(todo.pop())
        for name in p.strings(current[1].get("reads_from")) if current else []:
            if name not in seen:
                seen.add(name)
                todo.append(name)
    return seen


def _measured_elsewhere(data: Any, dataset: str) -> str | None:
    """The layer the plan-wide SLO is measured at, when that is a layer `dataset` neither
    is nor feeds; None otherwise (the SLO then covers the dataset)."""
    where = p.get(data, f"{SLO}/measured_at")
    if not isinstance(where, str) or len(where) > 1000:
        return None
    mentioned = [
        name
        for name in p.layers(data)
        if regexes.DATASET_MENTION.compile(name).search(where) is not None
    ]
    if len(mentioned) != 1:
        return None
    measured = mentioned[0]
    own = _layer_of(data, dataset)
    if own is None or own == measured or own in _upstream(data, measured):
        return None
    return measured


def dataset_target(data: Any, dataset: str) -> Target | None:
    """The freshness `dataset` must meet: its layer's own `freshness`, else the tightest
    freshness of the consumers that read it, else the plan-wide SLO (or, when that SLO is
    measured at a layer this dataset does not feed, the loosest consumer freshness)."""
    layer = p.layers(data).get(dataset)
    if layer is not None:
        own = p.quantity("duration", layer[1].get("freshness"))
        if own is not None:
            return Target(own, f"{layer[0]}/freshness", f"the freshness of {dataset}")
    needs = [
        (value, f"{ptr}/freshness", str(c.get("name")))
        for ptr, c in readers(data, dataset)
        if (value := p.quantity("duration", c.get("freshness"))) is not None
    ]
    if needs:
        value, pointer, name = min(needs, key=lambda need: need[0])
        return Target(value, pointer, f"the freshness {name} needs from {dataset}")
    slo = p.slo_seconds(data)
    if slo is None:
        return None
    measured = _measured_elsewhere(data, dataset)
    if measured is None:
        return Target(slo, f"{SLO}/target", "the freshness SLO")
    every = [
        (value, f"{ptr}/freshness", str(c.get("name")))
        for ptr, c in p.items(data, CONSUMERS)
        if (value := p.quantity("duration", c.get("freshness"))) is not None
    ]
    if not every:
        return None
    value, pointer, name = max(every, key=lambda need: need[0])
    return Target(
        value,
        pointer,
        f"the freshness of the least demanding consumer, {name} (the SLO is measured at "
        f"{measured}, which {dataset} does not feed)",
    )


def layer_vs_readers(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """A dataset's own freshness is no looser than what the consumers reading it need."""
    fmt = p.describe_seconds
    for name, (pointer, layer) in p.layers(data).items():
        own = p.quantity("duration", layer.get("freshness"))
        if own is None:
            continue
        for consumer_ptr, consumer in readers(data, name):
            need = p.quantity("duration", consumer.get("freshness"))
            if need is not None and own > need:
                yield Issue(
                    f"{pointer}/freshness",
                    {
                        "dataset": name,
                        "freshness": fmt(own),
                        "consumer": str(consumer.get("name")),
                        "need": fmt(need),
                    },
                    related=((f"{consumer_ptr}/freshness", "the consumer's freshness"),),
                )
                break
