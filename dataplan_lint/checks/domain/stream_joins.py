"""Gate 3: stream-to-stream joins and how far apart duplicates arrive.

A join keeps each side's records in state until the other side's match can no longer
come: that is the join window plus the lateness of the slowest input. Records later than
the watermark lets in miss the join (an inner join drops them, an outer join has already
emitted the unmatched row). The keys must exist in each input's contract, one for one.
A dedupe window shorter than the spread between copies of an event lets the later copy
through.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.checks.contract_fields import ContractFields, contract_fields
from dataplan_lint.checks.domain import Issue
from dataplan_lint.checks.domain import plan as p
from dataplan_lint.engine.check_input import CheckInput
from dataplan_lint.files.loader import LoadedPlan

ES = "/event_semantics"
JOINS = f"{ES}/joins"


def _joins(data: Any) -> Iterator[tuple[str, Mapping[str, Any]]]:
    return p.items(data, JOINS)


def _inputs(join: Mapping[str, Any], pointer: str) -> list[tuple[str, Mapping[str, Any]]]:
    inputs = join.get("inputs")
    if not isinstance(inputs, list):
        return []
    return [(f"{pointer}/inputs/{i}", x) for i, x in enumerate(inputs) if isinstance(x, Mapping)]


def _lateness(entry: Mapping[str, Any]) -> float | None:
    return p.quantity("duration", entry.get("lateness"))


def state_vs_window(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """The join state lives at least as long as the window plus the latest input's lateness."""
    fmt = p.describe_seconds
    for pointer, join in _joins(data):
        ttl = p.quantity("duration", join.get("state_ttl"))
        window = p.quantity("duration", join.get("window"))
        if ttl is None or window is None:
            continue
        late = [(s, ptr) for ptr, x in _inputs(join, pointer) if (s := _lateness(x)) is not None]
        lateness, late_ptr = max(late, default=(0.0, ""))
        if ttl < window + lateness:
            related = [(f"{pointer}/window", "the join window")]
            if late_ptr:
                related.append((f"{late_ptr}/lateness", "the latest input's lateness"))
            yield Issue(
                f"{pointer}/state_ttl",
                {
                    "join": str(join.get("name")),
                    "ttl": fmt(ttl),
                    "needed": fmt(window + lateness),
                    "window": fmt(window),
                    "lateness": fmt(lateness),
                },
                related=tuple(related),
            )


def input_lateness_vs_watermark(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """No input arrives later than the watermark delay plus the allowed lateness let in."""
    delay = p.seconds(data, f"{ES}/watermark/delay")
    if delay is None:
        return
    allowed = p.seconds(data, f"{ES}/allowed_lateness") or 0.0
    fmt = p.describe_seconds
    for pointer, join in _joins(data):
        for input_ptr, entry in _inputs(join, pointer):
            lateness = _lateness(entry)
            if lateness is not None and lateness > delay + allowed:
                yield Issue(
                    f"{input_ptr}/lateness",
                    {
                        "input": str(entry.get("source")),
                        "join": str(join.get("name")),
                        "lateness": fmt(lateness),
                        "tolerated": fmt(delay + allowed),
                        "kind": str(join.get("kind", "inner")),
                    },
                    related=((f"{ES}/watermark/delay", "the watermark delay"),),
                )


def key_arity(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """Every input joins on as many key fields as the first."""
    for pointer, join in _joins(data):
        inputs = _inputs(join, pointer)
        if not inputs:
            continue
        first_ptr, first = inputs[0]
        width = len(p.strings(first.get("key")))
        for input_ptr, entry in inputs[1:]:
            keys = p.strings(entry.get("key"))
            if width and keys and len(keys) != width:
                yield Issue(
                    f"{input_ptr}/key",
                    {
                        "input": str(entry.get("source")),
                        "count": len(keys),
                        "first": str(first.get("source")),
                        "width": width,
                    },
                    related=((f"{first_ptr}/key", "the first input's key"),),
                )


def _input_contract(
    data: Any, plan: LoadedPlan, name: str
) -> tuple[str, str, ContractFields] | None:
    """(contract pointer, contract name, fields) of the source (or layer) `name`."""
    contracts = p.contracts(data)
    contract_name: Any = None
    for _, source in p.sources(data):
        if source.get("id") == name:
            contract_name = source.get("contract")
    layer = p.layers(data).get(name)
    if contract_name is None and layer is not None:
        contract_name = layer[1].get("contract")
    if not isinstance(contract_name, str) or contract_name not in contracts:
        return None
    pointer, contract = contracts[contract_name]
    fields = contract_fields(plan, pointer, contract)
    return None if fields is None else (pointer, contract_name, fields)


def keys_in_contracts(inp: CheckInput) -> Iterator[Issue]:
    """Each input's join key fields exist in that input's contract."""
    data, plan = inp.data, inp.plan
    for pointer, join in _joins(data):
        for input_ptr, entry in _inputs(join, pointer):
            source = entry.get("source")
            found = _input_contract(data, plan, source) if isinstance(source, str) else None
            if found is None:
                continue
            contract_ptr, contract_name, fields = found
            for index, key in enumerate(p.listed(entry, "/key")):
                if isinstance(key, str) and fields.field(key) is None:
                    yield Issue(
                        f"{input_ptr}/key/{index}",
                        {"name": key, "input": source, "contract": contract_name},
                        related=((contract_ptr, f"contract {contract_name}"),),
                    )


def dedupe_vs_spread(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """The dedupe window covers how far apart copies of one event arrive."""
    window = p.seconds(data, f"{ES}/duplicates/dedupe/window")
    spread = p.seconds(data, f"{ES}/duplicates/spread")
    if window is None or spread is None or window >= spread:
        return
    yield Issue(
        f"{ES}/duplicates/dedupe/window",
        {"window": p.describe_seconds(window), "spread": p.describe_seconds(spread)},
        related=((f"{ES}/duplicates/spread", "how far apart duplicates arrive"),),
    )
