"""Bundle the per-gate schema files into one self-contained JSON Schema document.

Each gate schema keeps its own file and `$id` for editors; the bundle embeds every
file under `$defs/<file stem>` and rewrites `$ref`s to local pointers, so validators
never resolve anything over the network and `dataplan-lint schema` prints one document.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from dataplan_lint.core.resources import schemas_dir

ROOT_FILE = "dataplan.schema.json"
ID_PREFIX = "https://dataplan-lint.dev/schemas/v1/"


# The schemas of the tool's own inputs (see schema/inputs.py), not parts of a plan.
TOOL_SCHEMAS = ("config.schema.json", "ruleset.schema.json")


def schema_files(directory: Path | None = None) -> list[Path]:
    """The plan schema's files: every `*.schema.json` but the tool's own."""
    found = (directory or schemas_dir()).glob("*.schema.json")
    return sorted(path for path in found if path.name not in TOOL_SCHEMAS)


def source_digest(directory: Path | None = None) -> str:
    """A digest of the schema files' bytes: tells whether generated code is current."""
    from dataplan_lint.core.digest import content_digest
    from dataplan_lint.files.reader import read_package_file

    parts: list[bytes] = []
    for path in schema_files(directory):
        parts += [path.name.encode() + b"\0", read_package_file(path)]
    return content_digest(parts)


def _stem(name: str) -> str:
    return name.removesuffix(".schema.json")


def _rewrite(node: Any, own: str | None) -> Any:
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                out[key] = _local_ref(value, own)
            elif key in ("$id", "$schema") and own is not None:
                continue
            else:
                out[key] = _rewrite(value, own)
        return out
    if isinstance(node, list):
        return [_rewrite(item, own) for item in node]
    return node


def _local_ref(ref: str, own: str | None) -> str:
    target, _, fragment = ref.partition("#")
    if not target:
        document = own
    elif target.startswith(ID_PREFIX):
        document = _stem(target[len(ID_PREFIX) :])
    else:
        raise ValueError(f"schema reference {ref!r} points outside the bundled schemas")
    if document is None or document == _stem(ROOT_FILE):
        return f"#{fragment}"
    return f"#/$defs/{document}{fragment}"


@cache
def bundled_schema() -> dict[str, Any]:
    return build_bundle(schemas_dir())


def build_bundle(directory: Path) -> dict[str, Any]:
    from dataplan_lint.files.reader import read_package_file

    documents = {
        path.name: json.loads(read_package_file(path).decode("utf-8"))
        for path in schema_files(directory)
    }
    root: dict[str, Any] = _rewrite(documents.pop(ROOT_FILE), None)
    defs: dict[str, Any] = dict(root.get("$defs", {}))
    for name, document in documents.items():
        stem = _stem(name)
        if stem in defs:
            raise ValueError(f"schema file {name} collides with a $defs entry of the root")
        defs[stem] = _rewrite(document, stem)
    root["$defs"] = defs
    return root
