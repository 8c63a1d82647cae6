"""Gate 10: backfill, replay, cutover and rollback."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.checks.domain import Check, Issue
from dataplan_lint.checks.domain import plan as p

BF = "/backfill"
KEYED_STRATEGIES = ("upsert", "dedupe")


def _section(data: Any) -> Mapping[str, Any] | None:
    section = p.get(data, BF)
    return section if isinstance(section, Mapping) else None


def replay_without_idempotency(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    strategy = p.get(data, f"{BF}/idempotency/strategy")
    if strategy != "none":
        return
    if p.present(p.get(data, "/event_semantics/duplicates/dedupe")):
        return
    yield Issue(f"{BF}/idempotency/strategy")


def idempotency_key(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    idempotency = p.mapping(data, f"{BF}/idempotency")
    strategy = idempotency.get("strategy")
    if strategy in KEYED_STRATEGIES and not p.strings(idempotency.get("key")):
        yield Issue(f"{BF}/idempotency/strategy", {"strategy": str(strategy)})


def replay_upsert_into_append_sink(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """A replay that upserts on a key needs a sink that can replace rows.

    Reported only when no earlier rule already names the appending sink: DP512 (ingestion
    upserts into it) and DP306 (late updates into it) have the same fix.
    """
    idempotency = p.mapping(data, f"{BF}/idempotency")
    if idempotency.get("strategy") != "upsert" or not p.sink_appends(data):
        return
    if (
        p.ingestion_applies_updates(data)
        or p.late_update_into_append(data)
        or p.replays_into_append(data)
    ):
        return
    keys = p.strings(idempotency.get("key"))
    yield Issue(
        f"{BF}/idempotency/strategy",
        {"sink": p.sink_name(data), "key": ", ".join(keys) if keys else "its key"},
        related=(("/ingestion/sink/write_mode", "the sink appends"),),
    )


def replay_boundaries(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    replay = p.get(data, f"{BF}/replay")
    if not isinstance(replay, Mapping):
        return
    boundaries = replay.get("boundaries")
    if not isinstance(boundaries, Mapping) or not boundaries:
        yield Issue(f"{BF}/replay", {"missing": "boundaries (from and to)"}, at_key=True)
        return
    missing = [key for key in ("from", "to") if not p.present(boundaries.get(key))]
    if missing:
        yield Issue(f"{BF}/replay/boundaries", {"missing": " and ".join(missing)}, at_key=True)


def _missing_key(parent: str, key: str) -> Any:
    def check(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
        node = p.get(data, parent)
        if isinstance(node, Mapping) and not p.present(node.get(key)):
            yield Issue(parent, {"missing": key}, at_key=True)

    return check


def cutover_checkpoints(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    cutover = p.get(data, f"{BF}/cutover")
    if not isinstance(cutover, Mapping):
        return
    checkpoints = list(p.items(data, f"{BF}/cutover/checkpoints"))
    if not checkpoints:
        yield Issue(f"{BF}/cutover", {"problem": "names no measurable checkpoints"}, at_key=True)
        return
    for pointer, checkpoint in checkpoints:
        if not p.present(checkpoint.get("comparator")):
            yield Issue(
                pointer,
                {
                    "problem": f"checkpoint {checkpoint.get('name')!r} has no comparator, so it is "
                    "not clear which side of the threshold passes"
                },
            )


def rollback_triggers(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    rollback = p.get(data, f"{BF}/rollback")
    if not isinstance(rollback, Mapping):
        return
    triggers = list(p.items(data, f"{BF}/rollback/triggers"))
    if not triggers:
        yield Issue(f"{BF}/rollback", {"problem": "has no rollback triggers"}, at_key=True)
        return
    needed = ("metric", "comparator", "threshold")
    bad = [
        (pointer, [key for key in needed if not p.present(trigger.get(key))])
        for pointer, trigger in triggers
    ]
    bad = [(pointer, missing) for pointer, missing in bad if missing]
    if not bad:
        return
    # Several vague triggers are one defect in one place: one finding, at the first.
    lacking = sorted({key for _, missing in bad for key in missing}, key=needed.index)
    which = "a trigger" if len(bad) == 1 else f"{len(bad)} triggers"
    yield Issue(
        bad[0][0],
        {
            "problem": f"has {which} without {' and '.join(lacking)}, so nobody can tell "
            "objectively when it fires - give every trigger a metric, a comparator and a "
            "threshold"
        },
        related=tuple((pointer, "also without " + " and ".join(m)) for pointer, m in bad[1:]),
    )


def replay_window_vs_workflow(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    window = p.seconds(data, f"{BF}/replay/window")
    workflow = p.seconds(data, "/operations/replay_workflow/max_window")
    if window is not None and workflow is not None and window > workflow:
        fmt = p.describe_seconds
        yield Issue(
            f"{BF}/replay/window",
            {"window": fmt(window), "max_window": fmt(workflow)},
            related=(("/operations/replay_workflow/max_window", "the replay workflow limit"),),
        )


def trigger_metric_known(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    known = p.metrics(data)
    if not known:
        return
    places = [
        *p.items(data, f"{BF}/rollback/triggers"),
        *p.items(data, f"{BF}/cutover/checkpoints"),
    ]
    for pointer, item in places:
        metric = item.get("metric")
        if isinstance(metric, str) and metric not in known:
            what = "rollback trigger" if "/rollback/" in pointer else "cutover checkpoint"
            yield Issue(f"{pointer}/metric", {"metric": metric, "what": what})


estimate_missing: Check = _missing_key(BF, "estimate")
go_no_go: Check = _missing_key(f"{BF}/cutover", "go_no_go")
rollback_safeguards: Check = _missing_key(f"{BF}/rollback", "safeguards")
