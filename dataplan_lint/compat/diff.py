"""Turn two versions of a contract into typed differences.

Each `Change` names what changed (`kind`), where (`path`, dotted for nested records,
`[]` for array elements and `{}` for map values), says it in words (`summary`), keeps
both sides' positions, and carries the reason it breaks each reader/writer direction
(None when it does not). The mode verdict is `classify.breaks(mode, ...)`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Protocol

from dataplan_lint.compat.classify import (
    Context,
    proto_wire_note,
    readable,
    tolerates_absence,
    type_change_label,
)
from dataplan_lint.compat.model import Constraints, Field, FieldType, Origin, Schema, short_name

# Change kinds, grouped as the changelog shows them.
FIELD_ADDED = "field-added"
FIELD_REMOVED = "field-removed"
FIELD_RENAMED = "field-renamed"
TYPE_WIDENED = "type-widened"
TYPE_NARROWED = "type-narrowed"
TYPE_CHANGED = "type-changed"
TYPE_COMPATIBLE = "type-compatible"
NULLABLE_ADDED = "nullable-added"
NULLABLE_REMOVED = "nullable-removed"
REQUIRED_ADDED = "required-added"
REQUIRED_REMOVED = "required-removed"
DEFAULT_CHANGED = "default-changed"
ENUM_SYMBOL_ADDED = "enum-symbol-added"
ENUM_SYMBOL_REMOVED = "enum-symbol-removed"
ENUM_DEFAULT_CHANGED = "enum-default-changed"
CONSTRAINT_TIGHTENED = "constraint-tightened"
CONSTRAINT_LOOSENED = "constraint-loosened"
CONSTRAINT_CHANGED = "constraint-changed"
NAME_CHANGED = "name-changed"
NAMESPACE_CHANGED = "namespace-changed"
PACKAGE_CHANGED = "package-changed"
CONTENT_MODEL_CHANGED = "content-model-changed"
NUMBER_CHANGED = "number-changed"
NUMBER_REUSED = "number-reused"
RESERVED_REUSED = "reserved-reused"
NOT_RESERVED = "number-not-reserved"
ONEOF_CHANGED = "oneof-changed"
MESSAGE_ADDED = "message-added"
MESSAGE_REMOVED = "message-removed"


@dataclass(frozen=True, slots=True)
class Change:
    kind: str
    path: str
    summary: str
    old: Origin | None = None
    new: Origin | None = None
    backward: str | None = None  # why new readers cannot read old data, if they cannot
    forward: str | None = None  # why old readers cannot read new data, if they cannot
    note: str = ""
    old_field: Field | None = None
    new_field: Field | None = None

    @property
    def compatible_both_ways(self) -> bool:
        return self.backward is None and self.forward is None

    def key(self) -> tuple[str, str, str]:
        return (self.kind, self.path, self.summary)


def diff_schemas(old: Schema, new: Schema, json_policy: str = "strict") -> list[Change]:
    """Every difference between two versions of one record, in a stable order."""
    ctx = Context(new.format, json_policy)
    differ = _Differ(ctx, old, new)
    old_root, new_root = old.root_type(), new.root_type()
    if ctx.format == "json-schema":
        old_root, new_root = _json_root(old_root), _json_root(new_root)
    root = root_path(new)
    if old_root.kind != "record" or new_root.kind != "record" or ctx.format == "json-schema":
        differ.types(old_root, new_root, root, None, None)
        return differ.changes
    if ctx.format == "protobuf":
        differ.package(old, new)
    old_messages, new_messages = old.extra.get("messages"), new.extra.get("messages")
    if isinstance(old_messages, dict) and isinstance(new_messages, dict):
        differ.messages(old_messages, new_messages)
        differ.protobuf_reservations(old, new)
        return differ.changes
    differ.record_names("", old.name, new.name, old.aliases, new.aliases)
    old_model = _content_model(old.format, old.content_model)
    new_model = _content_model(new.format, new.content_model)
    differ.content_model(root, old_model, new_model, old.origin, new.origin)
    differ.fields(
        old.fields, new.fields, root, old_model, new_model, old.additional, new.additional
    )
    if ctx.format == "protobuf":
        differ.protobuf_reservations(old, new)
    return differ.changes


def root_path(schema: Schema) -> str:
    """What paths start with: `$` in a JSON Schema (`$.payload.items[].price`), the record
    or message name in Avro and protobuf (`Order.lines[].qty`), nothing for tables."""
    if schema.format == "json-schema":
        return "$"
    if schema.format in ("avro", "protobuf") and schema.name:
        return short_name(schema.name)
    return ""


def _json_root(root: FieldType) -> FieldType:
    """Inline JSON Schema contracts leave the content model unsaid: open, as JSON Schema."""
    if root.kind == "record" and root.content_model is None:
        return replace(root, content_model="open")
    return root


def _covering(name: str, patterns: tuple[tuple[str, FieldType], ...]) -> FieldType | None:
    """The patternProperties type a property name falls under. Patterns come from the
    schema file (untrusted), so none is run as a regular expression: a literal, optionally
    anchored (`^S_`, `^id$`, `_at$`) is matched as text; any other pattern covers no name."""
    for pattern, ftype in patterns:
        body = pattern.removeprefix("^")
        anchored_end = body.endswith("$") and not body.endswith("\\$")
        body = body.removesuffix("$") if anchored_end else body
        if any(char in body for char in _REGEX_SPECIALS):
            continue
        start, end = pattern.startswith("^"), anchored_end
        if (
            (start and end and name == body)
            or (start and not end and name.startswith(body))
            or (end and not start and name.endswith(body))
            or (not start and not end and body in name)
        ):
            return ftype
    return None


_REGEX_SPECIALS = frozenset("\\.^$*+?()[]{}|")


def _content_model(fmt: str, declared: str | None) -> str | None:
    if fmt != "json-schema":
        return None
    return declared or "open"


def _q(path: str) -> str:
    return f"`{path}`" if path else "the schema's root"


def _join(prefix: str, name: str) -> str:
    if name.startswith("["):  # a tuple position
        return prefix + name
    return f"{prefix}.{name}" if prefix else name


def _as_tuple(array: FieldType) -> FieldType:
    """An array read as a tuple of no positions whose every member has the item type."""
    if array.content_model is not None:
        return array
    if array.items is None or array.items.kind == "json":
        return replace(array, content_model="open")
    return replace(array, content_model="partial", additional=array.items)


def _fmt_value(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, str) else str(value)


class _Differ:
    def __init__(self, ctx: Context, old: Schema, new: Schema) -> None:
        self.ctx = ctx
        self.old_schema = old
        self.new_schema = new
        self.changes: list[Change] = []
        # Pairs of record types already compared, by identity: readers hand out one object
        # per named type (Avro name, protobuf message, JSON Schema `$ref` target), so a type
        # reused at many paths is compared once - at the first path that reaches it - and a
        # recursive type's placeholder has no fields to descend into.
        self.compared: set[tuple[int, int]] = set()

    def add(self, change: Change) -> None:
        self.changes.append(change)

    # -- records -------------------------------------------------------------------------

    def _package_moved(self) -> bool:
        old, new = self.old_schema.extra.get("package"), self.new_schema.extra.get("package")
        return old is not None and new is not None and old != new

    def package(self, old: Schema, new: Schema) -> None:
        """Protobuf: renaming the package renames every message in it. Not on the binary
        wire, but type URLs (Any), JSON names and the generated code readers compile
        against all carry it, and Confluent rejects it (PACKAGE_CHANGED)."""
        if not self._package_moved():
            return
        before, after = old.extra["package"] or "(none)", new.extra["package"] or "(none)"
        reason = (
            f"readers resolve the messages as package `{before}` "
            "(Confluent PACKAGE_CHANGED: a package rename is incompatible)"
        )
        self.add(
            Change(
                PACKAGE_CHANGED,
                "",
                f"moving the file from package `{before}` to `{after}`",
                old.origin,
                new.origin,
                backward=reason,
                forward=reason,
            )
        )

    def record_names(
        self,
        path: str,
        old: str | None,
        new: str | None,
        old_aliases: Iterable[str],
        new_aliases: Iterable[str],
        old_origin: Origin | None = None,
        new_origin: Origin | None = None,
        kind: str = "record",
    ) -> None:
        if not old or not new or old == new or self.ctx.format not in ("avro", "protobuf"):
            return
        where = f" of {_q(path)}" if path else ""
        if short_name(old) == short_name(new):
            if self.ctx.format == "protobuf" and self._package_moved():
                return  # the package change is reported once, for the whole file
            self.add(
                Change(
                    NAMESPACE_CHANGED,
                    path,
                    f"moving the {kind}{where} from namespace "
                    f"`{old.rpartition('.')[0]}` to `{new.rpartition('.')[0]}`",
                    old_origin,
                    new_origin,
                    note="Avro matches records by unqualified name",
                )
            )
            return
        if self.ctx.format == "protobuf":
            # Not on the binary wire, but Schema Registry rejects it: the type name is part
            # of the JSON encoding, of Any and of the generated code readers compile against.
            reason = f"readers expect message `{short_name(old)}`, not `{short_name(new)}`"
            self.add(
                Change(
                    NAME_CHANGED,
                    path,
                    f"renaming message{where} `{old}` to `{new}`",
                    old_origin,
                    new_origin,
                    backward=reason,
                    forward=reason,
                )
            )
            return
        new_alias = old in new_aliases or short_name(old) in new_aliases
        old_alias = new in old_aliases or short_name(new) in old_aliases
        self.add(
            Change(
                NAME_CHANGED,
                path,
                f"renaming {kind}{where} `{old}` to `{new}`",
                old_origin,
                new_origin,
                backward=None
                if new_alias
                else f"new readers do not match `{short_name(old)}` (add it to the aliases)",
                forward=None if old_alias else f"old readers do not match `{short_name(new)}`",
            )
        )

    def content_model(
        self,
        path: str,
        old: str | None,
        new: str | None,
        old_origin: Origin | None,
        new_origin: Origin | None,
    ) -> None:
        if old is None or new is None or old == new:
            return
        where = f" of {_q(path)}" if path else ""
        backward = forward = None
        if _openness(new) < _openness(old):
            backward = "new readers reject extra properties that old data may hold"
        else:
            forward = "old readers reject extra properties that new data may hold"
        self.add(
            Change(
                CONTENT_MODEL_CHANGED,
                path,
                f"changing the content model{where} from {old} to {new}",
                old_origin,
                new_origin,
                backward=backward,
                forward=forward,
            )
        )

    def fields(
        self,
        old_fields: tuple[Field, ...],
        new_fields: tuple[Field, ...],
        prefix: str,
        old_model: str | None,
        new_model: str | None,
        old_additional: FieldType | None,
        new_additional: FieldType | None,
        parent: Origin | None = None,
        old_patterns: tuple[tuple[str, FieldType], ...] = (),
        new_patterns: tuple[tuple[str, FieldType], ...] = (),
    ) -> None:
        """Diff two field lists; `parent` is where the enclosing record sits in the new
        version (removed nested fields point there)."""
        pairs, removed, added = self.match(old_fields, new_fields)
        if self.ctx.format == "protobuf":
            self.renumbered(removed, added, prefix)
            verdicts = _oneof_verdicts(old_fields, new_fields)
        for old, new in pairs:
            if self.ctx.format == "protobuf" and old.oneof != new.oneof:
                self.oneof_changed(old, new, _join(prefix, new.name), verdicts)
            self.field_pair(old, new, prefix)
        for old in removed:
            cover = _covering(old.name, new_patterns) or new_additional
            self.removed(
                old, prefix, new_model, cover, parent, _oneof_kept(old, old_fields, new_fields)
            )
        for new in added:
            self.added(new, prefix, old_model, _covering(new.name, old_patterns) or old_additional)

    def match(
        self, old_fields: tuple[Field, ...], new_fields: tuple[Field, ...]
    ) -> tuple[list[tuple[Field, Field]], list[Field], list[Field]]:
        """Pair fields across versions: by number for protobuf, else by name, then renames."""
        pairs: list[tuple[Field, Field]] = []
        old_left = list(old_fields)
        new_left = list(new_fields)
        if self.ctx.format == "protobuf":
            by_number = {f.number: f for f in old_left if f.number is not None}
            for new in list(new_left):
                old = by_number.get(new.number) if new.number is not None else None
                if old is not None and old in old_left:
                    pairs.append((old, new))
                    old_left.remove(old)
                    new_left.remove(new)
            # Fields without a number (inline contracts that leave them out) pair by name.
            for new in [f for f in new_left if f.number is None]:
                old = next((f for f in old_left if f.name == new.name and f.number is None), None)
                if old is not None:
                    pairs.append((old, new))
                    old_left.remove(old)
                    new_left.remove(new)
            return pairs, old_left, new_left
        old_by_name = {f.name: f for f in old_left}
        for new in list(new_left):
            old = old_by_name.get(new.name)
            if old is not None and old in old_left:
                pairs.append((old, new))
                old_left.remove(old)
                new_left.remove(new)
        for new in list(new_left):
            for old in list(old_left):
                if (
                    new.renamed_from == old.name
                    or old.name in new.aliases
                    or new.name in old.aliases
                ):
                    pairs.append((old, new))
                    old_left.remove(old)
                    new_left.remove(new)
                    break
        return pairs, old_left, new_left

    def renumbered(self, removed: list[Field], added: list[Field], prefix: str) -> None:
        """Protobuf: the same name under another number is a new field on the wire."""
        for old in list(removed):
            new = next((f for f in added if f.name == old.name), None)
            if new is None:
                continue
            removed.remove(old)
            added.remove(new)
            path = _join(prefix, new.name)
            self.add(
                Change(
                    NUMBER_CHANGED,
                    path,
                    f"moving {_q(path)} from field number {old.number} to {new.number}",
                    old.origin,
                    new.origin,
                    backward=_RENUMBERED,
                    forward=_RENUMBERED,
                    note=(
                        f"on the wire this removes field {old.number} and adds field "
                        f"{new.number}: values written under one are not read under the other"
                    ),
                    old_field=old,
                    new_field=new,
                )
            )

    # -- presence --------------------------------------------------------------------------

    def added(
        self, new: Field, prefix: str, old_model: str | None, old_additional: FieldType | None
    ) -> None:
        path = _join(prefix, new.name)
        fmt = self.ctx.format
        optional = tolerates_absence(new, fmt)
        if optional:
            summary = f"adding optional field {_q(path)}"
        elif fmt == "avro":
            summary = f"adding field {_q(path)} without a default"
        else:
            summary = f"adding required field {_q(path)} without a default"
        backward = None
        if not optional:
            backward = (
                "new readers find no value for it in old data and it has no default"
                if fmt == "avro"
                else "new readers find no value for it in old data"
            )
        forward = None
        if new.type.kind == "never":
            pass  # `false`: the property can never be present, no reader meets it
        elif old_model == "closed":
            forward = "old readers reject the unknown property (closed content model)"
        elif old_model == "partial" and old_additional is None:
            forward = "old readers reject the unknown property (no pattern admits the name)"
        elif old_model == "partial" and old_additional is not None:
            if not self._covers(new.type, old_additional, path):
                forward = (
                    f"old readers check extra properties as {old_additional.describe()} "
                    "(partially-open content model)"
                )
            if backward is None and not readable(old_additional, new.type, self.ctx):
                backward = (
                    f"old data may hold it as {old_additional.describe()} "
                    "(partially-open content model)"
                )
        elif (
            old_model == "open"
            and self.ctx.json_policy == "strict"
            and backward is None
            and new.type.kind != "json"
        ):
            backward = "old data may already hold any value under that name (open content model)"
        note = ""
        if fmt == "json-schema" and _required_only(new):
            # Confluent's diff judges `required` per declared property: a name it adds
            # without a property is not a change it rejects (cjs-054), so neither do we.
            backward = None
            note = (
                "`required` names it without declaring the property (Confluent compares "
                "`required` per declared property)"
            )
        if fmt == "protobuf" and new.required:
            # Schema Registry rejects a new proto2 `required` field both ways: old writers
            # never set it, and old readers of new data are unaffected only by luck.
            forward = forward or "a proto2 required field cannot be added or removed"
        if fmt == "protobuf" and new.number is not None:
            self.reserved_check(new, path)
        self.add(
            Change(
                FIELD_ADDED,
                path,
                summary,
                None,
                new.origin,
                backward,
                forward,
                new_field=new,
                note=note,
            )
        )

    def removed(
        self,
        old: Field,
        prefix: str,
        new_model: str | None,
        new_additional: FieldType | None,
        parent: Origin | None = None,
        oneof_kept: bool = False,
    ) -> None:
        path = _join(prefix, old.name)
        fmt = self.ctx.format
        optional = tolerates_absence(old, fmt)
        summary = f"removing {'optional' if optional else 'required'} field {_q(path)}"
        forward = None if optional else "old readers still need it"
        backward = None
        if fmt == "protobuf" and old.required:
            backward = "a proto2 required field cannot be added or removed"
        if fmt == "protobuf" and oneof_kept:
            # A reader whose oneof lost a member cannot tell which member old data set;
            # deleting a oneof with every member is a plain removal.
            backward = (
                f"old data may have set it as the member of oneof `{old.oneof}` "
                "(Confluent ONEOF_FIELD_REMOVED)"
            )
        if old.type.kind == "never":
            pass  # `false`: the property never appeared, nothing to reject
        elif new_model == "closed" or (new_model == "partial" and new_additional is None):
            backward = "new readers reject the property in old data (closed content model)"
        elif new_model == "partial" and new_additional is not None:
            if not self._covers(old.type, new_additional, path):
                backward = (
                    f"new readers check extra properties as {new_additional.describe()}, "
                    "which does not admit every value old data holds under that name "
                    "(Confluent PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL)"
                )
        elif (
            new_model == "open"
            and self.ctx.json_policy == "strict"
            and forward is None
            and old.type.kind != "json"
        ):
            forward = "new data may hold any value under that name (open content model)"
        note = ""
        if fmt == "protobuf" and old.number is not None:
            note = f"field number {old.number}"
        self.add(
            Change(
                FIELD_REMOVED,
                path,
                summary,
                old.origin,
                parent,
                backward,
                forward,
                note,
                old_field=old,
            )
        )

    def reserved_check(self, new: Field, path: str) -> None:
        old = self.old_schema
        number = new.number
        reason = None
        if number is not None and old.number_reserved(number):
            reason = f"field number {number} is reserved"
        elif new.name in old.reserved_names:
            reason = f"the name `{new.name}` is reserved"
        if reason:
            self.add(
                Change(
                    RESERVED_REUSED,
                    path,
                    f"reusing a reserved field for {_q(path)} ({reason})",
                    None,
                    new.origin,
                    backward="old data may carry a retired field under that number",
                    forward="old readers may still treat the number as the retired field",
                    new_field=new,
                )
            )

    # -- matched fields --------------------------------------------------------------------

    def field_pair(self, old: Field, new: Field, prefix: str) -> None:
        fmt = self.ctx.format
        path = _join(prefix, new.name)
        reused = fmt == "protobuf" and old.name != new.name and not self._type_ok_both(old, new)
        if old.name != new.name and not reused:
            self.renamed(old, new, prefix)
        if reused:
            self.add(
                Change(
                    NUMBER_REUSED,
                    path,
                    f"reusing field number {new.number} (was `{old.name}` {old.type.describe()},"
                    f" now `{new.name}` {new.type.describe()})",
                    old.origin,
                    new.origin,
                    backward="old data under that number has another meaning and type",
                    forward="old readers read the number as the retired field",
                    old_field=old,
                    new_field=new,
                )
            )
            return
        self.presence(old, new, path)
        self.types(old.type, new.type, path, old, new)

    def _type_ok_both(self, old: Field, new: Field) -> bool:
        return readable(old.type, new.type, self.ctx) and readable(new.type, old.type, self.ctx)

    def renamed(self, old: Field, new: Field, prefix: str) -> None:
        old_path, new_path = _join(prefix, old.name), _join(prefix, new.name)
        fmt = self.ctx.format
        summary = f"renaming field {_q(old_path)} to {_q(new_path)}"
        if fmt == "protobuf":
            self.add(
                Change(
                    FIELD_RENAMED,
                    new_path,
                    summary,
                    old.origin,
                    new.origin,
                    note="field names are not on the wire (JSON and text encodings change)",
                    old_field=old,
                    new_field=new,
                )
            )
            return
        reader_alias = old.name in new.aliases
        writer_alias = new.name in old.aliases
        backward = forward = None
        if not reader_alias:
            summary += " without an alias"
            if not tolerates_absence(new, fmt):
                backward = f"new readers find no {_q(new.name)} in old data"
        else:
            summary += " (alias kept)"
        if not writer_alias and not tolerates_absence(old, fmt):
            forward = f"old readers still need {_q(old.name)}"
        self.add(
            Change(
                FIELD_RENAMED,
                new_path,
                summary,
                old.origin,
                new.origin,
                backward,
                forward,
                old_field=old,
                new_field=new,
            )
        )

    def _covers(self, old: FieldType, cover: FieldType, path: str) -> bool:
        """Whether a reader checking extra properties as `cover` accepts every value old
        data holds as `old`: the two types compared as a field pair would be, constraints
        and nested properties included, with nothing that breaks a new reader."""
        if not readable(old, cover, self.ctx):
            return False
        probe = _Differ(self.ctx, self.old_schema, self.new_schema)
        probe.types(old, cover, path, None, None)
        return all(change.backward is None for change in probe.changes)

    def oneof_changed(
        self, old: Field, new: Field, path: str, verdicts: dict[str, str | None]
    ) -> None:
        """Confluent's oneof rules (its MessageSchemaDiff): leaving a oneof for the top
        level only lifts the one-of restriction (ONEOF_FIELD_MOVED_TO_TOP_LEVEL); a oneof
        whose existing members all come from one earlier oneof, or one top-level field,
        is the same choice under another name; members gathered from several earlier
        places can lose all but one of the values old data set together."""
        reason = None if new.oneof is None else verdicts.get(new.oneof)
        note = "Confluent ONEOF_FIELD_MOVED_TO_TOP_LEVEL: allowed" if new.oneof is None else ""
        self.add(
            Change(
                ONEOF_CHANGED,
                path,
                f"moving {_q(path)} from {_oneof(old.oneof)} to {_oneof(new.oneof)}",
                old.origin,
                new.origin,
                backward=reason,
                forward=reason,
                note=note,
                old_field=old,
                new_field=new,
            )
        )

    def presence(self, old: Field, new: Field, path: str) -> None:
        fmt = self.ctx.format
        if old.required != new.required and fmt != "avro":
            if new.required:
                self.add(
                    Change(
                        REQUIRED_ADDED,
                        path,
                        f"making {_q(path)} required",
                        old.origin,
                        new.origin,
                        backward=None
                        if new.has_default
                        else "old data may lack it and new readers need it",
                        old_field=old,
                        new_field=new,
                    )
                )
            else:
                self.add(
                    Change(
                        REQUIRED_REMOVED,
                        path,
                        f"making {_q(path)} optional",
                        old.origin,
                        new.origin,
                        forward=None
                        if old.has_default
                        else "new data may lack it and old readers need it",
                        old_field=old,
                        new_field=new,
                    )
                )
        if old.has_default != new.has_default or (
            old.has_default and new.has_default and old.default != new.default
        ):
            if not old.has_default:
                summary = f"adding a default to {_q(path)}"
            elif not new.has_default:
                summary = f"removing the default of {_q(path)}"
            else:
                summary = (
                    f"changing the default of {_q(path)} from {_fmt_value(old.default)} "
                    f"to {_fmt_value(new.default)}"
                )
            self.add(
                Change(
                    DEFAULT_CHANGED,
                    path,
                    summary,
                    old.origin,
                    new.origin,
                    note="defaults only apply to data that lacks the field",
                    old_field=old,
                    new_field=new,
                )
            )

    # -- types -----------------------------------------------------------------------------

    def types(
        self,
        old: FieldType,
        new: FieldType,
        path: str,
        old_field: Field | None,
        new_field: Field | None,
    ) -> None:
        o_origin = old_field.origin if old_field else None
        n_origin = new_field.origin if new_field else None

        def change(
            kind: str,
            summary: str,
            backward: str | None = None,
            forward: str | None = None,
            note: str = "",
        ) -> None:
            self.add(
                Change(
                    kind,
                    path,
                    summary,
                    o_origin,
                    n_origin,
                    backward,
                    forward,
                    note,
                    old_field,
                    new_field,
                )
            )

        if old.nullable != new.nullable:
            if new.nullable:
                change(
                    NULLABLE_ADDED,
                    f"making {_q(path)} nullable",
                    forward="old readers cannot read nulls",
                )
            else:
                change(
                    NULLABLE_REMOVED,
                    f"making {_q(path)} non-null",
                    backward="new readers reject nulls in old data",
                )
        same_shape = old.kind == new.kind and old.kind != "union"
        if not same_shape or not self._same_scalar(old, new):
            backward_ok = readable(old, new, self.ctx)
            forward_ok = readable(new, old, self.ctx)
            label = type_change_label(backward_ok, forward_ok)
            was, now = old.describe().rstrip("?"), new.describe().rstrip("?")
            if was == now and backward_ok and forward_ok:
                pass
            else:
                kind = {
                    "widened": TYPE_WIDENED,
                    "narrowed": TYPE_NARROWED,
                    "compatible": TYPE_COMPATIBLE,
                    "changed": TYPE_CHANGED,
                }[label]
                verb = {
                    "widened": "widening",
                    "narrowed": "narrowing",
                    "compatible": "changing",
                    "changed": "changing",
                }[label]
                note = ""
                if label == "compatible" and self.ctx.format == "protobuf":
                    note = proto_wire_note(old, new)
                elif label == "compatible" and self.ctx.format == "avro":
                    note = "Avro promotes between the two"
                change(
                    kind,
                    f"{verb} the type of {_q(path)} from {was} to {now}",
                    backward=None
                    if backward_ok
                    else f"new readers of {now} cannot read {was} values in old data",
                    forward=None
                    if forward_ok
                    else f"old readers of {was} cannot read {now} values",
                    note=note,
                )
            if not same_shape:
                if old.kind == "union" or new.kind == "union":
                    self.union_members(old, new, path, old_field, new_field)
                return
        if old.kind == "record":
            pair = (id(old), id(new))
            if pair in self.compared:
                return
            self.compared.add(pair)
            self.record_names(
                path, old.name, new.name, old.aliases, new.aliases, o_origin, n_origin
            )
            self.members(old, new, path, old_field, new_field)
        elif old.kind == "array" and (old.content_model or new.content_model):
            # JSON Schema tuples: positions compare like properties, and positions past the
            # tuple follow `items`/`additionalItems` as properties follow
            # additionalProperties.
            self.members(_as_tuple(old), _as_tuple(new), path, old_field, new_field)
        elif old.kind == "array" and old.items is not None and new.items is not None:
            self.types(old.items, new.items, path + "[]", old_field, new_field)
        elif old.kind == "map" and old.values is not None and new.values is not None:
            self.types(old.values, new.values, path + "{}", old_field, new_field)
        elif old.kind in ("enum", "fixed") and self.ctx.format == "avro":
            self.record_names(
                path, old.name, new.name, old.aliases, new.aliases, o_origin, n_origin, old.kind
            )
        if old.kind == "enum" or old.symbols or new.symbols:
            self.enum(old, new, path, change)
        self.constraints(old.constraints, new.constraints, path, change, old, new)
        self.negations(old, new, path, old_field, new_field, change)

    def union_members(
        self,
        old: FieldType,
        new: FieldType,
        path: str,
        old_field: Field | None,
        new_field: Field | None,
    ) -> None:
        """Branches of a union that stay (same kind and name) are compared inside too:
        a record branch whose fields change is a change of the union."""
        new_members = new.members if new.kind == "union" else (new,)
        old_members = old.members if old.kind == "union" else (old,)

        def same(left: FieldType, right: FieldType) -> bool:
            return left.kind == right.kind and short_name(left.name or "") == short_name(
                right.name or ""
            )

        for member in old_members:
            if member.kind not in ("record", "array", "map", "enum", "fixed"):
                continue
            twins = [m for m in new_members if same(m, member)]
            # Unnamed branches pair only when each side has one of that kind.
            if len(twins) == 1 and sum(same(m, member) for m in old_members) == 1:
                self.types(member, twins[0], path, old_field, new_field)

    def members(
        self,
        old: FieldType,
        new: FieldType,
        path: str,
        old_field: Field | None,
        new_field: Field | None,
    ) -> None:
        """The members of a record (or tuple): content model, fields, the extra type."""
        o_origin = old_field.origin if old_field else None
        n_origin = new_field.origin if new_field else None
        self.content_model(path, old.content_model, new.content_model, o_origin, n_origin)
        self.fields(
            old.fields,
            new.fields,
            path,
            old.content_model,
            new.content_model,
            old.additional,
            new.additional,
            n_origin,
            old.patterns,
            new.patterns,
        )
        if old.additional is not None and new.additional is not None:
            # Two partially-open models: the type extra members must have is compared too.
            self.types(old.additional, new.additional, path + "{}", old_field, new_field)

    def negations(
        self,
        old: FieldType,
        new: FieldType,
        path: str,
        old_field: Field | None,
        new_field: Field | None,
        change: _ChangeFn,
    ) -> None:
        """JSON Schema `not`: refusing more is tightening, so the comparison runs the other
        way round (new `not` against old `not`)."""
        if old.negated is not None and new.negated is not None:
            self.types(new.negated, old.negated, path + "(not)", new_field, old_field)
        elif new.negated is not None:
            change(
                CONSTRAINT_TIGHTENED,
                f"adding `not` to {_q(path)}",
                backward="old data may hold values the new `not` refuses",
            )
        elif old.negated is not None:
            change(
                CONSTRAINT_LOOSENED,
                f"removing `not` from {_q(path)}",
                forward="new data may hold values old readers refuse",
            )

    def _same_scalar(self, old: FieldType, new: FieldType) -> bool:
        """Same kind and same parameters (so only nested parts may differ)."""
        return (
            old.precision == new.precision
            and old.scale == new.scale
            and (old.unit == new.unit or old.unit is None or new.unit is None)
            and old.size == new.size
        )

    def enum(self, old: FieldType, new: FieldType, path: str, change: _ChangeFn) -> None:
        if self.ctx.format in ("json-schema", "table") and not (old.symbols and new.symbols):
            # A JSON Schema `enum` restricts a type: dropping it loosens, adding it tightens.
            if old.symbols:
                change(
                    CONSTRAINT_LOOSENED,
                    f"removing the `enum` of {_q(path)}",
                    forward="new data may hold values old readers refuse",
                )
            elif new.symbols:
                change(
                    CONSTRAINT_TIGHTENED,
                    f"adding an `enum` to {_q(path)}",
                    backward="old data may hold values outside the new enum",
                )
            return
        old_symbols, new_symbols = set(old.symbols), set(new.symbols)
        proto = self.ctx.format == "protobuf"
        old_default = old.enum_default or (old.symbols[0] if proto and old.symbols else None)
        new_default = new.enum_default or (new.symbols[0] if proto and new.symbols else None)
        for symbol in new.symbols:
            if symbol in old_symbols:
                continue
            forward = None
            note = ""
            if old_default is None:
                forward = f"old readers do not know `{symbol}` and have no enum default"
            else:
                note = f"old readers read it as `{old_default}`"
            change(
                ENUM_SYMBOL_ADDED,
                f"adding enum symbol `{symbol}` to {_q(path)}",
                forward=forward,
                note=note,
            )
        for symbol in old.symbols:
            if symbol in new_symbols:
                continue
            backward = None
            note = ""
            if new_default is None:
                backward = (
                    f"new readers cannot read `{symbol}` in old data and have no enum default"
                )
            else:
                note = f"new readers read it as `{new_default}`"
            change(
                ENUM_SYMBOL_REMOVED,
                f"removing enum symbol `{symbol}` from {_q(path)}",
                backward=backward,
                note=note,
            )
        if (old.enum_default or None) != (new.enum_default or None) and not proto:
            change(
                ENUM_DEFAULT_CHANGED,
                f"changing the enum default of {_q(path)} from "
                f"{old.enum_default or 'none'} to {new.enum_default or 'none'}",
                note="enum defaults only apply to symbols a reader does not know",
            )

    def constraints(
        self,
        old: Constraints,
        new: Constraints,
        path: str,
        change: _ChangeFn,
        old_type: FieldType,
        new_type: FieldType,
    ) -> None:
        if old == new:
            return
        tighten_b = "old data may violate the tighter constraint"
        loosen_f = "new data may break what old readers rely on"

        def tightened(what: str, detail: str) -> None:
            change(
                CONSTRAINT_TIGHTENED, f"tightening {what} of {_q(path)}{detail}", backward=tighten_b
            )

        def loosened(what: str, detail: str) -> None:
            change(CONSTRAINT_LOOSENED, f"loosening {what} of {_q(path)}{detail}", forward=loosen_f)

        if old.pattern != new.pattern:
            if old.pattern is None:
                tightened("`pattern`", f" (now {new.pattern!r})")
            elif new.pattern is None:
                loosened("`pattern`", f" (was {old.pattern!r})")
            else:
                change(
                    CONSTRAINT_CHANGED,
                    f"changing `pattern` of {_q(path)} from {old.pattern!r} to {new.pattern!r}",
                    backward=tighten_b,
                    forward=loosen_f,
                )
        for name, lower in (
            ("min_length", True),
            ("minimum", True),
            ("min_items", True),
            ("min_properties", True),
            ("max_length", False),
            ("maximum", False),
            ("max_items", False),
            ("max_properties", False),
        ):
            before, after = getattr(old, name), getattr(new, name)
            if before == after:
                continue
            detail = f" from {_fmt_value(before) if before is not None else 'none'} to " + (
                _fmt_value(after) if after is not None else "none"
            )
            if before is None:
                tighter = True
            elif after is None:
                tighter = False
            else:
                tighter = after > before if lower else after < before
            (tightened if tighter else loosened)(f"`{name}`", detail)
        self.multiple_of(old.multiple_of, new.multiple_of, path, change)
        self.dependencies(dict(old.dependencies), dict(new.dependencies), path, change)
        nullable_changed = old_type.nullable != new_type.nullable
        for name in ("not_null", "unique"):
            before, after = getattr(old, name), getattr(new, name)
            if before == after or (name == "not_null" and nullable_changed):
                continue
            if after:
                tightened(f"`{name}`", " (added)")
            else:
                loosened(f"`{name}`", " (removed)")

    def multiple_of(
        self, old: float | None, new: float | None, path: str, change: _ChangeFn
    ) -> None:
        if old == new:
            return
        if new is None or (old is not None and _divides(new, old)):
            change(
                CONSTRAINT_LOOSENED,
                f"loosening `multipleOf` of {_q(path)} from {_fmt_value(old)} to "
                f"{_fmt_value(new) if new is not None else 'none'}",
                forward="new data may break what old readers rely on",
            )
            return
        change(
            CONSTRAINT_CHANGED if old is not None else CONSTRAINT_TIGHTENED,
            f"changing `multipleOf` of {_q(path)} from "
            f"{_fmt_value(old) if old is not None else 'none'} to {_fmt_value(new)}",
            backward="old data may not be a multiple of the new value",
            forward=None if old is None or _divides(old, new) else "new data may break old readers",
        )

    def dependencies(
        self, old: dict[str, str], new: dict[str, str], path: str, change: _ChangeFn
    ) -> None:
        where = f" of {_q(path)}" if path else ""
        for name in sorted(old.keys() | new.keys()):
            if old.get(name) == new.get(name):
                continue
            if name not in new:
                change(
                    CONSTRAINT_LOOSENED,
                    f"removing the dependency of `{name}`{where}",
                    forward="new data may lack what old readers require with it",
                )
            elif name not in old:
                change(
                    CONSTRAINT_TIGHTENED,
                    f"adding a dependency of `{name}`{where}",
                    backward="old data may lack what the new dependency requires",
                )
            else:
                change(
                    CONSTRAINT_CHANGED,
                    f"changing the dependency of `{name}`{where}",
                    backward="old data may not meet the new dependency",
                    forward="new data may not meet the old dependency",
                )

    # -- protobuf --------------------------------------------------------------------------

    def messages(self, old: dict[str, FieldType], new: dict[str, FieldType]) -> None:
        """Every message of a file against its namesake; a removed message breaks readers
        that still decode it (Schema Registry: MESSAGE_REMOVED), an added one does not."""
        for name, old_type in old.items():
            new_type = new.get(name)
            if new_type is None:
                self.add(
                    Change(
                        MESSAGE_REMOVED,
                        name,
                        f"removing message `{name}`",
                        backward=f"readers can no longer decode `{name}` in old data",
                    )
                )
                continue
            self.types(old_type, new_type, name, None, None)
        for name in new:
            if name not in old:
                self.add(Change(MESSAGE_ADDED, name, f"adding message `{name}`"))

    def protobuf_reservations(self, old: Schema, new: Schema) -> None:
        """Removed field numbers and names should be reserved so nobody reuses them."""
        new_numbers = {f.number for f in new.fields}
        new_names = {f.name for f in new.fields}
        for field in old.fields:
            if field.number is None or field.number in new_numbers:
                continue
            missing = []
            if not new.number_reserved(field.number):
                missing.append(f"number {field.number}")
            if field.name not in new.reserved_names and field.name not in new_names:
                missing.append(f"name `{field.name}`")
            if missing:
                self.add(
                    Change(
                        NOT_RESERVED,
                        field.name,
                        f"removing field `{field.name}` without reserving its "
                        + " and ".join(missing),
                        field.origin,
                        new.origin,
                        note="a later field could reuse it and misread old data",
                        old_field=field,
                    )
                )


def _divides(divisor: float, value: float) -> bool:
    """True when every multiple of `value` is a multiple of `divisor`."""
    ratio = value / divisor
    return abs(ratio - round(ratio)) < 1e-9


_RENUMBERED = (
    "the field keeps its name under another number, so code and JSON readers that know it "
    "by name read another wire field (Karapace and Apicurio checkNoChangingFieldIDs: a "
    "field's number may not change)"
)


def _required_only(field: Field) -> bool:
    """A JSON Schema field known only from a `required` list (no property declares it)."""
    return field.origin is not None and "/required/" in field.origin.pointer


def _oneof_kept(old: Field, old_fields: tuple[Field, ...], new_fields: tuple[Field, ...]) -> bool:
    """Whether the oneof a removed protobuf field belonged to lives on: by name, or through
    a member that is still in the message (Confluent's "not completely deleted")."""
    if old.oneof is None:
        return False
    if any(f.oneof == old.oneof for f in new_fields):
        return True
    numbers = {f.number for f in new_fields}
    return any(f.oneof == old.oneof and f.number in numbers for f in old_fields)


def _oneof_verdicts(
    old_fields: tuple[Field, ...], new_fields: tuple[Field, ...]
) -> dict[str, str | None]:
    """Each oneof of the new message -> why it breaks readers (None: it does not), by
    where its existing members were before (matched by number)."""
    before = {f.number: f for f in old_fields if f.number is not None}
    groups: dict[str, set[str]] = {}
    top_level: dict[str, int] = {}
    for field in new_fields:
        if field.oneof is None or field.number not in before:
            continue
        earlier = before[field.number]
        origin = f"oneof:{earlier.oneof}" if earlier.oneof else f"field:{earlier.number}"
        groups.setdefault(field.oneof, set()).add(origin)
        if earlier.oneof is None:
            top_level[field.oneof] = top_level.get(field.oneof, 0) + 1
    verdicts: dict[str, str | None] = {}
    for name, origins in groups.items():
        if len(origins) <= 1:
            verdicts[name] = None
        elif top_level.get(name, 0) > 1:
            verdicts[name] = (
                "fields old data may set together now exclude each other: all but one "
                "value is lost (Confluent MULTIPLE_FIELDS_MOVED_TO_ONEOF)"
            )
        else:
            verdicts[name] = (
                "a field joins an existing oneof: old data may set it together with a "
                "member, and all but one value is lost (Confluent FIELD_MOVED_TO_EXISTING_ONEOF)"
            )
    return verdicts


def _oneof(name: str | None) -> str:
    return f"oneof `{name}`" if name else "no oneof"


def _openness(model: str) -> int:
    return {"closed": 0, "partial": 1, "open": 2}.get(model, 2)


class _ChangeFn(Protocol):
    def __call__(
        self,
        kind: str,
        summary: str,
        backward: str | None = None,
        forward: str | None = None,
        note: str = "",
    ) -> None: ...
