"""Read a dbt `manifest.json` defensively and tell whether it is stale.

The manifest, `dbt_project.yml` and the model files are untrusted input (a pull request
can commit anything there, symlinks too): each is read through files/reader.py, inside
the repository, regular files only, up to a size limit. The manifest's parse is bounded
too: before it is parsed, its JSON values are counted (an over-count: the commas, colons
and brackets), and a manifest with more than MAX_MANIFEST_VALUES is refused, so 90 MB of
`{},` cannot take gigabytes. A document that nests too deeply or is not shaped like a
dbt manifest is a problem, never a crash, and only the parts the cross-check needs are
kept. The tool never runs dbt.

Staleness is judged from content, not file times (a fresh clone gives every file the same
time): dbt records a sha256 of each model's SQL (of the stripped text), so a model file
whose text changed, a model file dbt has not seen, or a recorded model file that is gone
means `dbt parse` has to run again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dataplan_lint.files.dependencies import record, record_listing
from dataplan_lint.files.reader import read_capped

MAX_MANIFEST_BYTES = 256_000_000
# Parsed, a JSON value costs at most about 80 bytes (an empty object in a list); real
# manifests hold one value per ~15 bytes, so this admits real manifests of ~150 MB
# while a parse can never take much more than 800 MB.
MAX_MANIFEST_VALUES = 10_000_000
MAX_PROJECT_BYTES = 1_000_000
MAX_SQL_BYTES = 5_000_000
MAX_WALKED_FILES = 20_000
MAX_WALK_DEPTH = 32


class ManifestProblem(Exception):
    """Why the manifest cannot be used (missing, unreadable, not a manifest, stale)."""


@dataclass(frozen=True, slots=True)
class Node:
    """A model, seed or snapshot (or a source table) as the cross-check sees it."""

    unique_id: str
    name: str
    resource_type: str
    path: str  # original_file_path, relative to the project
    config: Mapping[str, Any]
    columns: Mapping[str, Mapping[str, Any]]
    depends_on: tuple[str, ...]
    fqn: tuple[str, ...]
    identifier: str = ""
    freshness: Mapping[str, Any] | None = None
    checksum: str = ""


@dataclass(frozen=True, slots=True)
class Test:
    unique_id: str
    name: str  # unique, not_null, relationships, accepted_values, or another macro
    attached: str  # unique_id of the tested node
    column: str | None
    kwargs: Mapping[str, Any]
    severity: str  # "error" or "warn"
    path: str


@dataclass(slots=True)
class Manifest:
    models: dict[str, Node] = field(default_factory=dict)  # by name (models, seeds, snapshots)
    sources: dict[str, Node] = field(default_factory=dict)  # by unique_id
    tests: list[Test] = field(default_factory=list)
    by_id: dict[str, Node] = field(default_factory=dict)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _node(unique_id: str, raw: Mapping[str, Any]) -> Node:
    depends = _mapping(raw.get("depends_on")).get("nodes")
    fqn = raw.get("fqn")
    columns = {
        str(name): column
        for name, column in _mapping(raw.get("columns")).items()
        if isinstance(column, Mapping)
    }
    checksum = _mapping(raw.get("checksum"))
    freshness = raw.get("freshness")
    return Node(
        unique_id=unique_id,
        name=_text(raw.get("name")),
        resource_type=_text(raw.get("resource_type")),
        path=_text(raw.get("original_file_path")),
        config=_mapping(raw.get("config")),
        columns=columns,
        depends_on=tuple(d for d in depends if isinstance(d, str))
        if isinstance(depends, list)
        else (),
        fqn=tuple(p for p in fqn if isinstance(p, str)) if isinstance(fqn, list) else (),
        identifier=_text(raw.get("identifier")),
        freshness=freshness if isinstance(freshness, Mapping) else None,
        checksum=_text(checksum.get("checksum")) if checksum.get("name") == "sha256" else "",
    )


def json_values(raw: bytes) -> int:
    """At least the number of values in a JSON document (every value after a
    container's first follows a comma, every member has a colon), counted at C speed."""
    return sum(raw.count(token) for token in (b",", b":", b"[", b"{")) + 1


def read_manifest(path: Path, root: Path) -> Manifest:
    """The parts of a dbt manifest the cross-check uses; raises ManifestProblem.

    `root` is the repository: a manifest that is a link leading out of it is refused."""
    try:
        raw = read_capped(path, MAX_MANIFEST_BYTES, root=root)
    except FileNotFoundError:
        record(path, None)
        raise ManifestProblem("does not exist") from None
    except IsADirectoryError:
        record(path, None)
        raise ManifestProblem("is a directory") from None
    except OSError as exc:
        record(path, None)
        raise ManifestProblem(f"cannot be read: {exc.strerror or exc}") from None
    record(path, raw)
    if len(raw) > MAX_MANIFEST_BYTES:
        raise ManifestProblem(f"is larger than {MAX_MANIFEST_BYTES:,} bytes")
    values = json_values(raw)
    if values > MAX_MANIFEST_VALUES:
        raise ManifestProblem(
            f"holds about {values:,} JSON values, more than the {MAX_MANIFEST_VALUES:,} "
            "its parse may take memory for"
        )
    try:
        data = json.loads(raw)
    except RecursionError:
        raise ManifestProblem("nests too deeply to be read") from None
    except ValueError as exc:
        raise ManifestProblem(f"is not valid JSON ({exc})") from None
    nodes = data.get("nodes") if isinstance(data, Mapping) else None
    if not isinstance(nodes, Mapping) or not isinstance(data.get("sources", {}), Mapping):
        raise ManifestProblem("is not a dbt manifest (no `nodes` mapping)")
    manifest = Manifest()
    for unique_id, node in nodes.items():
        if not isinstance(node, Mapping):
            continue
        kind = node.get("resource_type")
        if kind in ("model", "seed", "snapshot"):
            made = _node(str(unique_id), node)
            manifest.models.setdefault(made.name, made)
            manifest.by_id[made.unique_id] = made
        elif kind == "test":
            test = _test(str(unique_id), node)
            if test is not None:
                manifest.tests.append(test)
    for unique_id, source in _mapping(data.get("sources")).items():
        if isinstance(source, Mapping):
            made = _node(str(unique_id), source)
            manifest.sources[made.unique_id] = made
            manifest.by_id[made.unique_id] = made
    return manifest


def _test(unique_id: str, raw: Mapping[str, Any]) -> Test | None:
    meta = _mapping(raw.get("test_metadata"))
    name = meta.get("name")
    if not isinstance(name, str):
        return None  # a singular (SQL) test: not one of the generic checks
    attached = _text(raw.get("attached_node"))
    if not attached:
        depends = _mapping(raw.get("depends_on")).get("nodes")
        attached = next((d for d in depends if isinstance(d, str)), "") if depends else ""
    column = raw.get("column_name")
    severity = _text(_mapping(raw.get("config")).get("severity")).lower() or "error"
    return Test(
        unique_id=unique_id,
        name=name,
        attached=attached,
        column=column if isinstance(column, str) else None,
        kwargs=_mapping(meta.get("kwargs")),
        severity=severity,
        path=_text(raw.get("original_file_path")),
    )


def stale_reason(manifest: Manifest, project: Path, root: Path) -> str | None:
    """Why the manifest no longer describes the project's models, or None. Files are
    read inside `root` (the repository) only: a model file that is a link leading out
    is refused, never read and compared (that would tell whether a guessed outside
    file matches)."""
    recorded = {
        node.path: node
        for node in manifest.models.values()
        if node.resource_type == "model" and node.path.endswith(".sql") and node.checksum
    }
    for rel, node in sorted(recorded.items()):
        file = _inside(project, rel)
        if file is None:
            continue
        try:
            raw = read_capped(file, MAX_SQL_BYTES, root=root)
        except FileNotFoundError:
            record(file, None)
            return f"records `{rel}` (model {node.name}), which no longer exists"
        except OSError as exc:
            record(file, None)
            return f"records `{rel}` (model {node.name}), which cannot be read: {exc.strerror}"
        record(file, raw)
        digest = hashlib.sha256(raw.decode("utf-8", "replace").strip().encode("utf-8"))
        if digest.hexdigest() != node.checksum:
            return f"is older than `{rel}` (model {node.name} changed since the last parse)"
    record_listing()  # which model files exist: a new one must be seen next run
    paths = _model_paths(project, root)
    if isinstance(paths, str):
        return paths
    for rel in _model_files(project, root, paths):
        if rel not in recorded:
            return f"does not know `{rel}` (a model added since the last parse)"
    return None


def _inside(project: Path, rel: str) -> Path | None:
    """`rel` under the project, or None when it would leave it (hostile manifest)."""
    if not rel or Path(rel).is_absolute() or ".." in Path(rel).parts:
        return None
    return project / rel


def _model_files(project: Path, root: Path, folders: list[str]) -> list[str]:
    """The .sql files under the project's model paths (bounded, no symlinked folders;
    a model path that leads out of the repository is not walked)."""
    from dataplan_lint.files.reader import leads_outside

    out: list[str] = []
    seen = 0
    for folder in folders:
        base = project / folder
        if leads_outside(base, root) or not base.is_dir():
            continue
        for walked, dirs, files in os.walk(base, followlinks=False):
            depth = len(Path(walked).relative_to(base).parts)
            if depth >= MAX_WALK_DEPTH:
                dirs[:] = []
            dirs.sort()
            for name in sorted(files):
                seen += 1
                if seen > MAX_WALKED_FILES:
                    return out
                if name.endswith(".sql"):
                    out.append((Path(walked) / name).relative_to(project).as_posix())
    return out


def _model_paths(project: Path, root: Path) -> list[str] | str:
    """The project's `model-paths`, or why `dbt_project.yml` cannot be read."""
    from dataplan_lint.files.loader import load_text
    from dataplan_lint.files.reader import read_text

    file = project / "dbt_project.yml"
    try:
        text = read_text(file, MAX_PROJECT_BYTES, root=root)
    except FileNotFoundError:
        return ["models"]
    except OSError as exc:
        return f"cannot be compared with the project: `dbt_project.yml` {exc.strerror}"
    except UnicodeDecodeError:
        return "cannot be compared with the project: `dbt_project.yml` is not UTF-8"
    loaded = load_text(text, "dbt_project.yml")
    data = loaded.plan.data if loaded.plan is not None else None
    paths = data.get("model-paths") if isinstance(data, Mapping) else None
    if not isinstance(paths, list):
        return ["models"]
    return [p for p in paths if isinstance(p, str) and _inside(project, p) is not None]
