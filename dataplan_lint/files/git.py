"""Everything the tool asks git: one way to run it, one error, one repository-root finder.

git runs as a subprocess with a list argv (never a shell), without prompts or optional
locks, and with a time limit (`run_git`); a failure to run it is a `GitError`. A ref is
rejected before git sees it when it starts with `-` (it would be read as an option) and
when git cannot resolve it to a commit; both are usage errors (exit 2), raised as
`GitError`. Renamed plan files are matched with `git diff --name-status -M REF`, which
compares the base commit with the working tree; a plan git knows nothing about at the
base is new on the branch and has no base. The repository root is found without running
git (a folder holding `.git`), so plain checks never import `subprocess`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

# The one repository-root finder lives with the file reader (which confines reads to the
# repository and must not import git, whose plan_name imports the loader).
from dataplan_lint.files.reader import enclosing_root as enclosing_root

if TYPE_CHECKING:
    import subprocess

TIMEOUT = 60


class GitError(Exception):
    """git cannot do what was asked: not installed, no answer, failed, or a bad ref."""


def run_git(
    args: Sequence[str], cwd: Path, *, data: bytes | None = None, check: bool = False
) -> subprocess.CompletedProcess[bytes]:
    """Run `git ARGS` in `cwd`; with `check`, a non-zero exit is a `GitError` too."""
    import subprocess

    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"}
    try:
        done = subprocess.run(
            ["git", *args],
            cwd=cwd,
            input=data,
            capture_output=True,
            check=False,
            timeout=TIMEOUT,
            env=env,
        )
    except FileNotFoundError:
        raise GitError("git is needed and was not found on PATH") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"git did not answer within {TIMEOUT}s in {cwd}") from None
    except OSError as exc:
        raise GitError(f"git {args[0]} could not run: {exc}") from None
    if check and done.returncode != 0:
        raise GitError(f"git {args[0]} failed: {done.stderr.decode('utf-8', 'replace')}")
    return done


def find_root(start: Path) -> Path | None:
    """The working-tree top-level above `start` (a file or a folder)."""
    return enclosing_root(start if start.is_dir() else start.parent)


def ref_problem(ref: str) -> str | None:
    """Why `ref` cannot be passed to git (it could be read as an option), or None.

    The one check of a --base ref's text; whether git knows the ref is asked later."""
    if not ref or not ref.strip():
        return "--base needs a git ref (a branch, tag or commit)"
    if ref.startswith("-"):
        return f"--base {ref!r}: a ref may not be empty or start with '-'"
    if any(ch in ref for ch in ("\0", "\n", "\r")) or ref != ref.strip():
        return f"--base {ref!r}: not a valid git ref"
    return None


def check_ref_text(ref: str) -> None:
    problem = ref_problem(ref)
    if problem:
        raise GitError(problem)


@dataclass
class GitBase:
    """One base ref in one repository, with everything read from it cached."""

    ref: str
    root: Path
    commit: str = ""
    _renames: dict[str, str] | None = None
    _shown: dict[str, str | None] = field(default_factory=dict)
    _deleted: list[str] | None = None

    def _git(self, *args: str) -> subprocess.CompletedProcess[bytes]:
        return run_git(args, self.root)

    def verify(self) -> None:
        check_ref_text(self.ref)
        done = self._git("rev-parse", "--verify", "--quiet", f"{self.ref}^{{commit}}")
        if done.returncode != 0:
            raise GitError(f"--base {self.ref!r}: no such commit in the repository at {self.root}")
        self.commit = done.stdout.decode().strip()

    def renames(self) -> dict[str, str]:
        """New path -> old path for files git sees as renamed since the base."""
        if self._renames is None:
            done = self._git("diff", "--name-status", "-M", "-z", self.commit or self.ref, "--")
            self._renames = {}
            if done.returncode == 0:
                parts = done.stdout.decode("utf-8", "surrogateescape").split("\0")
                index = 0
                while index < len(parts):
                    status = parts[index]
                    if status.startswith(("R", "C")) and index + 2 < len(parts):
                        if status.startswith("R"):
                            self._renames[parts[index + 2]] = parts[index + 1]
                        index += 3
                    elif status:
                        index += 2
                    else:
                        index += 1
        return self._renames

    def deleted_plans(self) -> list[str]:
        """Plan files the base has and the working tree does not (renames not paired)."""
        if self._deleted is None:
            from dataplan_lint.files.plan_names import is_plan_name

            done = self._git("diff", "--name-status", "--no-renames", "-z", self.commit, "--")
            parts = done.stdout.decode("utf-8", "surrogateescape").split("\0")
            self._deleted = [
                path
                for status, path in zip(parts[::2], parts[1::2], strict=False)
                if status == "D" and is_plan_name(path.rsplit("/", 1)[-1])
            ]
        return self._deleted

    def plan_name(self, rel: str) -> str | None:
        """`metadata.name` of the plan `rel` at the base (None when it has none)."""
        text = self.show(rel)
        return plan_name(text) if text is not None else None

    def base_path(self, rel: str, text: str | None = None) -> str | None:
        """Where the plan now at `rel` lived at the base, or None when it is new.

        Followed across renames git recognises by content similarity and, for a plan
        moved and rewritten beyond that (git sees a delete and an add), by a deleted
        base plan with the same `metadata.name` as `text`.
        """
        old = self.renames().get(rel, rel)
        if self.show(old) is not None:
            return old
        name = plan_name(text) if text is not None else None
        if name is not None:
            for deleted in self.deleted_plans():
                if self.plan_name(deleted) == name:
                    return deleted
        return None

    def show(self, rel: str) -> str | None:
        """The text of `rel` at the base commit, or None when it does not exist there."""
        if rel not in self._shown:
            done = self._git("show", f"{self.commit or self.ref}:{rel}")
            if done.returncode != 0:
                self._shown[rel] = None
            else:
                self._shown[rel] = done.stdout.decode("utf-8", "replace")
        return self._shown[rel]


def plan_name(text: str) -> str | None:
    """A plan's `metadata.name`, the identity that survives a move and a rewrite."""
    from dataplan_lint.files.loader import load_text

    plan = load_text(text, "<base>").plan
    data = plan.data if plan is not None else None
    metadata = data.get("metadata") if isinstance(data, dict) else None
    name = metadata.get("name") if isinstance(metadata, dict) else None
    return name if isinstance(name, str) and name else None


def open_base(ref: str, plan_file: Path, cache: dict[tuple[str, str], GitBase]) -> GitBase:
    """The (cached) base for the repository holding `plan_file`; raises GitError."""
    check_ref_text(ref)
    root = find_root(plan_file.resolve())
    if root is None:
        raise GitError(f"--base {ref!r}: {plan_file} is not inside a git working tree")
    key = (ref, str(root))
    found = cache.get(key)
    if found is None:
        found = GitBase(ref, root)
        found.verify()
        cache[key] = found
    return found


def validate(ref: str, plan_files: Iterable[Path]) -> dict[tuple[str, str], GitBase]:
    """Check `ref` against the repository of every plan up front (for the CLI)."""
    cache: dict[tuple[str, str], GitBase] = {}
    check_ref_text(ref)
    for plan_file in plan_files:
        open_base(ref, plan_file, cache)
    return cache
