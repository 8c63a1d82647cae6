"""Turn the paths given on the command line into the plan files to check."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from dataplan_lint.files.plan_names import is_plan_name
from dataplan_lint.files.reader import repository_root as repository_root  # re-exported

SKIPPED_DIRS = {".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".tox"}


@dataclass(frozen=True, slots=True)
class Discovered:
    path: Path
    display: str
    # The plan's bytes when they come from standard input (the path `-`); `path` is then
    # the name given with --stdin-filename, used for configuration lookup only.
    content: bytes | None = None


@dataclass(slots=True)
class Discovery:
    files: list[Discovered]
    errors: list[str]


def display_path(path: Path) -> str:
    """A stable, repository-friendly name: relative to the working directory when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop
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


def escapes_repository(path: Path) -> Path | None:
    """Where `path` really leads when a symlink takes it outside its repository.

    A pull request can commit `dataplan.yaml -> /etc/passwd` (or a CI secret); reading
    it would print the target's lines as snippets into a public CI log. Files reached
    through symlinks must resolve inside the repository they appear in.
    """
    absolute = Path(os.path.abspath(path))  # noqa: PTH100 (lexical: symlinks kept)
    try:
        resolved = absolute.resolve()
    except (OSError, RuntimeError):  # a symlink loop: reading it reports the error
        return None
    if resolved == absolute:
        return None
    root = repository_root(str(absolute.parent)).resolve()
    return None if resolved.is_relative_to(root) else resolved


def discover(paths: Iterable[str], exclude: Iterable[str] = ()) -> Discovery:
    patterns = list(exclude)
    files: dict[str, Discovered] = {}
    errors: list[str] = []

    def add(found: Discovered) -> None:
        target = escapes_repository(found.path)
        if target is not None:
            errors.append(
                f"{found.path.as_posix()}: is a symlink to {target.as_posix()}, outside the "
                "repository; refusing to read it"
            )
        else:
            files.setdefault(found.display, found)

    others: list[Path] = []  # files not named like plans: maybe files that plans read
    for raw in paths:
        path = Path(raw)
        if path.is_dir() and not is_plan_name(path.name):
            for found in _walk(path, patterns):
                add(found)
        elif path.exists() or path.is_symlink():
            display = display_path(path)
            if excluded(display, patterns):
                continue
            if path.is_file() and not is_plan_name(path.name):
                others.append(path)
            else:
                add(Discovered(path, display))  # a directory here is reported when checked
        else:
            errors.append(f"{raw}: no such file or directory")
    for found in _plans_reading(others, patterns):
        add(found)
    return Discovery(sorted(files.values(), key=lambda item: item.display), errors)


def _plans_reading(others: list[Path], patterns: list[str]) -> list[Discovered]:
    """For a schema, ODCS or dbt file: the plans that read it (files/referrers.py); a
    file no plan reads is skipped when it is of those kinds, else checked as a plan."""
    if not others:
        return []
    from dataplan_lint.files.referrers import is_schema_kind, referrers

    relative = not any(path.is_absolute() for path in others)

    def walk(root: Path) -> Iterator[Discovered]:
        """The plans under `root`, named the way the paths were given (relative or not)."""
        return _walk(Path(os.path.relpath(root)) if relative else root, patterns)

    readers = referrers(others, walk)
    out: list[Discovered] = []
    for path in others:
        if readers[path]:
            out.extend(readers[path])
        elif not is_schema_kind(path):
            out.append(Discovered(path, display_path(path)))
    return out


def _walk(root: Path, patterns: list[str]) -> Iterator[Discovered]:
    for directory, subdirs, names in os.walk(root):
        base = Path(directory)
        relative_dir = base.relative_to(root).as_posix()
        subdirs[:] = sorted(
            name
            for name in subdirs
            if name not in SKIPPED_DIRS and not excluded(_rel(relative_dir, name), patterns)
        )
        for name in [name for name in subdirs if is_plan_name(name)]:
            subdirs.remove(name)  # a folder named like a plan: reported, not searched
            yield Discovered(base / name, display_path(base / name))
        for name in sorted(names):
            if is_plan_name(name) and not excluded(_rel(relative_dir, name), patterns):
                path = base / name
                yield Discovered(path, display_path(path))


def _rel(directory: str, name: str) -> str:
    return name if directory in ("", ".") else f"{directory}/{name}"
