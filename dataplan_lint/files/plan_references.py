"""The files a plan reads besides itself, named from its data (no file is opened here).

A contract's `schema_file` (also in its `history`) is relative to the repository root; a
dbt project (`modeling.dbt.project_dir`, default `.`) and its manifest
(`modeling.dbt.manifest`, default `target/manifest.json`) are relative to the plan's
folder. Used to find the plans a changed schema file concerns (files/referrers.py) and to
copy a plan's base version with its files (pipeline/base_snapshot.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any


def clean_relative(rel: str) -> str | None:
    """`rel` as a normalised repository-relative path, or None when it is unsafe."""
    if not rel or "\n" in rel or "\r" in rel or "\0" in rel:
        return None
    text = rel.replace("\\", "/")
    if text.startswith("/") or (len(text) > 1 and text[1] == ":"):
        return None
    parts: list[str] = []
    for part in PurePosixPath(text).parts:
        if part == "..":
            if not parts:
                return None
            parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts) or None


def referenced_paths(data: Any, plan_rel: str) -> tuple[set[str], set[str]]:
    """The files (repository-relative) and folders a plan reads: schema files of its
    contracts and their history, its dbt manifest and project folder."""
    files: set[str] = set()
    folders: set[str] = set()
    if not isinstance(data, Mapping):
        return files, folders
    contracts = data.get("contracts")
    for contract in contracts if isinstance(contracts, list) else ():
        if not isinstance(contract, Mapping):
            continue
        history = contract.get("history")
        holders = [contract, *(history if isinstance(history, list) else ())]
        for holder in holders:
            value = holder.get("schema_file") if isinstance(holder, Mapping) else None
            clean = clean_relative(value) if isinstance(value, str) else None
            if clean:
                files.add(clean)
    modeling = data.get("modeling")
    dbt = modeling.get("dbt") if isinstance(modeling, Mapping) else None
    if isinstance(dbt, Mapping):
        folder = PurePosixPath(plan_rel).parent.as_posix()
        project = dbt.get("project_dir", ".")
        manifest = dbt.get("manifest", "target/manifest.json")
        if isinstance(project, str):
            clean = clean_relative(f"{folder}/{project}")
            folders.add(clean or "")
            if isinstance(manifest, str):
                target = clean_relative(f"{folder}/{manifest}")
                if target:
                    files.add(target)
    return files, folders
