"""The topology diagram's cost grows near-linearly with the graph, and stays flat with the plan.

`layout.layout` is timed on growing graphs of several shapes (a long chain, wide ranks
fed from everywhere, long edges that need dummy points, one big cycle), far past the 200
nodes `graph.build` keeps, so the growth shows. From 250 to 2,000 nodes (8x) linear
work takes 8x the time and n log n about 11x; quadratic work would take 64x, and the
test fails above 24. The whole picture of a plan (`graph.build` + `topology_chart`) is
timed on plans of 2,000 to 16,000 entries per group with every stage fed by every source
and every consumer by every layer - the shape that would be quadratic without the caps.
CPU time of min-of-N batches, in one child process with a time and memory limit (the
same method as test_regex_growth.py); no absolute speed is asserted.
"""

from __future__ import annotations

import json

from bounded import run_python

MAX_RATIO = 24.0  # linear: 8, n log n: ~11, quadratic: 64

CHILD = r"""
import json, random, time
from dataplan_lint.authoring import layout, mermaid, topology_svg

def timed(run, repeat=3):
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best

def items(n, bands=4):
    return [layout.Item(f"n{i}", i * bands // n, 120.0) for i in range(n)]

def chain(n):
    return items(n, 1), [(f"n{i}", f"n{i + 1}") for i in range(n - 1)]

def fan(n):
    # every node of a band reads three nodes of the band before
    rng = random.Random(7)
    nodes = items(n)
    per = n // 4
    edges = [(f"n{rng.randrange(b * per - per, b * per)}", f"n{i}")
             for i in range(per, n) for b in [i // per] for _ in range(3)]
    return nodes, edges

def long_edges(n):
    # one band, a chain, and edges skipping ahead: dummy points in many ranks
    nodes = items(n, 1)
    edges = [(f"n{i}", f"n{i + 1}") for i in range(n - 1)]
    edges += [(f"n{i}", f"n{min(i + 7, n - 1)}") for i in range(0, n, 3)]
    return nodes, edges

def ring(n):
    nodes = items(n, 1)
    return nodes, [(f"n{i}", f"n{(i + 1) % n}") for i in range(n)]

def plan(n):
    return {
        "sources": [{"id": f"s{i}"} for i in range(n)],
        "ingestion": {"topology": [{"stage": f"t{i}", "depends_on": []} for i in range(n)]},
        "modeling": {"layers": [{"name": f"l{i}", "kind": "mart",
                                 "reads_from": [f"s{j}" for j in range(0, n, 97)]}
                                for i in range(n)]},
        "context": {"consumers": [{"name": f"c{i}"} for i in range(n)]},
    }

out = {}
for name, shape in (("chain", chain), ("fan", fan), ("long_edges", long_edges), ("ring", ring)):
    times = []
    for n in (250, 500, 1000, 2000):
        nodes, edges = shape(n)
        times.append(timed(lambda: layout.layout(nodes, edges)))
    out[name] = times
times = []
for n in (2000, 4000, 8000, 16000):
    data = plan(n)
    times.append(timed(lambda: topology_svg.topology_chart(mermaid.topology(data)), 2))
out["whole plan"] = times
print(json.dumps(out))
"""


def test_layout_time_grows_near_linearly() -> None:
    results = json.loads(run_python(CHILD, timeout=240))
    report = {name: [round(t, 4) for t in times] for name, times in results.items()}
    for name, times in results.items():
        smallest = max(times[0], 1e-4)
        assert times[-1] / smallest <= MAX_RATIO, (name, report)
