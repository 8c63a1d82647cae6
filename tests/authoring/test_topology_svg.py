"""The topology graph model, its layout and the SVG pictures of the HTML bundle."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dataplan_lint.authoring import bundle, graph, layout, mermaid, svg, topology_svg

ROOT = Path(__file__).resolve().parents[2]
SVG = "{http://www.w3.org/2000/svg}"
EXAMPLES = ("clickstream-sessions", "orders-cdc")


def plan(example: str) -> Any:
    from dataplan_lint.files.loader import load_text

    path = ROOT / "examples" / example / "dataplan.yaml"
    loaded = load_text(path.read_text(encoding="utf-8"), str(path))
    assert loaded.plan is not None
    return loaded.plan.data


def parse(svg_text: str) -> ET.Element:
    """The SVG as XML: a parse error here means some text was not escaped."""
    return ET.fromstring(svg_text)


def drawn_edges(root: ET.Element) -> list[tuple[str, str]]:
    return [
        (path.get("data-from", ""), path.get("data-to", ""))
        for path in root.iter(f"{SVG}path")
        if "edge" in (path.get("class") or "")
    ]


def boxes(root: ET.Element) -> dict[str, tuple[float, float, float, float]]:
    out = {}
    for group in root.iter(f"{SVG}g"):
        if group.get("class") == "node":
            rect = group.find(f"{SVG}rect")
            assert rect is not None
            out[group.get("data-node", "")] = tuple(
                float(rect.get(key, "nan")) for key in ("x", "y", "width", "height")
            )
    return out


def overlap(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def test_the_graph_of_orders_cdc() -> None:
    model = graph.build(plan("orders-cdc"))
    assert [(n.id, n.role) for n in model.nodes] == [
        ("src_orders_db_orders", "source"),
        ("src_orders_db_order_items", "source"),
        ("stg_debezium_capture", "job"),
        ("stg_snowflake_landing", "sink"),
        ("stg_dbt_staging", "job"),
        ("stg_dbt_intermediate", "job"),
        ("stg_dbt_marts", "job"),
        ("stg_dbt_tests", "job"),
        ("stg_erp_export", "sink"),
        ("lyr_raw_orders_cdc", "raw"),
        ("lyr_raw_order_items_cdc", "raw"),
        ("lyr_stg_orders", "staging"),
        ("lyr_stg_order_items", "staging"),
        ("lyr_int_order_lines", "intermediate"),
        ("lyr_fct_orders", "mart"),
        ("lyr_fct_daily_revenue", "mart"),
        ("con_finance_revenue_dashboard", "consumer"),
        ("con_erp_revenue_export", "consumer"),
    ]
    assert len(model.edges) == 19
    assert ("ingestion", "lyr_raw_orders_cdc") in model.edges  # a source read via ingestion
    assert ("lyr_fct_daily_revenue", "con_erp_revenue_export") in model.edges
    assert model.omitted_nodes == {} and model.omitted_edges == 0


@pytest.mark.parametrize("example", EXAMPLES)
def test_mermaid_and_svg_draw_the_same_graph(example: str) -> None:
    topo = mermaid.topology(plan(example))
    mermaid_edges = re.findall(r"^  (\w+) --> (\w+)$", topo["mermaid"], flags=re.MULTILINE)
    assert mermaid_edges == [tuple(edge) for edge in topo["edges"]]
    chart = topology_svg.topology_chart(topo)
    assert chart is not None
    root = parse(chart)
    assert sorted(drawn_edges(root)) == sorted(tuple(edge) for edge in topo["edges"])
    placed = boxes(root)
    assert list(placed) == [node["id"] for node in topo["nodes"]]
    for a, b in itertools.combinations(placed.values(), 2):
        assert not overlap(a, b)
    # Bands read top to bottom: every source above every stage, above every layer, ...
    tops = {
        group: [placed[n["id"]][1] for n in topo["nodes"] if n["group"] == group]
        for group in graph.GROUPS
    }
    for upper, lower in itertools.pairwise(graph.GROUPS):
        assert max(tops[upper]) < min(tops[lower])
    # The text alternative and the legend.
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert desc.text == topology_svg.summary(topo)
    legend = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "legend"]
    roles = dict.fromkeys(node["role"] for node in topo["nodes"])
    assert legend == [topology_svg.ROLES[role][2] for role in roles]


def test_summary_counts_what_is_drawn() -> None:
    topo = mermaid.topology(plan("orders-cdc"))
    assert topology_svg.summary(topo) == (
        "Data flow of 2 sources, 7 ingestion stages, 7 model layers, 2 consumers, "
        "joined by 19 arrows."
    )


HOSTILE_NAME = '<script>alert("x")</script> & \x1b[31m\u202e' + "y" * 80


def test_hostile_names_are_escaped_and_clipped() -> None:
    data = {
        "sources": [{"id": HOSTILE_NAME, "kind": "<b>stream</b>"}],
        "modeling": {"layers": [{"name": 'a]"-->b', "kind": "mart", "reads_from": [HOSTILE_NAME]}]},
        "context": {"consumers": [{"name": "c'&\"<"}]},
    }
    topo = mermaid.topology(data)
    chart = topology_svg.topology_chart(topo)
    assert chart is not None
    assert "<script" not in chart and "<b>" not in chart and "\x1b" not in chart
    assert "\u202e" not in chart
    root = parse(chart)
    names = [t.text or "" for t in root.iter(f"{SVG}text") if t.get("class") == "name"]
    assert (
        names[0] == '<script>alert("x")</script> & [31m'[: topology_svg.NAME_CHARS - 1] + "\u2026"
    )
    assert names[1:] == ['a]"-->b', "c'&\"<"]
    tooltips = [g.findtext(f"{SVG}title") for g in root.iter(f"{SVG}g")]
    assert tooltips[0] == '<script>alert("x")</script> & [31m' + "y" * 80 + " (<b>stream</b>)"
    assert all(node["id"].isidentifier() for node in topo["nodes"])


def test_cycles_are_drawn_as_back_edges_and_do_not_hang() -> None:
    data = {
        "ingestion": {
            "topology": [
                {"stage": "a", "depends_on": ["c"]},
                {"stage": "b", "depends_on": ["a"]},
                {"stage": "c", "depends_on": ["b"]},
            ]
        },
        "modeling": {
            "layers": [
                {"name": "x", "kind": "staging", "reads_from": ["y"]},
                {"name": "y", "kind": "mart", "reads_from": ["x"]},
            ]
        },
    }
    topo = mermaid.topology(data)
    chart = topology_svg.topology_chart(topo)
    assert chart is not None
    root = parse(chart)
    back = [p for p in root.iter(f"{SVG}path") if p.get("class") == "edge back"]
    assert [(p.get("data-from"), p.get("data-to")) for p in back] == [
        ("stg_c", "stg_a"),
        ("lyr_y", "lyr_x"),
    ]
    assert all(p.get("stroke-dasharray") for p in back)
    assert "closes a cycle" in chart
    placed = boxes(root)
    assert len(placed) == 5
    for a, b in itertools.combinations(placed.values(), 2):
        assert not overlap(a, b)
    # A back edge runs down the side, right of every box of the ranks it spans.
    items = [layout.Item(n["id"], 0, 100.0) for n in topo["nodes"]]
    result = layout.layout(items, [tuple(edge) for edge in topo["edges"]])
    for route in (r for r in result.routes if r.back):
        low, high = sorted((result.boxes[route.start].rank, result.boxes[route.end].rank))
        side = route.points[1][0]
        assert all(
            box.x + box.width < side for box in result.boxes.values() if low <= box.rank <= high
        )


def test_big_plans_are_capped_with_a_note() -> None:
    data = {
        "sources": [{"id": f"s{n}"} for n in range(300)],
        "ingestion": {"topology": [{"stage": f"t{n}"} for n in range(300)]},
        "modeling": {"layers": [{"name": f"l{n}", "kind": "mart"} for n in range(300)]},
        "context": {"consumers": [{"name": f"c{n}"} for n in range(300)]},
    }
    model = graph.build(data)
    assert len(model.nodes) == graph.MAX_NODES
    assert model.omitted_nodes == dict.fromkeys(graph.GROUPS, 250)
    # 50 sources feed each of 50 root stages, 50 marts serve each of 50 consumers.
    assert len(model.edges) == graph.MAX_EDGES
    assert model.omitted_edges == 2 * 50 * 50 - graph.MAX_EDGES
    topo = mermaid.topology(data)
    assert topo["mermaid"].endswith("%% not drawn: 1000 more nodes, 4400 more edges")
    chart = topology_svg.topology_chart(topo)
    assert chart is not None
    root = parse(chart)
    assert len(boxes(root)) == graph.MAX_NODES
    notes = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "note"]
    assert (
        "and 1000 more nodes and 4400 more arrows not drawn (the tables list everything)" in notes
    )
    # Wide ranks wrap into lines: the picture keeps the page's width, and grows down.
    assert float(root.get("width", "0")) <= topology_svg.PAGE_WIDTH
    assert float(root.get("height", "0")) < 5_000
    placed = boxes(root)
    for a, b in itertools.combinations(placed.values(), 2):
        assert not overlap(a, b)


def test_budgets_share_the_cap_fairly() -> None:
    assert graph.budgets({"a": 10, "b": 500, "c": 0, "d": 300}, 200) == {
        "a": 10,
        "b": 95,
        "c": 0,
        "d": 95,
    }
    assert graph.budgets({"a": 3, "b": 4}, 200) == {"a": 3, "b": 4}


def test_the_picture_is_the_same_in_every_process() -> None:
    """Deterministic output: no set or hash order leaks in (string hashing is salted)."""
    code = (
        "from dataplan_lint.authoring import mermaid, topology_svg\n"
        "from dataplan_lint.files.loader import load_text\n"
        f"text = open({str(ROOT / 'examples/orders-cdc/dataplan.yaml')!r}).read()\n"
        "data = load_text(text, 'x').plan.data\n"
        "print(topology_svg.topology_chart(mermaid.topology(data)))\n"
    )
    outputs = set()
    for seed in ("1", "2", "3"):
        done = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        outputs.add(done.stdout)
    assert len(outputs) == 1
    topo = mermaid.topology(plan("orders-cdc"))
    assert outputs == {str(topology_svg.topology_chart(topo)) + "\n"}


def test_no_nodes_no_picture() -> None:
    assert topology_svg.topology_chart(mermaid.topology({})) is None


# --- the layout's parts --------------------------------------------------------------


def test_back_edges_and_ranks() -> None:
    edges = [(0, 1), (1, 2), (2, 0), (2, 3), (3, 3)]
    assert layout.back_edges(4, edges) == {2, 4}
    assert layout.longest_path_ranks(5, [(0, 1), (1, 2), (0, 2), (3, 2), (2, 4)]) == [
        0,
        1,
        2,
        0,
        3,
    ]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), max_size=25))
def test_crossings_match_the_pairwise_count(pairs: list[tuple[int, int]]) -> None:
    upper = {n: n for n in range(7)}
    lower = {n: n for n in range(7)}
    brute = sum(1 for (a, b), (c, d) in itertools.combinations(pairs, 2) if (a - c) * (b - d) < 0)
    assert layout.crossings(upper, lower, pairs) == brute


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(-500, 500), st.floats(0.5, 3), st.floats(0, 80)),
        min_size=1,
        max_size=12,
    )
)
def test_placement_keeps_order_and_gaps(rows: list[tuple[float, float, float]]) -> None:
    targets = [t for t, _, _ in rows]
    weights = [w for _, w, _ in rows]
    gaps = [g for _, _, g in rows[1:]]
    placed = layout._pav(targets, weights, gaps)
    for (left, right), gap in zip(itertools.pairwise(placed), gaps, strict=True):
        assert right - left >= gap - 1e-6
    # Targets that already respect the gaps are kept as they are.
    spaced = [0.0]
    for gap in gaps:
        spaced.append(spaced[-1] + gap + 1)
    assert layout._pav(spaced, weights, gaps) == pytest.approx(spaced)


# --- the capacity and latency charts ----------------------------------------------------


def capacity_of(text: str, tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "dataplan.yaml"
    path.write_text(text, encoding="utf-8")
    data: dict[str, Any] = bundle.build(path)
    return data


def test_capacity_chart_marks_figures_outside_the_tolerance(tmp_path: Path) -> None:
    text = (ROOT / "examples/clickstream-sessions/dataplan.yaml").read_text(encoding="utf-8")
    capacity = capacity_of(
        text.replace("peak_eps: 17361", "peak_eps: 30000").replace(
            "partitions: 48", "partitions: 12"
        ),
        tmp_path,
    )["capacity"]
    chart = svg.capacity_chart(capacity)
    assert chart is not None
    root = parse(chart)
    figures = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "fig"]
    assert figures == [row["figure"] for row in capacity["rows"]]
    units = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "unit"][::2]
    assert units[:4] == ["events per second", "events per second", "bytes per second", "count"]
    red = [
        r.findtext(f"{SVG}title")
        for r in root.iter(f"{SVG}rect")
        if r.get("fill") == svg.DECLARED_BAD
    ]
    assert red == ["declared peak_eps: 30,000/s", "declared partitions: 12"]
    differences = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "bad"]
    assert differences == ["+72.8%", "-50.0%"]
    bands = [
        r.findtext(f"{SVG}title") for r in root.iter(f"{SVG}rect") if r.get("fill") == svg.BAND
    ]
    assert "within 10%: 15,625/s to 19,097/s" in bands
    assert "at least 24" in bands
    assert root.findtext(f"{SVG}desc") == (
        "2 of 10 declared capacity figures are outside the 10% tolerance of the derived "
        "value: peak_eps, partitions."
    )


def test_capacity_chart_all_within(tmp_path: Path) -> None:
    data = bundle.build(ROOT / "examples/orders-cdc/dataplan.yaml")
    chart = svg.capacity_chart(data["capacity"])
    assert chart is not None
    root = parse(chart)
    assert not [r for r in root.iter(f"{SVG}rect") if r.get("fill") == svg.DECLARED_BAD]
    assert root.findtext(f"{SVG}desc", "").startswith(
        "All 8 declared capacity figures are within 10%"
    )
    verdicts = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "unit"][1::2]
    assert verdicts == [
        "within",
        "within",
        "within",
        "enough",
        "within",
        "within",
        "within",
        "within",
    ]


def test_capacity_chart_undeclared_figure_and_no_figures() -> None:
    capacity = {
        "tolerance": 0.1,
        "rows": [
            {
                "figure": "avg_eps",
                "declared": None,
                "derived": "10/s",
                "derived_value": 10.0,
                "declared_value": None,
                "unit_kind": "event-rate",
                "difference": None,
                "status": "not declared",
            }
        ],
    }
    chart = svg.capacity_chart(capacity)
    assert chart is not None
    root = parse(chart)
    values = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "value"]
    assert values == ["declared not declared", "derived 10/s"]
    assert svg.capacity_chart({"tolerance": 0.1, "rows": []}) is None


def test_latency_chart_marks_and_axis() -> None:
    data = bundle.build(ROOT / "examples/clickstream-sessions/dataplan.yaml")
    chart = svg.latency_chart(data["latency_budget"])
    assert chart is not None
    root = parse(chart)
    marks = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "mark"]
    assert marks == ["alert 2.5m", "end-to-end target 3m", "SLO 5m"]
    in_bar = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "inbar"]
    assert in_bar == ["30s", "1m", "30s"]  # the legs wide enough to carry their budget
    assert root.findtext(f"{SVG}desc") == (
        "6 legs adding up to 2.33m; alert 2.5m; end-to-end target 3m; SLO 5m."
    )
    assert svg.ticks(5.2 * 60) == [0, 60, 120, 180, 240, 300]


def test_latency_chart_over_the_slo_and_many_legs() -> None:
    legs = [{"name": f"leg{n}", "budget": "10s", "seconds": 10.0} for n in range(100)]
    budget = {
        "legs": legs,
        "total_seconds": 1000.0,
        "end_to_end_seconds": 600.0,
        "alert_at_seconds": None,
        "slo_seconds": 900.0,
    }
    chart = svg.latency_chart(budget)
    assert chart is not None
    root = parse(chart)
    assert [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "bad"] == ["16.7m - over"]
    rects = list(root.iter(f"{SVG}rect"))
    assert len(rects) == svg.MAX_LEGS + 1 + svg.LEGEND_LEGS  # segments, the rest, legend
    assert float(root.get("height", "0")) < 300


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 3), st.floats(60, 260)), min_size=1, max_size=40),
    st.lists(st.tuples(st.integers(0, 39), st.integers(0, 39)), max_size=80),
)
def test_any_graph_is_laid_out_without_overlaps(
    nodes: list[tuple[int, float]], pairs: list[tuple[int, int]]
) -> None:
    items = [layout.Item(f"n{n}", band, width) for n, (band, width) in enumerate(nodes)]
    edges = [(f"n{a}", f"n{b}") for a, b in pairs if a < len(items) and b < len(items)]
    result = layout.layout(items, edges)
    assert list(result.boxes) == [item.id for item in items]
    for a, b in itertools.combinations(result.boxes.values(), 2):
        assert not overlap((a.x, a.y, a.width, a.height), (b.x, b.y, b.width, b.height)), (a, b)
    for box in result.boxes.values():  # every box inside its band's frame
        top, bottom = result.bands[box.band]
        assert top < box.y and box.y + box.height < bottom
        assert box.x > 0 and box.x + box.width <= result.width
    drawn = {(route.start, route.end) for route in result.routes}
    assert drawn == {(a, b) for a, b in edges if a != b}
    for route in result.routes:
        if route.back:
            continue
        # Forward arrows run down the page, and never through a box: they run straight
        # down only between boxes (curves stay in the gaps between lines).
        assert all(p[1] <= q[1] for p, q in itertools.pairwise(route.points))
        for (x1, y1), (x2, y2) in itertools.pairwise(route.points):
            if abs(x1 - x2) > 0.5:
                continue
            for box in result.boxes.values():
                if box.id in (route.start, route.end):
                    continue
                inside = box.x < x1 < box.x + box.width
                assert not (inside and y1 < box.y + box.height and box.y < y2), (route, box)
