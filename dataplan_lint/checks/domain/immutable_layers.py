"""Gate 6: a layer marked immutable keeps what it received.

`immutable: true` is the promise replay, rollback and erasure plans lean on (DP319: a
raw-layer replay reads an immutable layer): rows once written stay as written. A layer
that merges, overwrites partitions or recomputes itself rewrites rows, and a view keeps
no rows at all, so either contradicts the flag.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.checks.domain import Issue
from dataplan_lint.checks.domain import plan as p

REWRITING_STRATEGIES = {
    "merge": "merges rows by key",
    "insert-overwrite": "overwrites whole partitions",
    "recompute": "recomputes itself",
}


def rewritten(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    for pointer, layer in p.items(data, "/modeling/layers"):
        if layer.get("immutable") is not True:
            continue
        incremental = layer.get("incremental")
        strategy = incremental.get("strategy") if isinstance(incremental, Mapping) else None
        if isinstance(strategy, str) and strategy in REWRITING_STRATEGIES:
            where, how = f"{pointer}/incremental/strategy", REWRITING_STRATEGIES[strategy]
        elif layer.get("materialization") == "view":
            where, how = f"{pointer}/materialization", "is a view and keeps no rows of its own"
        else:
            continue
        yield Issue(
            where,
            {"layer": str(layer.get("name", pointer)), "how": how},
            related=((f"{pointer}/immutable", "the immutable flag"),),
        )
