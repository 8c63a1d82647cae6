from __future__ import annotations

import codecs
import math
from pathlib import Path
from typing import Any

import pytest

from dataplan_lint.files import loader
from dataplan_lint.files.loader import load_bytes, load_text

ROOT = Path(__file__).resolve().parent.parent


def ids(text: str) -> list[tuple[str, int, int]]:
    return [(f.rule_id, f.line, f.col) for f in load_text(text, "plan.yaml").findings]


def test_positions_for_keys_and_values() -> None:
    result = load_text("a:\n  b: [x, {c: 1}]\n  d: hello\n", "p")
    assert result.plan is not None
    plan = result.plan
    assert plan.values["/a/b/1/c"].start_line == 2
    assert plan.values["/a/b/1/c"].start_col == 14
    assert plan.keys["/a/d"].start_col == 3
    assert plan.values["/a/d"].start_col == 6
    assert plan.span("/a/missing/deeper") == plan.values["/a"]


def test_yaml_12_semantics_keep_strings() -> None:
    result = load_text("a: no\nb: on\nc: 06:00\nd: 010\ne: 2026-01-02\n", "p")
    assert result.plan is not None
    assert result.plan.data == {"a": "no", "b": "on", "c": "06:00", "d": 10, "e": "2026-01-02"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\na: 2\n", [("DP002", 2, 1)]),
        ("a:\n\tb: 1\n", [("DP003", 2, 1)]),
        ("- 1\n- 2\n", [("DP004", 1, 1)]),
        ("just a scalar\n", [("DP004", 1, 1)]),
        ("a: 1\n---\nb: 2\n", [("DP005", 2, 1)]),
        ("", [("DP007", 1, 1)]),
        ("# only a comment\n\n", [("DP007", 1, 1)]),
        ("a: [1, 2\n", [("DP001", 2, 1)]),
        ("a: b: c\n", [("DP001", 1, 5)]),
        ("a: !!python/object/apply:os.system ['true']\n", [("DP010", 1, 4)]),
        ("a: \x00\n", [("DP001", 1, 4)]),
    ],
)
def test_bad_input_is_one_clear_finding(text: str, expected: list[tuple[str, int, int]]) -> None:
    assert ids(text) == expected


def test_non_utf8_points_at_the_bad_byte() -> None:
    result = load_bytes(b"a: 1\nb: caf\xe9\n", "p")
    assert [(f.rule_id, f.line, f.col) for f in result.findings] == [("DP006", 2, 7)]
    assert result.plan is None


def test_boms_and_utf16_are_read() -> None:
    for raw in (
        codecs.BOM_UTF8 + b"a: 1\n",
        "a: 1\n".encode("utf-16"),
        "a: 1\n".encode("utf-32"),
    ):
        result = load_bytes(raw, "p")
        assert result.findings == []
        assert result.plan is not None and result.plan.data == {"a": 1}


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    assert [f.rule_id for f in load_text("\n".join(lines) + "\n", "p").findings] == ["DP009"]


@pytest.mark.parametrize(
    "text",
    [
        "[" * 10_000 + "]" * 10_000,
        "- " * 10_000 + "x",
        "a:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 300)) + "  " * 300 + "v: 1\n",
    ],
)
def test_deep_nesting_is_refused(text: str) -> None:
    assert [f.rule_id for f in load_text(text, "p").findings] == ["DP009"]


def test_merge_keys_merge_with_explicit_keys_winning() -> None:
    result = load_text("base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  y: 3\n", "p")
    assert result.plan is not None
    assert result.plan.data["c"] == {"x": 1, "y": 3}


def test_huge_integer_is_a_finding_not_a_crash() -> None:
    assert [f.rule_id for f in load_text("a: " + "9" * 5000 + "\n", "p").findings] == ["DP001"]


# The events path (files/loader._load_plain) reads the common plan without a node per
# value; whatever it declines goes through the composer. Where it reads a document, the
# result must be exactly the composer path's: data (types included), every position in
# document order, and the numbers no figure can be.
EVENT_PATH_CASES = [
    "a: 1\nb: -2\nc: 0x1F\nd: 0o17\ne: +3\nf: 1_000\n",
    "a: 1.5\nb: .inf\nc: -.Inf\nd: .nan\ne: 1e3\nf: 1e400\ng: 6.02e+23\n",
    "a: true\nb: False\nc: yes\nd: no\ne: on\nf: ~\ng: null\nh: Null\ni:\n",
    "a: '1'\nb: \"true\"\nc: 'null'\nd: |\n  text\n  more\ne: >\n  folded\n",
    "'a/b': 1\n'c~d': 2\n'x~1y': [1, 2]\n",
    "list:\n- 1\n- [a, b, {c: d}]\n- {}\n- []\n- - nested\n  - twice\n",
    "06:00: time\nkey: 06:00\nv: 1:30\nn: 012\nm: 0b101\n",
    "a: 123456789012345678901234567890\nb: 1e308\nc: 99999999999999999999999e99999\n",
    "a: \"é ü\\u2028x\"\nb: 'tab\there'\n",
    "%YAML 1.2\n---\na: 1\n",
    "key with spaces: v\n'': empty key\n1: int key\ntrue: bool key\nnull: null key\n",
    "a: 0x\nb: 0o\nc: -0\nd: +.5\ne: 1_0.5\n",
    "a: 0x" + "F" * 5000 + "\n",
    # declined: each needs the composer (it reports or resolves what the events path
    # does not handle)
    "a: 1\na: 2\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "<<: {a: 1}\nb: 2\n",
    "? [a]\n: 1\n",
    "a: 1\n---\nb: 2\n",
    "- a\n- b\n",
    "a: [1, 2\n",
    "a: 1" + "0" * 5000 + "\n",
]
DECLINED = 9


def _same(x: Any, y: Any) -> bool:
    if type(x) is not type(y):
        return False
    if isinstance(x, dict):
        return list(x) == list(y) and all(_same(x[k], y[k]) for k in x)
    if isinstance(x, list):
        return len(x) == len(y) and all(map(_same, x, y))
    if isinstance(x, float) and math.isnan(x):
        return math.isnan(y)
    return bool(x == y)


def test_the_events_path_reads_what_the_composer_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = [path.read_bytes() for path in sorted((ROOT / "examples").rglob("*.yaml"))]
    texts = EVENT_PATH_CASES + [data.decode("utf-8", "replace") for data in raw]
    fast = [loader._load_plain(text, "p") for text in texts]
    monkeypatch.setattr(loader, "_load_plain", lambda text, path: None)
    slow = [loader._load_text(text, "p") for text in texts]
    declined = [text for text, got in zip(texts, fast, strict=True) if got is None]
    assert declined[:DECLINED] == EVENT_PATH_CASES[-DECLINED:]
    # and the examples that are not a plain single mapping (all in examples/invalid)
    assert len(declined) - DECLINED == 6
    for text, got, want in zip(texts, fast, slow, strict=True):
        if got is None:
            continue
        assert got.plan is not None and want.plan is not None and not want.findings, text
        assert _same(got.plan.data, want.plan.data), text
        assert list(dict.items(got.plan.values)) == list(dict.items(want.plan.values)), text
        assert list(dict.items(got.plan.keys)) == list(dict.items(want.plan.keys)), text
        assert got.plan.odd_numbers == want.plan.odd_numbers, text
