"""Source functions (gate 2).

- `source-corrections-fit-mutation`: the correction mechanism fits how records change
  (rows updated in place do get corrected; an append-only source has no CDC updates).
- `source-partition-strategy`: a streaming source with high-cardinality keys or skew
  risk declares how it is partitioned (`partition_key` and `partitions`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.core.findings import Finding
from dataplan_lint.engine.context import RuleContext

IN_PLACE = ("upsert", "cdc-deletes")
PARTITIONED_KINDS = ("stream", "cdc")


def corrections_fit_mutation(
    ctx: RuleContext, value: Any, pointer: str, options: Mapping[str, Any]
) -> Iterator[Finding]:
    if not isinstance(value, dict):
        return
    mutation = value.get("mutation")
    corrections = value.get("corrections")
    how = corrections.get("how") if isinstance(corrections, dict) else None
    where = f"{pointer}/corrections/how"
    if mutation in IN_PLACE and how == "none":
        yield ctx.report(
            where,
            problem=(
                f"says corrections never arrive, but the source's mutation is `{mutation}`: "
                "rows changed in place are corrections; say how they reach the pipeline "
                "(cdc-update, restatement, ...)"
            ),
        )
    elif mutation == "append-only" and how == "cdc-update":
        yield ctx.report(
            where,
            problem=(
                "is `cdc-update`, but the source is `append-only`: an append-only source has "
                "no in-place updates; use compensating-event or restatement, or fix `mutation`"
            ),
        )


def partition_strategy(
    ctx: RuleContext, value: Any, pointer: str, options: Mapping[str, Any]
) -> Iterator[Finding]:
    if not isinstance(value, dict) or value.get("kind") not in PARTITIONED_KINDS:
        return
    keys = value.get("high_cardinality_keys") or []
    if not isinstance(keys, list):
        keys = [keys]  # the schema reports the wrong type; the rule still sees a key
    skew = value.get("skew_risk")
    if keys:
        reason, where = (
            "high-cardinality keys (" + ", ".join(map(str, keys)) + ")",
            (f"{pointer}/high_cardinality_keys"),
        )
    elif skew in ("medium", "high"):
        reason, where = f"a {skew} skew risk", f"{pointer}/skew_risk"
    else:
        return
    missing = [key for key in ("partition_key", "partitions") if value.get(key) is None]
    if missing:
        yield ctx.report(
            where,
            at_key=True,
            source=value.get("id", "?"),
            reason=reason,
            missing=" and ".join(f"`{key}`" for key in missing),
        )
