"""Options a rule function accepts, declared in its row of the table, checked when a ruleset loads.

Each row of `checks/table.py` maps every option name of its function to an `Option` (the
YAML types it accepts). A ruleset naming an option the function does not have, or giving
it a value of the wrong type, is a configuration error (exit 2) that names the rule, the
option and the closest option name - rather than a rule that silently never fires.
Functions that declare nothing (plugins from the entry-point group) accept any options.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from dataplan_lint.core.words import did_you_mean

_TYPE_NAMES = {
    str: "a string",
    bool: "true or false",
    int: "an integer",
    float: "a number",
    list: "a list",
    dict: "a mapping",
}


@dataclass(frozen=True, slots=True)
class Option:
    """One option: the YAML types its value may have; `required` options must be given."""

    types: tuple[type, ...]
    required: bool = False
    # Checks a value of an accepted type further; returns what is wrong, or None.
    check: Callable[[Any], str | None] | None = None
    # What the function uses when a rule leaves the option out (None: nothing, or the
    # function's own reasoning); `explain` and the ruleset schema show it, and a test
    # keeps it equal to the function's fallback.
    default: Any = None

    def accepts(self, value: Any) -> bool:
        if isinstance(value, bool):
            return bool in self.types
        if isinstance(value, int) and float in self.types:
            return True
        return isinstance(value, self.types)

    def describe(self) -> str:
        return " or ".join(_TYPE_NAMES.get(kind, kind.__name__) for kind in self.types)


def text(required: bool = False, default: str | None = None) -> Option:
    return Option((str,), required, default=default)


def regex(required: bool = False) -> Option:
    """A regular expression: compiled on RE2 (linear-time matching) when the ruleset loads."""
    return Option((str,), required, _regex_problem)


def _regex_problem(value: Any) -> str | None:
    from dataplan_lint.core.user_regex import UserRegexError, compile_user

    if not value:
        return "is empty; give a regular expression"
    try:
        compile_user(value)
    except UserRegexError as exc:
        return str(exc)
    return None


def flag(default: bool | None = None) -> Option:
    return Option((bool,), default=default)


def integer(default: int | None = None) -> Option:
    return Option((int,), default=default)


def number(default: float | None = None) -> Option:
    return Option((float,), default=default)


def text_or_list(required: bool = False) -> Option:
    return Option((str, list), required)


def text_list(required: bool = False) -> Option:
    """A list of strings (names of figures, kinds, ...)."""
    return Option((list,), required, _text_list_problem)


def _text_list_problem(value: Any) -> str | None:
    wrong = [item for item in value if not isinstance(item, str)]
    return f"must list strings only, not {wrong[0]!r}" if wrong else None


def names(known: Callable[[], Iterable[str]], what: str, required: bool = False) -> Option:
    """A list of names, each one of `known()` (called only when a ruleset is checked)."""

    def problem(value: Any) -> str | None:
        wrong = _text_list_problem(value)
        if wrong is not None:
            return wrong
        choices = list(known())
        for name in value:
            if name not in choices:
                return f"`{name}` is not a {what}{did_you_mean(name, choices)}"
        return None

    return Option((list,), required, problem)


def mapping() -> Option:
    return Option((dict,))


def quantity(kind: str, default: str | None = None) -> Option:
    """A quantity of `kind` as the plan writes it (`7d` for a duration)."""

    def problem(value: Any) -> str | None:
        from dataplan_lint.core.quantities import QuantityError, parse

        try:
            parse(kind, value)
        except QuantityError as exc:
            return str(exc)
        return None

    return Option((str,), False, problem, default)


def problems(function: str, declared: Mapping[str, Option], given: Mapping[str, Any]) -> list[str]:
    """What is wrong with `given` for a function declaring `declared` (empty: nothing)."""
    out = []
    for name, value in given.items():
        option = declared.get(str(name))
        if option is None:
            known = ", ".join(f"`{key}`" for key in sorted(declared)) or "none"
            out.append(
                f"function `{function}` has no option `{name}`"
                f"{did_you_mean(str(name), declared)}; its options: {known}"
            )
        elif not option.accepts(value):
            out.append(
                f"option `{name}` of function `{function}` must be {option.describe()}, "
                f"not {value!r}"
            )
        elif option.check is not None and (problem := option.check(value)) is not None:
            out.append(f"option `{name}` of function `{function}`: {problem}")
    for name, option in declared.items():
        if option.required and name not in given:
            out.append(f"function `{function}` needs the option `{name}`")
    return out
