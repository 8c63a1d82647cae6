"""A contract's fields, inline or from its schema file, in the compatibility field model.

Rules that look fields up in a contract (the key fields of DP314/DP315) read them here,
so a contract whose fields live in an Avro, Protobuf, JSON Schema or ODCS file is checked
like one that lists them inline. The schema file is read by the loader the compatibility
analysis uses (`compat.schema_files.read_schema`: confined to the repository, size-bounded,
recorded for the result cache). A file that cannot be read gives None, and the rules stay
quiet: DP740/DP741 report the file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dataplan_lint.compat.model import Field, Origin
from dataplan_lint.core.findings import Related
from dataplan_lint.files.loader import LoadedPlan


@dataclass(frozen=True, slots=True)
class ContractFields:
    """The fields of one contract and, when they come from a file, where it is."""

    fields: tuple[Field, ...]
    schema_file: str | None = None  # the file as findings show it (None: inline fields)
    origin: Origin | None = None  # where the record (object, message) is declared

    def field(self, dotted: str) -> Field | None:
        """The field at a dotted path (`context.locale`): nested record fields by name."""
        found: Field | None = None
        current = self.fields
        for part in dotted.split("."):
            found = next((f for f in current if f.name == part), None)
            if found is None:
                return None
            current = found.type.fields
        return found

    def place(self, field: Field | None, message: str) -> tuple[Related, ...]:
        """The field's line in the schema file (None: the record's), as a related location;
        none for inline fields or a reader without positions."""
        origin = self.origin if field is None else field.origin
        if self.schema_file is None or origin is None or origin.span is None:
            return ()
        return (Related(self.schema_file, origin.span, message),)


def contract_fields(
    plan: LoadedPlan, pointer: str, contract: Mapping[str, Any]
) -> ContractFields | None:
    """The fields of the contract at `pointer`; None when it has none the check can read.

    Kept in the plan's memo (engine/memo.py), so the rules reading one contract share one
    read of its schema file.
    """
    from dataplan_lint.engine.memo import current

    key = ("contract-fields", id(plan), pointer)
    held = current().get(key, lambda: (plan, _resolve(plan, pointer, contract)))
    return held[1] if held[0] is plan else _resolve(plan, pointer, contract)


def _resolve(plan: LoadedPlan, pointer: str, contract: Mapping[str, Any]) -> ContractFields | None:
    schema_file = contract.get("schema_file")
    if isinstance(schema_file, str):
        from dataplan_lint.compat.schema_files import Refused, locate, read_schema, shown_path
        from dataplan_lint.compat.sources import SchemaFileError

        try:
            located = locate(Path(plan.path), schema_file)
            schema = read_schema(located, contract, Path(plan.path))
        except (Refused, SchemaFileError):
            return None
        return ContractFields(schema.fields, shown_path(located, plan.path), schema.origin)
    if isinstance(contract.get("fields"), list):
        from dataplan_lint.compat.inline import read_inline

        return ContractFields(read_inline(contract, contract, plan, plan.path, pointer).fields)
    return None
