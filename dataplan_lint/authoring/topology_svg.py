"""The topology diagram of the HTML bundle: an inline SVG drawn from `graph`'s model.

No script, no fonts, no network: boxes sized from their labels (an estimate of the
glyph width; long names are cut with an ellipsis and the full text kept in the box's
`<title>` tooltip), placed by `layout` in bands (sources, ingestion, model layers,
consumers), arrows with markers, a colour per role and a legend of the roles shown.
Input is the plain-data topology of the bundle (`graph.Graph.as_data`), so every text is
untrusted: control characters are dropped and the rest XML-escaped; no size comes from
the plan, only counts of the already capped graph.
"""

from __future__ import annotations

from html import escape
from typing import Any

from dataplan_lint.authoring import layout
from dataplan_lint.authoring.graph import GROUP_TITLES, GROUPS
from dataplan_lint.authoring.svg import clean, fmt

# role -> (fill, stroke, legend text)
ROLES: dict[str, tuple[str, str, str]] = {
    "source": ("#dceaf7", "#4e79a7", "source"),
    "job": ("#fde3c8", "#d9730d", "ingestion job"),
    "sink": ("#ecdff0", "#8e5a87", "sink / export"),
    "raw": ("#eddccb", "#9c6b3f", "raw layer"),
    "staging": ("#e2f0d9", "#59a14f", "staging layer"),
    "intermediate": ("#c9e4bd", "#3b7d36", "intermediate layer"),
    "mart": ("#fbedb5", "#b8900f", "mart layer"),
    "serving": ("#f6dc85", "#a67c00", "serving layer"),
    "layer": ("#e8e8e8", "#6e7781", "model layer"),
    "consumer": ("#d5efed", "#3d8f89", "consumer"),
}
EDGE = "#6e7781"
BACK_EDGE = "#cf222e"
BAND_FILL = "#f6f8fa"
BAND_STROKE = "#d8dee4"
NAME_CHARS = 30  # longer names are cut with an ellipsis
NAME_PX = 7.3  # estimated advance of one character of the 12px semi-bold name
KIND_PX = 6.0  # ... of the 10.5px kind line
MIN_W, MAX_W = 92.0, 250.0
MIN_WIDTH = 640.0  # with the legend below
MIN_BANDS = 460.0  # the bands' right edge, at least
LEGEND_ROW = 22.0
NOTE_PX = 6.2  # estimated advance of one 11.5px note character


def x(value: Any, limit: int | None = None) -> str:
    """`value` cleaned and escaped for SVG text or an attribute."""
    return escape(clean(value, limit), quote=True)


def _box_width(name: str, kind: str) -> float:
    wanted = max(len(clean(name, NAME_CHARS)) * NAME_PX, len(clean(kind, 28)) * KIND_PX) + 24
    return min(max(wanted, MIN_W), MAX_W)


def _path(points: tuple[layout.Point, ...], back: bool) -> str:
    (x0, y0), rest = points[0], points[1:]
    out = [f"M{fmt(x0)},{fmt(y0)}"]
    if back:  # out to the right, along the side, back in: a bracket with round corners
        (far, _), _, (x3, y3) = rest
        turn = 1 if y3 > y0 else -1
        radius = min(10.0, abs(y3 - y0) / 2)
        out.append(
            f"H{fmt(far - radius)}Q{fmt(far)},{fmt(y0)} {fmt(far)},{fmt(y0 + turn * radius)}"
            f"V{fmt(y3 - turn * radius)}Q{fmt(far)},{fmt(y3)} {fmt(far - radius)},{fmt(y3)}"
            f"H{fmt(x3)}"
        )
        return "".join(out)
    for x1, y1 in rest:
        if abs(x1 - x0) < 0.5:
            out.append(f"L{fmt(x1)},{fmt(y1)}")
        else:
            middle = (y0 + y1) / 2
            out.append(f"C{fmt(x0)},{fmt(middle)} {fmt(x1)},{fmt(middle)} {fmt(x1)},{fmt(y1)}")
        x0, y0 = x1, y1
    return "".join(out)


def summary(topology: dict[str, Any]) -> str:
    """One sentence saying what the diagram shows (its text alternative)."""
    nodes = topology["nodes"]
    counts = []
    nouns = {
        "sources": ("source", "sources"),
        "ingestion": ("ingestion stage", "ingestion stages"),
        "layers": ("model layer", "model layers"),
        "consumers": ("consumer", "consumers"),
    }
    for group in GROUPS:
        n = sum(1 for node in nodes if node["group"] == group)
        if n:
            counts.append(f"{n} {nouns[group][0] if n == 1 else nouns[group][1]}")
    edges = len(topology["edges"])
    text = f"Data flow of {', '.join(counts)}, joined by {edges} arrow{'s' if edges != 1 else ''}"
    omitted = topology.get("omitted_nodes") or 0
    if omitted:
        text += f"; {omitted} more nodes not drawn"
    return text + "."


def topology_chart(topology: dict[str, Any]) -> str | None:
    """The SVG diagram of a bundle's `topology`, or None when the plan declares no nodes."""
    nodes = topology["nodes"]
    if not nodes:
        return None
    bands = {group: n for n, group in enumerate(GROUPS)}
    items = [
        layout.Item(
            node["id"],
            bands.get(node["group"], 0),
            _box_width(node["name"], node.get("kind") or ""),
        )
        for node in nodes
    ]
    plain = [(a, b) for a, b in topology["edges"]]
    placed = layout.layout(items, plain)
    by_id = {node["id"]: node for node in nodes}

    legend_roles = list(dict.fromkeys(node["role"] for node in nodes if node["role"] in ROLES))
    band_right = max(placed.width - layout.MARGIN + 14, MIN_BANDS)
    legend, width, height = _legend(legend_roles, placed, topology, band_right)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart topology" role="img" '
        f'width="{fmt(width)}" height="{fmt(height)}" '
        f'viewBox="0 0 {fmt(width)} {fmt(height)}" '
        'aria-labelledby="topology-title" aria-describedby="topology-desc">',
        '<title id="topology-title">Topology: sources, ingestion, model layers and '
        "consumers</title>",
        f'<desc id="topology-desc">{x(summary(topology))}</desc>',
        "<defs>",
        *(_marker(name, colour) for name, colour in (("arrow", EDGE), ("back", BACK_EDGE))),
        "</defs>",
    ]
    for band, (top, bottom) in placed.bands.items():
        group = GROUPS[band] if 0 <= band < len(GROUPS) else ""
        parts.append(
            f'<rect x="{fmt(layout.MARGIN)}" y="{fmt(top)}" '
            f'width="{fmt(band_right - layout.MARGIN)}" height="{fmt(bottom - top)}" rx="8" '
            f'fill="{BAND_FILL}" stroke="{BAND_STROKE}"/>'
            f'<text x="{fmt(layout.MARGIN + 12)}" y="{fmt(top + 22)}" class="band">'
            f"{x(GROUP_TITLES.get(group, group))}</text>"
        )
    for route in placed.routes:
        title = f"{by_id[route.start]['name']} \u2192 {by_id[route.end]['name']}"
        if route.back:
            title += " (closes a cycle)"
        stroke = BACK_EDGE if route.back else EDGE
        dash = ' stroke-dasharray="5 4"' if route.back else ""
        marker = "back" if route.back else "arrow"
        parts.append(
            f'<path class="{"edge back" if route.back else "edge"}" data-from="{route.start}" '
            f'data-to="{route.end}" d="{_path(route.points, route.back)}" fill="none" '
            f'stroke="{stroke}" '
            f'stroke-width="1.5"{dash} marker-end="url(#topology-{marker})">'
            f"<title>{x(title)}</title></path>"
        )
    parts.extend(_group_edges(topology, placed, by_id, bands, band_right))
    for node in nodes:
        box = placed.boxes[node["id"]]
        fill, stroke, _ = ROLES.get(node["role"], ROLES["layer"])
        kind = node.get("kind")
        tooltip = node["name"] + (f" ({kind})" if kind else "")
        name_y = box.y + (16 if kind else 24)
        parts.append(
            f'<g class="node" data-node="{node["id"]}" data-role="{x(node["role"])}">'
            f"<title>{x(tooltip)}</title>"
            f'<rect x="{fmt(box.x)}" y="{fmt(box.y)}" width="{fmt(box.width)}" '
            f'height="{fmt(box.height)}" rx="6" fill="{fill}" stroke="{stroke}" '
            'stroke-width="1.5"/>'
            f'<text x="{fmt(box.centre)}" y="{fmt(name_y)}" text-anchor="middle" '
            f'class="name">{x(node["name"], NAME_CHARS)}</text>'
            + (
                f'<text x="{fmt(box.centre)}" y="{fmt(box.y + 31)}" text-anchor="middle" '
                f'class="kind">{x(kind, 28)}</text>'
                if kind
                else ""
            )
            + "</g>"
        )
    parts.extend(legend)
    parts.append("</svg>")
    return "".join(parts)


def _marker(name: str, colour: str) -> str:
    return (
        f'<marker id="topology-{name}" viewBox="0 0 10 10" refX="10" refY="5" '
        'markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto">'
        f'<path d="M0,1 L10,5 L0,9 z" fill="{colour}"/></marker>'
    )


def _group_edges(
    topology: dict[str, Any],
    placed: layout.Layout,
    by_id: dict[str, dict[str, Any]],
    bands: dict[str, int],
    band_right: float,
) -> list[str]:
    """Edges from a whole group (a layer reading a source through the ingestion): a bar on
    the group's band border, labelled, with an arrow down to each target."""
    targets: dict[str, list[layout.Box]] = {}
    for start, end in topology["edges"]:
        if start in by_id or end not in placed.boxes or bands.get(start) not in placed.bands:
            continue
        box = placed.boxes[end]
        if placed.bands[bands[start]][1] < box.y:
            targets.setdefault(start, []).append(box)
    out = []
    for start, boxes in targets.items():
        _, bottom = placed.bands[bands[start]]
        group = GROUP_TITLES.get(start, start)
        starts = [placed.entry(box.id)[0][0] for box in boxes]
        left, right = min(starts) - 14, max(starts) + 14
        label = f"out of {group}"
        room = len(label) * NOTE_PX
        out.append(
            f'<line x1="{fmt(left)}" y1="{fmt(bottom)}" x2="{fmt(right)}" y2="{fmt(bottom)}" '
            f'stroke="{EDGE}" stroke-width="4" stroke-linecap="round">'
            f"<title>{x(f'{label} (the stages as a whole)')}</title></line>"
        )
        if right + 8 + room <= band_right:  # beside the bar, on whichever side has room
            out.append(
                f'<text x="{fmt(right + 8)}" y="{fmt(bottom + 13)}" class="note">{x(label)}</text>'
            )
        elif left - 8 - room >= layout.MARGIN:
            out.append(
                f'<text x="{fmt(left - 8)}" y="{fmt(bottom + 13)}" text-anchor="end" '
                f'class="note">{x(label)}</text>'
            )
        for box in boxes:
            title = f"{group} \u2192 {by_id[box.id]['name']}"
            points = placed.entry(box.id)
            route = _path(((points[0][0], bottom), *points), back=False)
            out.append(
                f'<path class="edge" data-from="{start}" data-to="{box.id}" d="{route}" '
                f'fill="none" stroke="{EDGE}" stroke-width="1.5" '
                f'marker-end="url(#topology-arrow)"><title>{x(title)}</title></path>'
            )
    return out


LEGEND_TEXT_PX = 6.6  # estimated advance of one 12px legend character
PAGE_WIDTH = 1040.0  # the bundle page's content width: a legend fits beside or goes below


def _legend(
    roles: list[str], placed: layout.Layout, topology: dict[str, Any], band_right: float
) -> tuple[list[str], float, float]:
    """Swatches of the roles shown (beside the diagram when there is room, else below it)
    and the notes (cycles, what the cap left out) below; returns the parts and the width
    and height the whole picture needs."""
    entries = [ROLES[role] for role in roles]
    longest = max((len(text) for _, _, text in entries), default=0) * LEGEND_TEXT_PX + 20
    parts: list[str] = []
    beside = band_right + 16 + longest + layout.MARGIN <= PAGE_WIDTH
    if beside:
        left = band_right + 16
        top = min((top for top, _ in placed.bands.values()), default=layout.MARGIN)
        positions = [(left, top + 4 + n * LEGEND_ROW) for n in range(len(entries))]
        width, bottom = left + longest + layout.MARGIN, placed.height
    else:
        width, cursor, y = max(band_right + layout.MARGIN, MIN_WIDTH), layout.MARGIN, placed.height
        positions = []
        for _, _, text in entries:
            needed = 20 + len(text) * LEGEND_TEXT_PX + 22
            if cursor + needed > width - layout.MARGIN and cursor > layout.MARGIN:
                cursor, y = layout.MARGIN, y + LEGEND_ROW
            positions.append((cursor, y))
            cursor += needed
        bottom = y + LEGEND_ROW
    for (fill, stroke, text), (left, y) in zip(entries, positions, strict=True):
        parts.append(
            f'<rect x="{fmt(left)}" y="{fmt(y + 3)}" width="14" height="14" rx="3" '
            f'fill="{fill}" stroke="{stroke}"/>'
            f'<text x="{fmt(left + 20)}" y="{fmt(y + 14)}" class="legend">{x(text)}</text>'
        )
    notes = []
    if any(route.back for route in placed.routes):
        notes.append("dashed red arrow: a reference that closes a cycle")
    omitted_nodes = topology.get("omitted_nodes") or 0
    omitted_edges = topology.get("omitted_edges") or 0
    left_out = [
        f"{count} more {noun}"
        for count, noun in ((omitted_nodes, "nodes"), (omitted_edges, "arrows"))
        if count
    ]
    if left_out:
        notes.append(f"and {' and '.join(left_out)} not drawn (the tables list everything)")
    for note in notes:
        parts.append(
            f'<text x="{fmt(layout.MARGIN)}" y="{fmt(bottom + 14)}" class="note">{x(note)}</text>'
        )
        bottom += LEGEND_ROW
    return parts, width, bottom + layout.MARGIN / 2
