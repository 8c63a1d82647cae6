"""Gate 7 (completeness part): what every contract must state about itself.

Compatibility of changes (DP730+) lives in `dataplan_lint.compat`: it classifies every
step of a contract's history (and the step against a git base), and its
`breaking-change-without-migration-plan` rule asks for a deprecation window and
migration steps when a step breaks the mode. The checks here cover what that analysis
cannot see: a contract that runs with compatibility NONE and has no history yet, so
that its first change may break consumers on the day it ships.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.checks.contract_fields import contract_fields
from dataplan_lint.checks.domain import Issue
from dataplan_lint.checks.domain import plan as p
from dataplan_lint.engine.check_input import CheckInput


def unguarded(contract: Mapping[str, Any]) -> str | None:
    """Why the contract needs an evolution policy the compatibility rules do not ask for."""
    if contract.get("compatibility") != "NONE" or p.present(contract.get("history")):
        return None
    return "its compatibility mode is NONE, so any change may break consumers"


def migration_without_window(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    for pointer, contract in p.items(data, "/contracts"):
        why = unguarded(contract)
        if why and not p.present(contract.get("deprecation_window")):
            yield Issue(pointer, {"contract": str(contract.get("name")), "why": why}, at_key=False)


def migration_steps_missing(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    for pointer, contract in p.items(data, "/contracts"):
        why = unguarded(contract)
        if why and not p.strings(contract.get("migration")):
            yield Issue(pointer, {"contract": str(contract.get("name")), "why": why})


def schema_missing(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    for pointer, contract in p.items(data, "/contracts"):
        if not p.present(contract.get("fields")) and not p.present(contract.get("schema_file")):
            yield Issue(pointer, {"contract": str(contract.get("name"))})


REQUIRED_IN_FILE = ("odcs", "json-schema")
"""Schema-file formats that mark fields as required in their own words (ODCS
`required: true`, JSON Schema `required: [...]`); Avro and Protobuf say it otherwise
(a field without a default, proto3 has no required at all), so DP705 reads only these."""


def required_fields_undeclared(inp: CheckInput) -> Iterator[Issue]:
    data, plan = inp.data, inp.plan
    for pointer, contract in p.items(data, "/contracts"):
        from_file = isinstance(contract.get("schema_file"), str)
        if from_file and contract.get("format") not in REQUIRED_IN_FILE:
            continue
        if not from_file and not isinstance(contract.get("fields"), list):
            continue
        fields = contract_fields(plan, pointer, contract)
        if fields is None or not fields.fields:
            continue
        if any(field.required or field.type.constraints.not_null for field in fields.fields):
            continue
        values = {"contract": str(contract.get("name"))}
        if fields.schema_file is None:
            yield Issue(f"{pointer}/fields", values, at_key=True)
        else:
            where = fields.place(
                None, "the record in the schema file, none of whose fields is required"
            )
            yield Issue(f"{pointer}/schema_file", values, related=where)


def versioning_missing(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    for pointer, contract in p.items(data, "/contracts"):
        if not p.present(contract.get("versioning")):
            yield Issue(f"{pointer}/version", {"contract": str(contract.get("name"))}, at_key=True)


def critical_consumer_contract(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    covered: set[str] = set()
    for _, contract in p.items(data, "/contracts"):
        covered.update(p.strings(contract.get("consumers")))
    for pointer, consumer in p.items(data, "/context/consumers"):
        name = consumer.get("name")
        if consumer.get("critical") is True and isinstance(name, str) and name not in covered:
            yield Issue(f"{pointer}/name", {"consumer": name})
