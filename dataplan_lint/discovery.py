"""Turn the paths given on the command line into the plan files to check."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

PLAN_NAMES = ("dataplan.yaml", "dataplan.yml")
PLAN_SUFFIXES = (".dataplan.yaml", ".dataplan.yml")
SKIPPED_DIRS = {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox"}


def is_plan_name(name: str) -> bool:
    return name in PLAN_NAMES or name.endswith(PLAN_SUFFIXES)


@dataclass(frozen=True, slots=True)
class Discovered:
    path: Path
    display: str


@dataclass(slots=True)
class Discovery:
    files: list[Discovered]
    errors: list[str]


def display_path(path: Path) -> str:
    """A stable, repository-friendly name: relative to the working directory when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return path.as_posix()


def excluded(relative: str, patterns: Iterable[str]) -> bool:
    """gitignore-style matching: a pattern without a slash matches any path component."""
    parts = relative.split("/")
    for pattern in patterns:
        pat = pattern.rstrip("/")
        if "/" in pat.lstrip("/"):
            if fnmatch.fnmatchcase(relative, pat.lstrip("/")) or fnmatch.fnmatchcase(
                relative, pat.lstrip("/") + "/*"
            ):
                return True
        elif any(fnmatch.fnmatchcase(part, pat) for part in parts):
            return True
    return False


def discover(paths: Iterable[str], exclude: Iterable[str] = ()) -> Discovery:
    patterns = list(exclude)
    files: dict[str, Discovered] = {}
    errors: list[str] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for found in _walk(path, patterns):
                files.setdefault(found.display, found)
        elif path.exists() or path.is_symlink():
            display = display_path(path)
            if not excluded(display, patterns):
                files.setdefault(display, Discovered(path, display))
        else:
            errors.append(f"{raw}: no such file or directory")
    return Discovery(sorted(files.values(), key=lambda item: item.display), errors)


def _walk(root: Path, patterns: list[str]) -> Iterator[Discovered]:
    for directory, subdirs, names in os.walk(root):
        base = Path(directory)
        relative_dir = base.relative_to(root).as_posix()
        subdirs[:] = sorted(
            name
            for name in subdirs
            if name not in SKIPPED_DIRS and not excluded(_rel(relative_dir, name), patterns)
        )
        for name in sorted(names):
            if is_plan_name(name) and not excluded(_rel(relative_dir, name), patterns):
                path = base / name
                yield Discovered(path, display_path(path))


def _rel(directory: str, name: str) -> str:
    return name if directory in ("", ".") else f"{directory}/{name}"
