"""The sanitiser every human-readable output uses, and the escapes of the structured ones."""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dataplan_lint.core.safe_text import (
    dump_json,
    escape,
    escape_columns,
    guard,
    xml_lines,
)

UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
PIECES = st.sampled_from(
    [
        "\n",
        "\r",
        "\t",
        " ",
        "::",
        "::error::",
        "::add-mask::",
        "##[",
        "#",
        "[",
        "\x1b",
        "\x1b]8;;http://x\x07",
        "\x00",
        "\x85",
        "\x9b",
        "\u202e",
        "\u2066",
        "\u2028",
        "\u2029",
        "\udcff",
        "\u3000",
        "a",
        "é",
        "\\",
    ]
)
HOSTILE_TEXT = st.lists(PIECES, max_size=30).map("".join) | st.text(max_size=40)


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("plain text", "plain text"),
        ("a\nb\rc\td", "a\\nb\\rc\\td"),
        ("::error::x", "\\x3a:error::x"),
        ("  ::add-mask::s", "  \\x3a:add-mask::s"),
        ("\u3000::x", "\u3000\\x3a:x"),
        ("a ::b", "a ::b"),
        ("x ##[error] y", "x #\\x23[error] y"),
        ("###[", "##\\x23["),
        ("\x1b[31m\x00\x7f\x85\x9b", "\\x1b[31m\\x00\\x7f\\x85\\x9b"),
        ("\u202e\u2066\u200f\u061c\u2028\u2029", "\\u202e\\u2066\\u200f\\u061c\\u2028\\u2029"),
        ("bad\udcffname", "bad\\udcffname"),
    ],
)
def test_escape_exact(raw: str, shown: str) -> None:
    assert escape(raw) == shown


def test_keep_and_line_start() -> None:
    assert escape("a\nb\tc", keep="\n") == "a\nb\\tc"
    assert escape("::x", line_start=False) == "::x"
    assert escape("::x ##[y", line_start=False) == "::x #\\x23[y"


def test_columns_follow_the_escapes() -> None:
    shown, columns = escape_columns("\u202eab\x1bc")
    assert shown == "\\u202eab\\x1bc"
    assert columns == [0, 6, 7, 8, 12, 13]
    assert escape_columns("plain") == ("plain", [0, 1, 2, 3, 4, 5])


def test_guard_keeps_lines_and_tabs() -> None:
    assert guard("ok\n::error::x\n\tcol\x1b\n") == "ok\n\\x3a:error::x\n\tcol\\x1b\n"
    # Coloured output: our own ESC stays, openers and CR do not.
    assert guard("\x1b[1m##[x\r::y\n::z", controls=False) == "\x1b[1m#\\x23[x\\r::y\n\\x3a:z"


@settings(max_examples=300, deadline=None)
@given(text=HOSTILE_TEXT)
def test_escaped_text_is_inert(text: str) -> None:
    shown = escape(text)
    assert UNSAFE.search(shown) is None
    assert "##[" not in shown
    assert not re.match(r"\s*::", shown)
    again, columns = escape_columns(text)
    assert again == shown
    assert len(columns) == len(text) + 1 and columns[-1] == len(shown)
    assert columns == sorted(columns)


@settings(max_examples=300, deadline=None)
@given(text=HOSTILE_TEXT)
def test_guarded_lines_are_inert(text: str) -> None:
    for line in guard(text).split("\n"):
        assert UNSAFE.search(line.replace("\t", "")) is None
        assert "##[" not in line and not re.match(r"\s*::", line)


@settings(max_examples=300, deadline=None)
@given(text=HOSTILE_TEXT)
def test_json_keeps_the_exact_string(text: str) -> None:
    serialized = dump_json({"key " + text: [text]})
    assert json.loads(serialized) == {"key " + text: [text]}
    assert "##[" not in serialized
    assert UNSAFE.search(serialized.replace("\n", "")) is None


@settings(max_examples=300, deadline=None)
@given(text=HOSTILE_TEXT)
def test_xml_keeps_the_string_without_openers(text: str) -> None:
    clean = "".join(ch for ch in text if ch in "\t\n\r" or " " <= ch <= "\ud7ff" or ch >= "\ue000")
    element = ET.Element("failure", message=clean)
    element.text = clean
    serialized = xml_lines(ET.tostring(element, encoding="unicode"))
    for line in re.split(r"\r\n|\r|\n", serialized):
        assert "##[" not in line and not re.match(r"\s*::", line)
    parsed = ET.fromstring(serialized)
    assert parsed.text == clean or (parsed.text is None and clean == "")


def test_reference_urls_are_percent_encoded() -> None:
    from dataplan_lint.core.findings import Severity
    from dataplan_lint.core.rules import RuleMeta
    from dataplan_lint.report.model import REFERENCE_BASE_URL, reference_url

    def meta(reference: str) -> RuleMeta:
        return RuleMeta("ACME1", "acme", 1, "completeness", Severity.ERROR, "s", "", reference)

    assert reference_url(meta("capacity.md#peak-factor")) == (
        REFERENCE_BASE_URL + "capacity.md#peak-factor"
    )
    hostile = reference_url(meta("x) [pwn](https://evil.example)\n| a |"))
    assert (
        hostile
        == REFERENCE_BASE_URL + "x%29%20%5Bpwn%5D%28https%3A//evil.example%29%0A%7C%20a%20%7C"
    )
