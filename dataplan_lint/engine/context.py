"""`RuleContext`: the small, read-only view of one plan that a rule function gets."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any, TypeVar

from dataplan_lint.core.findings import Edit, Finding, Related, Severity, Span, make_fix
from dataplan_lint.core.pointers import display, split
from dataplan_lint.core.settings import Settings
from dataplan_lint.engine.matching import exists, matches, resolve
from dataplan_lint.engine.memo import PlanMemo
from dataplan_lint.engine.model import Rule
from dataplan_lint.files.loader import LoadedPlan

_T = TypeVar("_T")


class _Template(dict[str, Any]):
    """Formatting values: a placeholder nobody filled stays visible as `{name}`."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def render(template: str, values: Mapping[str, Any]) -> str:
    try:
        return template.format_map(_Template(values))
    except (ValueError, IndexError, KeyError, AttributeError, TypeError):
        return template


def short(value: Any, limit: int = 60) -> str:
    """A value as a message quotes it: strings bare, lists and mappings compact."""
    if isinstance(value, str):
        text = value
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif value is None:
        text = "null"
    elif isinstance(value, list):
        text = "[" + ", ".join(short(item, limit) for item in value) + "]"
    elif isinstance(value, dict):
        text = "{" + ", ".join(f"{k}: {short(v, limit)}" for k, v in value.items()) + "}"
    else:
        text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


class RuleContext:
    """What a rule function sees: the plan, the rule, settings, and a way to report.

    `settings` are the file's run settings (typed: `settings.tolerance`,
    `settings.base`, ...); `severity` is the rule's severity after presets and
    configuration are applied.
    """

    __slots__ = ("plan", "plan_memo", "rule", "settings", "severity")

    def __init__(
        self,
        plan: LoadedPlan,
        rule: Rule,
        settings: Settings,
        severity: Severity | None = None,
        memo: PlanMemo | None = None,
    ) -> None:
        self.plan = plan
        self.rule = rule
        self.settings = settings
        self.severity = severity if severity is not None else rule.severity
        # The plan's memo, shared by every rule run on this plan (engine/memo.py).
        self.plan_memo = memo if memo is not None else PlanMemo()

    @property
    def data(self) -> Any:
        return self.plan.data

    def get(self, pointer: str, default: Any = None) -> Any:
        """The plan value at a JSON pointer (`/sources/0/owner`), or `default`."""
        return resolve(self.plan.data, pointer, default)

    def memo(self, key: Hashable, compute: Callable[[], _T]) -> _T:
        """`compute()`, once per `key` for this plan, shared by every rule on it.

        A rule calls its function once per matched value; a function that derives the
        same plan-wide facts (all names of a kind, say) each time would make a plan with
        n entries cost n squared, and rules asking the same question would each pay for
        it. The plan does not change while rules run. The key names the computation and
        every input it reads (the function, its options).
        """
        return self.plan_memo.get(key, compute)

    def values(self, pattern: str) -> tuple[Any, ...]:
        """The values `pattern` selects in the plan, in document order (memoised)."""
        return self.memo(
            ("values", pattern),
            lambda: tuple(value for _, value in matches(self.plan.data, pattern)),
        )

    def exists(self, pointer: str) -> bool:
        return exists(self.plan.data, pointer)

    def quantity(self, pointer: str, kind: str) -> float | None:
        """The quantity at `pointer` in base units; None when absent or malformed.

        Malformed quantities are reported by the schema stage, so rules stay quiet.
        """
        from dataplan_lint.core.quantities import QuantityError, parse

        raw = self.get(pointer)
        if raw is None:
            return None
        try:
            return parse(kind, raw).value
        except QuantityError:
            return None

    def span(self, pointer: str, *, at_key: bool = False) -> Span | None:
        """Where a finding about `pointer` points.

        The value's span when it exists; the key's span when `at_key`, or when the
        pointer does not exist (then the key of the nearest existing ancestor).
        """
        plan = self.plan
        if not at_key and pointer in plan.values:
            return plan.values[pointer]
        while pointer and pointer not in plan.values:
            pointer = pointer.rsplit("/", 1)[0]
        return plan.keys.get(pointer) or plan.values.get(pointer)

    def report(
        self,
        pointer: str,
        *,
        at_key: bool = False,
        related: Iterable[Related] = (),
        fix_edits: Iterable[Edit] = (),
        fix_title: str = "",
        **values: Any,
    ) -> Finding:
        """A finding of this rule at `pointer`; `values` fill the message template.

        Always available to templates: `path` (the pointer as `sources[0].owner`),
        `field` (its last step) and `value` (the value there, shortened). `fix_edits`
        become the finding's fix only when the rule declares one (`fix: safe|unsafe` in
        its ruleset), with that applicability.
        """
        tokens = split(pointer)
        filled: dict[str, Any] = {
            "path": display(pointer, self.data),
            "field": tokens[-1] if tokens else "",
            "value": short(self.get(pointer)),
        }
        filled.update(values)
        rule = self.rule
        return Finding(
            rule_id=rule.id,
            severity=self.severity,
            message=render(rule.message, filled),
            path=self.plan.path,
            span=self.span(pointer, at_key=at_key) or Span.point(1, 1),
            pointer=pointer,
            slug=rule.slug,
            gate=rule.gate,
            family=rule.family,
            related=tuple(related),
            fix=make_fix(rule.fix, tuple(fix_edits), fix_title),
            # What the function reported, for reporters that show more than the message
            # (the job summary's compatibility table reads `change` and `mode`).
            data=tuple(
                (name, str(item))
                for name, item in values.items()
                if isinstance(item, str | int | float) and not isinstance(item, bool)
            ),
        )
