"""Validate a loaded plan against the bundled schema and turn errors into findings.

Two validators, one job each: the validator generated ahead of time (`schema/codegen.py`,
`schema/_generated/`) answers "valid or not" - the clean path costs one call into it -
and the error walker (`schema/errors.py`) lists every error of an invalid plan with the
path to it; each error becomes a finding at the key or value it is about. Tests hold
both to jsonschema's answers (tests/test_validator_agreement.py, test_schema_errors.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from dataplan_lint.core.findings import Edit, Finding, Span
from dataplan_lint.core.gates import SECTION_GATES
from dataplan_lint.core.pointers import build, display, join
from dataplan_lint.core.rules import builtin_finding
from dataplan_lint.core.words import did_you_mean, sole_candidate
from dataplan_lint.schema.values import describe_value, expected_types

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

    from dataplan_lint.files.loader import LoadedPlan
    from dataplan_lint.schema.errors import SchemaError


@cache
def _fast_validator() -> Callable[[Any], Any] | None:
    """The generated validator, or None when the schemas were edited after it was
    generated (a checkout before `python -m dataplan_lint.schema.codegen`; a test fails
    while it is stale): then the walker answers, slower and the same."""
    from dataplan_lint.schema._generated import plan_validator
    from dataplan_lint.schema.bundle import source_digest

    if source_digest() == plan_validator.SOURCE_DIGEST:
        validate: Callable[[Any], Any] = plan_validator.validate
        return validate
    return None


def is_valid(data: Any) -> bool:
    validate = _fast_validator()
    if validate is None:
        return next(iter(all_errors(data)), None) is None
    try:
        validate(data)
    except ValueError:
        return False
    return True


def check(plan: LoadedPlan) -> list[Finding]:
    """All schema findings for `plan` (an empty list when it is valid)."""
    odd = list(_unusable_numbers(plan))
    if is_valid(plan.data):
        return odd
    findings = [finding for error in all_errors(plan.data) for finding in _to_findings(error, plan)]
    findings += odd
    unique = {(f.rule_id, f.span, f.message): f for f in findings}
    return sorted(unique.values(), key=Finding.sort_key)


def _unusable_numbers(plan: LoadedPlan) -> Iterator[Finding]:
    """Numbers JSON Schema lets through but no figure can be, at the value.

    `.nan`, `.inf` (or a float literal beyond a double) are refused anywhere: comparisons
    with them are always false, so a check would silently pass. Out-of-range figures
    (see `quantities.LARGEST_FIGURE`) are refused in `capacity`, whose math multiplies
    them; elsewhere a large integer can be a real bound (a column's int64 maximum).
    """
    for pointer, problem in plan.odd_numbers.items():
        if "finite" in problem or pointer.startswith("/capacity/"):
            message = f"{_where(pointer)}: {problem}; the checks that use it cannot run"
            yield _finding("DP017", message, plan, plan.span(pointer), pointer)


def all_errors(data: Any) -> Iterator[Any]:
    """Every schema error of `data`, jsonschema-shaped, from the walker (the bundled
    schema uses only the keywords it knows: tests/test_schema_errors.py)."""
    from dataplan_lint.schema.bundle import bundled_schema
    from dataplan_lint.schema.errors import Walker

    schema = bundled_schema()
    return Walker(schema).errors(data, schema)


def _finding(
    rule_id: str,
    message: str,
    plan: LoadedPlan,
    span: Span | None,
    pointer: str,
    fix: Edit | None = None,
) -> Finding:
    return builtin_finding(
        rule_id,
        message,
        plan.path,
        span,
        pointer=pointer,
        gate=_gate_of(pointer),
        fix=(fix,) if fix else (),
    )


def _gate_of(pointer: str) -> int:
    head = pointer[1:].split("/", 1)[0]
    return SECTION_GATES.get(head, 0)


def _where(pointer: str, data: Any = None) -> str:
    return f"`{display(pointer, data)}`"


def _to_findings(error: ValidationError | SchemaError, plan: LoadedPlan) -> Iterator[Finding]:
    yield from _convert(error, plan, error.schema, error.validator_value)


def _missing_section_span(plan: LoadedPlan, schema: Any, missing: str) -> Span:
    """Where a missing top-level section belongs: the key of the next section (in the
    schema's order) that the plan has, else the end of the document - never line 1,
    which is usually a comment."""
    order = list(schema.get("properties", {})) if isinstance(schema, dict) else []
    later = order[order.index(missing) + 1 :] if missing in order else []
    for key in later:
        span = plan.keys.get(join("", key))
        if span is not None:
            return span
    lines = plan.text.splitlines()
    last = next((n for n in range(len(lines), 0, -1) if lines[n - 1].strip()), 1)
    return Span.point(last, 1)


def _convert(error: Any, plan: LoadedPlan, schema: Any, rule_value: Any) -> Iterator[Finding]:
    if error.validator in ("oneOf", "anyOf") and error.context:
        from jsonschema.exceptions import best_match

        error = best_match(error.context)
        schema, rule_value = error.schema, error.validator_value
    keyword = error.validator
    if keyword == "additionalProperties" and not isinstance(error.instance, dict):
        keyword = ""  # reported as it is (DP017)
    if keyword == "format" and not str(rule_value).startswith("dp-"):
        keyword = ""
    convert = _CONVERTERS.get(keyword, _other)
    yield from convert(_Error(error, plan, schema, rule_value, build(error.absolute_path)))


@dataclass(frozen=True, slots=True)
class _Error:
    """One schema error and where it is, for the converters below (one per keyword)."""

    error: Any
    plan: LoadedPlan
    schema: Any
    rule_value: Any
    pointer: str

    @property
    def where(self) -> str:
        return _where(self.pointer, self.plan.data)

    def finding(self, rule_id: str, message: str, fix: Edit | None = None) -> Finding:
        span = self.plan.span(self.pointer)
        return _finding(rule_id, message, self.plan, span, self.pointer, fix)


def _unknown_keys(e: _Error) -> Iterator[Finding]:
    schema, pointer, plan = e.schema, e.pointer, e.plan
    allowed = sorted(schema.get("properties", {}) if isinstance(schema, dict) else {})
    for key in e.error.instance:
        if key in allowed:
            continue
        child = join(pointer, key)
        hint = did_you_mean(key, allowed)
        where = f" in {e.where}" if pointer else " at the top level"
        candidate = sole_candidate(key, allowed) if isinstance(key, str) else None
        rename = (
            Edit(child, rename=candidate)
            if candidate and candidate not in e.error.instance
            else None
        )
        message = f"unknown key {key!r}{where}{hint}"
        yield _finding("DP011", message, plan, plan.key_span(child), child, rename)


def _missing_key(e: _Error) -> Iterator[Finding]:
    message, pointer, plan = e.error.message, e.pointer, e.plan
    missing = message.split("'")[1] if "'" in message else message
    where = f"{e.where} is" if pointer else "the plan is"
    span = plan.keys.get(pointer) if pointer else _missing_section_span(plan, e.schema, missing)
    yield _finding(
        "DP012",
        f"{where} missing the required key {missing!r}",
        plan,
        span or plan.span(pointer),
        join(pointer, missing),
    )


# A bare number where a quantity with a unit is expected: the unit the correction suggests.
_UNIT_EXAMPLES = {
    "dp-duration": ("s", "m"),
    "dp-size": ("MB", "GB"),
    "dp-byte-rate": ("MB/s", "KB/s"),
    "dp-event-rate": ("/s", "/day"),
    "dp-percent": ("%",),
}


def _wrong_type(e: _Error) -> Iterator[Finding]:
    wanted = expected_types(e.rule_value)
    value = e.error.instance
    message = f"{e.where} must be {wanted}, not {describe_value(value)}"
    units = _UNIT_EXAMPLES.get(e.schema.get("format", "")) if isinstance(e.schema, dict) else None
    if units and isinstance(value, int | float) and not isinstance(value, bool):
        written = " or ".join(f"`{value}{unit}`" for unit in units)
        message += f" - the number needs its unit: write {written}"
    yield e.finding("DP013", message)


def _not_allowed(e: _Error) -> Iterator[Finding]:
    value = e.error.instance
    choices = list(e.rule_value) if e.error.validator == "enum" else [e.rule_value]
    listed = ", ".join(repr(choice) for choice in choices)
    words = [c for c in choices if isinstance(c, str)]
    hint = did_you_mean(value, words) if isinstance(value, str) else ""
    candidate = sole_candidate(value, words) if isinstance(value, str) else None
    yield e.finding(
        "DP014",
        f"{e.where} is {value!r}; expected one of: {listed}{hint}",
        Edit(e.pointer, candidate) if candidate is not None else None,
    )


def _bad_quantity(e: _Error) -> Iterator[Finding]:
    from dataplan_lint.core.quantities import suggest
    from dataplan_lint.core.words import suggestion

    cause = e.error.cause
    detail = str(cause) if cause is not None else f"{e.error.instance!r} is not valid"
    written = suggest(str(e.rule_value)[3:], e.error.instance)
    detail += suggestion(written)
    fix = Edit(e.pointer, written) if written is not None else None
    yield e.finding("DP015", f"{e.where}: {detail}", fix)


def _no_match(e: _Error) -> Iterator[Finding]:
    from dataplan_lint.schema.pattern_hint import pattern_message

    yield e.finding("DP016", pattern_message(e.where, e.error.instance, e.schema, e.rule_value))


def _other(e: _Error) -> Iterator[Finding]:
    yield e.finding("DP017", f"{e.where}: {e.error.message}")


_CONVERTERS = {
    "additionalProperties": _unknown_keys,
    "required": _missing_key,
    "type": _wrong_type,
    "enum": _not_allowed,
    "const": _not_allowed,
    "format": _bad_quantity,
    "pattern": _no_match,
}
