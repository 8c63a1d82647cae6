from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dataplan_lint.core.quantities import KINDS, QuantityError, format_regex, parse

GOOD = [
    ("duration", "250ms", 0.25),
    ("duration", "15m", 900.0),
    ("duration", "7d", 604800.0),
    ("duration", "1.5 h", 5400.0),
    ("size", "1.2KB", 1200.0),
    ("size", "1KiB", 1024.0),
    ("size", "3.5TiB", 3.5 * 1024**4),
    ("size", "20MB", 20e6),
    ("count", "500M", 500e6),
    ("count", "20k", 20e3),
    ("count", 1200, 1200.0),
    ("event-rate", "500M/day", 500e6 / 86400),
    ("event-rate", "5k/s", 5000.0),
    ("event-rate", "120/min", 2.0),
    ("byte-rate", "20MB/s", 20e6),
    ("byte-rate", "1.5GB/h", 1.5e9 / 3600),
    ("percent", "99.9%", 0.999),
    ("percent", "0.5%", 0.005),
]


@pytest.mark.parametrize(("kind", "text", "expected"), GOOD)
def test_parses_to_base_units(kind: str, text: object, expected: float) -> None:
    assert parse(kind, text).value == pytest.approx(expected)


def test_decimal_and_binary_prefixes_are_exact() -> None:
    assert parse("size", "1KB").value == 1000
    assert parse("size", "1KiB").value == 1024
    assert parse("size", "1MiB").value == 1024 * 1024


BAD = [
    ("duration", "15 minutes", "unknown unit 'minutes'"),
    ("duration", "10", "has no unit"),
    ("duration", "-5s", "is negative"),
    ("size", "10XB", "unknown unit 'XB'"),
    ("size", "1e400GB", "uses an exponent"),
    ("size", "9" * 40 + "GB", "too many digits"),
    ("event-rate", "5MB/s", "unknown unit 'MB'"),
    ("event-rate", "5k", "no '/time' part"),
    ("event-rate", "3/fortnight", "unknown time unit '/fortnight'"),
    ("byte-rate", "20M/s", "unknown unit 'M'"),
    ("percent", "5", "is not a percentage"),
    ("count", True, "is not"),
    ("count", -3, "negative"),
]


@pytest.mark.parametrize(("kind", "raw", "fragment"), BAD)
def test_malformed_quantities_name_what_was_expected(kind: str, raw: object, fragment: str) -> None:
    with pytest.raises(QuantityError) as caught:
        parse(kind, raw)
    assert fragment in str(caught.value)
    assert "such as" in str(caught.value)


@pytest.mark.parametrize("kind", KINDS)
@given(text=st.text(alphabet="0123456789.+-eE kKMBGTiBsmhdw/%µ", max_size=14))
def test_schema_regex_agrees_with_the_parser(kind: str, text: str) -> None:
    """The generated validator's regex and the parser accept exactly the same strings."""
    try:
        parse(kind, text)
        parsed = True
    except QuantityError:
        parsed = False
    assert bool(re.search(format_regex(kind), text)) == parsed, text
