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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from dataplan_lint.core import regexes
from dataplan_lint.core.findings import Finding, last_line
from dataplan_lint.core.report import FileReport
from dataplan_lint.files.git import GitError, find_root, run_git

# Schema files larger than this are not read to compare; they count as changed.
MAX_COMPARED_BYTES = 16 * 1024 * 1024
# Regions between anchors up to this many line pairs are matched exhaustively.
MAX_MATCHED_CELLS = 40_000
_ALWAYS_KEPT_FAMILIES = {"compatibility"}
_ALWAYS_KEPT_RULES = {"DP099"}
_CONTRACT = regexes.CONTRACT_POINTER.compile()


def check_ref(ref: str, cwd: Path | None = None) -> str:
    """Validate a base ref and return the commit it names."""
    from dataplan_lint.files.git import ref_problem

    where = cwd or Path.cwd()
    problem = ref_problem(ref)
    if problem:
        raise GitError(problem)
    done = run_git(
        ["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], where
    )
    if done.returncode != 0:
        stderr = done.stderr.decode("utf-8", "replace")
        detail = "" if "not a git repository" not in stderr else " (not a git repository)"
        raise GitError(f"unknown base ref {ref!r}{detail}")
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
    removal (a required key deleted) is still shown. The diff is patience-style: lines
    that occur once on each side anchor the match, and only small regions between
    anchors are matched exhaustively (`difflib`, quadratic), so hostile inputs - thousands
    of equal lines shifted by one - stay near-linear. A region with no anchor and too big
    to match is marked changed as a whole: slower matching is never traded for hiding.
    """
    a, b = git_lines(old), git_lines(new)
    lines: set[int] = set()
    regions = [(0, len(a), 0, len(b))]
    while regions:
        a0, a1, b0, b1 = regions.pop()
        while a0 < a1 and b0 < b1 and a[a0] == b[b0]:
            a0, b0 = a0 + 1, b0 + 1
        while a0 < a1 and b0 < b1 and a[a1 - 1] == b[b1 - 1]:
            a1, b1 = a1 - 1, b1 - 1
        if a0 == a1 and b0 == b1:
            continue
        if a0 == a1 or b0 == b1 or (a1 - a0) * (b1 - b0) <= MAX_MATCHED_CELLS:
            _mark(a[a0:a1], b[b0:b1], b0, len(b), lines)
            continue
        anchors = _unique_anchors(a, a0, a1, b, b0, b1)
        if not anchors:
            lines.update(range(b0 + 1, b1 + 1))
            continue
        previous_i, previous_j = a0, b0
        for i, j in anchors:
            regions.append((previous_i, i, previous_j, j))
            previous_i, previous_j = i + 1, j + 1
        regions.append((previous_i, a1, previous_j, b1))
    return frozenset(lines)


def _mark(a: list[str], b: list[str], offset: int, total: int, lines: set[int]) -> None:
    """Mark the changed lines of one small region, matched exhaustively."""
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, _, _, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if j2 > j1:
            lines.update(range(offset + j1 + 1, offset + j2 + 1))
        else:  # deleted lines: the lines before and after the gap
            gap = offset + j1
            lines.update(n for n in (gap, gap + 1) if 1 <= n <= max(total, 1))


def _unique_anchors(
    a: list[str], a0: int, a1: int, b: list[str], b0: int, b1: int
) -> list[tuple[int, int]]:
    """Pairs (i, j) of lines unique in both ranges, in the longest increasing run of j."""
    from collections import Counter

    count_a = Counter(a[a0:a1])
    count_b = Counter(b[b0:b1])
    where_b = {b[j]: j for j in range(b0, b1) if count_b[b[j]] == 1}
    pairs = [(i, where_b[a[i]]) for i in range(a0, a1) if count_a[a[i]] == 1 and a[i] in where_b]
    # Longest increasing subsequence of j (patience sorting with back-links).
    tails: list[int] = []
    tail_index: list[int] = []
    back: list[int] = [-1] * len(pairs)
    for index, (_, j) in enumerate(pairs):
        place = bisect.bisect_left(tails, j)
        if place == len(tails):
            tails.append(j)
            tail_index.append(index)
        else:
            tails[place] = j
            tail_index[place] = index
        back[index] = tail_index[place - 1] if place else -1
    chain: list[tuple[int, int]] = []
    at = tail_index[-1] if tail_index else -1
    while at >= 0:
        chain.append(pairs[at])
        at = back[at]
    return chain[::-1]


class LineMap:
    """Tool line numbers -> git line numbers (they differ only where a lone CR occurs,
    which YAML and the tool treat as a line break and git does not)."""

    _LONE_CR = regexes.LONE_CR.compile()
    _TOOL_BREAKS = regexes.LINE_BREAK.compile()

    def __init__(self, text: str) -> None:
        self._tool: list[int] | None = None
        self._git: list[int] = []
        if self._LONE_CR.search(text):
            self._tool = [0, *(m.end() for m in self._TOOL_BREAKS.finditer(text))]
            self._git = [0, *(m.end() for m in regexes.GIT_LINE_BREAK.compile().finditer(text))]

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
        from dataplan_lint.files.git import GitBase

        self.root = root
        self.git = GitBase(ref, root)
        self.git.verify()
        self._blobs: dict[str, bytes | None] = {}

    def blob(self, rel: str) -> bytes | None:
        """The bytes of `rel` at the base (`git cat-file blob`), or None when absent."""
        if rel not in self._blobs:
            done = run_git(["cat-file", "blob", f"{self.git.commit}:{rel}"], self.root)
            self._blobs[rel] = done.stdout if done.returncode == 0 else None
        return self._blobs[rel]

    def base_path(self, rel: str, text: str | None) -> str | None:
        return self.git.base_path(rel, text)

    def file_changed(self, rel: str) -> bool:
        """Whether `rel` (repository-relative) differs between the base and the worktree.

        The worktree side is hostile: a symlink leading out of the repository, a FIFO, a
        device or a file past MAX_COMPARED_BYTES is never read and counts as changed.
        """
        from dataplan_lint.files.loader import read_limited

        path = self.root / rel
        try:
            if not path.resolve().is_relative_to(self.root.resolve()):
                return True
            now: bytes | None = read_limited(path, MAX_COMPARED_BYTES)
        except FileNotFoundError:
            now = None
        except (OSError, RuntimeError):  # not a regular file, unreadable, a symlink loop
            return True
        if now is not None and len(now) > MAX_COMPARED_BYTES:
            return True
        return now != self.blob(rel)


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


class FileFilter:
    """Decides, for the findings of one plan file, which ones the change is responsible for."""

    def __init__(self, report: FileReport, tree: BaseTree, rel: str, ref: str) -> None:
        self.report = report
        self.tree = tree
        self.base_prefix = ref + ":"
        text = report.text
        if text is None:
            from dataplan_lint.files.loader import read_limited

            try:
                text = read_limited(Path(report.path)).decode("utf-8", "replace")
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
    reports: Sequence[FileReport],
    ref: str,
    cwd: Path | None = None,
    more: Callable[[int, FileReport, FileFilter, BaseTree, str], set[int]] | None = None,
) -> list[FileReport]:
    """Drop findings the change since `ref` is not responsible for (GitError on
    an unusable ref or a failing git).

    `more(index, report, filter, tree, rel)` may name further findings to keep (by `id`)
    for a report some of whose findings the line filter drops (pipeline/new_findings.py).
    """
    where = cwd or Path.cwd()
    check_ref(ref, where)
    trees: dict[Path, BaseTree] = {}
    out: list[FileReport] = []
    for index, report in enumerate(reports):
        if report.input_error or not report.findings:
            out.append(report)
            continue
        path = (where / report.path).resolve()
        root = find_root(path)
        if root is None:  # outside any repository: nothing to compare with
            out.append(report)
            continue
        tree = trees.get(root)
        if tree is None:
            tree = trees[root] = BaseTree(root, ref)
        rel = path.relative_to(root).as_posix()
        decider = FileFilter(report, tree, rel, ref)
        unparsable = any(f.family == "file" for f in report.findings)
        kept = {id(f) for f in report.findings if decider.keep(f, unparsable)}
        if more is not None and len(kept) < len(report.findings):
            kept |= more(index, report, decider, tree, rel)
        out.append(replace(report, findings=[f for f in report.findings if id(f) in kept]))
    return out
