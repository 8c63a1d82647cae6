"""Small inline SVG charts for the HTML bundle: no script, no fonts, no network.

`latency_chart` stacks the latency-budget legs on one bar and marks the end-to-end
target, the alert level and the freshness SLO; `throughput_chart` sets peak ingest
against what the declared partitions carry (bytes, and events against consumer
capacity). Every text is XML-escaped; sizes are computed, never taken from the plan.
"""

from __future__ import annotations

from html import escape
from typing import Any

from dataplan_lint.core import quantities

WIDTH = 720
BAR_X = 150
BAR_W = WIDTH - BAR_X - 30
PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1")


def _x(value: float, scale: float) -> float:
    return BAR_X + BAR_W * (value / scale if scale > 0 else 0)


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def latency_chart(budget: dict[str, Any]) -> str | None:
    legs = [leg for leg in budget["legs"] if leg["seconds"] is not None]
    if not legs:
        return None
    marks = [
        ("end-to-end target", budget["end_to_end_seconds"], "#333333"),
        ("alert", budget["alert_at_seconds"], "#e15759"),
        ("SLO", budget["slo_seconds"], "#000000"),
    ]
    total = budget["total_seconds"]
    scale = max([total, *(m[1] for m in marks if m[1] is not None)]) * 1.05
    legend_rows = (len(legs) + 2) // 3
    height = 110 + legend_rows * 20
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
        f'aria-labelledby="latency-title">',
        '<title id="latency-title">Latency budget legs against the freshness SLO</title>',
        '<text x="10" y="45" class="axis">legs (sum)</text>',
    ]
    start = 0.0
    for index, leg in enumerate(legs):
        x0, x1 = _x(start, scale), _x(start + leg["seconds"], scale)
        colour = PALETTE[index % len(PALETTE)]
        parts.append(
            f'<rect x="{_fmt(x0)}" y="30" width="{_fmt(max(x1 - x0, 1))}" height="24" '
            f'fill="{colour}"><title>{escape(leg["name"])}: {escape(leg["budget"])}</title></rect>'
        )
        start += leg["seconds"]
    for index, (name, value, colour) in enumerate(marks):
        if value is None:
            continue
        x = _x(value, scale)
        y = 22 - index * 0
        parts.append(
            f'<line x1="{_fmt(x)}" y1="{y}" x2="{_fmt(x)}" y2="64" stroke="{colour}" '
            f'stroke-width="2" stroke-dasharray="{"4 3" if name != "SLO" else "none"}"/>'
        )
        anchor = "end" if x > WIDTH - 80 else "middle"
        parts.append(
            f'<text x="{_fmt(x)}" y="{78 + 12 * index}" text-anchor="{anchor}" '
            f'class="mark">{escape(name)} {escape(quantities.describe_seconds(value))}</text>'
        )
    for index, leg in enumerate(legs):
        col, row = index % 3, index // 3
        x, y = 10 + col * 235, 120 + row * 20
        colour = PALETTE[index % len(PALETTE)]
        parts.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{colour}"/>')
        name = leg["name"] if len(leg["name"]) <= 24 else leg["name"][:21] + "..."
        parts.append(
            f'<text x="{x + 18}" y="{y}" class="legend">{escape(name)} '
            f"{escape(leg['budget'])}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def throughput_chart(partitions: dict[str, Any] | None) -> str | None:
    if not partitions:
        return None
    rows = [
        (
            "bytes",
            partitions["peak_ingest_value"],
            partitions["capacity_value"],
            f"peak {partitions['peak_ingest']} of {partitions['capacity']} "
            f"({partitions['partitions']} partitions x {partitions['per_partition']})",
        )
    ]
    if "event_capacity_value" in partitions:
        rows.append(
            (
                "events",
                partitions["peak_eps_value"],
                partitions["event_capacity_value"],
                f"peak {partitions['peak_eps']} of {partitions['event_capacity']} "
                "consumer capacity",
            )
        )
    height = 20 + 50 * len(rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
        f'aria-labelledby="throughput-title">',
        '<title id="throughput-title">Peak throughput against partition capacity</title>',
    ]
    for index, (name, peak, capacity, caption) in enumerate(rows):
        y = 15 + 50 * index
        share = peak / capacity if capacity > 0 else 0
        colour = "#e15759" if share > 0.8 else "#f28e2b" if share > 0.6 else "#59a14f"
        fill = BAR_W * min(share, 1.0)
        parts += [
            f'<text x="10" y="{y + 15}" class="axis">{escape(name)}</text>',
            f'<rect x="{BAR_X}" y="{y}" width="{BAR_W}" height="20" fill="#e8e8e8"/>',
            f'<rect x="{BAR_X}" y="{y}" width="{_fmt(max(fill, 2))}" height="20" '
            f'fill="{colour}"><title>{escape(caption)}</title></rect>',
            f'<text x="{BAR_X}" y="{y + 36}" class="legend">{escape(caption)} - '
            f"{share:.0%} used</text>",
        ]
    parts.append("</svg>")
    return "".join(parts)
