"""A plan as it was at the base ref, with the files it reads, in a temporary folder.

`--changed-only` checks the base's version of a changed plan with the same rules and
compares the findings (pipeline/new_findings.py). The check reads more than the plan: its
contracts' schema files (repository-relative) and its dbt project and manifest (relative
to the plan's folder). Those are written at their base versions into a scratch folder
that looks like a repository (it holds an empty `.git`), so every reader resolves them
there exactly as it would in the working tree - and nothing of the working tree leaks
into the base side.

Bounded: at most MAX_FILES files and MAX_BYTES bytes are written (blobs are sized with
`git cat-file --batch-check` before any is read); a path that is absolute, climbs out
with `..` or holds a line break is never written. What does not fit is left out: the
base side may then report a missing file, and a head finding it lacks is reported as
new - an error on the side of showing, never of hiding.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from dataplan_lint.files.git import run_git
from dataplan_lint.files.plan_references import clean_relative

MAX_FILES = 5_000
MAX_BYTES = 64 * 1024 * 1024


def _git(args: list[str], cwd: Path, data: bytes | None = None) -> bytes:
    return run_git(args, cwd, data=data, check=True).stdout


class Snapshot:
    """Writes base blobs of one repository into `folder` (see the module docstring)."""

    def __init__(self, root: Path, commit: str, folder: Path) -> None:
        self.root = root
        self.commit = commit
        self.folder = folder
        (folder / ".git").mkdir(parents=True, exist_ok=True)
        self.written: set[str] = set()
        self.bytes = 0

    def listed(self, folders: Iterable[str]) -> set[str]:
        """Every file under `folders` at the base ("" is the whole repository), bounded."""
        out: set[str] = set()
        for folder in sorted(folders):
            args = ["ls-tree", "-r", "-z", "--name-only", self.commit]
            raw = _git([*args, "--", folder] if folder else args, self.root)
            for name in raw.decode("utf-8", "surrogateescape").split("\0"):
                if name and len(out) < MAX_FILES:
                    out.add(name)
        return out

    def add(self, paths: Iterable[str]) -> None:
        """Write the base version of each path that exists there, within the bounds."""
        wanted = sorted({p for p in (clean_relative(p) for p in paths) if p} - self.written)
        if not wanted:
            return
        sizes = self._sizes(wanted)
        chosen: list[str] = []
        for rel in wanted:
            size = sizes.get(rel)
            if size is None or len(self.written) + len(chosen) >= MAX_FILES:
                continue
            if self.bytes + size > MAX_BYTES:
                continue
            self.bytes += size
            chosen.append(rel)
        for rel, blob in self._blobs(chosen).items():
            target = self.folder / rel
            if not target.resolve().is_relative_to(self.folder.resolve()):
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(blob)
            self.written.add(rel)

    def _query(self, paths: list[str]) -> bytes:
        return "".join(f"{self.commit}:{rel}\n" for rel in paths).encode("utf-8", "surrogateescape")

    def _sizes(self, paths: list[str]) -> dict[str, int]:
        """Size of each path that is a blob at the base (`cat-file --batch-check`)."""
        raw = _git(["cat-file", "--batch-check"], self.root, self._query(paths))
        out: dict[str, int] = {}
        for rel, line in zip(paths, raw.decode("ascii", "replace").splitlines(), strict=False):
            fields = line.split()
            if len(fields) == 3 and fields[1] == "blob" and fields[2].isdigit():
                out[rel] = int(fields[2])
        return out

    def _blobs(self, paths: list[str]) -> dict[str, bytes]:
        """The bytes of each path (`cat-file --batch`, one process for all)."""
        if not paths:
            return {}
        raw = _git(["cat-file", "--batch"], self.root, self._query(paths))
        out: dict[str, bytes] = {}
        at = 0
        for rel in paths:
            end = raw.index(b"\n", at)
            fields = raw[at:end].split()
            at = end + 1
            if len(fields) != 3 or fields[1] != b"blob":
                continue
            size = int(fields[2])
            out[rel] = raw[at : at + size]
            at += size + 1
        return out
