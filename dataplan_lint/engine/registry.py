"""Rule functions by name: the built-in table (`dataplan_lint/checks/table.py`), plus entry points.

A rule's `then.function` is looked up in one step: the table maps every built-in name to
the function that implements it (`"capacity-figure-mismatch": plan("checks.domain.
capacity:figure_mismatch", ...)`), with the options it accepts and how it is called.
Nothing is guessed from names and a module is imported only when a rule calling one of
its functions runs, so a run imports only the check modules its rules use.

The calling conventions, adapted to the engine's one shape here and nowhere else:

- `value`: `fn(ctx, value, pointer, options) -> Iterable[Finding]`, called once per match
  of the rule's `given` (the generic functions, and functions from other packages).
- `check`: `fn(inp) -> Iterable[Issue]` with one `CheckInput` (`inp.data`, `inp.options`,
  `inp.settings`, `inp.plan`, `inp.memo`: engine/check_input.py) - the shape for gate
  logic that needs more than the plan's data; each `Issue` becomes a finding of the rule.
- `plan`: `fn(data, options) -> Iterable[Issue]`, the same for a pure function of the
  plan's data and the rule's options (most of `checks/domain/`). Older rows declared
  with `settings=True` or `loaded=True` get the settings and the loaded plan as extra
  arguments; new checks that need them use `check`.
- `analysis`: one check's share of a whole-plan analysis (`compat.analysis.analyse`,
  `checks.dbt_compare.analyse`) whose issues name their check; the analysis runs once per
  plan, kept in the plan's memo (engine/memo.py) for the other rules that report from it.

Names the table does not know are looked up in the `dataplan_lint.functions`
entry-point group (a user's package registers `my-check = my_package.checks:my_check`
there), read only then.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, Literal

from dataplan_lint.engine.check_input import CheckInput

if TYPE_CHECKING:
    from dataplan_lint.core.findings import Finding
    from dataplan_lint.engine.context import RuleContext
    from dataplan_lint.engine.issues import Issue
    from dataplan_lint.engine.options import Option

RuleFunction = Callable[["RuleContext", Any, str, Mapping[str, Any]], Iterable["Finding"]]

ENTRY_POINT_GROUP = "dataplan_lint.functions"
TABLE_MODULE = "dataplan_lint.checks.table"  # imported by name: checks sit above the engine

Convention = Literal["value", "check", "plan", "analysis"]


class Builtin:
    """One row of the built-in table: where the code is, how it is called, its options.

    `target` is `module:attribute` below the `dataplan_lint` package. `options` maps each
    option a rule may give to its type. A `plan` check with `settings` is called with the
    run's settings as a third argument; `check` is the analysis check whose issues an
    `analysis` function reports. (A plain class: the table is built on every run, and a
    dataclass costs more to create at import.)
    """

    __slots__ = ("check", "convention", "loaded", "options", "settings", "target")

    def __init__(
        self,
        target: str,
        convention: Convention,
        options: Mapping[str, Option] | None = None,
        settings: bool = False,
        check: str = "",
        loaded: bool = False,
    ) -> None:
        self.target = target
        self.convention = convention
        self.options: Mapping[str, Option] = {} if options is None else options
        self.settings = settings
        self.check = check
        self.loaded = loaded

    @property
    def module(self) -> str:
        return "dataplan_lint." + self.target.partition(":")[0]

    @property
    def attribute(self) -> str:
        return self.target.partition(":")[2]

    @property
    def location(self) -> str:
        """Where to read the code: `dataplan_lint/checks/domain/capacity.py:figure_mismatch`."""
        return self.module.replace(".", "/") + ".py:" + self.attribute


def value(target: str, options: Mapping[str, Option] | None = None) -> Builtin:
    """A function called per match of `given` with the rule context (see module doc)."""
    return Builtin(target, "value", options)


def plan(
    target: str,
    options: Mapping[str, Option] | None = None,
    settings: bool = False,
    loaded: bool = False,
) -> Builtin:
    """A pure check of the whole plan's data returning issues (see module doc)."""
    return Builtin(target, "plan", options, settings, loaded=loaded)


def check(target: str, options: Mapping[str, Option] | None = None) -> Builtin:
    """A check called with one `CheckInput` (see module doc)."""
    return Builtin(target, "check", options)


def analysis(target: str, check: str) -> Builtin:
    """The issues one check of a shared whole-plan analysis reports (see module doc)."""
    return Builtin(target, "analysis", check=check)


class UnknownFunction(LookupError):
    """A ruleset names a function that is neither built in nor registered."""


_FUNCTIONS: dict[str, RuleFunction] = {}  # resolved (built-in) or registered (plugins)
_OPTIONS: dict[str, dict[str, Option]] = {}  # declarations of registered functions
_state = {"entry_points": False}


def builtins() -> Mapping[str, Builtin]:
    """The built-in table (importing it does not import any check)."""
    table: Mapping[str, Builtin] = importlib.import_module(TABLE_MODULE).FUNCTIONS
    return table


def register(name: str, fn: RuleFunction, options: Mapping[str, Option] | None = None) -> None:
    """Make `fn` callable as `name` (entry points; tests). `options` as in `Builtin`."""
    _FUNCTIONS[name] = fn
    if options is not None:
        _OPTIONS[name] = dict(options)


def option_problems(name: str, given: Mapping[str, Any]) -> list[str]:
    """What is wrong with the options `given` to function `name` (empty: nothing)."""
    entry = builtins().get(name)
    declared = entry.options if entry is not None else _OPTIONS.get(name)
    if declared is None:
        return []
    from dataplan_lint.engine.options import problems

    return problems(name, declared, given)


def get(name: str) -> RuleFunction:
    """The function called `name`; raises `UnknownFunction` with a did-you-mean."""
    found = _FUNCTIONS.get(name)
    if found is not None:
        return found
    entry = builtins().get(name)
    if entry is not None:
        found = _FUNCTIONS[name] = _resolve(name, entry)
        return found
    if not _state["entry_points"]:
        _load_entry_points()
    found = _FUNCTIONS.get(name)
    if found is None:
        from dataplan_lint.core.words import did_you_mean

        known = {*builtins(), *_FUNCTIONS}
        raise UnknownFunction(
            f"unknown rule function {name!r}{did_you_mean(name, known)}; built-in "
            f"functions are listed in {TABLE_MODULE.replace('.', '/')}.py, others are "
            f"registered through the {ENTRY_POINT_GROUP!r} entry-point group"
        )
    return found


def _resolve(name: str, entry: Builtin) -> RuleFunction:
    """The engine-shaped function for a table row: the one place conventions are adapted.

    A `value` function already has the engine's shape and is imported now. The others
    are wrapped, and their module imported on the first call: the engine resolves the
    functions of every active rule, and a whole-plan check whose rule's `when` never
    holds (the dbt cross-check on a plan without dbt) should cost nothing.
    """
    if entry.convention == "value":
        fn: RuleFunction = getattr(importlib.import_module(entry.module), entry.attribute)
        return fn
    target: list[Any] = []

    def code() -> Any:
        if not target:
            target.append(getattr(importlib.import_module(entry.module), entry.attribute))
        return target[0]

    def run(
        ctx: RuleContext, value: Any, pointer: str, options: Mapping[str, Any]
    ) -> Iterator[Finding]:
        issues: Iterable[Issue]
        if entry.convention == "check":
            issues = code()(CheckInput(ctx.data, options, ctx.settings, ctx.plan, ctx.plan_memo))
        elif entry.convention == "plan":
            extra = ((ctx.settings,) if entry.settings else ()) + (
                (ctx.plan,) if entry.loaded else ()
            )
            issues = code()(ctx.data, options, *extra)
        else:  # one analysis per plan, whichever of its rules asks first
            found = ctx.memo(
                ("analysis", entry.target), lambda: list(code()(ctx.plan, ctx.settings))
            )
            issues = (i for i in found if i.check == entry.check)
        for issue in issues:
            yield ctx.report(
                issue.pointer,
                at_key=issue.at_key,
                related=_related(ctx, issue.related),
                fix_edits=issue.fix,
                **issue.values,
            )

    run.__name__ = entry.attribute
    run.__qualname__ = name
    run.__doc__ = f"`{name}`: {entry.location}"
    return run


def _related(ctx: RuleContext, related: tuple[Any, ...]) -> tuple[Any, ...]:
    """Related places as findings carry them; `plan` checks give (pointer, message) pairs."""
    from dataplan_lint.core.findings import Related

    return tuple(
        Related(ctx.plan.path, ctx.span(item[0]), item[1]) if isinstance(item, tuple) else item
        for item in related
    )


def _load_entry_points() -> None:
    """Register user functions; each entry point's name is the function's name."""
    _state["entry_points"] = True
    from importlib.metadata import entry_points

    table = builtins()
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        if entry.name in _FUNCTIONS or entry.name in table:
            continue
        loaded = entry.load()
        if not callable(loaded):
            raise UnknownFunction(
                f"entry point {entry.name!r} ({entry.value}) in {ENTRY_POINT_GROUP!r} "
                "is not a callable"
            )
        register(entry.name, loaded)


def reset_entry_points() -> None:
    """Forget entry-point functions (tests install and remove fake distributions)."""
    _state["entry_points"] = False
