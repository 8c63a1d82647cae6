"""Baseline files: adopt the linter on an existing repository and fail only on new findings.

A baseline records the findings of one run keyed by a fingerprint built from things that
survive unrelated edits:

- the rule id;
- the plan's path relative to its repository root (not to the working directory, so a
  baseline written at the root still holds when `check` runs from a sub-folder);
- the finding's JSON pointer with each list position replaced by the item's identity:
  its `id`, `name` or `stage` value when it has one, else a digest of its content
  (`/sources/[id=web_clicks]/kind`), so inserting an item at the top of a list does not
  turn every finding below it into a new one;
- the message with its numbers blanked (`sources[#].kind`).

Never line numbers. Each entry also carries the rule id, path, pointer and message so a
reviewer can read the file. Entries are sorted and the file has a version number.

    {"version": 2, "tool": "dataplan-lint", "entries": [
      {"fingerprint": "...", "rule_id": "DP301", "path": "pipelines/orders/dataplan.yaml",
       "pointer": "/event_semantics/watermark", "message": "...", "count": 1}]}

`count` is how many findings share the fingerprint; a run may match at most that many.
Version 1 files (list positions, paths relative to the working directory) are still
read and matched the old way; regenerating them moves them to version 2.

A baseline is read as untrusted input: regular files only (a FIFO or `/dev/zero` would
hang or exhaust memory), at most `MAX_BYTES`, and nesting too deep for the JSON parser is
a clear error (exit 2), not a traceback.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from dataplan_lint.core.findings import Finding, Suppression
from dataplan_lint.core.report import FileReport
from dataplan_lint.core.safe_text import dump_json

BASELINE_VERSION = 2
LEGACY_VERSION = 1
BASELINE_KIND = "baseline"
MAX_BYTES = 64 * 1024 * 1024


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
    version: int = BASELINE_VERSION

    def by_fingerprint(self) -> dict[str, BaselineEntry]:
        return {entry.fingerprint: entry for entry in self.entries}


@dataclass(frozen=True, slots=True)
class Keyed:
    """A finding with its baseline identity (see the module docstring)."""

    finding: Finding
    fingerprint: str
    path: str  # relative to the repository root
    pointer: str  # list positions replaced by item identities


def keyed(report: FileReport) -> list[Keyed]:
    """The baseline identity of every finding of one file."""
    if not report.findings:
        return []
    from dataplan_lint.pipeline.fingerprints import repository_path, stable_pointer

    path = repository_path(report.path)
    data = _plan_data(report)
    out = []
    for finding in report.findings:
        pointer = stable_pointer(data, finding.pointer)
        out.append(Keyed(finding, _digest(finding, path, pointer), path, pointer))
    return out


def _plan_data(report: FileReport) -> Any:
    if report.text is None:
        return None
    from dataplan_lint.files.loader import load_text

    try:
        loaded = load_text(report.text, report.path)
    except Exception:  # a plan the loader cannot read has no list identities
        return None
    return loaded.plan.data if loaded.plan is not None else None


def _digest(finding: Finding, path: str, pointer: str) -> str:
    import hashlib

    from dataplan_lint.core.findings import blank_numbers

    message = blank_numbers(finding.message)
    raw = "\x1f".join(("v2", finding.rule_id, path, pointer, message))
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def entries_for(reports: Iterable[FileReport]) -> list[BaselineEntry]:
    """The active (unsuppressed) findings of a run as sorted baseline entries."""
    first: dict[str, Keyed] = {}
    counts: Counter[str] = Counter()
    for report in reports:
        for item in keyed(report):
            if item.finding.suppression is not None:
                continue
            counts[item.fingerprint] += 1
            first.setdefault(item.fingerprint, item)
    entries = [
        BaselineEntry(
            fingerprint=key,
            rule_id=item.finding.rule_id,
            path=item.path,
            message=item.finding.message,
            pointer=item.pointer,
            count=counts[key],
        )
        for key, item in first.items()
    ]
    entries.sort(key=lambda entry: (entry.path, entry.rule_id, entry.pointer, entry.fingerprint))
    return entries


def dumps(reports: Iterable[FileReport]) -> str:
    document = {
        "version": BASELINE_VERSION,
        "tool": "dataplan-lint",
        "entries": [entry.to_json() for entry in entries_for(reports)],
    }
    return dump_json(document)


def load(path: str | Path) -> Baseline:
    """Read a baseline file: a regular file of at most MAX_BYTES, never blocking."""
    from dataplan_lint.files.loader import read_limited

    try:
        raw = read_limited(Path(path), MAX_BYTES)
    except OSError as exc:
        raise BaselineError(f"cannot read baseline {path}: {exc.strerror or exc}") from None
    if len(raw) > MAX_BYTES:
        raise BaselineError(f"baseline {path} is larger than {MAX_BYTES:,} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BaselineError(f"baseline {path} is not UTF-8 text") from None
    return parse(text, str(path))


def parse(raw: str, source: str = "<baseline>") -> Baseline:
    try:
        document = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise BaselineError(
            f"baseline {source} is not valid JSON (line {exc.lineno}, column {exc.colno})"
        ) from None
    except RecursionError:
        raise BaselineError(f"baseline {source} is nested too deeply to be a baseline") from None
    if not isinstance(document, dict) or "entries" not in document:
        raise BaselineError(f"baseline {source} is not a dataplan-lint baseline file")
    version = document.get("version")
    if version not in (BASELINE_VERSION, LEGACY_VERSION):
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
    return Baseline(tuple(entries), source, version)


def apply(
    reports: Sequence[FileReport], baseline: Baseline
) -> tuple[list[FileReport], list[BaselineEntry]]:
    """Mark findings found in the baseline as suppressed; return the reports and stale entries.

    Stale entries are those that no longer occur in the files this run checked (an entry
    for a file outside this run is not stale: it was simply not looked at).
    """
    legacy = baseline.version == LEGACY_VERSION
    remaining: Counter[str] = Counter()
    for entry in baseline.entries:
        remaining[entry.fingerprint] += entry.count
    reason = f"in baseline {baseline.source}" if baseline.source else "in baseline"
    out: list[FileReport] = []
    checked: set[str] = set()
    for report in reports:
        findings: list[Finding] = []
        identities = keyed(report)
        checked.add(report.path if legacy else _report_path(report, identities))
        for item in identities:
            finding = item.finding
            key = finding.fingerprint if legacy else item.fingerprint
            if finding.suppression is None and remaining[key] > 0:
                remaining[key] -= 1
                finding = finding.suppressed(Suppression(BASELINE_KIND, reason))
            findings.append(finding)
        out.append(replace(report, findings=findings))
    stale = []
    for entry in baseline.entries:
        left = min(remaining[entry.fingerprint], entry.count)
        if left > 0 and entry.path in checked:
            remaining[entry.fingerprint] -= left
            stale.append(replace(entry, count=left))
    return out, stale


def _report_path(report: FileReport, identities: list[Keyed]) -> str:
    if identities:
        return identities[0].path
    from dataplan_lint.pipeline.fingerprints import repository_path

    return repository_path(report.path)
