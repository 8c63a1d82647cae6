"""Small inline SVG charts for the HTML bundle: no script, no fonts, no network.

`latency_chart` stacks the latency-budget legs on one bar and marks the end-to-end
target, the alert level and the freshness SLO; `throughput_chart` sets peak ingest
against what the declared partitions carry (bytes, and events against consumer
capacity). Every text is XML-escaped; sizes are computed, never taken from the plan.
"""

from __future__ import annotations

import math
from html import escape
from typing import Any

from dataplan_lint.core import quantities

WIDTH = 900
BAR_X = 150
BAR_W = WIDTH - BAR_X - 30
PALETTE = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1")


def _x(value: float, scale: float) -> float:
    return BAR_X + BAR_W * (value / scale if scale > 0 else 0)


def fmt(value: float) -> str:
    """A coordinate or a size: at most one decimal, no trailing zeros."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


MAX_LEGS = 40  # legs drawn one by one; the rest share one grey segment
LEGEND_LEGS = 18
TICK_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400)
LEG_LABEL_PX = 6.6  # estimated advance of one 11px character


def ticks(scale: float, most: int = 8) -> list[float]:
    """Round-number seconds from 0 to `scale`, at most `most` + 1 of them."""
    step = next((s for s in TICK_STEPS if scale / s <= most), None)
    if step is None:
        step = TICK_STEPS[-1] * math.ceil(scale / TICK_STEPS[-1] / most)
    return [step * n for n in range(int(scale // step) + 1)]


def _seconds_label(value: float) -> str:
    return "0" if value == 0 else quantities.describe_seconds(value)


def _mark_rows(marks: list[tuple[str, float, str]], scale: float) -> list[int]:
    """A label row for each mark so that no two labels on one row overlap."""
    ends: list[float] = []
    rows = []
    for name, value, _ in marks:
        width = len(name) * LEG_LABEL_PX + 10
        x = _x(value, scale)
        left = x - width if x > WIDTH - 120 else x - width / 2
        row = next((r for r, end in enumerate(ends) if end < left), len(ends))
        if row == len(ends):
            ends.append(0.0)
        ends[row] = left + width
        rows.append(row)
    return rows


def latency_chart(budget: dict[str, Any]) -> str | None:
    """The legs stacked on one bar, against the end-to-end target, alert and SLO marks."""
    legs = [leg for leg in budget["legs"] if leg["seconds"] is not None]
    if not legs:
        return None
    total = budget["total_seconds"]
    marks = [
        (f"{name} {quantities.describe_seconds(value)}", value, colour)
        for name, value, colour in (
            ("end-to-end target", budget["end_to_end_seconds"], "#57606a"),
            ("alert", budget["alert_at_seconds"], "#bc4c00"),
            ("SLO", budget["slo_seconds"], "#1f2328"),
        )
        if value is not None and math.isfinite(value)
    ]
    marks.sort(key=lambda mark: mark[1])
    scale = max([total, *(m[1] for m in marks)]) * 1.04
    if not math.isfinite(scale) or scale <= 0:
        scale = 1.0
    rows = _mark_rows(marks, scale)
    bar_y = 10 + (max(rows, default=-1) + 1) * 15 + 6
    bar_h = 30
    shown = legs[:LEGEND_LEGS]
    legend_rows = (len(shown) + 2) // 3 + (1 if len(legs) > LEGEND_LEGS else 0)
    axis_y = bar_y + bar_h + 6
    legend_y = axis_y + 34
    height = legend_y + legend_rows * 20 + 6
    over = (budget["slo_seconds"] is not None and total > budget["slo_seconds"]) or (
        budget["end_to_end_seconds"] is not None and total > budget["end_to_end_seconds"]
    )
    desc = f"{len(legs)} legs adding up to {quantities.describe_seconds(total)}" + "".join(
        f"; {name}" for name, _, _ in marks
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" '
        f'aria-labelledby="latency-title" aria-describedby="latency-desc">',
        '<title id="latency-title">Latency budget legs against the freshness SLO</title>',
        f'<desc id="latency-desc">{escape(desc)}.</desc>',
        f'<text x="10" y="{bar_y + 13}" class="fig">legs (sum)</text>',
        f'<text x="10" y="{bar_y + 27}" class="{"bad" if over else "unit"}">'
        f"{escape(quantities.describe_seconds(total))}{' - over' if over else ''}</text>",
    ]
    start = 0.0
    for index, leg in enumerate(legs):
        x0, x1 = _x(start, scale), _x(start + leg["seconds"], scale)
        start += leg["seconds"]
        if index >= MAX_LEGS:
            continue
        colour = PALETTE[index % len(PALETTE)]
        parts.append(
            f'<rect x="{fmt(x0)}" y="{bar_y}" width="{fmt(max(x1 - x0, 1))}" '
            f'height="{bar_h}" fill="{colour}" stroke="#ffffff" stroke-width="1">'
            f"<title>{escape(leg['name'])}: {escape(leg['budget'])}</title></rect>"
        )
        caption = leg["budget"]
        if len(caption) * LEG_LABEL_PX + 8 <= x1 - x0:
            parts.append(
                f'<text x="{fmt((x0 + x1) / 2)}" y="{bar_y + 19}" text-anchor="middle" '
                f'class="inbar">{escape(caption)}</text>'
            )
    if len(legs) > MAX_LEGS:
        x0 = _x(sum(leg["seconds"] for leg in legs[:MAX_LEGS]), scale)
        parts.append(
            f'<rect x="{fmt(x0)}" y="{bar_y}" width="{fmt(max(_x(total, scale) - x0, 1))}" '
            f'height="{bar_h}" fill="#afb8c1"><title>{len(legs) - MAX_LEGS} more legs</title>'
            "</rect>"
        )
    for tick in ticks(scale):
        x = _x(tick, scale)
        parts.append(
            f'<line x1="{fmt(x)}" y1="{axis_y - 3}" x2="{fmt(x)}" y2="{axis_y + 2}" '
            'stroke="#8c959f"/>'
            f'<text x="{fmt(x)}" y="{axis_y + 15}" text-anchor="middle" class="unit">'
            f"{escape(_seconds_label(tick))}</text>"
        )
    parts.append(
        f'<line x1="{BAR_X}" y1="{axis_y - 3}" x2="{fmt(_x(scale, scale))}" y2="{axis_y - 3}" '
        'stroke="#8c959f"/>'
    )
    for (name, value, colour), row in zip(marks, rows, strict=True):
        x = _x(value, scale)
        label_y = 10 + row * 15 + 10
        dash = "" if name.startswith("SLO") else ' stroke-dasharray="4 3"'
        anchor = "end" if x > WIDTH - 120 else "middle"
        parts.append(
            f'<line x1="{fmt(x)}" y1="{label_y + 3}" x2="{fmt(x)}" y2="{bar_y + bar_h + 4}" '
            f'stroke="{colour}" stroke-width="2"'
            f"{dash}/>"
            f'<text x="{fmt(x)}" y="{label_y}" text-anchor="{anchor}" class="mark" '
            f'style="fill:{colour}">{escape(name)}</text>'
        )
    for index, leg in enumerate(shown):
        col, row = index % 3, index // 3
        x, y = 10 + col * 290, legend_y + row * 20
        colour = PALETTE[index % len(PALETTE)]
        parts.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{colour}"/>')
        parts.append(
            f'<text x="{x + 18}" y="{y}" class="legend">{escape(clean(leg["name"], 28))} '
            f"{escape(leg['budget'])}</text>"
        )
    if len(legs) > LEGEND_LEGS:
        parts.append(
            f'<text x="10" y="{legend_y + (legend_rows - 1) * 20}" class="unit">and '
            f"{len(legs) - LEGEND_LEGS} more legs (see the table)</text>"
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
            f'<rect x="{BAR_X}" y="{y}" width="{fmt(max(fill, 2))}" height="20" '
            f'fill="{colour}"><title>{escape(caption)}</title></rect>',
            f'<text x="{BAR_X}" y="{y + 36}" class="legend">{escape(caption)} - '
            f"{share:.0%} used</text>",
        ]
    parts.append("</svg>")
    return "".join(parts)


UNITS = {
    "event-rate": "events per second",
    "byte-rate": "bytes per second",
    "size": "bytes",
    "duration": "time",
    "count": "count",
    "money": "plan currency per month",
}
CAP_WIDTH = 900
CAP_BAR_X = 200
CAP_BAR_W = 380
CAP_VALUE_X = CAP_BAR_X + CAP_BAR_W + 14
CAP_DIFF_X = CAP_WIDTH - 16  # right edge of the difference column
CAP_ROW = 44
CAP_TOP = 46
DECLARED_OK = "#4e79a7"
DECLARED_BAD = "#cf222e"
DERIVED = "#8c959f"
BAND = "#d3f0d9"
BAND_EDGE = "#4ac26b"
ROW_BAD = "#ffebe9"


def signed_difference(declared: float, derived: float) -> float | None:
    """(declared - derived) / derived, the direction `relative_difference` leaves out."""
    if derived == 0 or not math.isfinite(derived):
        return None
    return (declared - derived) / abs(derived)


def _percent(value: float | None) -> str:
    if value is None:
        return "-"
    if abs(value) >= 10:
        return "over +1000%" if value > 0 else "over -1000%"
    if abs(value) < 0.0005:
        return "0.0%"
    return f"{value:+.1%}"


def capacity_chart(capacity: dict[str, Any]) -> str | None:
    """Declared against derived for each capacity figure, on its own scale, with the
    tolerance band around the derived value; figures outside it are drawn in red."""
    from dataplan_lint.checks import capacity_math as cm

    rows = [row for row in capacity["rows"] if row.get("derived_value") is not None]
    if not rows:
        return None
    tolerance = float(capacity["tolerance"])
    height = CAP_TOP + CAP_ROW * len(rows) + 8
    bad: list[str] = []
    body: list[str] = []
    for index, row in enumerate(rows):
        y = CAP_TOP + CAP_ROW * index
        name, unit_kind = str(row["figure"]), str(row.get("unit_kind") or "")
        derived = float(row["derived_value"])
        declared = row.get("declared_value")
        is_partitions = name == "partitions"
        compared = declared is not None and row.get("declared") is not None
        outside = compared and (
            (is_partitions and declared < derived)
            or (not is_partitions and (row.get("difference") or 0) > tolerance)
        )
        if outside:
            bad.append(name)
            body.append(
                f'<rect x="4" y="{y - 4}" width="{CAP_WIDTH - 8}" height="{CAP_ROW - 4}" '
                f'fill="{ROW_BAD}" rx="4"/>'
            )
        body.append(
            f'<text x="12" y="{y + 13}" class="fig">{escape(clean(name, 26))}</text>'
            f'<text x="12" y="{y + 28}" class="unit">'
            f"{escape(UNITS.get(unit_kind, unit_kind))}</text>"
        )
        top = max(derived * (1 + tolerance), declared or 0.0)
        scale = top / 0.9 if not is_partitions else max(derived, declared or 0.0) * 1.25
        if scale <= 0 or not math.isfinite(scale):
            scale = 1.0

        def bar_x(value: float, scale: float = scale) -> float:
            return CAP_BAR_X + CAP_BAR_W * min(max(value / scale, 0.0), 1.0)

        if is_partitions:
            low, high, band_title = derived, scale, f"at least {cm.describe(derived, unit_kind)}"
        else:
            low, high = derived * (1 - tolerance), derived * (1 + tolerance)
            band_title = (
                f"within {tolerance:.0%}: {cm.describe(low, unit_kind)} to "
                f"{cm.describe(high, unit_kind)}"
            )
        body.append(
            _bar(bar_x(low), y - 4, bar_x(high) - bar_x(low), CAP_ROW - 6, BAND, band_title)
        )
        if declared is not None:
            colour = DECLARED_BAD if outside else DECLARED_OK
            title = f"declared {name}: {cm.describe(declared, unit_kind)}"
            body.append(_bar(CAP_BAR_X, y + 2, bar_x(declared) - CAP_BAR_X, 13, colour, title))
        title = f"derived {name}: {cm.describe(derived, unit_kind)}"
        body.append(
            _bar(CAP_BAR_X, y + 17, bar_x(derived) - CAP_BAR_X, 13, DERIVED, title)
            + f'<line x1="{fmt(bar_x(derived))}" y1="{y - 4}" x2="{fmt(bar_x(derived))}" '
            f'y2="{y + CAP_ROW - 10}" stroke="{BAND_EDGE}" stroke-width="1.5"/>'
        )
        declared_text = cm.describe(declared, unit_kind) if declared is not None else "not declared"
        body.append(
            f'<text x="{CAP_VALUE_X}" y="{y + 13}" class="value">declared '
            f"{escape(declared_text)}</text>"
            f'<text x="{CAP_VALUE_X}" y="{y + 28}" class="value">derived '
            f"{escape(cm.describe(derived, unit_kind))}</text>"
        )
        change = signed_difference(declared, derived) if declared is not None else None
        difference = _percent(change) if compared else ""
        if is_partitions:
            verdict = "too few" if outside else "enough" if compared else "not declared"
        else:
            verdict = "outside" if outside else "within" if compared else "not declared"
        css = "bad" if outside else "ok"
        body.append(
            f'<text x="{CAP_DIFF_X}" y="{y + 13}" text-anchor="end" class="{css}">'
            f"{escape(difference)}</text>"
            f'<text x="{CAP_DIFF_X}" y="{y + 28}" text-anchor="end" class="unit">'
            f"{escape(verdict)}</text>"
        )
    if bad:
        desc = (
            f"{len(bad)} of {len(rows)} declared capacity figures are outside the "
            f"{tolerance:.0%} tolerance of the derived value: {', '.join(bad)}."
        )
    else:
        desc = (
            f"All {len(rows)} declared capacity figures are within {tolerance:.0%} of the "
            "values derived from the inputs (partitions: at least the derived count)."
        )
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{CAP_WIDTH}" height="{height}" viewBox="0 0 {CAP_WIDTH} {height}" '
        f'aria-labelledby="capacity-title" aria-describedby="capacity-desc">',
        '<title id="capacity-title">Capacity figures: declared against derived</title>',
        f'<desc id="capacity-desc">{escape(desc)}</desc>',
        '<text x="12" y="20" class="head">figure (unit)</text>',
        f'<rect x="{CAP_BAR_X}" y="10" width="12" height="12" fill="{DECLARED_OK}"/>'
        f'<text x="{CAP_BAR_X + 17}" y="20" class="legend">declared</text>'
        f'<rect x="{CAP_BAR_X + 86}" y="10" width="12" height="12" fill="{DERIVED}"/>'
        f'<text x="{CAP_BAR_X + 103}" y="20" class="legend">derived</text>'
        f'<rect x="{CAP_BAR_X + 166}" y="10" width="12" height="12" fill="{BAND}" '
        f'stroke="{BAND_EDGE}"/>'
        f'<text x="{CAP_BAR_X + 183}" y="20" class="legend">tolerance '
        f"\u00b1{tolerance:.0%}</text>",
        f'<text x="{CAP_DIFF_X}" y="20" text-anchor="end" class="head">difference</text>',
        f'<line x1="8" y1="{CAP_TOP - 12}" x2="{CAP_WIDTH - 8}" y2="{CAP_TOP - 12}" '
        'stroke="#d0d7de"/>',
    ]
    return "".join([*head, *body, "</svg>"])


def _bar(x: float, y: float, width: float, height: float, fill: str, title: str) -> str:
    return (
        f'<rect x="{fmt(x)}" y="{fmt(y)}" width="{fmt(max(width, 2))}" height="{fmt(height)}" '
        f'fill="{fill}"><title>{escape(title)}</title></rect>'
    )


def clean(value: Any, limit: int | None = None) -> str:
    """Printable, whitespace-folded text, cut to `limit` characters with an ellipsis."""
    text = "".join(char for char in " ".join(str(value).split()) if char.isprintable())
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "\u2026"
    return text
