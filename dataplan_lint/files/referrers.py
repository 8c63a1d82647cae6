"""Which plans read a file: given a schema, ODCS or dbt file, check the plans behind it.

A commit may change only `schemas/clicks.avsc`; pre-commit then passes that path alone,
and `check schemas/clicks.avsc` must check the plans whose contracts name it - not try
to read an Avro schema as a plan. `referrers` walks the file's repository for plans
(discovery's walk: the usual folders skipped, `--exclude` honoured), and keeps those
whose data names the file (files/plan_references.py): as a `schema_file`, as the dbt
manifest, or - for a `.sql` or `.yml` file, and `dbt_project.yml` - as a file inside the
plan's dbt project folder.

Bounded: at most MAX_PLANS plans are read, each at most MAX_PLAN_BYTES, and a plan is
parsed only when its text names the file (its base name, or `project_dir` for dbt files).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from dataplan_lint.files.git import enclosing_root

if TYPE_CHECKING:
    from dataplan_lint.files.discovery import Discovered

# A repository root -> the plans under it (discovery's walk, with its exclusions).
PlanWalk = Callable[[Path], Iterable["Discovered"]]

MAX_PLANS = 2_000
MAX_PLAN_BYTES = 2_000_000
# Files a plan can read besides itself; anything else given to `check` is read as a plan.
SCHEMA_SUFFIXES = (".avsc", ".proto", ".json", ".sql", ".odcs.yaml", ".odcs.yml")
DBT_PROJECT = "dbt_project.yml"
_DBT_SUFFIXES = (".sql", ".yml", ".yaml")


def is_schema_kind(path: Path) -> bool:
    """A file a plan reads, never a plan itself: a schema, ODCS or dbt file."""
    name = path.name.lower()
    return name == DBT_PROJECT or name.endswith(SCHEMA_SUFFIXES) or _is_odcs(path)


def _is_odcs(path: Path) -> bool:
    """An ODCS document under any `.yaml` name (`kind: DataContract` near the top)."""
    if not path.name.lower().endswith((".yaml", ".yml")):
        return False
    from dataplan_lint.files.reader import read_capped

    try:
        head = read_capped(path, 4096)
    except (OSError, ValueError):
        return False
    return b"\nkind: DataContract" in b"\n" + head


def referrers(targets: Sequence[Path], walk: PlanWalk) -> dict[Path, list[Discovered]]:
    """For each target file, the plans of its repository that read it (maybe none)."""
    found: dict[Path, list[Discovered]] = {target: [] for target in targets}
    by_root: dict[Path, list[tuple[Path, str]]] = {}
    for target in targets:
        absolute = Path(os.path.abspath(target))  # noqa: PTH100 (lexical: symlinks kept)
        root = enclosing_root(absolute.parent)
        if root is not None:
            by_root.setdefault(root, []).append((target, absolute.relative_to(root).as_posix()))
    for root, wanted in by_root.items():
        for count, plan in enumerate(walk(root)):
            if count >= MAX_PLANS:
                break
            for target in _reads(plan, root, wanted):
                found[target].append(plan)
    return found


def _reads(plan: Discovered, root: Path, wanted: list[tuple[Path, str]]) -> list[Path]:
    """The targets (of `wanted`: path, repository-relative name) `plan` reads."""
    from dataplan_lint.files.loader import load_text
    from dataplan_lint.files.plan_references import referenced_paths
    from dataplan_lint.files.reader import read_optional

    raw = read_optional(plan.path, MAX_PLAN_BYTES)
    if raw is None:
        return []
    text = raw.decode("utf-8", "replace")
    named = [
        (target, rel)
        for target, rel in wanted
        if PurePosixPath(rel).name in text or ("project_dir" in text and _dbt_file(rel))
    ]
    if not named:
        return []
    try:
        loaded = load_text(text, plan.display).plan
    except Exception:  # a plan the loader cannot read names nothing
        return []
    if loaded is None:
        return []
    plan_rel = Path(os.path.abspath(plan.path)).relative_to(root).as_posix()  # noqa: PTH100
    files, folders = referenced_paths(loaded.data, plan_rel)
    out = []
    for target, rel in named:
        inside = _dbt_file(rel) and any(
            not folder or rel.startswith(folder + "/") for folder in folders
        )
        if rel in files or inside:
            out.append(target)
    return out


def _dbt_file(rel: str) -> bool:
    name = PurePosixPath(rel).name.lower()
    return name == DBT_PROJECT or name.endswith(_DBT_SUFFIXES)
