"""The optional fields every template fills the same way, from the answers.

Added after a template has built its plan (before the capacity figures are derived):
which dataset the consumer reads and that dataset's own freshness, how far apart
duplicates arrive, where a backfill writes and how a rollback restores data, and - when
the data is personal - the compliance retention, residency and masking each layer keeps.
"""

from __future__ import annotations

from typing import Any

from dataplan_lint.authoring.answers import Answers
from dataplan_lint.core import quantities

Plan = dict[str, Any]
ROLLBACK_WINDOW_DAYS = 30  # the templates keep the current path 30 days after cutover
FACING = ("serving", "mart")


def _layers(plan: Plan) -> list[Plan]:
    return [x for x in plan.get("modeling", {}).get("layers", []) if isinstance(x, dict)]


def _days(seconds: float) -> str:
    return f"{max(1, int(seconds // 86400))}d"


def apply(plan: Plan, a: Answers) -> None:
    layers = _layers(plan)
    facing = [x for x in layers if x.get("kind") in FACING]
    raw = next((x for x in layers if x.get("kind") == "raw"), None)
    if facing:
        served = facing[-1]
        served["freshness"] = a.freshness_slo
        for consumer in plan.get("context", {}).get("consumers", []):
            consumer["reads"] = [served["name"]]
    _spread(plan, layers, a)
    _backfill(plan, facing, raw, a)
    if a.personal_data:
        _personal(plan, layers, raw, a)


def _spread(plan: Plan, layers: list[Plan], a: Answers) -> None:
    duplicates = plan.get("event_semantics", {}).get("duplicates", {})
    dedupe = duplicates.get("dedupe")
    if not a.duplicates or not isinstance(dedupe, dict):
        return
    duplicates["spread"] = a.duplicate_spread
    window = quantities.seconds(dedupe["window"])
    spread = quantities.seconds(a.duplicate_spread)
    if spread > window:  # the dedupe must remember keys for as long as copies arrive apart
        old = dedupe["window"]
        dedupe["window"] = a.duplicate_spread
        for layer in layers:
            if layer.get("state_ttl") == old:
                layer["state_ttl"] = a.duplicate_spread


def _backfill(plan: Plan, facing: list[Plan], raw: Plan | None, a: Answers) -> None:
    backfill = plan.get("backfill")
    if not isinstance(backfill, dict) or not facing:
        return
    backfill["target"] = {
        "mode": "shadow",
        "table": f"{facing[-1]['name']}_backfill",
        "swap": "atomic-rename",
    }
    rollback = backfill.get("rollback")
    if raw is None or not isinstance(rollback, dict):
        return
    window = ROLLBACK_WINDOW_DAYS * 86400.0
    if a.personal_data:  # the raw layer keeps no longer than the compliance retention
        window = min(window, quantities.seconds(a.personal_retention))
    rollback["window"] = _days(window)
    rollback["restore"] = {"method": "rebuild-from-raw", "from": raw["name"]}


def _personal(plan: Plan, layers: list[Plan], raw: Plan | None, a: Answers) -> None:
    for layer in layers:
        kind = layer.get("kind")
        layer["personal_data"] = (
            "clear" if kind == "raw" else "masked" if kind in FACING else "pseudonymised"
        )
    if raw is not None:
        raw["retention"] = a.personal_retention
    plan["constraints"] = {
        "compliance": {
            "pii": True,
            "retention": a.personal_retention,
            "residency": a.residency,
            "erasure": "Erasure requests are applied to the raw layer by a compaction job "
            "and to the derived layers by deleting the subject's rows.",
            "mask_in": list(FACING),
        }
    }
