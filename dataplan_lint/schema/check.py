"""Validate a loaded plan against the bundled schema and turn errors into findings.

Two validators, one job each: the validator generated ahead of time (`schema/codegen.py`,
`schema/_generated/`) answers "valid or not" - the clean path costs one call into it -
and the error walker (`schema/errors.py`) lists every error of an invalid plan with the
path to it; each error becomes a finding at the key or value it is about. Tests hold
both to jsonschema's answers (tests/test_validator_agreement.py, test_schema_errors.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
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
    pointer = build(error.absolute_path)
    keyword = error.validator
    value_span = plan.span(pointer)
    if keyword == "additionalProperties" and isinstance(error.instance, dict):
        allowed = sorted(schema.get("properties", {}) if isinstance(schema, dict) else {})
        for key in error.instance:
            if key in allowed:
                continue
            child = join(pointer, key)
            hint = did_you_mean(key, allowed)
            where = f" in {_where(pointer, plan.data)}" if pointer else " at the top level"
            candidate = sole_candidate(key, allowed) if isinstance(key, str) else None
            rename = (
                Edit(child, rename=candidate)
                if candidate and candidate not in error.instance
                else None
            )
            yield _finding(
                "DP011",
                f"unknown key {key!r}{where}{hint}",
                plan,
                plan.key_span(child),
                child,
                rename,
            )
    elif keyword == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        where = f"{_where(pointer, plan.data)} is" if pointer else "the plan is"
        span = plan.keys.get(pointer) if pointer else _missing_section_span(plan, schema, missing)
        yield _finding(
            "DP012",
            f"{where} missing the required key {missing!r}",
            plan,
            span or value_span,
            join(pointer, missing),
        )
    elif keyword == "type":
        wanted = expected_types(rule_value)
        yield _finding(
            "DP013",
            f"{_where(pointer, plan.data)} must be {wanted}, not {describe_value(error.instance)}",
            plan,
            value_span,
            pointer,
        )
    elif keyword in ("enum", "const"):
        choices = list(rule_value) if keyword == "enum" else [rule_value]
        listed = ", ".join(repr(choice) for choice in choices)
        words = [c for c in choices if isinstance(c, str)]
        hint = did_you_mean(error.instance, words) if isinstance(error.instance, str) else ""
        candidate = (
            sole_candidate(error.instance, words) if isinstance(error.instance, str) else None
        )
        yield _finding(
            "DP014",
            f"{_where(pointer, plan.data)} is {error.instance!r}; expected one of: {listed}{hint}",
            plan,
            value_span,
            pointer,
            Edit(pointer, candidate) if candidate is not None else None,
        )
    elif keyword == "format" and str(rule_value).startswith("dp-"):
        cause = error.cause
        detail = str(cause) if cause is not None else f"{error.instance!r} is not valid"
        from dataplan_lint.core.quantities import suggest
        from dataplan_lint.core.words import suggestion

        written = suggest(str(rule_value)[3:], error.instance)
        detail += suggestion(written)
        yield _finding(
            "DP015",
            f"{_where(pointer, plan.data)}: {detail}",
            plan,
            value_span,
            pointer,
            Edit(pointer, written) if written is not None else None,
        )
    elif keyword == "pattern":
        from dataplan_lint.schema.pattern_hint import pattern_message

        yield _finding(
            "DP016",
            pattern_message(_where(pointer, plan.data), error.instance, schema, rule_value),
            plan,
            value_span,
            pointer,
        )
    else:
        yield _finding(
            "DP017", f"{_where(pointer, plan.data)}: {error.message}", plan, value_span, pointer
        )
