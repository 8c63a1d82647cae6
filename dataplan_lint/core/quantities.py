"""One grammar for every quantity a plan states: durations, sizes, counts, rates, percents.

A quantity is a number followed by a unit, written without or with one space:
``250ms``, ``15m``, ``7d``, ``1.2KB``, ``3.5TiB``, ``500M``, ``500M/day``, ``20MB/s``,
``99.9%``. Decimal and binary size prefixes are exact: ``KB`` is 1000 bytes and ``KiB``
is 1024 bytes. Values are returned in base units: seconds, bytes, items, items or bytes
per second, and fractions (``50%`` is ``0.5``).
"""

from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass
from typing import Final

from dataplan_lint.core import regexes

DURATION_UNITS: Final[dict[str, float]] = {
    "ns": 1e-9,
    "us": 1e-6,
    "µs": 1e-6,
    "ms": 1e-3,
    "s": 1.0,
    "sec": 1.0,
    "m": 60.0,
    "min": 60.0,
    "h": 3600.0,
    "hr": 3600.0,
    "d": 86400.0,
    "day": 86400.0,
    "w": 604800.0,
}

SIZE_UNITS: Final[dict[str, float]] = {
    "B": 1.0,
    "KB": 1e3,
    "kB": 1e3,
    "MB": 1e6,
    "GB": 1e9,
    "TB": 1e12,
    "PB": 1e15,
    "KiB": 1024.0,
    "MiB": 1024.0**2,
    "GiB": 1024.0**3,
    "TiB": 1024.0**4,
    "PiB": 1024.0**5,
}

COUNT_UNITS: Final[dict[str, float]] = {
    "": 1.0,
    "k": 1e3,
    "K": 1e3,
    "M": 1e6,
    "B": 1e9,
    "G": 1e9,
    "T": 1e12,
}

# Time units allowed after the slash of a rate ("/s", "/min", "/day").
PER_UNITS: Final[dict[str, float]] = {
    **{k: v for k, v in DURATION_UNITS.items() if k not in {"ns", "us", "µs"}},
    "second": 1.0,
    "minute": 60.0,
    "hour": 3600.0,
    "week": 604800.0,
    "month": 86400.0 * 30,
    "year": 86400.0 * 365,
}

KINDS: Final[tuple[str, ...]] = (
    "duration",
    "size",
    "count",
    "event-rate",
    "byte-rate",
    "percent",
)

EXPECTED: Final[dict[str, str]] = {
    "duration": "a duration such as 250ms, 30s, 15m, 2h or 7d",
    "size": "a size such as 512B, 1.2KB, 20MB or 3.5TiB (KB = 1000 B, KiB = 1024 B)",
    "count": "a count such as 20000, 20k, 500M or 1.5B",
    "event-rate": "an event rate such as 5k/s, 120/min or 500M/day",
    "byte-rate": "a byte rate such as 20MB/s or 1.5GB/h",
    "percent": "a percentage such as 99.9% or 0.5%",
}

_PATTERN = regexes.QUANTITY.compile()
_MAX_DIGITS = 15


# The largest plain number a plan may state where a figure is expected (a count, a
# factor, a cost): 15 digits, as for the number part of a quantity. Beyond it a figure is
# a typo or an attack, and products of a few such figures could overflow to infinity,
# where every comparison of the capacity checks is silently false.
LARGEST_FIGURE: Final[float] = 1e15
# Beyond a double (about 1.8e308) an integer cannot take part in any arithmetic with a
# float: refused anywhere in a plan, like `.inf`.
_LARGEST_DOUBLE: Final[float] = sys.float_info.max


def figure_problem(value: object, written: str | None = None) -> str | None:
    """Why a plain number cannot be used as a figure (None when it can).

    Not finite (`.nan`, `.inf`, a float literal or an integer too big for a double) or
    outside +-LARGEST_FIGURE. Integers are compared without converting them to float, which
    raises for a 400-digit integer. `written` is the value as the plan spells it.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return f"{written or _show(value)} is not a finite number"
    if isinstance(value, int) and abs(value) > _LARGEST_DOUBLE:
        return f"{written or _show(value)} is not a finite number a check can use (beyond 1.8e308)"
    if abs(value) >= LARGEST_FIGURE:
        return (
            f"{written or _show(value)} is outside the range a plan may state "
            f"(less than {LARGEST_FIGURE:,.0f} in absolute value)"
        )
    return None


def finite_figure(raw: object) -> float | None:
    """`raw` as a float when it is a usable plain number (see `figure_problem`), else None."""
    if isinstance(raw, bool) or not isinstance(raw, int | float) or figure_problem(raw):
        return None
    return float(raw)


def _show(value: float) -> str:
    """A number as a plan would write it; a huge integer by its number of digits."""
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        return repr(value)
    if abs(value) < 10**40:
        return str(value)
    # int -> str is refused past 4,300 digits; the bit length gives the size without it.
    digits = int(abs(value).bit_length() * math.log10(2)) + 1  # exact, or one too many
    if 10 ** (digits - 1) > abs(value):
        digits -= 1
    return f"a {digits:,}-digit integer"


class QuantityError(ValueError):
    """A quantity that does not parse; the message names what was expected."""

    def __init__(self, text: object, kind: str, problem: str = "") -> None:
        self.text = text
        self.kind = kind
        self.problem = problem or "is not"
        super().__init__(f"{text!r} {self.problem} {EXPECTED[kind]}")


@dataclass(frozen=True, slots=True)
class Quantity:
    """A parsed quantity in base units (see the module docstring)."""

    value: float
    kind: str
    text: str


def _split(text: str, kind: str) -> tuple[float, str, str | None, bool]:
    match = _PATTERN.fullmatch(text.strip())
    if match is None:
        raise QuantityError(text, kind)
    if match["sign"] == "-":
        raise QuantityError(text, kind, "is negative; expected")
    if match["exp"]:
        raise QuantityError(text, kind, "uses an exponent; write a unit prefix instead, as in")
    if len(match["num"].replace(".", "")) > _MAX_DIGITS:
        raise QuantityError(text, kind, "has too many digits to be")
    return float(match["num"]), match["unit"], match["per"], bool(match["pct"])


def format_regex(kind: str) -> str:
    """A regular expression that accepts exactly the strings `parse(kind, ...)` accepts.

    Used by the generated schema validator, which cannot call Python functions.
    """
    limit = _MAX_DIGITS + 1
    number = r"\+?(?=[\d.]{1,%s}(?!\d))(?:\d+(?:\.\d+)?|\.\d+)".replace("%s", str(limit))

    def units(table: dict[str, float]) -> str:
        names = sorted((re.escape(name) for name in table if name), key=len, reverse=True)
        return "(?:" + "|".join(names) + ")"

    per = "/" + units(PER_UNITS)
    body = {
        "duration": units(DURATION_UNITS),
        "size": units(SIZE_UNITS),
        "count": units(COUNT_UNITS) + "?",
        "event-rate": units(COUNT_UNITS) + "?" + per,
        "byte-rate": units(SIZE_UNITS) + per,
        "percent": "%",
    }[kind]
    return r"^\s*" + number + " ?" + body + r"\s*$"


# The kinds written as a number and one unit of their table.
_PLAIN_UNITS = {"duration": DURATION_UNITS, "size": SIZE_UNITS, "count": COUNT_UNITS}


def _finite(value: float, text: str, kind: str) -> float:
    if math.isinf(value) or math.isnan(value):
        raise QuantityError(text, kind, "is too large to be")
    return value


def parse(kind: str, raw: object) -> Quantity:
    """Parse `raw` as a quantity of `kind` (one of `KINDS`); raise `QuantityError`."""
    if isinstance(raw, bool) or raw is None:
        raise QuantityError(raw, kind)
    if isinstance(raw, int | float):
        return _plain_number(kind, raw)
    if not isinstance(raw, str):
        raise QuantityError(raw, kind)
    text = raw
    number, unit, per, pct = _split(text, kind)
    if kind == "percent":
        if not pct or unit or per:
            raise QuantityError(text, kind)
        return Quantity(_finite(number / 100.0, text, kind), kind, text)
    if pct:
        raise QuantityError(text, kind)
    if kind in _PLAIN_UNITS:
        table = _PLAIN_UNITS[kind]
        if per or unit not in table:
            raise QuantityError(text, kind, _unit_problem(unit, table))
        return Quantity(_finite(number * table[unit], text, kind), kind, text)
    if kind in ("event-rate", "byte-rate"):
        return _rate(kind, text, number, unit, per)
    raise ValueError(f"unknown quantity kind {kind!r}")


def _plain_number(kind: str, raw: float) -> Quantity:
    """A YAML number: a count as it is, any other kind lacks its unit."""
    if kind != "count":
        raise QuantityError(raw, kind, "has no unit; expected")
    if figure_problem(raw):
        raise QuantityError(_show(raw), kind, "is too large to be")
    value = float(raw)
    if value < 0:
        raise QuantityError(raw, kind, "is negative; expected")
    return Quantity(value, kind, str(raw))


def _rate(kind: str, text: str, number: float, unit: str, per: str | None) -> Quantity:
    table = COUNT_UNITS if kind == "event-rate" else SIZE_UNITS
    if per is None:
        raise QuantityError(text, kind, "has no '/time' part; expected")
    if unit not in table:
        raise QuantityError(text, kind, _unit_problem(unit, table))
    if per not in PER_UNITS:
        raise QuantityError(text, kind, f"has unknown time unit '/{per}'; expected")
    value = number * table[unit] / PER_UNITS[per]
    return Quantity(_finite(value, text, kind), kind, text)


def _unit_problem(unit: str, table: dict[str, float]) -> str:
    if not unit:
        return "has no unit; expected"
    return f"has unknown unit {unit!r}; expected"


def is_valid(kind: str, raw: object) -> bool:
    try:
        parse(kind, raw)
    except QuantityError:
        return False
    return True


def seconds(raw: object) -> float:
    return parse("duration", raw).value


def describe_seconds(value: float) -> str:
    """Render seconds the way a plan would write them (``90s`` -> ``1.5m``)."""
    for unit, size in (("d", 86400.0), ("h", 3600.0), ("m", 60.0), ("s", 1.0)):
        if value >= size:
            return f"{_trim(value / size)}{unit}"
    return f"{_trim(value * 1000)}ms"


def describe_bytes(value: float) -> str:
    for unit, size in (("PB", 1e15), ("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if value >= size:
            return f"{_trim(value / size)}{unit}"
    return f"{_trim(value)}B"


def _trim(value: float) -> str:
    text = f"{value:.3g}" if value < 1000 else f"{value:,.0f}"
    return text


# Spelled-out units people write, by the unit the grammar wants (lower-case keys).
_SPELLED: Final[dict[str, dict[str, str]]] = {
    "duration": {
        **dict.fromkeys(("nanosecond", "nanoseconds", "nanos"), "ns"),
        **dict.fromkeys(("microsecond", "microseconds", "micros"), "us"),
        **dict.fromkeys(("millisecond", "milliseconds", "msec", "msecs", "millis"), "ms"),
        **dict.fromkeys(("second", "seconds", "secs", "sec", "s"), "s"),
        **dict.fromkeys(("minute", "minutes", "mins", "min"), "m"),
        **dict.fromkeys(("hour", "hours", "hrs", "hr", "h"), "h"),
        **dict.fromkeys(("day", "days", "d"), "d"),
        **dict.fromkeys(("week", "weeks", "wk", "wks", "w"), "w"),
    },
    "size": {
        **dict.fromkeys(("byte", "bytes", "b"), "B"),
        **dict.fromkeys(("kilobyte", "kilobytes", "kb"), "KB"),
        **dict.fromkeys(("megabyte", "megabytes", "mb"), "MB"),
        **dict.fromkeys(("gigabyte", "gigabytes", "gb"), "GB"),
        **dict.fromkeys(("terabyte", "terabytes", "tb"), "TB"),
        **dict.fromkeys(("petabyte", "petabytes", "pb"), "PB"),
        **dict.fromkeys(("kibibyte", "kibibytes", "kib"), "KiB"),
        **dict.fromkeys(("mebibyte", "mebibytes", "mib"), "MiB"),
        **dict.fromkeys(("gibibyte", "gibibytes", "gib"), "GiB"),
        **dict.fromkeys(("tebibyte", "tebibytes", "tib"), "TiB"),
    },
    "count": {
        **dict.fromkeys(("thousand", "k"), "k"),
        **dict.fromkeys(("million", "millions", "mio", "mn"), "M"),
        **dict.fromkeys(("billion", "billions", "bn"), "B"),
    },
    "percent": {"percent": "%", "pct": "%", "per cent": "%"},
}
_PER_SPELLED: Final[dict[str, str]] = {
    **dict.fromkeys(("second", "seconds", "sec", "secs", "s"), "s"),
    **dict.fromkeys(("minute", "minutes", "min", "mins"), "min"),
    **dict.fromkeys(("hour", "hours", "hr", "h"), "h"),
    **dict.fromkeys(("day", "days", "d"), "day"),
    **dict.fromkeys(("week", "weeks", "w"), "week"),
    **dict.fromkeys(("month", "months"), "month"),
    **dict.fromkeys(("year", "years"), "year"),
}
_NOUNS = regexes.QUANTITY_NOUNS.compile()
_SUGGEST = regexes.QUANTITY_SPELLED.compile()


def suggest(kind: str, raw: object) -> str | None:
    """The quantity a malformed one most likely means (`15 minutes` -> `15m`), or None.

    Only the spelling of the unit changes - never the number - and only to something
    `parse` accepts, so a fix built from it cannot change the amount a person meant.
    """
    if not isinstance(raw, str) or kind not in KINDS or len(raw) > 64:
        return None
    match = _SUGGEST.fullmatch(raw.strip())
    if match is None:
        return None
    number, rest = match[1], " ".join(_NOUNS.sub(" ", match[2] or "").split()).lower()
    rest = rest.replace(" per ", "/").replace("per ", "/").replace(" / ", "/")
    unit, slash, per = rest.partition("/")
    unit, per = unit.strip(), per.strip()
    base = "count" if kind == "event-rate" else "size" if kind == "byte-rate" else kind
    if kind in ("event-rate", "byte-rate"):
        if not slash or per not in _PER_SPELLED:
            return None
        unit_text = "" if (kind == "event-rate" and not unit) else _SPELLED[base].get(unit)
        candidate = f"{number}{unit_text}/{_PER_SPELLED[per]}" if unit_text is not None else ""
    elif slash:
        return None
    else:
        unit_text = _SPELLED[base].get(unit) if unit else None
        candidate = f"{number}{unit_text}" if unit_text is not None else ""
    if not candidate or candidate == raw or not is_valid(kind, candidate):
        return None
    return candidate
