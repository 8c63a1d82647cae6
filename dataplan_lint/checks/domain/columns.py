"""Gates 7 and 8: what quality checks name against the contracts that define it.

A check's column is a field of its dataset's contract; an accepted-values check accepts
exactly the symbols the contract's enum defines; a referential check names a dataset and
column that exist. A dataset's contract is the contract of that name, the contract a
layer is built to (`contract`), or, for a raw layer that lands one source as received,
that source's contract. Where no contract can be read, nothing is weighed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.checks.contract_fields import ContractFields, contract_fields
from dataplan_lint.checks.domain import Issue
from dataplan_lint.checks.domain import plan as p
from dataplan_lint.compat.model import Field
from dataplan_lint.core import regexes
from dataplan_lint.engine.check_input import CheckInput
from dataplan_lint.files.loader import LoadedPlan

CHECKS = "/quality/checks"


def _contract_of(data: Any, dataset: str) -> str | None:
    """The name of the contract that defines `dataset`'s columns, or None."""
    contracts = p.contracts(data)
    if dataset in contracts:
        return dataset
    layer = p.layers(data).get(dataset)
    if layer is None:
        return None
    named = layer[1].get("contract")
    if isinstance(named, str):
        return named if named in contracts else None
    if layer[1].get("kind") != "raw":
        return None
    inputs = p.strings(layer[1].get("reads_from"))
    sources = {str(s.get("id")): s for _, s in p.sources(data)}
    if len(inputs) == 1 and inputs[0] in sources:
        contract = sources[inputs[0]].get("contract")
        if isinstance(contract, str) and contract in contracts:
            return contract
    return None


def _fields(data: Any, plan: LoadedPlan, dataset: str) -> tuple[str, ContractFields] | None:
    name = _contract_of(data, dataset)
    if name is None:
        return None
    pointer, contract = p.contracts(data)[name]
    fields = contract_fields(plan, pointer, contract)
    return (name, fields) if fields is not None and fields.fields else None


def _columns(text: str) -> list[str]:
    """`a, b` (a composite key) -> [a, b]; names as written."""
    return [part.strip() for part in text.split(",") if part.strip()]


def _known(fields: ContractFields) -> str:
    names = [field.name for field in fields.fields]
    shown = ", ".join(names[:12])
    return shown + (", ..." if len(names) > 12 else "")


def check_columns(inp: CheckInput) -> Iterator[Issue]:
    data, plan = inp.data, inp.plan
    for pointer, check in p.items(data, CHECKS):
        dataset, column = check.get("dataset"), check.get("column")
        if not isinstance(dataset, str) or not isinstance(column, str):
            continue
        found = _fields(data, plan, dataset)
        if found is None:
            continue
        contract, fields = found
        missing = [name for name in _columns(column) if fields.field(name) is None]
        if missing:
            yield Issue(
                f"{pointer}/column",
                {
                    "check": str(check.get("id", "?")),
                    "column": ", ".join(missing),
                    "dataset": dataset,
                    "contract": contract,
                    "known": _known(fields),
                },
                related=fields.place(None, f"the fields of contract {contract}"),
            )


def _symbols(field: Field) -> tuple[str, ...]:
    kind = field.type
    if kind.kind == "enum":
        return kind.symbols
    for member in kind.members:
        if member.kind == "enum":
            return member.symbols
    return ()


def accepted_values(inp: CheckInput) -> Iterator[Issue]:
    """An accepted-values check on an enum column accepts exactly its symbols."""
    data, plan = inp.data, inp.plan
    for pointer, check in p.items(data, CHECKS):
        values = check.get("values")
        dataset, column = check.get("dataset"), check.get("column")
        if (
            check.get("kind") != "accepted-values"
            or not isinstance(values, list)
            or not isinstance(dataset, str)
            or not isinstance(column, str)
        ):
            continue
        found = _fields(data, plan, dataset)
        field = found[1].field(column.strip()) if found is not None else None
        symbols = _symbols(field) if field is not None else ()
        if found is None or not symbols:
            continue
        written = [str(value) for value in values]
        unknown = [(index, value) for index, value in enumerate(written) if value not in symbols]
        left_out = [symbol for symbol in symbols if symbol not in written]
        if unknown:
            at = f"{pointer}/values/{unknown[0][0]}"
            problem = (
                f"accepts {unknown[0][1]!r}, which is not a symbol of {column} in contract "
                f"{found[0]} ({', '.join(symbols)})"
            )
        elif left_out:
            at = f"{pointer}/values"
            problem = (
                f"leaves out {', '.join(left_out)}, which contract {found[0]} defines for "
                f"{column}, so valid rows fail the check"
            )
        else:
            continue
        yield Issue(
            at,
            {"check": str(check.get("id", "?")), "problem": problem},
            related=found[1].place(field, f"the enum {column}"),
        )


def _reference(text: str) -> tuple[str, str] | None:
    """`dataset.column` -> (dataset, column) when written exactly like that."""
    if not regexes.DATASET_COLUMN.compile().fullmatch(text.strip()):
        return None
    dataset, _, column = text.strip().partition(".")
    return dataset, column


def referential_target(inp: CheckInput) -> Iterator[Issue]:
    """A referential check's `references` names a dataset and column that exist."""
    data, plan = inp.data, inp.plan
    known = set(p.contracts(data)) | set(p.layers(data))
    known |= {str(source.get("id")) for _, source in p.sources(data)}
    for pointer, check in p.items(data, CHECKS):
        raw = check.get("references")
        target = _reference(raw) if isinstance(raw, str) else None
        if target is None:
            continue
        dataset, column = target
        if dataset not in known:
            yield Issue(
                f"{pointer}/references",
                {
                    "check": str(check.get("id", "?")),
                    "problem": f"dataset {dataset!r} is not a contract, layer or source of "
                    "the plan",
                },
            )
            continue
        found = _fields(data, plan, dataset)
        if found is not None and found[1].field(column) is None:
            yield Issue(
                f"{pointer}/references",
                {
                    "check": str(check.get("id", "?")),
                    "problem": f"column {column!r} is not a field of {dataset} (contract "
                    f"{found[0]}: {_known(found[1])})",
                },
            )


def _contract_field_entries(data: Any) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Every inline field of every contract, nested ones included."""
    todo = [f"{pointer}/fields" for pointer, _ in p.items(data, "/contracts")]
    while todo:
        base = todo.pop(0)
        for pointer, field in p.items(data, base):
            yield pointer, field
            todo.append(f"{pointer}/fields")
            for part in ("items", "values"):
                if isinstance(field.get(part), Mapping):
                    yield f"{pointer}/{part}", field[part]
                    todo.append(f"{pointer}/{part}/fields")


def enum_default(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """An enum's default is one of its symbols."""
    for pointer, field in _contract_field_entries(data):
        default = field.get("enum_default")
        symbols = field.get("enum")
        if default is None or not isinstance(symbols, list) or not symbols:
            continue
        if default not in symbols:
            yield Issue(
                f"{pointer}/enum_default",
                {"default": str(default), "symbols": ", ".join(str(s) for s in symbols)},
                related=((f"{pointer}/enum", "the symbols"),),
            )


BOUNDS = (("minimum", "maximum"), ("min_length", "max_length"))


def constraint_bounds(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """A lower bound is not above its upper bound (no value could pass)."""
    for pointer, field in _contract_field_entries(data):
        constraints = field.get("constraints")
        if not isinstance(constraints, Mapping):
            continue
        for low_key, high_key in BOUNDS:
            low, high = p.number(constraints.get(low_key)), p.number(constraints.get(high_key))
            if low is not None and high is not None and low > high:
                yield Issue(
                    f"{pointer}/constraints/{high_key}",
                    {
                        "field": str(field.get("name", "?")),
                        "low": f"{low_key} {low:g}",
                        "high": f"{high_key} {high:g}",
                    },
                    related=((f"{pointer}/constraints/{low_key}", f"the {low_key}"),),
                )
