"""The one "did you mean" hint of every error message and finding, and the candidate a
fix may use: only one that no other candidate comes near, so `--fix` never picks
between two plausible spellings."""

from __future__ import annotations

from collections.abc import Iterable

CUTOFF = 0.6  # how close a candidate must be to be offered at all
MARGIN = 0.1  # a fix needs its candidate this much closer than the runner-up


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """` (did you mean `x`?)` for the closest of `choices`, or "" when none is close."""
    return suggestion(closest(word, choices))


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The closest of `choices` to `word`, or None when none is close."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=CUTOFF)
    return close[0] if close else None


def suggestion(candidate: str | None, because: str = "") -> str:
    """The wording of the hint for a candidate found some other way (a unit spelling, a
    renamed model), with why it is the one when that is not its spelling."""
    if candidate is None:
        return ""
    reason = f" {because}" if because else ""
    return f" (did you mean `{candidate}`?{reason})"


def sole_candidate(word: str, choices: Iterable[str]) -> str | None:
    """The candidate a fix may use: above the cutoff and clearly ahead of any other.

    A candidate that differs only in letter case wins outright when it is the only one.
    """
    import difflib

    options = set(choices)
    same_case = [choice for choice in options if choice.lower() == word.lower()]
    if len(same_case) == 1 and same_case[0] != word:
        return same_case[0]
    scored = sorted(
        (
            (difflib.SequenceMatcher(None, word, choice).ratio(), choice)
            for choice in options
            if choice != word
        ),
        reverse=True,
    )
    scored = [(score, choice) for score, choice in scored if score >= CUTOFF]
    if not scored:
        return None
    if len(scored) > 1 and scored[1][0] > scored[0][0] - MARGIN:
        return None
    return scored[0][1]
