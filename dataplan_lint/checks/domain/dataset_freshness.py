"""Freshness per dataset: what each dataset's own consumers need, not one plan-wide SLO.

A hybrid plan serves a streaming path with a minutes SLO and a daily batch mart whose
consumers need a day. `modeling.layers[].freshness` states a dataset's own target, and
`context.consumers[].reads` says which datasets a consumer reads (so does a contract's
`consumers` list when it names consumers of `context.consumers`); a dataset without
either falls back to the plan's `event_semantics.freshness_slo`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from dataplan_lint.checks.domain import Issue
from dataplan_lint.checks.domain import plan as p

CONSUMERS = "/context/consumers"


@dataclass(frozen=True, slots=True)
class Target:
    """A dataset's freshness target, where it is stated and what it is called."""

    seconds: float
    pointer: str
    label: str


def readers(data: Any, dataset: str) -> list[tuple[str, Mapping[str, Any]]]:
    """(pointer, consumer) of every consumer that reads `dataset`: its `reads` names the
    dataset, or the dataset's contract (the layer's `contract`, or the dataset itself when
    it is a contract) lists the consumer by name among its `consumers`."""
    contracts = p.contracts(data)
    layer = p.layers(data).get(dataset)
    contract_name = layer[1].get("contract") if layer is not None else dataset
    listed: set[str] = set()
    if isinstance(contract_name, str) and contract_name in contracts:
        listed = set(p.strings(contracts[contract_name][1].get("consumers")))
    return [
        (ptr, c)
        for ptr, c in p.items(data, CONSUMERS)
        if dataset in p.strings(c.get("reads")) or c.get("name") in listed
    ]


def dataset_target(data: Any, dataset: str) -> Target | None:
    """The freshness `dataset` must meet: its layer's own `freshness`, else the tightest
    freshness of the consumers that read it, else the plan-wide SLO (None: none stated)."""
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
    return Target(slo, "/event_semantics/freshness_slo/target", "the freshness SLO")


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
