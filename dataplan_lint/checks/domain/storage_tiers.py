"""Gate 4: the object-storage lifecycle (`capacity.storage_tiers`) costed like the rest.

Each tier holds the data of the ages between the previous tier's `until` and its own;
its size is the daily volume times those days and its cost that size times its price
(`capacity_math.tier_costs`). A declared tier cost far from that is a wrong budget; ages
that do not grow make the lifecycle impossible; a lifecycle that deletes data before a
layer's retention ends contradicts the layer (or leaves that copy uncosted).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.checks import capacity_math as cm
from dataplan_lint.checks.domain import Issue
from dataplan_lint.checks.domain import plan as p
from dataplan_lint.engine.check_input import CheckInput

TIERS = "/capacity/storage_tiers/tiers"


def cost_mismatch(inp: CheckInput) -> Iterator[Issue]:
    """A tier's declared monthly cost agrees with its derived cost within the tolerance."""
    data, limit = inp.data, inp.settings.tolerance
    for tier in cm.tier_costs(data):
        declared = p.number(p.get(data, f"{tier.pointer}/monthly"))
        if declared is None or not math.isfinite(tier.monthly):
            continue
        difference = cm.relative_difference(declared, tier.monthly)
        if difference > limit:
            yield Issue(
                f"{tier.pointer}/monthly",
                {
                    "tier": tier.name,
                    "declared": cm.fmt(declared),
                    "derived": f"{tier.monthly:,.2f}",
                    "formula": tier.formula,
                    "difference": f"{difference:.0%}" if difference < 10 else "over 1000%",
                    "tolerance": f"{limit:.0%}",
                },
                related=((f"{tier.pointer}/until", "the tier's age limit"),),
            )


def ages_not_growing(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """Each tier's `until` lies beyond the previous tier's."""
    previous: tuple[float, str] | None = None
    for pointer, tier in p.items(data, TIERS):
        until = p.quantity("duration", tier.get("until"))
        if until is None:
            continue
        if previous is not None and until <= previous[0]:
            yield Issue(
                f"{pointer}/until",
                {
                    "tier": str(tier.get("name")),
                    "until": p.describe_seconds(until),
                    "previous": p.describe_seconds(previous[0]),
                },
                related=((previous[1], "the previous tier's age limit"),),
            )
        previous = (until, f"{pointer}/until")


def lifecycle_vs_retention(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """The lifecycle keeps data at least as long as the layers it stores say they keep it."""
    tiers = list(p.items(data, TIERS))
    if not tiers:
        return
    last_ptr, last = tiers[-1]
    end = p.quantity("duration", last.get("until"))
    if end is None:
        return
    for name, (pointer, layer) in p.layers(data).items():
        kept = p.quantity("duration", layer.get("retention"))
        if layer.get("kind") == "raw" and kept is not None and kept > end:
            yield Issue(
                f"{pointer}/retention",
                {
                    "layer": name,
                    "kept": p.describe_seconds(kept),
                    "end": p.describe_seconds(end),
                    "tier": str(last.get("name")),
                },
                related=((f"{last_ptr}/until", "where the lifecycle deletes data"),),
            )
