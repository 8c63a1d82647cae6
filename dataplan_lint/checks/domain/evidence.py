"""Gates 8, 10 and 11: the figures that decide a launch agree with each other.

Acceptance criteria are measurable (a metric and a threshold). The comparisons that
produce evidence for them - the parallel run, the reconciliations - are no looser than
the criteria. Cutover and rollback do not contradict each other: a state that passes a
cutover checkpoint does not trigger a rollback, traffic moves forward stage by stage, and
an incident is not declared on a metric before its paging alert fires. A replay's
idempotency key is the unique key of the layer its sink writes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.checks.domain import Issue
from dataplan_lint.checks.domain import plan as p

ACCEPTANCE = "/validation/acceptance"
# Metric-name parts that mark a comparison between two paths (old and new, source and
# target): the criteria a parallel run or a reconciliation provides evidence for.
MATCH_WORDS = (
    "diff",
    "mismatch",
    "delta",
    "match",
    "discrepanc",
    "recon",
    "variance",
    "deviation",
    "drift",
)
ABOVE = (">", ">=")
BELOW = ("<", "<=")


def measurable(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    for pointer, criterion in p.items(data, ACCEPTANCE):
        missing = [key for key in ("metric", "threshold") if not p.present(criterion.get(key))]
        if missing:
            yield Issue(
                pointer,
                {"id": str(criterion.get("id", "?")), "missing": " and ".join(missing)},
            )


def _figure(raw: Any) -> tuple[str, float] | None:
    """A threshold or tolerance as (kind, value): `percent` or a plain `number`."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, str) and raw.strip().endswith("%"):
        value = p.quantity("percent", raw)
        return ("percent", value) if value is not None else None
    number = p.number(raw)
    return ("number", number) if number is not None else None


def _show(figure: tuple[str, float], raw: Any) -> str:
    return str(raw).strip() if isinstance(raw, str) else f"{figure[1]:g}"


def _matching_criteria(data: Any) -> list[tuple[str, Any, tuple[str, float]]]:
    """(pointer, raw threshold, figure) of acceptance criteria on a two-path comparison;
    the only criterion with a percent threshold when no metric names a comparison."""
    out, percent = [], []
    for pointer, criterion in p.items(data, ACCEPTANCE):
        raw = criterion.get("threshold")
        figure = _figure(raw)
        metric = criterion.get("metric")
        if figure is None or not isinstance(metric, str):
            continue
        if figure[0] == "percent":
            percent.append((f"{pointer}/threshold", raw, figure))
        if any(word in metric.lower() for word in MATCH_WORDS):
            out.append((f"{pointer}/threshold", raw, figure))
    return out or (percent if len(percent) == 1 else [])


def _looser(pointer: str, raw: Any, what: str, pick: str, data: Any) -> Iterator[Issue]:
    figure = _figure(raw)
    if figure is None:
        return
    same_kind = [entry for entry in _matching_criteria(data) if entry[2][0] == figure[0]]
    if not same_kind:
        return
    choose = min if pick == "min" else max
    bound = choose(same_kind, key=lambda entry: entry[2][1])
    if figure[1] > bound[2][1] + 1e-12:
        yield Issue(
            pointer,
            {
                "what": what,
                "tolerance": _show(figure, raw),
                "accepted": _show(bound[2], bound[1]),
                "criterion": p.where(bound[0].rsplit("/", 1)[0], data),
            },
            related=((bound[0], "the acceptance threshold"),),
        )


def parallel_run_tolerance(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    pointer = "/validation/parallel_run/tolerance"
    yield from _looser(pointer, p.get(data, pointer), "the parallel run", "min", data)


def reconciliation_tolerance(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    for pointer, rec in p.items(data, "/quality/reconciliation"):
        what = f"reconciliation {rec.get('id', '?')}"
        yield from _looser(f"{pointer}/tolerance", rec.get("tolerance"), what, "max", data)


def _by_metric(data: Any, pointer: str, comparators: tuple[str, ...]) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for item_pointer, item in p.items(data, pointer):
        metric = item.get("metric")
        comparator = item.get("comparator", ">")
        if isinstance(metric, str) and comparator in comparators:
            out.setdefault(metric, []).append((item_pointer, item))
    return out


def _compare_value(raw: Any) -> tuple[str, float] | None:
    seconds = p.threshold_seconds(raw)
    if seconds is not None:
        return "duration", seconds
    return _figure(raw)


def _below(value: Any, bound: Any) -> bool:
    """Both thresholds read in one unit, and `value` is the lower."""
    mine, other = _compare_value(value), _compare_value(bound)
    return bool(mine and other and mine[0] == other[0] and mine[1] < other[1])


def rollback_inside_checkpoint(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """A rollback trigger (metric above X) is not below what a cutover checkpoint on the
    same metric accepts (metric at most Y): a value between them would pass the
    checkpoint and roll back at once."""
    passes = _by_metric(data, "/backfill/cutover/checkpoints", BELOW)
    for pointer, trigger in p.items(data, "/backfill/rollback/triggers"):
        metric = trigger.get("metric")
        if not isinstance(metric, str) or trigger.get("comparator", ">") not in ABOVE:
            continue
        for check_pointer, checkpoint in passes.get(metric, []):
            if _below(trigger.get("threshold"), checkpoint.get("threshold")):
                yield Issue(
                    f"{pointer}/threshold",
                    {
                        "metric": metric,
                        "trigger": str(trigger.get("threshold")),
                        "accepted": str(checkpoint.get("threshold")),
                        "checkpoint": str(checkpoint.get("name", "?")),
                    },
                    related=((f"{check_pointer}/threshold", "the cutover checkpoint"),),
                )
                break


def incident_before_page(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """An incident threshold is not below the paging alert's threshold on the same metric."""
    alerts = _by_metric(data, "/operations/alerts", ABOVE)
    for pointer, incident in p.items(data, "/validation/incident_thresholds"):
        metric = incident.get("metric")
        if not isinstance(metric, str):
            continue
        for alert_pointer, alert in alerts.get(metric, []):
            if alert.get("severity") == "page" and _below(
                incident.get("threshold"), alert.get("threshold")
            ):
                yield Issue(
                    f"{pointer}/threshold",
                    {
                        "metric": metric,
                        "incident": str(incident.get("threshold")),
                        "alert": str(alert.get("id", metric)),
                        "paged": str(alert.get("threshold")),
                    },
                    related=((f"{alert_pointer}/threshold", "the paging alert"),),
                )
                break


def cutover_traffic(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """Each cutover stage moves at least as much traffic as the one before."""
    previous: tuple[float, str] | None = None
    for pointer, stage in p.items(data, "/backfill/cutover/stages"):
        raw = stage.get("traffic")
        share = p.quantity("percent", raw) if raw is not None else None
        if share is None:
            continue
        if previous is not None and share < previous[0]:
            yield Issue(
                f"{pointer}/traffic",
                {
                    "stage": str(stage.get("name", "?")),
                    "traffic": str(raw),
                    "before": previous[1],
                },
            )
            return
        previous = (share, f"{raw} in stage {stage.get('name', '?')}")


def _sink_layer(data: Any) -> tuple[str, Mapping[str, Any]] | None:
    """The layer a replay writes: the backfill's target layer when the plan names one,
    else the layer named like the ingestion sink (or its last dotted part)."""
    target = p.get(data, "/backfill/target/layer")
    if isinstance(target, str):
        return p.layers(data).get(target)
    sink = p.get(data, "/ingestion/sink/name")
    if not isinstance(sink, str) or not sink.strip():
        return None
    layers = p.layers(data)
    for name in (sink.strip(), sink.strip().rsplit(".", 1)[-1]):
        if name in layers:
            return layers[name]
    return None


def idempotency_key(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """An upserting replay's key is the unique key of the layer its sink writes."""
    idempotency = p.mapping(data, "/backfill/idempotency")
    if idempotency.get("strategy") != "upsert":
        return
    key = p.strings(idempotency.get("key"))
    found = _sink_layer(data)
    if not key or found is None:
        return
    pointer, layer = found
    incremental = layer.get("incremental")
    unique = p.strings(incremental.get("unique_key")) if isinstance(incremental, Mapping) else []
    if unique and sorted(key) != sorted(unique):
        yield Issue(
            "/backfill/idempotency/key",
            {
                "key": ", ".join(key),
                "layer": str(layer.get("name")),
                "unique": ", ".join(unique),
            },
            related=((f"{pointer}/incremental/unique_key", "the sink layer's unique key"),),
        )
