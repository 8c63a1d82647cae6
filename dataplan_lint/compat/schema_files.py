"""Find, read and parse the schema file a contract references.

Paths are repository-relative: they resolve against the working-tree top-level above the
plan (the folder holding `.git`), or the plan's own folder outside a repository. A path
that is absolute, uses `..`, or resolves (through symlinks) outside that folder is
refused. The format reader is chosen by the contract's `format` and imported only here,
so plans without schema files never load fastavro, the protobuf parser or the ODCS
JSON Schema.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from dataplan_lint.compat.model import Schema
from dataplan_lint.compat.references import Fetch
from dataplan_lint.compat.sources import SchemaFileError
from dataplan_lint.core.findings import Related, Span

MAX_SCHEMA_BYTES = 5_000_000

_PATH_FIX = "correct the path (from the repository's top-level folder) or add the file"


class Refused(Exception):
    """The path points outside the repository."""


@dataclass(frozen=True, slots=True)
class Located:
    rel: str  # repository-relative, with forward slashes
    path: Path | None  # on disk (head side)


def repo_root(plan_file: Path) -> Path:
    from dataplan_lint.files.git import find_root

    resolved = plan_file.resolve()
    return find_root(resolved) or resolved.parent


def check_relative(rel: str) -> str:
    """Normalise a repository-relative path or raise Refused."""
    if not rel or rel.startswith(("/", "\\")) or (len(rel) > 1 and rel[1] == ":"):
        raise Refused(f"`{rel}` is absolute; schema files are given relative to the repository")
    parts = PurePosixPath(rel.replace("\\", "/")).parts
    if ".." in parts:
        raise Refused(f"`{rel}` climbs out with `..`; schema files must be inside the repository")
    return "/".join(part for part in parts if part != ".")


def locate(plan_file: Path, rel: str) -> Located:
    """The file on disk for `rel`; raises Refused when it escapes the repository."""
    clean = check_relative(rel)
    root = repo_root(plan_file).resolve()
    target = (root / clean).resolve()
    if target != root and root not in target.parents:
        raise Refused(f"`{rel}` resolves outside the repository (through a symbolic link)")
    return Located(clean, target)


def schema_file_place(
    located: Located, problem: SchemaFileError, plan_path: str
) -> tuple[Related, ...]:
    """The schema file's own line and column of a problem, as a related location.

    The path is shown the way the plan's path is: relative to the working folder when
    the plan's is relative, else absolute.
    """
    if problem.line is None or located.path is None:
        return ()
    span = Span.point(problem.line, problem.col or 1)
    return (Related(shown_path(located, plan_path), span, "where the schema file has the problem"),)


def shown_path(located: Located, plan_path: str) -> str:
    """The schema file's path as findings show it: relative to the working folder when
    the plan's path is relative, else absolute (forward slashes)."""
    assert located.path is not None
    shown = str(located.path)
    if not Path(plan_path).is_absolute():
        try:
            shown = os.path.relpath(located.path)
        except ValueError:  # another drive (Windows)
            shown = str(located.path)
    return shown.replace(os.sep, "/")


def read_head(located: Located, max_bytes: int = MAX_SCHEMA_BYTES) -> str:
    from dataplan_lint.files.dependencies import record
    from dataplan_lint.files.loader import read_limited

    assert located.path is not None
    try:  # non-blocking, regular files only: a FIFO committed as `x.avsc` must not hang
        raw = read_limited(located.path, max_bytes)
    except FileNotFoundError:
        record(located.path, None)
        raise SchemaFileError(f"`{located.rel}` does not exist", fix=_PATH_FIX) from None
    except IsADirectoryError:
        record(located.path, None)
        raise SchemaFileError(f"`{located.rel}` is a directory", fix=_PATH_FIX) from None
    except OSError as exc:
        record(located.path, None)
        raise SchemaFileError(
            f"`{located.rel}` cannot be read: {exc.strerror or exc}",
            fix="make it a regular file the check can read",
        ) from None
    record(located.path, raw)
    if len(raw) > max_bytes:
        raise SchemaFileError(
            f"`{located.rel}` is larger than {max_bytes:,} bytes",
            fix="split the schema or point `schema_file` at a smaller one",
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SchemaFileError(
            f"`{located.rel}` is not UTF-8 (byte offset {exc.start})", fix="save the file as UTF-8"
        ) from None


_SELECTORS = ("record", "message", "content_model", "object", "import_roots")
"""The contract keys that pick one part of a schema file (Avro record, protobuf message,
JSON Schema content model, ODCS schema object)."""


def parse_key(rel: str, contract: Mapping[str, Any]) -> tuple[str, ...]:
    """What a parsed schema file is cached under: two contracts reading different objects
    of one file get their own parse."""
    return (rel, str(contract.get("format")), *(str(contract.get(key)) for key in _SELECTORS))


def read_schema(
    located: Located, contract: Mapping[str, Any], plan_file: Path | None = None
) -> Schema:
    """The head schema file of `contract`, read (bounded) and parsed by its format: the one
    loader the compatibility analysis and the field-reading rules share. With the plan's
    path, the files it imports or refers to are read too (confined and bounded the same
    way). Raises SchemaFileError."""
    fetch = head_fetch(plan_file) if plan_file is not None else None
    return parse(read_head(located), located.rel, contract, fetch)


def head_fetch(plan_file: Path) -> Fetch:
    """Reads referenced files from the working tree of the plan's repository."""

    def read(rel: str) -> str:
        try:
            return read_head(locate(plan_file, rel))
        except Refused as exc:
            raise SchemaFileError(str(exc)) from None

    return Fetch(read, MAX_SCHEMA_BYTES)


def parse(
    text: str, display: str, contract: Mapping[str, Any], fetch: Fetch | None = None
) -> Schema:
    """Parse schema text by the contract's format; raises SchemaFileError."""
    fmt = contract.get("format")
    reader = _READERS.get(fmt if isinstance(fmt, str) else "")
    if reader is None:
        raise SchemaFileError(
            f"format `{fmt}` takes its fields inline; schema files are read for "
            "avro, protobuf, json-schema and odcs contracts",
            fix="set `format` to the schema file's format, or list the fields inline",
        )
    try:
        return reader(text, display, contract, fetch)
    except RecursionError:
        raise SchemaFileError("the schema nests too deeply to be read") from None


def _avro(text: str, display: str, contract: Mapping[str, Any], fetch: Fetch | None) -> Schema:
    from dataplan_lint.compat.avro import read_avro

    record = contract.get("record")
    return read_avro(text, display, record if isinstance(record, str) else None)


def _proto(text: str, display: str, contract: Mapping[str, Any], fetch: Fetch | None) -> Schema:
    from dataplan_lint.compat.protobuf import read_proto

    message = contract.get("message")
    roots: list[str] = []
    for folder in contract.get("import_roots") or ():
        try:
            roots.append(check_relative(folder) if isinstance(folder, str) else "")
        except Refused:
            continue  # the schema's pattern reports it; never look outside
    return read_proto(
        text, display, message if isinstance(message, str) else None, fetch, tuple(roots)
    )


def _json(text: str, display: str, contract: Mapping[str, Any], fetch: Fetch | None) -> Schema:
    from dataplan_lint.compat.jsonschema_files import read_json_schema

    model = contract.get("content_model")
    return read_json_schema(text, display, model if isinstance(model, str) else None, fetch)


def _odcs(text: str, display: str, contract: Mapping[str, Any], fetch: Fetch | None) -> Schema:
    from dataplan_lint.compat.odcs import read_odcs

    name = contract.get("object")
    return read_odcs(text, display, name if isinstance(name, str) else None)


_READERS: dict[str, Callable[[str, str, Mapping[str, Any], Fetch | None], Schema]] = {
    "avro": _avro,
    "protobuf": _proto,
    "json-schema": _json,
    "odcs": _odcs,
}
