"""Gate 8: data-quality checks, reconciliation and drift."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.checks.domain import Issue
from dataplan_lint.checks.domain import plan as p
from dataplan_lint.checks.domain.dataset_freshness import Target, dataset_target
from dataplan_lint.core import regexes

CHECKS_PTR = "/quality/checks"
CONSUMER_FACING_LAYERS = ("serving", "mart")
CONSUMER_FACING_CONTRACTS = ("dataset", "model")


def _checks(data: Any) -> list[tuple[str, Mapping[str, Any]]]:
    return list(p.items(data, CHECKS_PTR))


def without_threshold(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    for pointer, check in _checks(data):
        if not p.present(check.get("threshold")):
            yield Issue(pointer, {"check": str(check.get("id"))})


def unknown_dataset(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    known = set(p.contracts(data)) | set(p.layers(data))
    for pointer, check in _checks(data):
        dataset = check.get("dataset")
        if isinstance(dataset, str) and dataset not in known:
            yield Issue(f"{pointer}/dataset", {"dataset": dataset, "check": str(check.get("id"))})


def freshness_thresholds(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """Warn below error, and the worst level within the freshness the checked dataset
    must meet: its own (`modeling.layers[].freshness`, or what the consumers reading it
    need), else the plan-wide SLO - a daily mart's check is not held to a minutes SLO."""
    fmt = p.describe_seconds
    for pointer, check in _checks(data):
        if check.get("kind") != "freshness":
            continue
        dataset = _text(check.get("dataset"))
        if dataset and dataset not in p.layers(data) and dataset not in p.contracts(data):
            continue  # an unknown dataset is DP802's finding; its target is unknowable
        target = dataset_target(data, dataset) if dataset else None
        if target is None and not dataset:
            slo = p.slo_seconds(data)
            target = (
                Target(slo, "/event_semantics/freshness_slo/target", "the freshness SLO")
                if slo is not None
                else None
            )
        threshold = check.get("threshold")
        if isinstance(threshold, Mapping):
            warn = p.threshold_seconds(threshold.get("warn"))
            error = p.threshold_seconds(threshold.get("error"))
            if warn is not None and error is not None and warn >= error:
                yield Issue(
                    f"{pointer}/threshold/warn",
                    {
                        "problem": f"warn level {fmt(warn)} is not below the error level "
                        f"{fmt(error)}"
                    },
                )
            worst, where = error, f"{pointer}/threshold/error"
            if worst is None:
                worst, where = warn, f"{pointer}/threshold/warn"
        else:
            worst, where = p.threshold_seconds(threshold), f"{pointer}/threshold"
        if worst is not None and target is not None and worst > target.seconds:
            yield Issue(
                where,
                {
                    "problem": f"threshold {fmt(worst)} is looser than {target.label} "
                    f"({fmt(target.seconds)}), so it can be missed without the check failing"
                },
                related=((target.pointer, target.label),),
            )


REQUIRED_KINDS = (
    "freshness",
    "volume",
    "null",
    "uniqueness",
    "referential",
    "accepted-values",
    "reconciliation",
)


def _facing_layers(data: Any) -> list[tuple[str, str]]:
    """(pointer, name) of every consumer-facing layer (serving and mart), in order."""
    return [
        (pointer, name)
        for name, (pointer, layer) in p.layers(data).items()
        if layer.get("kind") in CONSUMER_FACING_LAYERS
    ]


def _facing_contracts(data: Any) -> set[str]:
    return {
        name
        for name, (_, contract) in p.contracts(data).items()
        if contract.get("kind") in CONSUMER_FACING_CONTRACTS
    }


def _checks_on(data: Any, layer: str) -> list[tuple[str, Mapping[str, Any]]]:
    """Checks that cover a consumer-facing layer: on the layer itself, or on a
    consumer-facing contract (which describes what the facing layers publish)."""
    covering = {layer} | _facing_contracts(data)
    return [(ptr, c) for ptr, c in _checks(data) if _text(c.get("dataset")) in covering]


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _reconciled(data: Any, layer: str) -> bool:
    pattern = regexes.LAYER_MENTION.compile(layer)
    for _, rec in p.items(data, "/quality/reconciliation"):
        target = rec.get("target")
        if isinstance(target, str) and pattern.search(target):
            return True
    return False


def facing_coverage(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """Every consumer-facing layer has the check kinds a data team expects."""
    if not isinstance(p.get(data, "/quality"), Mapping):
        return  # no quality section at all: the schema's missing-section finding
    wanted = p.strings(options.get("kinds")) or list(REQUIRED_KINDS)
    # A check on a dataset the plan does not define is DP802's finding; whatever it was
    # meant for, its kind is not reported missing a second time. No reconciliation at
    # all is DP807's.
    known = set(p.contracts(data)) | set(p.layers(data))
    stray = {_text(c.get("kind")) for _, c in _checks(data) if _text(c.get("dataset")) not in known}
    if not p.present(p.get(data, "/quality/reconciliation")):
        stray.add("reconciliation")
    for _, layer in _facing_layers(data):
        kinds = {_text(c.get("kind")) for _, c in _checks_on(data, layer)} | stray
        if "reconciliation" not in kinds and _reconciled(data, layer):
            kinds.add("reconciliation")
        missing = [kind for kind in wanted if kind not in kinds]
        if missing:
            yield Issue(
                CHECKS_PTR if p.get(data, CHECKS_PTR) is not None else "/quality",
                {"dataset": layer, "missing": ", ".join(missing)},
                at_key=True,
            )


def facing_without_blocking(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """A consumer-facing layer with checks none of which stops publication."""
    critical = _has_critical_consumer(data)
    stops = ("blocking",) if critical else ("blocking", "error")
    for _, layer in _facing_layers(data):
        checks = _checks_on(data, layer)
        if checks and not any(c.get("severity") in stops for _, c in checks):
            pointer, _ = checks[0]
            yield Issue(
                f"{pointer}/severity",
                {
                    "dataset": layer,
                    "why": "the plan has critical consumers" if critical else "consumers read it",
                    "wanted": "blocking" if critical else "error or blocking",
                },
            )


def _has_critical_consumer(data: Any) -> bool:
    return any(c.get("critical") is True for _, c in p.items(data, "/context/consumers"))


def critical_not_blocking(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """Once a facing dataset has a blocking check, its other checks should block too.

    A facing dataset with no blocking check at all is one error (DP812), not a warning
    per check.
    """
    if not _has_critical_consumer(data):
        return
    seen: set[str] = set()
    for _, layer in _facing_layers(data):
        checks = _checks_on(data, layer)
        if not any(c.get("severity") == "blocking" for _, c in checks):
            continue
        for pointer, check in checks:
            if pointer not in seen and check.get("severity") not in ("blocking", None):
                seen.add(pointer)
                yield Issue(
                    f"{pointer}/severity",
                    {
                        "check": str(check.get("id")),
                        "dataset": str(check.get("dataset")),
                        "severity": str(check.get("severity")),
                    },
                )


def _has_kind(data: Any, kind: str) -> bool:
    return any(check.get("kind") == kind for _, check in _checks(data))


def stream_duplicates(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    if not p.is_streaming(data) or p.get(data, "/event_semantics/duplicates/expected") is not True:
        return
    if p.get(data, CHECKS_PTR) is not None and not _has_kind(data, "duplicates"):
        yield Issue(CHECKS_PTR, at_key=True)


def stream_out_of_order(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    semantics = p.mapping(data, "/event_semantics")
    if semantics.get("time") != "event-time":
        return
    windowed = p.present(semantics.get("windows")) or p.get(data, "/ingestion/pattern") == "stream"
    if not windowed:
        return
    if p.get(data, CHECKS_PTR) is not None and not _has_kind(data, "out-of-order"):
        yield Issue(CHECKS_PTR, at_key=True)


def reconciliation_missing(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    quality = p.get(data, "/quality")
    if isinstance(quality, Mapping) and not p.present(quality.get("reconciliation")):
        yield Issue("/quality", at_key=True)


def reconciliation_window(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    fmt = p.describe_seconds
    for pointer, rec in p.items(data, "/quality/reconciliation"):
        cadence = p.quantity("duration", rec.get("cadence"))
        window = p.quantity("duration", rec.get("window"))
        if cadence is not None and window is not None and window < cadence:
            yield Issue(
                f"{pointer}/window",
                {"id": str(rec.get("id")), "window": fmt(window), "cadence": fmt(cadence)},
            )


def aggregate_measure(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    for pointer, rec in p.items(data, "/quality/reconciliation"):
        if rec.get("compares") == "aggregate" and not p.present(rec.get("measure")):
            yield Issue(f"{pointer}/compares", {"id": str(rec.get("id"))})


def drift_missing(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    quality = p.get(data, "/quality")
    if isinstance(quality, Mapping) and not p.present(quality.get("drift")):
        yield Issue("/quality", at_key=True)
