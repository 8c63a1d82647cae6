"""Baseline files: adopt the linter on an existing repository and fail only on new findings.

A baseline records the findings of one run keyed by `Finding.fingerprint` (rule, file,
JSON pointer and message with numbers blanked - never line numbers), so edits that only
move lines keep matching. Each entry also carries the rule id, path and message so a
reviewer can read the file. Entries are sorted and the file has a version number.

    {"version": 1, "tool": "dataplan-lint", "entries": [
      {"fingerprint": "...", "rule_id": "DP301", "path": "dataplan.yaml",
       "pointer": "/event_semantics/watermark", "message": "...", "count": 1}]}

`count` is how many findings share the fingerprint; a run may match at most that many.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from dataplan_lint.findings import Finding, Suppression
from dataplan_lint.runner import FileReport

BASELINE_VERSION = 1
BASELINE_KIND = "baseline"


class BaselineError(Exception):
    """The baseline file cannot be read or is not a baseline (exit 2)."""


@dataclass(frozen=True, slots=True)
class BaselineEntry:
    fingerprint: str
    rule_id: str
    path: str
    message: str
    pointer: str = ""
    count: int = 1

    def to_json(self) -> dict[str, Any]:
        return {
            "fingerprint": self.fingerprint,
            "rule_id": self.rule_id,
            "path": self.path,
            "pointer": self.pointer,
            "message": self.message,
            "count": self.count,
        }


@dataclass(frozen=True, slots=True)
class Baseline:
    entries: tuple[BaselineEntry, ...]
    source: str = ""

    def by_fingerprint(self) -> dict[str, BaselineEntry]:
        return {entry.fingerprint: entry for entry in self.entries}


def entries_for(reports: Iterable[FileReport]) -> list[BaselineEntry]:
    """The active (unsuppressed) findings of a run as sorted baseline entries."""
    first: dict[str, Finding] = {}
    counts: Counter[str] = Counter()
    for report in reports:
        for finding in report.findings:
            if finding.suppression is not None:
                continue
            key = finding.fingerprint
            counts[key] += 1
            first.setdefault(key, finding)
    entries = [
        BaselineEntry(
            fingerprint=key,
            rule_id=finding.rule_id,
            path=finding.path,
            message=finding.message,
            pointer=finding.pointer,
            count=counts[key],
        )
        for key, finding in first.items()
    ]
    entries.sort(key=lambda entry: (entry.path, entry.rule_id, entry.pointer, entry.fingerprint))
    return entries


def dumps(reports: Iterable[FileReport]) -> str:
    document = {
        "version": BASELINE_VERSION,
        "tool": "dataplan-lint",
        "entries": [entry.to_json() for entry in entries_for(reports)],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def load(path: str | Path) -> Baseline:
    try:
        raw = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise BaselineError(f"cannot read baseline {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise BaselineError(f"baseline {path} is not UTF-8 text") from None
    return parse(raw, str(path))


def parse(raw: str, source: str = "<baseline>") -> Baseline:
    try:
        document = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise BaselineError(
            f"baseline {source} is not valid JSON (line {exc.lineno}, column {exc.colno})"
        ) from None
    if not isinstance(document, dict) or "entries" not in document:
        raise BaselineError(f"baseline {source} is not a dataplan-lint baseline file")
    version = document.get("version")
    if version != BASELINE_VERSION:
        raise BaselineError(
            f"baseline {source} has version {version!r}; this dataplan-lint reads version "
            f"{BASELINE_VERSION} (regenerate it with `dataplan-lint baseline`)"
        )
    raw_entries = document["entries"]
    if not isinstance(raw_entries, list):
        raise BaselineError(f"baseline {source}: `entries` must be a list")
    entries: list[BaselineEntry] = []
    for index, item in enumerate(raw_entries):
        if not isinstance(item, dict) or not isinstance(item.get("fingerprint"), str):
            raise BaselineError(f"baseline {source}: entry {index} has no fingerprint")
        count = item.get("count", 1)
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise BaselineError(f"baseline {source}: entry {index} has a bad count {count!r}")
        entries.append(
            BaselineEntry(
                fingerprint=item["fingerprint"],
                rule_id=str(item.get("rule_id", "")),
                path=str(item.get("path", "")),
                message=str(item.get("message", "")),
                pointer=str(item.get("pointer", "")),
                count=count,
            )
        )
    return Baseline(tuple(entries), source)


def apply(
    reports: Sequence[FileReport], baseline: Baseline
) -> tuple[list[FileReport], list[BaselineEntry]]:
    """Mark findings found in the baseline as suppressed; return the reports and stale entries.

    Stale entries are those that no longer occur in the files this run checked (an entry
    for a file outside this run is not stale: it was simply not looked at).
    """
    remaining: Counter[str] = Counter(
        {entry.fingerprint: entry.count for entry in baseline.entries}
    )
    reason = f"in baseline {baseline.source}" if baseline.source else "in baseline"
    out: list[FileReport] = []
    for report in reports:
        findings: list[Finding] = []
        for finding in report.findings:
            key = finding.fingerprint
            if finding.suppression is None and remaining[key] > 0:
                remaining[key] -= 1
                finding = finding.suppressed(Suppression(BASELINE_KIND, reason))
            findings.append(finding)
        out.append(replace(report, findings=findings))
    checked = {report.path for report in reports}
    stale = [
        replace(entry, count=remaining[entry.fingerprint])
        for entry in baseline.entries
        if remaining[entry.fingerprint] > 0 and entry.path in checked
    ]
    return out, stale
