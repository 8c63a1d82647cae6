"""Gate 2 sources.

- `corrections_fit_mutation`: the correction mechanism fits how records change (rows
  updated in place do get corrected; an append-only source has no CDC updates).
- `partition_strategy`: a streaming source with high-cardinality keys or skew risk
  declares how it is partitioned (`partition_key` and `partitions`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.checks.domain import Issue
from dataplan_lint.checks.domain import plan as p

IN_PLACE = ("upsert", "cdc-deletes")
PARTITIONED_KINDS = ("stream", "cdc")


def corrections_fit_mutation(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    for pointer, source in p.items(data, "/sources"):
        mutation = source.get("mutation")
        corrections = source.get("corrections")
        how = corrections.get("how") if isinstance(corrections, dict) else None
        where = f"{pointer}/corrections/how"
        if mutation in IN_PLACE and how == "none":
            yield Issue(
                where,
                {
                    "problem": (
                        f"says corrections never arrive, but the source's mutation is "
                        f"`{mutation}`: rows changed in place are corrections; say how they "
                        "reach the pipeline (cdc-update, restatement, ...)"
                    )
                },
            )
        elif mutation == "append-only" and how == "cdc-update":
            yield Issue(
                where,
                {
                    "problem": (
                        "is `cdc-update`, but the source is `append-only`: an append-only "
                        "source has no in-place updates; use compensating-event or "
                        "restatement, or fix `mutation`"
                    )
                },
            )


def partition_strategy(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    for pointer, source in p.items(data, "/sources"):
        if source.get("kind") not in PARTITIONED_KINDS:
            continue
        keys = source.get("high_cardinality_keys") or []
        if not isinstance(keys, list):
            keys = [keys]  # the schema reports the wrong type; the rule still sees a key
        skew = source.get("skew_risk")
        if keys:
            reason = "high-cardinality keys (" + ", ".join(map(str, keys)) + ")"
            where = f"{pointer}/high_cardinality_keys"
        elif skew in ("medium", "high"):
            reason, where = f"a {skew} skew risk", f"{pointer}/skew_risk"
        else:
            continue
        missing = [key for key in ("partition_key", "partitions") if source.get(key) is None]
        if missing:
            yield Issue(
                where,
                {
                    "source": source.get("id", "?"),
                    "reason": reason,
                    "missing": " and ".join(f"`{key}`" for key in missing),
                },
                at_key=True,
            )
