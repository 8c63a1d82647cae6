"""A layered (Sugiyama-style) layout for the topology diagram, top to bottom in bands.

Nodes come in bands (sources, ingestion, model layers, consumers), each band a run of
ranks below the one before, so a reader sees the groups as horizontal lanes. Within a
band a node's rank is the longest path to it over the band's edges; edges that close a
cycle (found by a depth-first search in input order) are set aside as back edges and
drawn around the side instead of breaking the layering. An edge spanning several ranks
gets a dummy point per rank it crosses, so it bends around the boxes in between. The
order within a rank comes from a few down and up sweeps by the barycentre of the
neighbours in the rank before (or after), keeping the order with the fewest crossings;
x positions are the weighted least-squares fit to the neighbours' centres that keeps
the order and the gaps (pool-adjacent-violators, exact and linear).

Everything is deterministic (lists and insertion-ordered dicts only, sorts with index
tie-breaks) and near-linear in nodes plus edges, with dummy points capped: the growth
test in tests/hostile times it on growing graphs.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

NODE_H = 38.0
RANK_GAP = 26.0
BAND_GAP = 18.0
BAND_PAD = 8.0
NODE_GAP = 26.0
LINE_GAP = 12.0  # between the lines of a wrapped rank
MAX_PASSES = 12  # lines of one wrapped rank an arrow is routed around, at most
MAX_LINE = 850.0  # a rank wider than this wraps
DUMMY_W = 10.0
GUTTER = 124.0  # room at the left for the band titles
MARGIN = 16.0
SWEEPS = 4
PLACEMENT_PASSES = 8
MAX_DUMMIES = 4000
BACK_BULGE = 36.0

Point = tuple[float, float]


@dataclass(frozen=True, slots=True)
class Item:
    """One node to place: `band` indexes the bands top to bottom."""

    id: str
    band: int
    width: float


@dataclass(slots=True)
class Box:
    id: str
    band: int
    rank: int
    x: float  # left
    y: float  # top
    width: float
    height: float = NODE_H

    @property
    def centre(self) -> float:
        return self.x + self.width / 2


@dataclass(frozen=True, slots=True)
class Route:
    start: str
    end: str
    points: tuple[Point, ...]
    back: bool = False  # drawn around the side: it closes a cycle


@dataclass(slots=True)
class Layout:
    boxes: dict[str, Box] = field(default_factory=dict)
    routes: list[Route] = field(default_factory=list)
    bands: dict[int, tuple[float, float]] = field(default_factory=dict)  # band -> top, bottom
    width: float = 0.0
    height: float = 0.0
    entries: dict[str, tuple[Point, ...]] = field(default_factory=dict)

    def entry(self, ident: str) -> tuple[Point, ...]:
        """How an arrow from straight above reaches the top of box `ident`: between the
        boxes of the lines above it in its rank (when the rank wraps), then its top."""
        box = self.boxes[ident]
        return (*self.entries.get(ident, ()), (box.centre, box.y))


def back_edges(count: int, edges: Sequence[tuple[int, int]]) -> set[int]:
    """Indexes of the edges that close a cycle, by an iterative DFS in node order."""
    out: list[list[tuple[int, int]]] = [[] for _ in range(count)]
    for index, (start, end) in enumerate(edges):
        out[start].append((end, index))
    state = [0] * count  # 0 new, 1 on the stack, 2 done
    back: set[int] = set()
    for root in range(count):
        if state[root]:
            continue
        state[root] = 1
        stack = [(root, 0)]
        while stack:
            node, position = stack[-1]
            if position == len(out[node]):
                state[node] = 2
                stack.pop()
                continue
            stack[-1] = (node, position + 1)
            target, index = out[node][position]
            if state[target] == 1:
                back.add(index)
            elif state[target] == 0:
                state[target] = 1
                stack.append((target, 0))
    return back


def longest_path_ranks(count: int, edges: Sequence[tuple[int, int]]) -> list[int]:
    """Rank of each node of a DAG: the length of the longest path ending at it."""
    out: list[list[int]] = [[] for _ in range(count)]
    indegree = [0] * count
    for start, end in edges:
        out[start].append(end)
        indegree[end] += 1
    rank = [0] * count
    ready = [node for node in range(count) if indegree[node] == 0]
    head = 0
    while head < len(ready):
        node = ready[head]
        head += 1
        for target in out[node]:
            rank[target] = max(rank[target], rank[node] + 1)
            indegree[target] -= 1
            if indegree[target] == 0:
                ready.append(target)
    return rank


def crossings(upper: dict[int, int], lower: dict[int, int], pairs: list[tuple[int, int]]) -> int:
    """Edge crossings between two adjacent ranks (inversions, counted with a Fenwick tree)."""
    ordered = sorted((upper[a], lower[b]) for a, b in pairs)
    size = len(lower) + 1
    tree = [0] * (size + 1)
    total = 0
    for seen, (_, position) in enumerate(ordered):
        # edges seen so far that end to the right of this one cross it
        index, not_right = position + 1, 0
        while index > 0:
            not_right += tree[index]
            index -= index & -index
        total += seen - not_right
        index = position + 1
        while index <= size:
            tree[index] += 1
            index += index & -index
    return total


def _pav(targets: list[float], weights: list[float], gaps: list[float]) -> list[float]:
    """Positions x minimising sum w (x - t)^2 subject to x[i+1] - x[i] >= gaps[i]."""
    offsets = [0.0]
    for gap in gaps:
        offsets.append(offsets[-1] + gap)
    blocks: list[list[float]] = []  # [weighted sum, weight, count]
    for target, weight, offset in zip(targets, weights, offsets, strict=True):
        blocks.append([(target - offset) * weight, weight, 1])
        while len(blocks) > 1 and (blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]):
            total, weight_sum, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += weight_sum
            blocks[-1][2] += count
    values: list[float] = []
    for total, weight_sum, count in blocks:
        values.extend([total / weight_sum] * int(count))
    return [value + offset for value, offset in zip(values, offsets, strict=True)]


def layout(items: Sequence[Item], edges: Sequence[tuple[str, str]]) -> Layout:
    """Place `items` and route `edges` (pairs of item ids; other pairs are ignored)."""
    index = {item.id: n for n, item in enumerate(items)}
    count = len(items)
    pairs = [
        (index[a], index[b])
        for a, b in dict.fromkeys(edges)
        if a in index and b in index and a != b
    ]
    band_of = [item.band for item in items]
    # Edges going up a band, and edges closing a cycle inside a band, are back edges.
    inside = [(a, b) for a, b in pairs if band_of[a] == band_of[b]]
    closing = back_edges(count, inside)
    inside_back = {inside[n] for n in closing}
    forward: list[tuple[int, int]] = []
    backward: list[tuple[int, int]] = []
    for a, b in pairs:
        goes_down = band_of[a] < band_of[b] or (
            band_of[a] == band_of[b] and (a, b) not in inside_back
        )
        (forward if goes_down else backward).append((a, b))
    local = longest_path_ranks(count, [(a, b) for a, b in forward if band_of[a] == band_of[b]])
    band_ids = sorted(dict.fromkeys(band_of))
    depth: dict[int, int] = {}
    for n in range(count):
        depth[band_of[n]] = max(depth.get(band_of[n], 0), local[n] + 1)
    offset, band_start, rank_band = 0, {}, []
    for band in band_ids:
        band_start[band] = offset
        offset += depth[band]
        rank_band.extend([band] * depth[band])
    rank = [band_start[band_of[n]] + local[n] for n in range(count)]
    ranks = offset

    # Dummy points for edges spanning more than one rank (ids count up from `count`).
    widths = [item.width for item in items]
    node_rank = list(rank)
    chains: list[list[int]] = []
    links: list[tuple[int, int]] = []
    dummies = 0
    for a, b in forward:
        chain = [a]
        if rank[b] - rank[a] > 1 and dummies + rank[b] - rank[a] - 1 <= MAX_DUMMIES:
            for r in range(rank[a] + 1, rank[b]):
                node_rank.append(r)
                widths.append(DUMMY_W)
                chain.append(len(node_rank) - 1)
                dummies += 1
        chain.append(b)
        chains.append(chain)
        links.extend(itertools.pairwise(chain))
    total = len(node_rank)
    rows: list[list[int]] = [[] for _ in range(ranks)]
    for node in range(total):
        rows[node_rank[node]].append(node)
    up: list[list[int]] = [[] for _ in range(total)]
    down: list[list[int]] = [[] for _ in range(total)]
    for a, b in links:
        if node_rank[b] == node_rank[a] + 1:  # a link longer than one rank has no dummies
            down[a].append(b)
            up[b].append(a)

    rows = _order(rows, up, down)
    lines = [(r, line) for r, row in enumerate(rows) for line in _wrap(row, widths, count)]
    xs = _place([line for _, line in lines], up, down, widths, total, count)

    # y: a rank gap between ranks, a smaller one between the lines of a wrapped rank,
    # and room for the band frames where the band changes.
    result = Layout()
    grid = _Grid(total)
    y = MARGIN + 18.0
    for n, (r, line) in enumerate(lines):
        if n:
            before = lines[n - 1][0]
            if before == r:
                y += NODE_H + LINE_GAP
            else:
                y += NODE_H + RANK_GAP
                if rank_band[r] != rank_band[before]:
                    y += BAND_GAP + 2 * BAND_PAD
        grid.add(
            r,
            line,
            y,
            [(xs[node] - widths[node] / 2, xs[node] + widths[node] / 2) for node in line],
        )
    node_top = grid.node_top
    rank_span = [[grid.tops[found[0]], grid.tops[found[-1]] + NODE_H] for found in grid.rank_lines]
    for n, item in enumerate(items):
        result.boxes[item.id] = Box(
            item.id, item.band, rank[n], xs[n] - widths[n] / 2, node_top[n], widths[n]
        )
    for band in band_ids:
        first = band_start[band]
        last = first + depth[band] - 1
        result.bands[band] = (rank_span[first][0] - BAND_PAD, rank_span[last][1] + BAND_PAD)
    for chain in chains:
        result.routes.append(_route(items, chain, xs, grid, count))
    for n, item in enumerate(items):
        above = grid.around(n)[0]
        if len(above):
            result.entries[item.id] = tuple(grid.through(above, xs[n]))
    right = max([x + w / 2 for x, w in zip(xs, widths, strict=True)], default=GUTTER)
    rank_right = [GUTTER] * ranks
    for node in range(total):
        rank_right[node_rank[node]] = max(rank_right[node_rank[node]], xs[node] + widths[node] / 2)
    for bulge, (a, b) in enumerate(backward):
        box_a, box_b = result.boxes[items[a].id], result.boxes[items[b].id]
        low, high = sorted((rank[a], rank[b]))
        far = max(rank_right[low : high + 1]) + BACK_BULGE / 2 + 8.0 * min(bulge, 12)
        start = (box_a.x + box_a.width, box_a.y + NODE_H / 2)
        end = (box_b.x + box_b.width, box_b.y + NODE_H / 2)
        result.routes.append(
            Route(items[a].id, items[b].id, (start, (far, start[1]), (far, end[1]), end), True)
        )
        right = max(right, far)
    _spread_ports(result, items)
    result.width = right + MARGIN
    result.height = (rank_span[-1][1] + BAND_PAD + MARGIN) if ranks else 2 * MARGIN
    return result


def _wrap(row: list[int], widths: list[float], real: int) -> list[list[int]]:
    """A rank cut into lines no wider than MAX_LINE (a wide rank would shrink the page)."""
    lines: list[list[int]] = [[]]
    used = 0.0
    for node in row:
        needed = widths[node] + (NODE_GAP if node < real else NODE_GAP / 2)
        if lines[-1] and used + needed > MAX_LINE:
            lines.append([])
            used = 0.0
        lines[-1].append(node)
        used += needed
    return lines


def _order(rows: list[list[int]], up: list[list[int]], down: list[list[int]]) -> list[list[int]]:
    """Barycentre sweeps (down by predecessors, up by successors); fewest crossings wins."""

    def positions(order: list[list[int]]) -> dict[int, int]:
        return {node: n for row in order for n, node in enumerate(row)}

    def count(order: list[list[int]]) -> int:
        where = positions(order)
        total = 0
        for r in range(len(order) - 1):
            pairs = [(a, b) for a in order[r] for b in down[a]]
            if pairs:
                total += crossings(
                    {a: where[a] for a in order[r]}, {b: where[b] for b in order[r + 1]}, pairs
                )
        return total

    def sweep(order: list[list[int]], downward: bool) -> list[list[int]]:
        order = [list(row) for row in order]
        where = positions(order)
        ref = up if downward else down

        def key(node: int) -> tuple[float, int]:
            near = ref[node]
            centre = sum(where[n] for n in near) / len(near) if near else float(where[node])
            return (centre, where[node])

        span = range(1, len(order)) if downward else range(len(order) - 2, -1, -1)
        for r in span:
            order[r].sort(key=key)
            where.update((node, n) for n, node in enumerate(order[r]))
        return order

    best, best_count = rows, count(rows)
    current = rows
    for _ in range(SWEEPS):
        for downward in (True, False):
            current = sweep(current, downward)
            found = count(current)
            if found < best_count:
                best, best_count = current, found
        if best_count == 0:
            break
    return best


def _place(
    rows: list[list[int]],
    up: list[list[int]],
    down: list[list[int]],
    widths: list[float],
    total: int,
    real: int,
    passes: int = PLACEMENT_PASSES,
) -> list[float]:
    """x centre of every node and dummy: packed rows, then least-squares alignment passes."""
    xs = [0.0] * total

    def gap(a: int, b: int) -> float:
        space = NODE_GAP if a < real and b < real else NODE_GAP / 2
        return (widths[a] + widths[b]) / 2 + space

    def row_width(row: list[int]) -> float:
        return sum(gap(a, b) for a, b in itertools.pairwise(row)) if row else 0.0

    widest = max((row_width(row) for row in rows), default=0.0)
    for row in rows:
        x = (widest - row_width(row)) / 2
        for n, node in enumerate(row):
            if n:
                x += gap(row[n - 1], node)
            xs[node] = x
    for step in range(passes):
        downward = step % 2 == 0
        span = rows if downward else rows[::-1]
        for row in span:
            if not row:
                continue
            targets, weights = [], []
            for node in row:
                near = up[node] if downward else down[node]
                if not near:  # nothing to align with on this side: try the other
                    near = down[node] if downward else up[node]
                targets.append(sum(xs[n] for n in near) / len(near) if near else xs[node])
                weights.append(1.0 if node < real else 2.0)  # straight long edges first
            gaps = [gap(a, b) for a, b in itertools.pairwise(row)]
            for node, x in zip(row, _pav(targets, weights, gaps), strict=True):
                xs[node] = x
    left = min((xs[n] - widths[n] / 2 for n in range(total)), default=0.0)
    right = max((xs[n] + widths[n] / 2 for n in range(total)), default=0.0)
    if right - left > max(widest, MAX_LINE) + 1 and passes:
        # Aligning wrapped lines spread them wider than a line: keep them centred instead.
        return _place(rows, up, down, widths, total, real, passes=0)
    return [x - left + GUTTER for x in xs]


class _Grid:
    """The lines of boxes (a rank is one line, or several when it wraps), for routing."""

    def __init__(self, total: int) -> None:
        self.node_line = [0] * total
        self.node_top = [0.0] * total
        self.tops: list[float] = []
        self.spans: list[list[tuple[float, float]]] = []  # per line, left to right
        self.rank_lines: list[list[int]] = []
        self.line_rank: list[int] = []

    def add(
        self, rank: int, nodes: list[int], top: float, spans: list[tuple[float, float]]
    ) -> None:
        line = len(self.tops)
        while len(self.rank_lines) <= rank:
            self.rank_lines.append([])
        self.rank_lines[rank].append(line)
        self.line_rank.append(rank)
        self.tops.append(top)
        self.spans.append(sorted(spans))
        for node in nodes:
            self.node_line[node] = line
            self.node_top[node] = top

    def around(self, node: int) -> tuple[range, range]:
        """The other lines of the node's rank: above it, below it (a rank's lines are
        consecutive)."""
        line = self.node_line[node]
        found = self.rank_lines[self.line_rank[line]]
        return range(found[0], line), range(line + 1, found[-1] + 1)

    def through(self, lines: range, x: float) -> list[Point]:
        """Points that take an arrow at `x` down through `lines` between their boxes."""
        if len(lines) > MAX_PASSES:  # only in huge pictures: go straight
            return []
        points: list[Point] = []
        for line in lines:
            spans = self.spans[line]
            lefts = [left for left, _ in spans]
            index = bisect.bisect_right(lefts, x + 4) - 1
            if index >= 0 and x < spans[index][1] + 4:  # x runs into a box: use a gap
                gaps = [spans[0][0] - NODE_GAP / 2, spans[-1][1] + NODE_GAP / 2]
                gaps += [
                    (a[1] + b[0]) / 2
                    for a, b in itertools.pairwise(spans[max(index - 1, 0) : index + 2])
                ]
                x = min(gaps, key=lambda gap: (abs(gap - x), gap))
            points += [(x, self.tops[line]), (x, self.tops[line] + NODE_H)]
        return points


def _route(
    items: Sequence[Item], chain: list[int], xs: list[float], grid: _Grid, real: int
) -> Route:
    """Bottom of the start box, down through each dummy's rank, to the top of the end box,
    passing the other lines of a wrapped rank between their boxes."""
    start, end = chain[0], chain[-1]
    points: list[Point] = [(xs[start], grid.node_top[start] + NODE_H)]
    points += grid.through(grid.around(start)[1], xs[start])
    for dummy in chain[1:-1]:
        above, below = grid.around(dummy)
        points += grid.through(above, xs[dummy])
        top = grid.node_top[dummy]
        points += [(xs[dummy], top), (xs[dummy], top + NODE_H)]
        points += grid.through(below, xs[dummy])
    points += grid.through(grid.around(end)[0], xs[end])
    points.append((xs[end], grid.node_top[end]))
    assert start < real and end < real
    return Route(items[start].id, items[end].id, tuple(points))


def _spread_ports(result: Layout, items: Sequence[Item]) -> None:
    """Spread the edges leaving (entering) a box along its bottom (top) edge, by direction."""
    leaving: dict[str, list[int]] = {}
    entering: dict[str, list[int]] = {}
    for n, route in enumerate(result.routes):
        if not route.back:
            leaving.setdefault(route.start, []).append(n)
            entering.setdefault(route.end, []).append(n)
    routes = [list(route.points) for route in result.routes]
    for ident, members in leaving.items():
        box = result.boxes[ident]
        members.sort(key=lambda n: (routes[n][1][0], n))
        for slot, n in enumerate(members):
            routes[n][0] = (_port(box, slot, len(members)), routes[n][0][1])
    for ident, members in entering.items():
        box = result.boxes[ident]
        members.sort(key=lambda n: (routes[n][-2][0], n))
        for slot, n in enumerate(members):
            routes[n][-1] = (_port(box, slot, len(members)), routes[n][-1][1])
    result.routes = [
        Route(route.start, route.end, tuple(points), route.back)
        for route, points in zip(result.routes, routes, strict=True)
    ]


def _port(box: Box, slot: int, count: int) -> float:
    if count == 1:
        return box.centre
    usable = min(box.width - 24.0, 16.0 * (count - 1))
    return box.centre - usable / 2 + usable * slot / (count - 1)
