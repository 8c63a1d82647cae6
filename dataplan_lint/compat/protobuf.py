"""Read a protobuf `.proto` file (proto2 or proto3) into the field model.

Parsing uses the pure-Python `proto-schema-parser` package (an ANTLR grammar); its
syntax errors are captured with their line and column instead of being printed.

Wire facts the classifier relies on: fields are identified by number, not name; the
varint types int32, uint32, int64, uint64 and bool (and enums) can be swapped, as can
sint32/sint64, fixed32/sfixed32, fixed64/sfixed64 and string/bytes; float and double
cannot. Every non-`required` field has an implicit default, so adding or removing one
never breaks a reader. Enums are read as their first value when a number is unknown.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from dataplan_lint.compat.model import Field, FieldType, Origin, Schema, short_name
from dataplan_lint.compat.sources import SchemaFileError
from dataplan_lint.core import regexes

if TYPE_CHECKING:
    from dataplan_lint.compat.references import Fetch

_SCALARS = {
    "double",
    "float",
    "int32",
    "int64",
    "uint32",
    "uint64",
    "sint32",
    "sint64",
    "fixed32",
    "fixed64",
    "sfixed32",
    "sfixed64",
    "bool",
    "string",
    "bytes",
}
_MAX = 536_870_911  # 2^29 - 1, the largest field number


def _parse(text: str) -> Any:
    from antlr4.error.ErrorListener import ErrorListener
    from proto_schema_parser.parser import Parser

    class Raise(ErrorListener):  # type: ignore[misc]
        def syntaxError(
            self, recognizer: Any, offending: Any, line: int, column: int, msg: str, e: Any
        ) -> None:
            raise SchemaFileError(f"invalid protobuf: {msg}", line, column + 1)

    def quiet(target: Any) -> None:
        target.removeErrorListeners()
        target.addErrorListener(Raise())

    try:
        return Parser(setup_lexer=quiet, setup_parser=quiet).parse(text)
    except SchemaFileError:
        raise
    except Exception as exc:  # the AST builder fails on some malformed input
        raise SchemaFileError(f"invalid protobuf: {exc}") from None


def _prepared(text: str) -> Any:
    from dataplan_lint.compat.protobuf_text import refuse_editions

    refuse_editions(text)
    return _parse(text)


def _package(tree: Any, ast: Any) -> str:
    return next((e.name for e in tree.file_elements if isinstance(e, ast.Package)), "")


def read_proto(
    text: str,
    path: str,
    message: str | None = None,
    fetch: Fetch | None = None,
    roots: tuple[str, ...] = (),
) -> Schema:
    """`fetch` reads imported files (None: imports are not followed, and said so);
    `roots` are the repository folders imports are looked up in first."""
    from proto_schema_parser import ast

    from dataplan_lint.compat.protobuf_text import blank_comments

    text = blank_comments(text)  # also keeps commented-out fields from matching a line
    tree = _prepared(text)
    package = _package(tree, ast)
    index = _Index(ast, package)
    index.collect(tree.file_elements, package, (path, text.splitlines()))
    local = list(index.messages)
    notes: list[str] = []
    _Imports(index, fetch, roots, notes).follow(tree, path)
    if not local:
        raise SchemaFileError("the file defines no message", fix="add the message to the file")
    target = None
    if message:
        target = index.find(message.lstrip("."), package)
        if target is None:
            raise SchemaFileError(
                f"the file defines no message named `{message}`",
                fix="set `message` to a message the file defines",
            )
    else:
        target = local[0]
    unknown: list[str] = []
    reader = _Reader(index, path, text, tree.syntax or "proto2", unknown)
    full, node = target, index.messages[target]
    fields = reader.fields(node, full)
    numbers, names = reader.reserved(node)
    extra: dict[str, Any] = {"syntax": tree.syntax or "proto2", "package": package}
    if not message:
        # Without `message:` the file is the contract, as a registry subject is: every
        # message is compared with its namesake (named relative to the package, so a
        # package rename keeps the pairs).
        prefix = f"{package}." if package else ""
        extra["messages"] = {
            full.removeprefix(prefix): reader.type_of("." + full, package) for full in local
        }
    # A type from an import that was not read is that import's note already.
    extra["not_followed"] = tuple(notes) if notes else tuple(unknown)
    return Schema(
        format="protobuf",
        fields=fields,
        name=full,
        reserved_numbers=numbers,
        reserved_names=names,
        origin=Origin(path, reader.line_span(regexes.PROTO_MESSAGE_LINE.compile(short_name(full)))),
        extra=extra,
    )


class _Index:
    """Every message and enum in the file by full name (package-qualified)."""

    def __init__(self, ast: Any, package: str) -> None:
        self.ast = ast
        self.package = package
        self.messages: dict[str, Any] = {}
        self.enums: dict[str, Any] = {}
        # full name -> (the file as findings show it, its lines): imported messages keep
        # the lines of their own file.
        self.sources: dict[str, tuple[str, list[str]]] = {}

    def collect(self, elements: Iterable[Any], scope: str, source: tuple[str, list[str]]) -> None:
        for element in elements:
            if isinstance(element, self.ast.Message):
                full = f"{scope}.{element.name}" if scope else element.name
                if full not in self.messages:  # the file's own definition wins
                    self.messages[full] = element
                    self.sources[full] = source
                self.collect(element.elements, full, source)
            elif isinstance(element, self.ast.Enum):
                full = f"{scope}.{element.name}" if scope else element.name
                self.enums.setdefault(full, element)

    def find(self, name: str, scope: str) -> str | None:
        """Resolve a type name the way protoc does: innermost scope outwards."""
        if name.startswith("."):
            wanted = name[1:]
            return wanted if wanted in self.messages or wanted in self.enums else None
        parts = scope.split(".") if scope else []
        while True:
            candidate = ".".join([*parts, name]) if parts else name
            if candidate in self.messages or candidate in self.enums:
                return candidate
            if not parts:
                break
            parts.pop()
        for full in (*self.messages, *self.enums):
            if full == name or full.endswith("." + name):
                return full
        return None


class _Imports:
    """Loads the files a .proto imports (and theirs) into the index, bounded by `fetch`;
    well-known types are known without a file."""

    def __init__(
        self, index: _Index, fetch: Fetch | None, roots: tuple[str, ...], notes: list[str]
    ) -> None:
        self.index = index
        self.fetch = fetch
        self.roots = roots
        self.notes = notes

    def follow(self, tree: Any, path: str) -> None:
        from dataplan_lint.compat.protobuf_text import blank_comments

        ast = self.index.ast
        base = path.removeprefix(self.fetch.prefix) if self.fetch is not None else path
        queue = [(base, e.name) for e in tree.file_elements if isinstance(e, ast.Import)]
        seen: set[str] = set()
        while queue:
            importer, name = queue.pop(0)
            if name in seen:
                continue
            seen.add(name)
            found = self.find(importer, name)
            if found is None:
                continue
            rel, shown, raw = found
            try:
                text = blank_comments(raw)
                imported = _prepared(text)
            except SchemaFileError as exc:
                self.notes.append(f"import `{name}` (`{shown}`) cannot be read: {exc.message}")
                continue
            package = _package(imported, ast)
            self.index.collect(imported.file_elements, package, (shown, text.splitlines()))
            queue += [(rel, e.name) for e in imported.file_elements if isinstance(e, ast.Import)]

    def find(self, importer: str, name: str) -> tuple[str, str, str] | None:
        """(repository path, path as shown, text) of an import, or None (noted)."""
        from dataplan_lint.compat.protobuf_wkt import well_known
        from dataplan_lint.compat.references import join

        known = well_known(name)
        if known is not None:
            return name, f"{name} (well-known type)", known
        if self.fetch is None:
            self.notes.append(f"import `{name}` is not followed here")
            return None
        folders = list(self.roots)
        folder = importer.rpartition("/")[0] if "/" in importer else ""
        while True:  # the importer's folder and each one above it, as protoc -I roots
            folders.append(folder)
            if not folder:
                break
            folder = folder.rpartition("/")[0] if "/" in folder else ""
        tried: list[str] = []
        for root in dict.fromkeys(folders):
            rel = join(f"{root}/x" if root else "x", name)
            if rel is None or rel in tried:
                continue
            tried.append(rel)
            try:
                return rel, self.fetch.prefix + rel, self.fetch.text(rel)
            except SchemaFileError as exc:
                if "does not exist" not in exc.message:
                    self.notes.append(f"import `{name}` (`{rel}`) cannot be read: {exc.message}")
                    return None
        if not tried:
            self.notes.append(f"import `{name}` points outside the repository")
        else:
            self.notes.append(
                f"import `{name}` is not in the repository (looked for "
                + ", ".join(f"`{t}`" for t in tried[:4])
                + ("" if len(tried) <= 4 else f" and {len(tried) - 4} more")
                + "); its messages are not compared; set `import_roots` to the folder "
                "protoc imports it from"
            )
        return None


class _Reader:
    def __init__(self, index: _Index, path: str, text: str, syntax: str, notes: list[str]) -> None:
        self.index = index
        self.path = path
        self.lines = text.splitlines()
        self.syntax = syntax
        self.notes = notes
        self.building: set[str] = set()
        # Each message is read once and the same object reused wherever it is referenced,
        # so messages that reference the one before them twice stay linear to read.
        self.messages: dict[str, FieldType] = {}

    def line_span(self, regex: re.Pattern[str]) -> Any:
        from dataplan_lint.core.findings import Span

        for number, line in enumerate(self.lines, start=1):
            found = regex.search(line)
            if found:
                return Span(number, found.start() + 1, number, found.end() + 1)
        return None

    def fields(self, message: Any, scope: str) -> tuple[Field, ...]:
        ast = self.index.ast
        out: list[Field] = []
        self.building.add(scope)
        for element in message.elements:
            if isinstance(element, ast.Field):
                out.append(self.field(element, scope, None))
            elif isinstance(element, ast.MapField):
                key = self.type_of(element.key_type, scope)
                value = self.type_of(element.value_type, scope)
                out.append(
                    Field(
                        name=element.name,
                        type=FieldType(
                            "map",
                            f"map<{element.key_type}, {element.value_type}>",
                            items=key,
                            values=value,
                        ),
                        has_default=True,
                        number=element.number,
                        origin=self.origin(element.name, element.number),
                    )
                )
            elif isinstance(element, ast.OneOf):
                for member in element.elements:
                    if isinstance(member, ast.Field):
                        out.append(self.field(member, scope, element.name))
            elif isinstance(element, ast.Group):
                inner = FieldType(
                    "record",
                    f"group {element.name}",
                    name=f"{scope}.{element.name}",
                    fields=self.fields(element, f"{scope}.{element.name}"),
                )
                out.append(
                    Field(
                        name=element.name.lower(),
                        type=inner,
                        required=element.cardinality is not None
                        and element.cardinality.value == "REQUIRED",
                        has_default=True,
                        number=element.number,
                        origin=self.origin(element.name, element.number),
                    )
                )
        self.building.discard(scope)
        return tuple(out)

    def field(self, element: Any, scope: str, oneof: str | None) -> Field:
        cardinality = element.cardinality.value if element.cardinality is not None else None
        ftype = self.type_of(element.type, scope)
        if cardinality == "REPEATED":
            ftype = FieldType("array", f"repeated {element.type}", items=ftype)
        required = cardinality == "REQUIRED"
        return Field(
            name=element.name,
            type=ftype,
            required=required,
            has_default=not required,
            number=element.number,
            oneof=oneof,
            origin=self.origin(element.name, element.number),
        )

    def origin(self, name: str, number: int) -> Origin:
        return Origin(self.path, self.line_span(regexes.PROTO_FIELD_LINE.compile(name, number)))

    def type_of(self, written: str, scope: str) -> FieldType:
        if written in _SCALARS:
            return FieldType(written, written)
        full = self.index.find(written, scope)
        if full is None:
            # A type no file read defines: opaque, compared by name only.
            name = written.lstrip(".")
            note = f"message `{name}` is defined in no file read; its fields are not compared"
            if note not in self.notes:
                self.notes.append(note)
            return FieldType("record", written, name=name)
        if full in self.index.enums:
            enum = self.index.enums[full]
            symbols = tuple(
                value.name for value in enum.elements if isinstance(value, self.index.ast.EnumValue)
            )
            return FieldType("enum", written, name=full, symbols=symbols)
        if full in self.messages:
            return self.messages[full]
        if full in self.building:
            return FieldType("record", written, name=full)
        message = self.index.messages[full]
        here = (self.path, self.lines)
        self.path, self.lines = self.index.sources.get(full, here)
        made = FieldType("record", written, name=full, fields=self.fields(message, full))
        self.path, self.lines = here
        self.messages[full] = made
        return made

    def reserved(self, message: Any) -> tuple[tuple[tuple[int, int], ...], frozenset[str]]:
        ranges: list[tuple[int, int]] = []
        names: set[str] = set()
        for element in message.elements:
            if not isinstance(element, self.index.ast.Reserved):
                continue
            for text in element.ranges:
                parts = [p.strip() for p in str(text).split("to")]
                try:
                    low = int(parts[0], 0)
                    high = _MAX if parts[-1] == "max" else int(parts[-1], 0)
                except ValueError:
                    continue
                ranges.append((low, high))
            names.update(str(name).strip("\"'") for name in element.names)
        return tuple(ranges), frozenset(names)
