"""jsonschema with the project's semantics: the reference the walker and the generated
validator are held to (tests/test_schema_errors.py, tests/test_validator_agreement.py).

The tool itself never runs it: `pattern` matches as Python's `re.search` with `$` at the
very end (jsonschema's lets `$` match before a final newline), and each `dp-<kind>`
format is a quantity that parses.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any


@cache
def full_validator() -> Any:
    from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators

    from dataplan_lint.core import quantities
    from dataplan_lint.schema.bundle import bundled_schema
    from dataplan_lint.schema.errors import schema_regex

    def pattern(validator: Any, rule: str, instance: Any, schema: Any) -> Iterator[Any]:
        # jsonschema's own `pattern` lets `$` match before a final newline.
        if isinstance(instance, str) and schema_regex(rule).search(instance) is None:
            yield ValidationError(f"{instance!r} does not match {rule!r}")

    validator_class = validators.extend(Draft202012Validator, {"pattern": pattern})  # type: ignore[no-untyped-call]

    checker = FormatChecker(formats=())
    for kind in quantities.KINDS:

        def check_quantity(value: object, kind: str = kind) -> bool:
            if isinstance(value, str):
                quantities.parse(kind, value)
            return True

        checker.checks(f"dp-{kind}", raises=quantities.QuantityError)(check_quantity)
    return validator_class(bundled_schema(), format_checker=checker)
