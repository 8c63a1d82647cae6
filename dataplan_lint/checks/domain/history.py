"""Gate 6: how modeling layers keep history (SCD2 versions or periodic snapshots).

An SCD2 layer needs a business key and the two validity columns; a snapshot layer the
column that dates each copy. The columns must exist in the layer's contract, and an SCD2
layer merged on its business key alone overwrites the old version instead of keeping it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.checks.domain import Issue
from dataplan_lint.checks.domain import plan as p

NEEDS = {
    "scd2": ("business_key", "valid_from", "valid_to"),
    "snapshot": ("snapshot_column",),
}


def _histories(data: Any) -> Iterator[tuple[str, str, Mapping[str, Any], Mapping[str, Any]]]:
    """(layer pointer, layer name, layer, its history) for layers declaring a history."""
    for name, (pointer, layer) in p.layers(data).items():
        history = layer.get("history")
        if isinstance(history, Mapping):
            yield pointer, name, layer, history


def incomplete(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """An SCD2 history names its business key and validity columns; a snapshot its date."""
    for pointer, name, _, history in _histories(data):
        strategy = history.get("strategy")
        missing = [key for key in NEEDS.get(str(strategy), ()) if not p.present(history.get(key))]
        if missing:
            yield Issue(
                f"{pointer}/history",
                {"layer": name, "strategy": str(strategy), "missing": ", ".join(missing)},
                at_key=True,
            )


def _columns(history: Mapping[str, Any], pointer: str) -> Iterator[tuple[str, str]]:
    for index, key in enumerate(p.listed(history, "/business_key")):
        if isinstance(key, str):
            yield f"{pointer}/business_key/{index}", key
    for key in ("valid_from", "valid_to", "current_flag", "snapshot_column"):
        value = history.get(key)
        if isinstance(value, str):
            yield f"{pointer}/{key}", value


def columns_in_contract(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """The history's columns exist in the contract the layer is built to."""
    contracts = p.contracts(data)
    for pointer, name, layer, history in _histories(data):
        contract_name = layer.get("contract")
        if not isinstance(contract_name, str) or contract_name not in contracts:
            continue
        contract_ptr, contract = contracts[contract_name]
        fields = contract.get("fields")
        if not isinstance(fields, list):
            continue  # fields in a schema file: the compatibility analysis reads those
        for column_ptr, column in _columns(history, f"{pointer}/history"):
            if p.field_named(fields, column) is None:
                yield Issue(
                    column_ptr,
                    {"column": column, "layer": name, "contract": contract_name},
                    related=((contract_ptr, f"contract {contract_name}"),),
                )


def scd2_merge_key(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """An SCD2 layer merged incrementally keys its rows by version, not by entity alone."""
    for pointer, name, layer, history in _histories(data):
        if history.get("strategy") != "scd2":
            continue
        incremental = layer.get("incremental")
        if not isinstance(incremental, Mapping) or incremental.get("strategy") != "merge":
            continue
        unique = p.strings(incremental.get("unique_key"))
        business = p.strings(history.get("business_key"))
        valid_from = history.get("valid_from")
        if not unique or not business or not isinstance(valid_from, str):
            continue
        if set(unique) == set(business):
            yield Issue(
                f"{pointer}/incremental/unique_key",
                {
                    "layer": name,
                    "key": ", ".join(unique),
                    "valid_from": valid_from,
                },
                related=((f"{pointer}/history/business_key", "the business key"),),
            )
