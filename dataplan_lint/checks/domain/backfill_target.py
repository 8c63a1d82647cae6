"""Gate 10: where a backfill writes and how a rollback restores the data.

A backfill into a shadow copy goes live only through a swap, and the shadow copy must
not be the live table itself. A rollback restores data from a snapshot, the table's
time travel or a kept previous copy - each kept at least as long as a rollback may be
needed - or rebuilds it from the immutable raw layer, which must exist and reach as far
back. The rollback window is `backfill.rollback.window`, else the validation's
stabilization window.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.checks.domain import Issue
from dataplan_lint.checks.domain import plan as p

TARGET = "/backfill/target"
RESTORE = "/backfill/rollback/restore"
KEPT_COPIES = ("snapshot", "time-travel", "previous-copy")
LIVE_LAYERS = ("serving", "mart")


def shadow_without_swap(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """A shadow backfill names how its copy replaces the live table."""
    target = p.mapping(data, TARGET)
    if target.get("mode") != "shadow" or target.get("swap") not in (None, "none"):
        return
    where = f"{TARGET}/swap" if "swap" in target else f"{TARGET}/mode"
    yield Issue(where, {"table": str(target.get("table", "the shadow copy"))})


def _live_tables(data: Any) -> dict[str, str]:
    """Names of what consumers read -> pointer: the layer the backfill rebuilds, the sink
    and the consumer-facing layers."""
    live: dict[str, str] = {}
    rebuilt = p.get(data, f"{TARGET}/layer")
    if isinstance(rebuilt, str):
        live[rebuilt] = f"{TARGET}/layer"
    sink = p.get(data, "/ingestion/sink/name")
    if isinstance(sink, str):
        live[sink] = "/ingestion/sink/name"
    for name, (pointer, layer) in p.layers(data).items():
        if layer.get("kind") in LIVE_LAYERS:
            live.setdefault(name, f"{pointer}/name")
    return live


def _bare(name: str) -> str:
    return name.rsplit(".", 1)[-1]


def shadow_is_live(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """The shadow copy is not the live table."""
    target = p.mapping(data, TARGET)
    table = target.get("table")
    if target.get("mode") != "shadow" or not isinstance(table, str):
        return
    for live, pointer in _live_tables(data).items():
        if table == live or (_bare(table) == _bare(live) and "." not in table):
            yield Issue(f"{TARGET}/table", {"table": table}, related=((pointer, "the live table"),))
            return


def rollback_window(data: Any) -> tuple[float, str] | None:
    for pointer in ("/backfill/rollback/window", "/validation/stabilization_window"):
        value = p.seconds(data, pointer)
        if value is not None:
            return value, pointer
    return None


def restore_retention(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """A snapshot, time travel or previous copy is kept for the whole rollback window."""
    restore = p.mapping(data, RESTORE)
    method = restore.get("method")
    kept = p.quantity("duration", restore.get("retention"))
    window = rollback_window(data)
    if method not in KEPT_COPIES or kept is None or window is None or kept >= window[0]:
        return
    yield Issue(
        f"{RESTORE}/retention",
        {
            "method": method,
            "kept": p.describe_seconds(kept),
            "window": p.describe_seconds(window[0]),
        },
        related=((window[1], "the rollback window"),),
    )


def rebuild_from_raw(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """A rebuild from raw names an immutable raw layer that keeps the rollback window."""
    restore = p.mapping(data, RESTORE)
    if restore.get("method") != "rebuild-from-raw":
        return
    name = restore.get("from")
    layers = p.layers(data)
    if not isinstance(name, str):
        raws = [n for n, (_, layer) in layers.items() if layer.get("kind") == "raw"]
        if len(raws) != 1:
            yield Issue(
                f"{RESTORE}/method",
                {"problem": "names no raw layer to rebuild from (`from`)", "fix": "name it"},
            )
            return
        name = raws[0]
    if name not in layers:
        yield Issue(
            f"{RESTORE}/from",
            {"problem": f"names `{name}`, which is not a layer", "fix": "name the raw layer"},
        )
        return
    pointer, layer = layers[name]
    if layer.get("kind") != "raw" or layer.get("immutable") is False:
        yield Issue(
            f"{RESTORE}/from" if "from" in restore else f"{RESTORE}/method",
            {
                "problem": f"rebuilds from `{name}`, a {layer.get('kind')} layer that is "
                + ("not immutable" if layer.get("immutable") is False else "not the raw layer"),
                "fix": "restore from the immutable raw layer instead",
            },
            related=((f"{pointer}/kind", f"layer {name}"),),
        )
        return
    kept = p.quantity("duration", layer.get("retention"))
    window = rollback_window(data)
    if kept is not None and window is not None and kept < window[0]:
        yield Issue(
            f"{pointer}/retention",
            {
                "problem": f"rebuilds from `{name}`, which keeps {p.describe_seconds(kept)}, "
                f"less than the {p.describe_seconds(window[0])} rollback window",
                "fix": "keep the raw layer at least that long",
            },
            related=((window[1], "the rollback window"), (f"{RESTORE}/method", "the restore")),
        )
