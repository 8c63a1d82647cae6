"""The bundle renders any plan-shaped data without crashing (plans are untrusted input)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from dataplan_lint.authoring import bundle, bundle_html, bundle_md

SECTIONS = (
    "metadata",
    "assumptions",
    "context",
    "sources",
    "event_semantics",
    "capacity",
    "ingestion",
    "modeling",
    "contracts",
    "quality",
    "operations",
    "backfill",
    "validation",
    "risks",
)
KEYS = st.sampled_from(
    [
        "name",
        "id",
        "owner",
        "legs",
        "budget",
        "latency_budget",
        "freshness_slo",
        "target",
        "inputs",
        "declared",
        "events_per_day",
        "peak_factor",
        "bytes_per_event",
        "per_partition_throughput",
        "partitions",
        "topology",
        "stage",
        "depends_on",
        "layers",
        "reads_from",
        "consumers",
        "kind",
        "alerts",
        "cutover",
        "rollback",
        "<script>",
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(["5m", "10MB/s", "500M", "1.2KB", "0", "-1s", "<b>x</b>", '"]-->']),
    st.text(max_size=12),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=5)),
    max_leaves=25,
)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(SECTIONS), VALUES, max_size=8))
def test_any_shape_renders(data: dict[str, Any]) -> None:
    budget = bundle.latency_budget(data)
    figures = bundle.capacity_figures(data, 0.1)
    topo = bundle.topology(data)
    document = {
        "bundle_format": 1,
        "plan": dict.fromkeys(("path", "name", "owner", "version", "status", "mode"), "x"),
        "lint": bundle.lint_result([]),
        "latency_budget": budget,
        "capacity": figures,
        "topology": topo,
        "sections": bundle.sections(data, budget, figures, topo),
    }
    assert len(document["sections"]) == 13
    json.dumps(document, allow_nan=False)
    assert "<script" not in bundle_md.render(document)
    assert "<script" not in bundle_html.render(document)
