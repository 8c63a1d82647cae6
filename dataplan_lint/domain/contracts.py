"""Gate 7 (completeness part): what every contract must state about itself.

Compatibility classification of changes (DP730+) lives in `dataplan_lint.compat`; the
checks here only decide whether a contract's evolution policy is written down. A
contract "has evolved incompatibly" when its version history holds a major version
step, a step that removes a field or changes a field's type, or when its compatibility
mode is NONE; such a contract needs a deprecation window and migration steps.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.domain import Check, Issue
from dataplan_lint.domain import plan as p


def _major(version: Any, versioning: Any) -> str | None:
    if isinstance(version, bool) or version is None:
        return None
    text = str(version).strip()
    if versioning == "semver" or (versioning is None and text.count(".") >= 1):
        return text.lstrip("vV").split(".", 1)[0]
    return text  # integer and date versions: every step is a new major version


def _shape(fields: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    if isinstance(fields, list):
        for field in fields:
            if isinstance(field, Mapping) and isinstance(field.get("name"), str):
                out[field["name"]] = str(field.get("type", "")).strip().lower()
    return out


def breaking_step(contract: Mapping[str, Any]) -> str | None:
    """Why the contract's evolution needs a deprecation window, or None."""
    if contract.get("compatibility") == "NONE":
        return "its compatibility mode is NONE"
    history = [h for h in contract.get("history") or [] if isinstance(h, Mapping)]
    if not history:
        return None
    steps = [*history, contract]
    versioning = contract.get("versioning")
    for before, after in itertools.pairwise(steps):
        old, new = before.get("version"), after.get("version")
        old_major, new_major = _major(old, versioning), _major(new, versioning)
        if old_major is not None and new_major is not None and old_major != new_major:
            return f"its history has a major version step ({old} to {new})"
        old_shape, new_shape = _shape(before.get("fields")), _shape(after.get("fields"))
        if old_shape and new_shape:
            renamed = {
                str(f.get("renamed_from"))
                for f in after.get("fields") or []
                if isinstance(f, Mapping) and f.get("renamed_from")
            }
            for name, kind in old_shape.items():
                if name not in new_shape and name not in renamed:
                    return f"version {new} removes field {name!r}"
                if name in new_shape and new_shape[name] != kind:
                    return f"version {new} changes the type of {name!r}"
    return None


def migration_without_window(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    for pointer, contract in p.items(data, "/contracts"):
        why = breaking_step(contract)
        if why and not p.present(contract.get("deprecation_window")):
            yield Issue(pointer, {"contract": str(contract.get("name")), "why": why}, at_key=False)


def migration_steps_missing(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    for pointer, contract in p.items(data, "/contracts"):
        why = breaking_step(contract)
        if why and not p.strings(contract.get("migration")):
            yield Issue(pointer, {"contract": str(contract.get("name")), "why": why})


def schema_missing(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    for pointer, contract in p.items(data, "/contracts"):
        if not p.present(contract.get("fields")) and not p.present(contract.get("schema_file")):
            yield Issue(pointer, {"contract": str(contract.get("name"))})


def required_fields_undeclared(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    for pointer, contract in p.items(data, "/contracts"):
        fields = contract.get("fields")
        if not isinstance(fields, list) or not fields:
            continue
        if not any(
            isinstance(field, Mapping)
            and (
                field.get("required") is True
                or (
                    isinstance(field.get("constraints"), Mapping)
                    and field["constraints"].get("not_null") is True
                )
            )
            for field in fields
        ):
            yield Issue(f"{pointer}/fields", {"contract": str(contract.get("name"))}, at_key=True)


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


CHECKS: dict[str, Check] = {
    "migration-without-window": migration_without_window,
    "migration-steps-missing": migration_steps_missing,
    "schema-missing": schema_missing,
    "required-fields-undeclared": required_fields_undeclared,
    "versioning-missing": versioning_missing,
    "critical-consumer-contract": critical_consumer_contract,
}
