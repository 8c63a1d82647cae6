"""Rule functions by name: built-ins in `dataplan_lint.checks`, plus entry points.

A function is registered with `@function("name")` and has the signature
`fn(ctx, value, pointer, options) -> Iterable[Finding]`; the engine calls it once per
match of the rule's `given` pattern.

Built-in lookup is lazy so a run only imports the modules its rules use: a function
named `reference-exists` lives in `dataplan_lint/checks/reference_exists.py`, or in a
module named after a leading part of its name (`capacity-peak-eps` may live in
`capacity_peak.py` or `capacity.py`). Only when that fails are all built-in modules
imported, and only then the `dataplan_lint.functions` entry-point group is read (a
user's package registers `my-check = my_package.checks:my_check` there).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from dataplan_lint.core.findings import Finding
    from dataplan_lint.engine.context import RuleContext
    from dataplan_lint.engine.options import Option

RuleFunction = Callable[["RuleContext", Any, str, Mapping[str, Any]], Iterable["Finding"]]
OptionsCheck = Callable[[Mapping[str, Any]], None]
F = TypeVar("F", bound=RuleFunction)

ENTRY_POINT_GROUP = "dataplan_lint.functions"
BUILTIN_PACKAGE = "dataplan_lint.checks"

_FUNCTIONS: dict[str, RuleFunction] = {}
_OPTIONS: dict[str, dict[str, Option]] = {}
_state = {"all_builtins": False, "entry_points": False}
_MODULES: frozenset[str] | None = None


class UnknownFunction(LookupError):
    """A ruleset names a function that is neither built in nor registered."""


def function(name: str, options: Mapping[str, Option] | None = None) -> Callable[[F], F]:
    """Register a rule function under `name` (the `then.function` of rules).

    `options` declares the options it accepts (see engine.options); rulesets giving it
    any other option, or a value of the wrong type, fail to load. Without a declaration
    the function accepts any options.
    """

    def register(fn: F) -> F:
        _FUNCTIONS[name] = fn
        if options is not None:
            _OPTIONS[name] = dict(options)
        return fn

    return register


def option_problems(name: str, given: Mapping[str, Any]) -> list[str]:
    """What is wrong with the options `given` to function `name` (after `get(name)`)."""
    declared = _OPTIONS.get(name)
    if declared is None:
        return []
    from dataplan_lint.engine.options import problems

    return problems(name, declared, given)


def registered() -> dict[str, RuleFunction]:
    return dict(_FUNCTIONS)


def get(name: str) -> RuleFunction:
    """The function called `name`; raises `UnknownFunction` with a did-you-mean."""
    found = _FUNCTIONS.get(name)
    if found is not None:
        return found
    _import_namesake(name)
    if name not in _FUNCTIONS and not _state["all_builtins"]:
        _import_all_builtins()
    if name not in _FUNCTIONS and not _state["entry_points"]:
        _load_entry_points()
    found = _FUNCTIONS.get(name)
    if found is None:
        from dataplan_lint.core.words import did_you_mean

        _import_all_builtins()
        raise UnknownFunction(
            f"unknown rule function {name!r}{did_you_mean(name, _FUNCTIONS)}; built-in "
            f"functions live in {BUILTIN_PACKAGE}, others are registered through the "
            f"{ENTRY_POINT_GROUP!r} entry-point group"
        )
    return found


def _module_names() -> frozenset[str]:
    """Modules of the built-in package, listed once (failed imports cost file lookups)."""
    if _MODULES is None:
        package = importlib.import_module(BUILTIN_PACKAGE)
        names: set[str] = set()
        for folder in package.__path__:
            try:
                entries = [entry.name for entry in Path(folder).iterdir()]
            except OSError:
                continue
            names.update(entry[:-3] for entry in entries if entry.endswith(".py"))
        globals()["_MODULES"] = frozenset(names)
    assert _MODULES is not None
    return _MODULES


def _import_namesake(name: str) -> None:
    parts = name.replace("-", "_").split("_")
    modules = _module_names()
    for end in range(len(parts), 0, -1):
        module = "_".join(parts[:end])
        if module not in modules:
            continue
        importlib.import_module(f"{BUILTIN_PACKAGE}.{module}")
        if name in _FUNCTIONS:
            return


def _import_all_builtins() -> None:
    _state["all_builtins"] = True
    package = importlib.import_module(BUILTIN_PACKAGE)
    for info in pkgutil.iter_modules(package.__path__):
        if not info.name.startswith("_"):
            importlib.import_module(f"{BUILTIN_PACKAGE}.{info.name}")


def _load_entry_points() -> None:
    """Register user functions; each entry point's name is the function's name."""
    _state["entry_points"] = True
    from importlib.metadata import entry_points

    for entry in entry_points(group=ENTRY_POINT_GROUP):
        if entry.name in _FUNCTIONS:
            continue
        loaded = entry.load()
        if not callable(loaded):
            raise UnknownFunction(
                f"entry point {entry.name!r} ({entry.value}) in {ENTRY_POINT_GROUP!r} "
                "is not a callable"
            )
        _FUNCTIONS[entry.name] = loaded


def reset_entry_points() -> None:
    """Forget entry-point functions (tests install and remove fake distributions)."""
    _state["entry_points"] = False
