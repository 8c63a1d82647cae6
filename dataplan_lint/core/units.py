"""Write numbers back as plan quantities (the inverse of `dataplan_lint.core.quantities`).

Generated plans and the bundle state figures the way a person would write them: the
largest unit that keeps the number short, at most three significant digits.
"""

from __future__ import annotations

import math

_DURATIONS = (("d", 86400), ("h", 3600), ("m", 60), ("s", 1))
_SIZES = (("PB", 1e15), ("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("KB", 1e3))
_COUNTS = (("B", 1e9), ("M", 1e6), ("k", 1e3))


def sig(value: float, digits: int = 3) -> str:
    """`value` rounded to `digits` significant digits, without a trailing `.0`."""
    if value == 0 or not math.isfinite(value):
        return "0"
    magnitude = math.floor(math.log10(abs(value)))
    decimals = max(0, digits - 1 - magnitude)
    text = f"{round(value, decimals):.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def duration(seconds: float) -> str:
    """A duration string in the largest unit that keeps one decimal at most (`150` -> `2.5m`)."""
    if seconds < 1:
        return f"{sig(seconds * 1000)}ms"
    for unit, scale in _DURATIONS:
        amount = seconds / scale
        if amount >= 1 and abs(amount * 10 - round(amount * 10)) < 1e-6:
            return f"{sig(amount, 6)}{unit}"
    for unit, scale in _DURATIONS:
        if seconds >= scale:
            return f"{sig(seconds / scale)}{unit}"
    return f"{sig(seconds)}s"


def size(value: float) -> str:
    for unit, scale in _SIZES:
        if value >= scale:
            return f"{sig(value / scale)}{unit}"
    return f"{sig(value)}B"


def count(value: float) -> str:
    for unit, scale in _COUNTS:
        if value >= scale:
            return f"{sig(value / scale)}{unit}"
    return sig(value)


def byte_rate(value: float) -> str:
    return f"{size(value)}/s"


def event_rate(value: float) -> str:
    return f"{count(value)}/s"


def format_value(kind: str, value: float) -> str | int | float:
    """A derived figure written for a plan field of quantity kind `kind`."""
    if kind == "duration":
        return duration(value)
    if kind == "size":
        return size(value)
    if kind == "count":
        return count(value)
    if kind == "event-rate":
        return event_rate(value)
    if kind == "byte-rate":
        return byte_rate(value)
    if kind == "percent":
        return f"{sig(value * 100)}%"
    if kind == "integer":
        return math.ceil(value - 1e-9)
    rounded = float(sig(value, 4))
    return int(rounded) if rounded.is_integer() else rounded
