"""Every regex the package runs takes time linear in the text it reads.

The registry in `dataplan_lint/core/regexes.py` lists each pattern; the schemas' own
`pattern` keywords (compiled by the generated validator) and the globs of
`per-file-ignores` (fnmatch compiles them to regexes) are audited with them, and so are
the test suite's own patterns that read the tool's output (`tests/log_safety.py`) or the
package's sources. For each
pattern, adversarial texts are built from its own characters (long runs of one
character, of two alternating characters, and near misses behind a prefix that almost
matches), screened at the largest size, and the slowest few are timed at 1k, 2k, 4k and
8k characters. Linear growth multiplies the time by 8 from 1k to 8k, quadratic by 64;
the test fails above 24, with min-of-N timings of batches long enough to be steady on
a loaded machine (CPU time of the thread, not wall time). The audit runs in one child
process with a time and memory limit, and every shape is first tried at 16, 20, 24, ...
characters and given up past a quarter second, so an exponential pattern fails its own
case instead of hanging the run.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from bounded import run_python

HERE = Path(__file__).resolve().parent
PACKAGE = HERE.parents[1] / "dataplan_lint"
SIZES = (1000, 2000, 4000, 8000)
MAX_RATIO = 24.0  # linear: 8, quadratic: 64
MAX_SECONDS_PER_CALL = 0.25  # at 8k characters; linear patterns take microseconds
SCREEN_KEEP = 4
# Every shape is tried at growing sizes first: an exponential pattern stops early.
SCREEN_SIZES = (*range(16, 68, 4), 128, 512, SIZES[-1])

# Samples for the literal holes of templates (a field path, a message name, a number).
TEMPLATE_SAMPLES: dict[str, tuple[str, ...]] = {
    "waiver-mention": ("order.items.price",),
    "proto-message-line": ("OrderCreated",),
    "proto-field-line": ("order_id", "12"),
    "layer-mention": ("stg_orders",),
    "dataset-mention": ("live_trip_status",),
}
# Hand-written near misses: (prefix, repeated unit, suffix) for patterns whose worst case
# needs a specific shape. The generic candidates below cover the rest.
NEAR_MISSES: dict[str, list[tuple[str, str, str]]] = {
    "answer-owner": [("a@", ".", " "), ("a@", "a.", " "), ("", "a@", "")],
    "sized-type": [("a", " ", "x"), ("a ", "a ", "x"), ("varchar(", "1", "x")],
    "suppression-marker": [("# dataplan-lint: disable=", " ", ""), ("#", " ", "x")],
    "codegen-raise": [("", "\n", "x"), ("", " \n", "x")],
    "quantity": [("1", "e", "!"), ("1.", "1", "/s!"), ("", "1", "e+!")],
    "semver": [("v1.", "1", "-"), ("", "1.", "x")],
    "waiver-mention": [("", "order.items.", "x"), ("", "order.items.price", "")],
    "proto-field-line": [("", "order_id = ", "x"), ("", "order_id =", "")],
    "fnmatch": [("", "a", "c")],
    "tests:ANNOTATION": [
        ("::error ", "a=b,", "x"),
        ("::error a=", "b", ":x"),
        ("::warning ", "ab=", ""),
        ("::notice a=b::", "%", "x"),
    ],
}
# Hostile globs for fnmatch (per-file-ignores keys come from a config a PR can change).
GLOBS = ("*a*a*a*a*a*a*a*b", "*" * 40 + "b", "**/*a*a*a*a*/*b")


# A call of the `re` module outside the registry (read from the package's own sources).
DIRECT_CALL = re.compile(
    r"\bre\.(?:compile|match|search|fullmatch|sub|subn|findall|finditer|split)\(|"
    r"^[^\S\n]*from re import",  # blanks of one line: `\s*` rescanned runs of newlines
    re.MULTILINE,
)


def _alphabet(source: str) -> list[str]:
    literal = {c for c in source if c.isprintable() and c not in "\\()[]{}|*+?^$"}
    common = set(" \t\n\r.-_/@#:%aAx0<>=,")
    return sorted(literal | common)


Shape = tuple[str, str, str]  # prefix, repeated unit, suffix


def candidates(source: str, name: str) -> set[Shape]:
    """Adversarial text shapes for one pattern."""
    alphabet = _alphabet(source)
    shapes: set[Shape] = set(NEAR_MISSES.get(name, []))
    for suffix in ("", "\x00"):
        for char in alphabet:
            shapes.add(("", char, suffix))
        small = alphabet[:18]
        for first in small:
            for second in small:
                if first != second:
                    shapes.add(("", first + second, suffix))
    return shapes


def build(shape: Shape, size: int) -> str:
    prefix, unit, suffix = shape
    return prefix + unit * max(1, size // len(unit)) + suffix


def timed(call: Callable[[], object]) -> float:
    """CPU seconds per call: the best of 5 batches, each at least 5 ms long.

    CPU time of this thread, not wall time: on a loaded machine the wall clock also
    counts the time other processes ran.
    """
    batch = 1
    while True:
        start = time.thread_time()
        for _ in range(batch):
            call()
        elapsed = time.thread_time() - start
        if elapsed >= 0.005 or batch >= 1 << 16:
            break
        batch *= 4
    best = elapsed / batch
    for _ in range(4):
        start = time.thread_time()
        for _ in range(batch):
            call()
        best = min(best, (time.thread_time() - start) / batch)
    return best


def audited_patterns() -> dict[str, tuple[str, Callable[[str], object]]]:
    """Name -> (source, a function that runs the pattern over a text exhaustively)."""
    import fnmatch

    from dataplan_lint.core import regexes
    from dataplan_lint.schema._generated import plan_validator

    out: dict[str, tuple[str, Callable[[str], object]]] = {}

    def exhaust(pattern: re.Pattern[str]) -> Callable[[str], object]:
        def run(text: str) -> object:
            for _ in pattern.finditer(text):  # every match, none kept (allocation is noise)
                pass
            return pattern.fullmatch(text)

        return run

    for name, entry in regexes.REGISTRY.items():
        if isinstance(entry, regexes.Template):
            compiled = entry.compile(*TEMPLATE_SAMPLES[name])
        else:
            compiled = entry.compile()
        out[name] = (compiled.pattern, exhaust(compiled))
    patterns = getattr(plan_validator, "REGEX_PATTERNS", {})
    for source, compiled in patterns.items():
        out[f"schema:{source}"] = (compiled.pattern, exhaust(compiled))
    # The test suite's own checks of the tool's output (which carries plan text) and its
    # scan of the package's sources.
    from log_safety import PATTERNS

    for name, compiled in PATTERNS.items():
        out[f"tests:{name}"] = (compiled.pattern, exhaust(compiled))
    out["tests:DIRECT_CALL"] = (DIRECT_CALL.pattern, exhaust(DIRECT_CALL))
    for glob in GLOBS:
        out[f"fnmatch:{glob}"] = (glob, lambda text, glob=glob: fnmatch.fnmatchcase(text, glob))
    return out


def _runner(run: Callable[[str], object], text: str) -> Callable[[], object]:
    return lambda: run(text)


def audit(name: str) -> dict[str, object]:
    """Run in the bounded child: the growth ratio of the worst shape for one pattern."""
    source, run = audited_patterns()[name]
    key = "fnmatch" if name.startswith("fnmatch:") else name
    screened = []
    for shape in candidates(source, key):
        for size in SCREEN_SIZES:
            text = build(shape, size)
            start = time.thread_time()
            run(text)
            took = time.thread_time() - start
            if took > MAX_SECONDS_PER_CALL:
                return {"ratio": float("inf"), "seconds": took, "size": size, "shape": shape}
        screened.append((took, shape))
    screened.sort(reverse=True)
    worst: dict[str, object] = {"ratio": 0.0}
    for _, shape in screened[:SCREEN_KEEP]:
        times = [timed(_runner(run, build(shape, size))) for size in SIZES]
        ratio = times[-1] / times[0]
        if ratio > float(str(worst["ratio"])):
            worst = {"ratio": ratio, "times": times, "shape": shape}
    return worst


def test_every_package_regex_is_in_the_registry() -> None:
    """No module compiles or runs a pattern of its own: it would escape the audit."""
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative == "core/regexes.py" or relative.startswith("schema/_generated/"):
            continue
        for match in DIRECT_CALL.finditer(path.read_text(encoding="utf-8")):
            offenders.append(f"{relative}: {match.group().strip()}")
    assert offenders == [], "declare these patterns in dataplan_lint/core/regexes.py"


def test_the_audit_covers_every_entry_and_the_schema_patterns() -> None:
    from dataplan_lint.core import regexes

    names = set(audited_patterns())
    assert set(regexes.REGISTRY) <= names
    assert any(name.startswith("schema:") for name in names)
    for name, entry in regexes.REGISTRY.items():
        assert entry.reads, f"{name}: say what text the pattern reads"
        if isinstance(entry, regexes.Template):
            assert name in TEMPLATE_SAMPLES


def _names() -> list[str]:
    return sorted(audited_patterns())


@pytest.fixture(scope="module")
def growth() -> dict[str, dict[str, object]]:
    """The audit of every pattern, run once in one bounded child."""
    code = (
        f"import json, sys; sys.path[:0] = [{str(HERE)!r}, {str(HERE.parent)!r}]\n"
        "import test_regex_growth as audit\n"
        "print(json.dumps({name: audit.audit(name) for name in audit._names()}))\n"
    )
    results: dict[str, dict[str, object]] = json.loads(run_python(code, timeout=900))
    return results


@pytest.mark.parametrize("name", _names())
def test_no_regex_grows_faster_than_linearly(
    growth: dict[str, dict[str, object]], name: str
) -> None:
    result = growth[name]
    assert float(str(result["ratio"])) <= MAX_RATIO, result


if __name__ == "__main__":  # pragma: no cover - a manual look at the numbers
    json.dump({name: audit(name) for name in _names()}, sys.stdout, indent=1, default=str)
