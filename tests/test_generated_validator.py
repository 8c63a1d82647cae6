"""The committed fast validator must match the schemas it was generated from."""

from __future__ import annotations

from dataplan_lint.schema._generated import plan_validator
from dataplan_lint.schema.bundle import source_digest


def test_generated_validator_is_current() -> None:
    assert source_digest() == plan_validator.SOURCE_DIGEST, (
        "schemas/ changed: run `.venv/bin/python -m dataplan_lint.schema.codegen`"
    )
