"""Personal data through every copy: field classification, masking and retention per layer.

A contract field is personal when it is marked `pii: true` or classified `personal` or
`special-category`. A layer holds personal data when its own contract has such a field
or, without a contract, when anything it reads (layers, sources) does - unless the layer
says it `masked` or `excluded` them. Every such copy keeps it no longer than
`constraints.compliance.retention`, and a layer of a kind listed in `mask_in` does not
keep it in clear.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from dataplan_lint.checks.domain import Issue
from dataplan_lint.checks.domain import plan as p

COMPLIANCE = "/constraints/compliance"
PERSONAL_CLASSES = ("personal", "special-category")
NOT_PERSONAL_CLASSES = ("public", "internal")
# How a layer carries personal fields; `masked` and `excluded` leave none that identify.
IDENTIFYING = ("clear", "pseudonymised")
MAX_DEPTH = 16


def is_personal(field: Mapping[str, Any]) -> bool:
    return field.get("pii") is True or field.get("classification") in PERSONAL_CLASSES


def _walk(fields: Any, pointer: str, depth: int = 0) -> Iterator[tuple[str, Mapping[str, Any]]]:
    if not isinstance(fields, list) or depth > MAX_DEPTH:
        return
    for index, field in enumerate(fields):
        if isinstance(field, Mapping):
            here = f"{pointer}/{index}"
            yield here, field
            yield from _walk(field.get("fields"), f"{here}/fields", depth + 1)


def personal_fields(contract_pointer: str, contract: Mapping[str, Any]) -> list[str]:
    """Pointers of the contract's personal fields, at any depth."""
    fields = contract.get("fields")
    return [ptr for ptr, f in _walk(fields, f"{contract_pointer}/fields") if is_personal(f)]


def classification_vs_pii(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """A field's `classification` and its `pii` flag agree."""
    for contract_ptr, contract in p.items(data, "/contracts"):
        for pointer, field in _walk(contract.get("fields"), f"{contract_ptr}/fields"):
            level, pii = field.get("classification"), field.get("pii")
            if (level in PERSONAL_CLASSES and pii is False) or (
                level in NOT_PERSONAL_CLASSES and pii is True
            ):
                yield Issue(
                    f"{pointer}/classification",
                    {"field": str(field.get("name")), "level": level, "pii": str(pii).lower()},
                    related=((f"{pointer}/pii", "the pii flag"),),
                )


def _personal_layers(data: Any) -> dict[str, str]:
    """Layer name -> pointer of the personal field it is known to carry."""
    contracts = p.contracts(data)
    layers = p.layers(data)
    origin: dict[str, str] = {}
    for _, source in p.sources(data):
        name, contract = source.get("id"), source.get("contract")
        if isinstance(name, str) and isinstance(contract, str) and contract in contracts:
            found = personal_fields(*contracts[contract])
            if found:
                origin[name] = found[0]
    result: dict[str, str] = {}
    for _ in range(len(layers) + 1):  # a fixed point over reads_from, bounded
        changed = False
        for name, (_, layer) in layers.items():
            if name in result or layer.get("personal_data") in ("masked", "excluded"):
                continue
            own = layer.get("contract")
            if isinstance(own, str) and own in contracts:
                found = personal_fields(*contracts[own])
                where = found[0] if found else None
            else:
                read = [origin.get(r) or result.get(r) for r in p.strings(layer.get("reads_from"))]
                where = next((w for w in read if w), None)
            if where:
                result[name] = where
                changed = True
        if not changed:
            break
    return result


def layer_kept_longer(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """A layer holding personal data keeps it no longer than the compliance retention."""
    allowed = p.seconds(data, f"{COMPLIANCE}/retention")
    if allowed is None:
        return
    personal = _personal_layers(data)
    fmt = p.describe_seconds
    for name, (pointer, layer) in p.layers(data).items():
        kept = p.quantity("duration", layer.get("retention"))
        if name in personal and kept is not None and kept > allowed:
            yield Issue(
                f"{pointer}/retention",
                {"layer": name, "kept": fmt(kept), "allowed": fmt(allowed)},
                related=(
                    (f"{COMPLIANCE}/retention", "the compliance retention"),
                    (personal[name], "a personal field it carries"),
                ),
            )


def clear_where_masking_required(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """Layers of a kind listed in `mask_in` carry no personal data in clear."""
    kinds = p.strings(p.get(data, f"{COMPLIANCE}/mask_in"))
    if not kinds:
        return
    personal = _personal_layers(data)
    for name, (pointer, layer) in p.layers(data).items():
        if layer.get("kind") not in kinds or name not in personal:
            continue
        handling = layer.get("personal_data")
        if handling in ("pseudonymised", "masked", "excluded"):
            continue
        if handling is None and not isinstance(layer.get("contract"), str):
            continue  # inherited through reads_from and unstated: too weak to block on
        yield Issue(
            f"{pointer}/personal_data" if handling is not None else f"{pointer}/kind",
            {"layer": name, "kind": str(layer.get("kind"))},
            related=(
                (f"{COMPLIANCE}/mask_in", "where masking is required"),
                (personal[name], "a personal field it carries"),
            ),
        )


def handling_vs_contract(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
    """A layer that says it excludes personal data is not built to a contract whose
    fields are personal (a masked column may stay listed, classified as received)."""
    contracts = p.contracts(data)
    for name, (pointer, layer) in p.layers(data).items():
        handling = layer.get("personal_data")
        own = layer.get("contract")
        if handling != "excluded" or not isinstance(own, str):
            continue
        if own not in contracts:
            continue
        found = personal_fields(*contracts[own])
        if found:
            yield Issue(
                f"{pointer}/personal_data",
                {
                    "layer": name,
                    "handling": handling,
                    "contract": own,
                    "field": str(p.get(data, f"{found[0]}/name")),
                },
                related=((found[0], "a personal field of the contract"),),
            )
