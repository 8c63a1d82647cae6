"""`--changed-only`: keep the findings a change is responsible for.

What changed is computed from the file contents themselves: the base blob (`git cat-file
blob REF:path`) against the working tree, compared line by line here - never from `git
diff` output, which `.gitattributes` (`-diff`, `binary`, diff drivers, textconv) can turn
into "Binary files differ" or rewrite. Lines are counted the way git and GitHub count
them: only LF ends a line (a NUL byte, U+2028 or a lone CR does not); the loader puts
positions on those lines, and a file with lone CRs (which YAML breaks at) is mapped.

A finding is kept when

- its span, or one of its related locations, touches a changed line (a related location
  in another file counts when that file changed at all);
- it sits in a contract whose block or whose schema file (`schema_file`, also in its
  history) changed - a breaking edit in `orders.avsc` is reported on the plan's
  unchanged `schema_file:` line;
- it is a compatibility finding (the comparison with the base judges the change itself),
  an internal error, or any finding of a file that no longer parses.

A plan is followed to its base across renames (git's similarity detection) and rewrites
(a deleted base plan with the same `metadata.name`); a plan with no base is changed
throughout. git runs with an argument list, never through a shell; a ref starting with
`-` is refused before git sees it.
"""

from __future__ import annotations

import bisect
import difflib
import os
import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from dataplan_lint.core.findings import Finding
from dataplan_lint.pipeline.runner import FileReport
from dataplan_lint.report.model import last_line

_TIMEOUT = 60
# Past this many differing lines (after the common head and tail are set aside) the
# middle is marked changed as a whole instead of diffed: never slower, never hides.
MAX_DIFF_LINES = 20_000
_ALWAYS_KEPT_FAMILIES = {"compatibility"}
_ALWAYS_KEPT_RULES = {"DP099"}
_CONTRACT = re.compile(r"^/contracts/(\d+)(?:/|$)")


class ChangedLinesError(Exception):
    """The base ref is unusable or git failed (exit 2)."""


def _git(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"}
    try:
        return subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, check=False, timeout=_TIMEOUT, env=env
        )
    except FileNotFoundError:
        raise ChangedLinesError("git is not installed or not on PATH") from None
    except subprocess.TimeoutExpired:
        raise ChangedLinesError(f"git did not answer within {_TIMEOUT}s in {cwd}") from None


def check_ref(ref: str, cwd: Path | None = None) -> str:
    """Validate a base ref and return the commit it names."""
    where = cwd or Path.cwd()
    if not ref or ref.startswith("-"):
        raise ChangedLinesError(
            f"invalid base ref {ref!r}: a ref may not be empty or start with '-'"
        )
    done = _git(
        ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], where
    )
    if done.returncode != 0:
        stderr = done.stderr.decode("utf-8", "replace")
        detail = "" if "not a git repository" not in stderr else " (not a git repository)"
        raise ChangedLinesError(f"unknown base ref {ref!r}{detail}")
    return done.stdout.decode().strip()


# -- lines ---------------------------------------------------------------------------------


def git_lines(text: str) -> list[str]:
    """Lines as git counts them: split at LF only; a final LF does not open a line."""
    if not text:
        return []
    return text.removesuffix("\n").split("\n")


def changed_lines(old: str, new: str) -> frozenset[int]:
    """1-based line numbers of `new` (git's counting) added or changed since `old`.

    A pure deletion marks the lines on both sides of the gap, so a finding caused by a
    removal (a required key deleted) is still shown.
    """
    a, b = git_lines(old), git_lines(new)
    head = 0
    while head < len(a) and head < len(b) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < len(a) - head and tail < len(b) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    mid_a, mid_b = a[head : len(a) - tail], b[head : len(b) - tail]
    if not mid_a and not mid_b:
        return frozenset()
    lines: set[int] = set()
    opcodes: Sequence[tuple[str, int, int, int, int]]
    if len(mid_a) + len(mid_b) > MAX_DIFF_LINES:
        opcodes = [("replace", 0, len(mid_a), 0, len(mid_b))]
    else:
        matcher = difflib.SequenceMatcher(None, mid_a, mid_b, autojunk=False)
        opcodes = matcher.get_opcodes()
    for tag, _, _, j1, j2 in opcodes:
        if tag == "equal":
            continue
        if j2 > j1:
            lines.update(range(head + j1 + 1, head + j2 + 1))
        else:  # deleted lines: the lines before and after the gap
            lines.update(n for n in (head + j1, head + j1 + 1) if 1 <= n <= max(len(b), 1))
    return frozenset(lines)


class LineMap:
    """Tool line numbers -> git line numbers (they differ only where a lone CR occurs,
    which YAML and the tool treat as a line break and git does not)."""

    _LONE_CR = re.compile(r"\r(?!\n)")
    _TOOL_BREAKS = re.compile(r"\r\n|[\r\n]")

    def __init__(self, text: str) -> None:
        self._tool: list[int] | None = None
        self._git: list[int] = []
        if self._LONE_CR.search(text):
            self._tool = [0, *(m.end() for m in self._TOOL_BREAKS.finditer(text))]
            self._git = [0, *(m.end() for m in re.finditer("\n", text))]

    def __call__(self, line: int) -> int:
        if self._tool is None:
            return line
        offset = self._tool[min(max(line, 1), len(self._tool)) - 1]
        return bisect.bisect_right(self._git, offset)


# -- the repository at the base ------------------------------------------------------------


class BaseTree:
    """One repository at the base: the plan paths and base versions `compat.gitbase`
    reads (renames, rewrites by plan name), plus raw blobs for byte comparisons."""

    def __init__(self, root: Path, ref: str) -> None:
        from dataplan_lint.files.git import BaseError, GitBase

        self.root = root
        self.git = GitBase(ref, root)
        try:
            self.git.verify()
        except BaseError as exc:
            raise ChangedLinesError(str(exc)) from None
        self._blobs: dict[str, bytes | None] = {}

    def blob(self, rel: str) -> bytes | None:
        """The bytes of `rel` at the base (`git cat-file blob`), or None when absent."""
        if rel not in self._blobs:
            done = _git(["cat-file", "blob", f"{self.git.commit}:{rel}"], self.root)
            self._blobs[rel] = done.stdout if done.returncode == 0 else None
        return self._blobs[rel]

    def base_path(self, rel: str, text: str | None) -> str | None:
        return self.git.base_path(rel, text)

    def file_changed(self, rel: str) -> bool:
        """Whether `rel` (repository-relative) differs between the base and the worktree."""
        try:
            now: bytes | None = (self.root / rel).read_bytes()
        except OSError:
            now = None
        return now != self.blob(rel)


def repository_root(path: Path) -> Path | None:
    for folder in (path.parent, *path.parent.parents):
        if (folder / ".git").exists():
            return folder
    return None


# -- the filter ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FileChanges:
    """The changed lines of one file (git's numbering); `everything` for a new file."""

    lines: frozenset[int] = frozenset()
    everything: bool = False

    @property
    def any(self) -> bool:
        return self.everything or bool(self.lines)

    def touches(self, first: int, last: int) -> bool:
        if self.everything:
            return True
        return any(line in self.lines for line in range(first, last + 1))


class _FileFilter:
    """Decides, for the findings of one plan file, which ones the change is responsible for."""

    def __init__(self, report: FileReport, tree: BaseTree, rel: str, ref: str) -> None:
        self.report = report
        self.tree = tree
        self.base_prefix = ref + ":"
        text = report.text
        if text is None:
            try:
                text = Path(report.path).read_bytes().decode("utf-8", "replace")
            except OSError:
                text = ""
        self.text = text
        self.map = LineMap(text)
        base = tree.base_path(rel, text)
        if base is None:
            self.changes = FileChanges(everything=True)
        else:
            old = tree.blob(base) or b""
            self.changes = FileChanges(changed_lines(old.decode("utf-8", "replace"), text))
        self._plan: Any = None

    def touches(self, span: Any) -> bool:
        if span is None:
            return self.changes.any
        return self.changes.touches(self.map(span.start_line), self.map(last_line(span)))

    def plan(self) -> Any:
        if self._plan is None:
            from dataplan_lint.files.loader import load_text

            self._plan = load_text(self.text, self.report.path).plan or False
        return self._plan or None

    def contract_changed(self, index: int) -> bool:
        plan = self.plan()
        if plan is None:
            return False
        if self.touches(plan.span(f"/contracts/{index}")):
            return True
        contracts = plan.data.get("contracts") if isinstance(plan.data, dict) else None
        if not isinstance(contracts, list) or index >= len(contracts):
            return False
        contract = contracts[index]
        holders = [contract] if isinstance(contract, dict) else []
        history = contract.get("history") if isinstance(contract, dict) else None
        if isinstance(history, list):
            holders += [item for item in history if isinstance(item, dict)]
        return any(self.schema_file_changed(h.get("schema_file")) for h in holders)

    def schema_file_changed(self, rel: Any) -> bool:
        from dataplan_lint.compat.schema_files import Refused, check_relative

        if not isinstance(rel, str):
            return False
        try:
            return self.tree.file_changed(check_relative(rel))
        except Refused:
            return True  # an unsafe schema_file is always worth showing

    def related_changed(self, finding: Finding) -> bool:
        for item in finding.related:
            if item.path == finding.path:
                if item.span is not None and self.touches(item.span):
                    return True
            elif not item.path.startswith(self.base_prefix):  # base-side places never change
                target = Path(item.path).resolve()
                inside = target.is_relative_to(self.tree.root)
                if inside and self.tree.file_changed(target.relative_to(self.tree.root).as_posix()):
                    return True
        return False

    def keep(self, finding: Finding, unparsable: bool) -> bool:
        if unparsable or finding.family in _ALWAYS_KEPT_FAMILIES:
            return True
        if finding.rule_id in _ALWAYS_KEPT_RULES:
            return True
        if self.touches(finding.span) or self.related_changed(finding):
            return True
        match = _CONTRACT.match(finding.pointer)
        return match is not None and self.contract_changed(int(match.group(1)))


def filter_reports(
    reports: Sequence[FileReport], ref: str, cwd: Path | None = None
) -> list[FileReport]:
    """Drop findings the change since `ref` is not responsible for (ChangedLinesError on
    an unusable ref or a failing git)."""
    where = cwd or Path.cwd()
    check_ref(ref, where)
    trees: dict[Path, BaseTree] = {}
    out: list[FileReport] = []
    for report in reports:
        if report.input_error or not report.findings:
            out.append(report)
            continue
        path = (where / report.path).resolve()
        root = repository_root(path)
        if root is None:  # outside any repository: nothing to compare with
            out.append(report)
            continue
        tree = trees.get(root)
        if tree is None:
            tree = trees[root] = BaseTree(root, ref)
        decider = _FileFilter(report, tree, path.relative_to(root).as_posix(), ref)
        unparsable = any(f.family == "file" for f in report.findings)
        kept = [f for f in report.findings if decider.keep(f, unparsable)]
        out.append(replace(report, findings=kept))
    return out
