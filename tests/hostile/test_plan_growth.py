"""A whole check grows near-linearly with every list a plan has.

Rules run their function once per matched item; a function that looks up plan-wide
names each time (every stage's `depends_on` against all stage names, say) makes a plan
with n entries cost n squared - 2,000 ingestion stages once took 10 s and 8,000 would
have taken minutes. Here every list of mappings in the `orders-cdc` example is grown
in turn by 100 and by 800 entries (copies of its first entry, renamed where it has an id
or name) and the whole check (load, schema, rules, filters) is timed on the example and
on both. Less the example's own time, linear work takes 8x as long for 800 as for 100
and quadratic work 64x; the test fails above 24.
CPU time in one child process with a time and memory limit; no absolute speed is
asserted.
"""

from __future__ import annotations

import json
from pathlib import Path

from bounded import run_python

MAX_RATIO = 24.0  # linear: 8, quadratic: 64
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "orders-cdc" / "dataplan.yaml"

CHILD = r"""
import copy, json, sys, time
from pathlib import Path
from dataplan_lint.config.file import ConfigResolver
from dataplan_lint.files.loader import load_bytes
from dataplan_lint.pipeline.configured import check_text

NAME_KEYS = ("id", "name", "stage", "check", "alert", "version")
source = Path(sys.argv[1])
base = load_bytes(source.read_bytes(), str(source)).plan.data
resolver = ConfigResolver()

def lists(value, path=()):
    if isinstance(value, dict):
        for key, child in value.items():
            yield from lists(child, path + (key,))
    elif isinstance(value, list):
        if value and isinstance(value[0], dict):
            yield path
        for index, child in enumerate(value):
            yield from lists(child, path + (index,))

def grown(path, n):
    data = copy.deepcopy(base)
    node = data
    for step in path[:-1]:
        node = node[step]
    first = node[path[-1]][0]
    extra = []
    for i in range(n):
        item = copy.deepcopy(first)
        for key in NAME_KEYS:
            if isinstance(item.get(key), str):
                item[key] = f"{item[key]}-{i}"
        extra.append(item)
    node[path[-1]] = node[path[-1]] + extra
    return json.dumps(data, indent=1)  # JSON is YAML; dumping it costs next to nothing

def timed(text):
    best = float("inf")
    for _ in range(2):
        start = time.process_time()
        report, _ = check_text(Path("grown.dataplan.yaml"), text, resolver)
        best = min(best, time.process_time() - start)
    return best, len(report.findings)

out = {}
for path in lists(base):
    out["/".join(map(str, path))] = [timed(grown(path, n)) for n in (0, 100, 800)]
print(json.dumps(out))
"""


def test_check_time_grows_near_linearly_with_every_list(tmp_path: Path) -> None:
    code = f"import sys; sys.argv = ['x', {str(EXAMPLE)!r}]\n" + CHILD
    results = json.loads(run_python(code, cwd=tmp_path, timeout=400))
    assert "ingestion/topology" in results and "sources" in results, sorted(results)
    slow = {
        path: [round(seconds, 4) for seconds, _ in times]
        for path, times in results.items()
        if grown_ratio(*(seconds for seconds, _ in times)) > MAX_RATIO
    }
    assert not slow, slow


def grown_ratio(none: float, small: float, large: float) -> float:
    """What 700 more entries cost against what the first 100 cost; the plan's own cost is
    taken out, and a first step under 5 ms counts as 5 ms so timer noise cannot fail it."""
    return (large - none) / max(small - none, 0.005)
