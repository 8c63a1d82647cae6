"""Regular expressions that users write (rule options) run on RE2, in linear time.

Python's `re` backtracks, so a pattern such as `^(a+)+$` from a ruleset in a pull
request can take exponential time on a 30-character value and stall every CI job. RE2
(the `google-re2` package, a compiled wheel) has no backtracking: a match costs time
linear in the text, whatever the pattern. In exchange it has no back-references
(`\\1`) and no look-around (`(?=...)`, `(?<!...)`); a pattern that uses them is a
configuration error when the ruleset is loaded, like a pattern that does not parse.
RE2 also bounds the memory a compiled pattern may use, so `a{1000}{1000}` is refused
instead of built.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Protocol

MAX_PATTERN_LENGTH = 4_000


class UserRegexError(ValueError):
    """A user's pattern that cannot be used; the message says why in plain words."""


class Match(Protocol):
    def group(self, index: int = 0) -> str: ...

    def start(self, index: int = 0) -> int: ...

    def end(self, index: int = 0) -> int: ...


class UserPattern(Protocol):
    def search(self, text: str) -> Match | None: ...


@cache
def compile_user(expression: str, ignore_case: bool = False) -> UserPattern:
    """Compile a user's pattern on RE2; raise `UserRegexError` with the reason."""
    import re2  # type: ignore[import-untyped]

    if len(expression) > MAX_PATTERN_LENGTH:
        raise UserRegexError(
            f"the pattern is {len(expression):,} characters long; at most "
            f"{MAX_PATTERN_LENGTH:,} are allowed"
        )
    options = re2.Options()
    options.log_errors = False  # the reason goes into our error, not to stderr
    options.case_sensitive = not ignore_case
    try:
        compiled: Any = re2.compile(expression, options)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else exc
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        message = f"{expression!r} is not a valid pattern: {reason}{_hint(reason)}"
        raise UserRegexError(message) from None
    pattern: UserPattern = compiled
    return pattern


def _hint(reason: object) -> str:
    text = str(reason)
    if "invalid perl operator" in text or "invalid escape sequence" in text:
        return (
            " (patterns run on the linear-time RE2 engine: no look-around, no "
            "back-references, and `\\z` instead of `\\Z` for the end of the text)"
        )
    if "too large" in text or "repetition" in text:
        return " (RE2 bounds the size of a compiled pattern; a repeat count is at most 1000)"
    return ""
