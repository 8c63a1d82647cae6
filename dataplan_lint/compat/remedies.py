"""What to do about a change that breaks a contract: the fix clause of DP730/DP731/DP738.

Every breaking change has two ways out: undo it in a way the format allows (restore the
field, keep the type, give the new field a default, ...), or accept it on purpose - a
waiver naming the change plus a new major version (DP734 asks for that version and DP735
for the migration plan). The waiver text we suggest is one `waivers.Waiver.covers` accepts
for that change, so copying it into the contract silences exactly this finding.
"""

from __future__ import annotations

from collections.abc import Callable

from dataplan_lint.compat import diff as d
from dataplan_lint.compat.diff import Change

# The words a suggested waiver starts with; each is one of the change verbs
# `waivers._KIND_VERBS` accepts for the kind.
_WAIVER_VERB = {
    d.FIELD_ADDED: "add",
    d.FIELD_REMOVED: "remove",
    d.FIELD_RENAMED: "rename",
    d.TYPE_WIDENED: "change the type of",
    d.TYPE_NARROWED: "change the type of",
    d.TYPE_CHANGED: "change the type of",
    d.TYPE_COMPATIBLE: "change the type of",
    d.NULLABLE_ADDED: "make nullable",
    d.NULLABLE_REMOVED: "make non-null",
    d.REQUIRED_ADDED: "make required",
    d.REQUIRED_REMOVED: "make optional",
    d.ENUM_SYMBOL_ADDED: "add a symbol to",
    d.ENUM_SYMBOL_REMOVED: "remove a symbol from",
    d.CONSTRAINT_TIGHTENED: "tighten the constraint of",
    d.CONSTRAINT_LOOSENED: "loosen the constraint of",
    d.CONSTRAINT_CHANGED: "change the constraint of",
    d.NUMBER_CHANGED: "change the type of",
    d.NUMBER_REUSED: "change the type of",
    d.RESERVED_REUSED: "add",
    d.ONEOF_CHANGED: "change the type of",
    d.CONTENT_MODEL_CHANGED: "change the constraint of",
    d.NAME_CHANGED: "rename",
}


def _old_type(change: Change) -> str:
    return change.old_field.type.describe() if change.old_field is not None else "before"


def _old_name(change: Change) -> str:
    return f"`{change.old_field.name}`" if change.old_field is not None else "the old name"


def _keep_type_add_field(change: Change, quoted: str, backward: bool) -> str:
    return f"keep {quoted} as {_old_type(change)} and add a new field instead"


def _keep_constraint(change: Change, quoted: str, backward: bool) -> str:
    return f"keep the earlier constraint of {quoted}"


_Undo = Callable[[Change, str, bool], str]

# kind -> (change, quoted path, breaks the backward direction) -> how to undo it
_UNDO: dict[str, _Undo] = {
    d.FIELD_ADDED: lambda c, q, back: (
        f"give {q} a default" if back else f"remove {q} again, or open the content model"
    ),
    d.FIELD_REMOVED: lambda c, q, back: f"restore {q}",
    d.FIELD_RENAMED: lambda c, q, back: f"keep the name {_old_name(c)} (or list it in `aliases`)",
    d.TYPE_WIDENED: _keep_type_add_field,
    d.TYPE_NARROWED: _keep_type_add_field,
    d.TYPE_CHANGED: _keep_type_add_field,
    d.TYPE_COMPATIBLE: lambda c, q, back: f"keep {q} as {_old_type(c)}",
    d.NULLABLE_ADDED: lambda c, q, back: f"keep {q} non-null",
    d.NULLABLE_REMOVED: lambda c, q, back: f"keep {q} nullable",
    d.REQUIRED_ADDED: lambda c, q, back: f"keep {q} optional (or give it a default)",
    d.REQUIRED_REMOVED: lambda c, q, back: f"keep {q} required",
    d.DEFAULT_CHANGED: lambda c, q, back: f"restore the default of {q}",
    d.ENUM_SYMBOL_ADDED: lambda c, q, back: f"give {q} an enum default old readers fall back to",
    d.ENUM_SYMBOL_REMOVED: lambda c, q, back: f"restore the symbol (or give {q} an enum default)",
    d.ENUM_DEFAULT_CHANGED: lambda c, q, back: f"restore the enum default of {q}",
    d.CONSTRAINT_TIGHTENED: _keep_constraint,
    d.CONSTRAINT_LOOSENED: _keep_constraint,
    d.CONSTRAINT_CHANGED: _keep_constraint,
    d.NAME_CHANGED: lambda c, q, back: "keep the earlier name (Avro: list it in `aliases`)",
    d.NAMESPACE_CHANGED: lambda c, q, back: "keep the earlier namespace",
    d.PACKAGE_CHANGED: lambda c, q, back: "keep the earlier package",
    d.CONTENT_MODEL_CHANGED: lambda c, q, back: f"keep the earlier content model of {q}",
    d.NUMBER_CHANGED: lambda c, q, back: f"keep the field number of {q}",
    d.NUMBER_REUSED: lambda c, q, back: f"give {q} a field number never used before",
    d.RESERVED_REUSED: lambda c, q, back: f"give {q} a number and name that are not reserved",
    d.ONEOF_CHANGED: lambda c, q, back: f"keep {q} in its earlier oneof",
    d.MESSAGE_REMOVED: lambda c, q, back: "restore the message",
}


def waiver_text(change: Change) -> str | None:
    """A waiver `change` text that covers `change`, or None when no waiver can (a change
    at the schema's root has no path to name)."""
    verb = _WAIVER_VERB.get(change.kind)
    if verb is None or not change.path:
        return None
    return f"{verb} {change.path}"


def remedy(change: Change, reason: str | None) -> str:
    """The fix clause for a breaking `change` (`reason`: why it breaks the mode)."""
    quoted = f"`{change.path}`" if change.path else "the schema's root"
    undo = _UNDO.get(change.kind)
    backward = reason is not None and reason == change.backward
    first = undo(change, quoted, backward) if undo else "undo the change"
    waiver = waiver_text(change)
    if waiver is None:
        return f"{first}, or publish the change as a new contract"
    return f"{first}, or add a waiver for `{waiver}` and a new major version"
