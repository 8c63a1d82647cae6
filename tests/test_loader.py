from __future__ import annotations

import codecs

import pytest

from dataplan_lint.files.loader import load_bytes, load_text


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
