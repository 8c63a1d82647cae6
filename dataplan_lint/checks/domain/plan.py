"""Read-only helpers over plain plan data: lookups that tolerate any malformed shape.

The schema check reports malformed plans; the domain checks must simply never crash on
them, so every accessor here returns None or an empty collection for a wrong shape.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import Any

from dataplan_lint.checks import capacity_math
from dataplan_lint.core import quantities
from dataplan_lint.core.pointers import display, resolve
from dataplan_lint.core.quantities import QuantityError, finite_figure

STREAMING_PATTERNS = ("stream", "cdc", "micro-batch")
STREAMING_SOURCE_KINDS = ("stream", "cdc")


def get(data: Any, pointer: str) -> Any:
    """The value at `pointer`, or None."""
    return resolve(data, pointer)


def mapping(data: Any, pointer: str) -> Mapping[str, Any]:
    node = get(data, pointer)
    return node if isinstance(node, Mapping) else {}


def listed(data: Any, pointer: str) -> list[Any]:
    """The list at `pointer`, or [] for anything else."""
    node = get(data, pointer)
    return node if isinstance(node, list) else []


def items(data: Any, pointer: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(pointer, entry) for every mapping in the list at `pointer`."""
    node = get(data, pointer)
    if not isinstance(node, list):
        return
    for index, entry in enumerate(node):
        if isinstance(entry, Mapping):
            yield f"{pointer}/{index}", entry


def strings(value: Any) -> list[str]:
    """A list of non-empty strings, or [] (a bare string counts as one)."""
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str) and item.strip()]
    return []


def present(value: Any) -> bool:
    """Set to something: not None, not an empty string, list or mapping."""
    if value is None:
        return False
    if isinstance(value, str | list | Mapping):
        return bool(value.strip() if isinstance(value, str) else value)
    return True


def quantity(kind: str, raw: Any) -> float | None:
    """`raw` parsed as `kind` in base units; None when absent or malformed."""
    if raw is None:
        return None
    if isinstance(raw, str | int | float):  # rules read the same few figures again and again
        return _quantity(kind, raw)
    return _parsed(kind, raw)


@lru_cache(maxsize=4096, typed=True)
def _quantity(kind: str, raw: str | int | float) -> float | None:
    """`_parsed`, remembered: a pure function of its arguments (bounded; not plan state)."""
    return _parsed(kind, raw)


def _parsed(kind: str, raw: Any) -> float | None:
    try:
        return quantities.parse(kind, raw).value
    except QuantityError:
        return None


def seconds(data: Any, pointer: str) -> float | None:
    return quantity("duration", get(data, pointer))


def unreadable(data: Any, *pointers: str, kind: str = "duration") -> bool:
    """Some value is written but does not parse as `kind`: its schema finding (DP015)
    reports it, and nothing may be computed from it (a misread value is no value)."""
    return any(
        (raw := get(data, pointer)) is not None and quantity(kind, raw) is None
        for pointer in pointers
    )


def threshold_seconds(raw: Any) -> float | None:
    """A threshold written as a duration (`60s`), in seconds; None for other kinds."""
    return quantity("duration", raw) if isinstance(raw, str) else None


def number(raw: Any) -> float | None:
    """A plain number usable as a figure (finite, within quantities.LARGEST_FIGURE)."""
    return finite_figure(raw)


def describe_seconds(value: float) -> str:
    return quantities.describe_seconds(value)


def where(pointer: str, data: Any = None) -> str:
    return display(pointer, data)


def sources(data: Any) -> list[tuple[str, Mapping[str, Any]]]:
    return list(items(data, "/sources"))


def contracts(data: Any) -> dict[str, tuple[str, Mapping[str, Any]]]:
    """Contracts by name: (pointer, contract)."""
    out: dict[str, tuple[str, Mapping[str, Any]]] = {}
    for pointer, contract in items(data, "/contracts"):
        name = contract.get("name")
        if isinstance(name, str) and name not in out:
            out[name] = (pointer, contract)
    return out


def layers(data: Any) -> dict[str, tuple[str, Mapping[str, Any]]]:
    out: dict[str, tuple[str, Mapping[str, Any]]] = {}
    for pointer, layer in items(data, "/modeling/layers"):
        name = layer.get("name")
        if isinstance(name, str) and name not in out:
            out[name] = (pointer, layer)
    return out


def metrics(data: Any) -> set[str]:
    return set(strings(get(data, "/operations/metrics")))


def is_streaming(data: Any) -> bool:
    """A streaming path: a stream/CDC/micro-batch ingestion or a stream/CDC source."""
    if get(data, "/ingestion/pattern") in STREAMING_PATTERNS:
        return True
    return any(source.get("kind") in STREAMING_SOURCE_KINDS for _, source in sources(data))


def at_least_once(data: Any) -> list[str]:
    """Pointers of every at-least-once delivery the plan declares (ingestion, sources)."""
    out = [
        f"{pointer}/delivery"
        for pointer, source in sources(data)
        if source.get("delivery") == "at-least-once"
    ]
    if get(data, "/ingestion/delivery") == "at-least-once":
        out.insert(0, "/ingestion/delivery")
    return out


def sink_is_idempotent(data: Any) -> bool:
    sink = mapping(data, "/ingestion/sink")
    return sink.get("idempotent") is True or sink.get("write_mode") in ("upsert", "merge")


def sink_appends(data: Any) -> bool:
    """The sink adds rows and never replaces one (`write_mode: append`).

    `idempotent: true` on such a sink absorbs a redelivered identical record, but a
    changed result for the same key (a late update, an upserting replay) is a new row.
    """
    return bool(get(data, "/ingestion/sink/write_mode") == "append")


def ingestion_applies_updates(data: Any) -> bool:
    """Ingestion itself upserts or deletes (DP512 then reports an appending sink)."""
    return bool(get(data, "/ingestion/update_semantics") in ("upsert", "delete-aware"))


def late_update_into_append(data: Any) -> bool:
    """Late data updates results into an appending sink (DP306 reports it)."""
    return (
        get(data, "/event_semantics/late_data_policy/action") == "update"
        and sink_appends(data)
        and not ingestion_applies_updates(data)
    )


def replays_into_append(data: Any) -> bool:
    """At-least-once delivery into an appending sink that neither commits with the
    checkpoint (transactional) nor absorbs repeats (idempotent)."""
    sink = mapping(data, "/ingestion/sink")
    return (
        bool(at_least_once(data))
        and sink_appends(data)
        and sink.get("transactional") is not True
        and sink.get("idempotent") is not True
    )


def sink_name(data: Any) -> str:
    name = get(data, "/ingestion/sink/name")
    return name if isinstance(name, str) and name.strip() else "the sink"


def slo_seconds(data: Any) -> float | None:
    return seconds(data, "/event_semantics/freshness_slo/target")


def field_named(fields: Any, dotted: str) -> Mapping[str, Any] | None:
    """The field at a dotted path (`context.locale`) in a list of contract fields."""
    current = fields
    found: Mapping[str, Any] | None = None
    for part in dotted.split("."):
        if not isinstance(current, list):
            return None
        found = next((f for f in current if isinstance(f, Mapping) and f.get("name") == part), None)
        if found is None:
            return None
        current = found.get("fields")
    return found


def derived(data: Any) -> dict[str, capacity_math.Derived]:
    """`capacity_math.derive(data)`, computed once per plan.

    Many capacity rules look at the same derived figures; the plan's memo (engine/memo.py)
    keeps them for the other rules. Keyed by the data's identity and holding the data, so
    a check called on other data (a test, a fix preview) never gets this plan's figures.
    """
    from dataplan_lint.engine.memo import current

    held = current().get(("derived", id(data)), lambda: (data, capacity_math.derive(data)))
    return held[1] if held[0] is data else capacity_math.derive(data)
