"""Per-file result cache: re-running on unchanged plans reads findings instead of checking.

Like ruff's cache, it lives in the project: `.dataplan-lint-cache/` at the top of the
git working tree holding the current folder (else the current folder), with a
`.gitignore` inside so it is never committed by accident. One entry per checked file,
named by a key over everything its findings depend on:

- the tool's format version and a fingerprint of the installed package, its bundled
  rules and schemas (a code change, even in an editable install, is a new key);
- the run's settings that change findings (the file's resolved configuration, user
  rulesets' contents, the size limit, the JSON Schema policy);
- the file's shown path and its bytes.

Files read while the plan was checked (a contract's `schema_file`, ...) are listed in
the entry with their digests (see files/dependencies.py) and re-hashed on lookup, so an
edited schema file re-checks the plan that points at it.

Trust: an entry only ever says "these were the findings". A repository can carry a
poisoned cache, so the cache is off when `CI` is set (unless `--cache-dir` or
`DATAPLAN_LINT_CACHE=1` asks for it), entries are plain JSON validated field by field
(never pickle), read through files/reader.py (inside the cache folder, regular files,
a size cap), and written through a temporary file in a folder checked not to be a
link. Runs with `--base` are not cached: what they compare depends on the git state of
other files.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dataplan_lint.core.findings import Edit, Finding, Fix, Related, Severity, Span, Suppression
from dataplan_lint.files.dependencies import UNCACHEABLE, current_digest, digest
from dataplan_lint.files.reader import read_optional, read_package_file

if TYPE_CHECKING:
    from dataplan_lint.config.file import LintConfig
    from dataplan_lint.core.report import FileReport
    from dataplan_lint.core.settings import Settings
    from dataplan_lint.files.discovery import Discovered

CACHE_DIR_NAME = ".dataplan-lint-cache"
FORMAT = "2"  # 2: findings keep their fixes
MAX_ENTRY_BYTES = 16 * 1024 * 1024
DISABLE_ENV = "DATAPLAN_LINT_NO_CACHE"
ENABLE_ENV = "DATAPLAN_LINT_CACHE"
DIR_ENV = "DATAPLAN_LINT_CACHE_DIR"

_GITIGNORE = "# Created by dataplan-lint: its result cache, never to be committed.\n*\n"
_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This folder is dataplan-lint's result cache; `dataplan-lint cache clean` removes it.\n"
)


def default_directory(start: Path | None = None) -> Path:
    """$DATAPLAN_LINT_CACHE_DIR, else `.dataplan-lint-cache` at the top of the working tree
    holding `start` (default: the current folder), else in `start` itself."""
    from dataplan_lint.files.git import find_root

    configured = os.environ.get(DIR_ENV, "").strip()
    if configured:
        return Path(configured)
    here = (start or Path.cwd()).absolute()
    return (find_root(here) or here) / CACHE_DIR_NAME


def wanted(no_cache: bool, cache_dir: str | None) -> bool:
    """Whether this run uses the cache: not with --no-cache, not in CI unless asked."""
    if no_cache or os.environ.get(DISABLE_ENV, "").strip() not in ("", "0"):
        return False
    if cache_dir or os.environ.get(DIR_ENV) or os.environ.get(ENABLE_ENV, "") not in ("", "0"):
        return True
    return os.environ.get("CI", "").strip().lower() in ("", "0", "false")


def _is_real_dir(path: Path) -> bool:
    try:
        info = path.lstat()
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode)


def _tool_fingerprint() -> str:
    """Changes whenever the installed code, rules or schemas change.

    An installed wheel is named by its RECORD (every file with its SHA-256): the same
    for every install of the same wheel, so a cache restored on a fresh CI machine (the
    Action's) still matches. A checkout or an editable install, whose files change
    without a new RECORD, is named by its files' sizes and modification times.
    """
    import dataplan_lint
    from dataplan_lint.core.resources import data_dir

    parts = [FORMAT, dataplan_lint.__version__]
    package = Path(dataplan_lint.__file__).parent
    record = package.parent / f"dataplan_lint-{dataplan_lint.__version__}.dist-info" / "RECORD"
    try:
        listed: bytes | None = read_package_file(record, MAX_ENTRY_BYTES)
    except OSError:  # not installed from a wheel
        listed = None
    if listed is not None and b"\ndataplan_lint/__init__.py,sha256=" in b"\n" + listed:
        return digest("\n".join(parts).encode() + b"\n" + listed)
    roots = [package, data_dir("rules"), data_dir("schemas")]
    for root in roots:
        for folder, dirs, names in os.walk(root):
            dirs.sort()
            for name in sorted(names):
                if name.endswith((".py", ".yaml", ".yml", ".json")):
                    info = (Path(folder) / name).stat()
                    parts.append(f"{folder}/{name}:{info.st_size}:{info.st_mtime_ns}")
    return digest("\n".join(parts).encode("utf-8", "surrogateescape"))


def config_fingerprint(config: LintConfig, settings: Settings) -> str:
    """Everything of a file's configuration and run settings that can change its findings."""
    rulesets = []
    for path in config.rulesets:
        rulesets.append(f"{path}={current_digest(str(path))}")
    parts = (
        str(config.path),
        str(config.root),
        config.preset,
        config.select,
        config.extend_select,
        config.ignore,
        sorted(config.severity.items()),
        sorted(config.per_file_ignores.items()),
        repr(config.tolerance),
        rulesets,
        settings.max_file_size,
        settings.json_schema_policy or config.json_schema_policy,
    )
    return digest(repr(parts).encode("utf-8", "surrogateescape"))


def run_key(configs: Sequence[LintConfig], per_file: Sequence[Settings]) -> str:
    """One digest of the installed tool and every configuration (with its rulesets' and
    settings' fingerprints) that files of a run are checked under: what a CI cache (the
    Action's actions/cache step) is keyed on, so a new version or a configuration change
    starts a new cache instead of restoring entries that would all miss."""
    fingerprints = sorted(
        {config_fingerprint(c, s) for c, s in zip(configs, per_file, strict=True)}
    )
    return digest("\n".join([_tool_fingerprint(), *fingerprints]).encode("utf-8"))


class ResultCache:
    """Cached reports for one run, kept under `directory`."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.entries = directory / f"v{FORMAT}"
        self.tool = _tool_fingerprint()
        self.hits = 0
        self.stored = 0

    # ------------------------------------------------------------------ keys

    def key(self, item: Discovered, content: bytes, config_key: str) -> str:
        raw = "\0".join((self.tool, config_key, item.display, digest(content)))
        return digest(raw.encode("utf-8", "surrogateescape"))

    def _entry_path(self, key: str) -> Path:
        return self.entries / key[:2] / f"{key}.json"

    # ------------------------------------------------------------------ read

    def get(self, key: str) -> FileReport | None:
        raw = read_optional(self._entry_path(key), MAX_ENTRY_BYTES, root=self.directory)
        if raw is None:
            return None
        try:
            entry = json.loads(raw)
            report = _report_from_json(entry)
            dependencies = [(str(p), str(d)) for p, d in entry["dependencies"]]
        except (ValueError, TypeError, KeyError, AttributeError):
            return None  # a damaged or foreign entry is a miss, never an error
        if any(current_digest(path) != seen for path, seen in dependencies):
            return None
        self.hits += 1
        return report

    # ------------------------------------------------------------------ write

    def put(self, key: str, report: FileReport, content: bytes) -> None:
        """Store `report` unless it cannot be reproduced exactly from the cache."""
        if report.input_error is not None or not _cacheable(report, content):
            return
        body = json.dumps(_report_to_json(report), ensure_ascii=False, separators=(",", ":"))
        data = body.encode("utf-8", "surrogatepass")
        if len(data) > MAX_ENTRY_BYTES:
            return
        try:
            self._write(self._entry_path(key), data)
        except OSError:
            return  # a read-only or full disk only costs speed
        self.stored += 1

    def _write(self, target: Path, data: bytes) -> None:
        if not self._prepare(target.parent):
            return
        name = target.parent / f".tmp-{os.getpid()}-{os.urandom(4).hex()}"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(name, flags, 0o644)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            name.replace(target)
        except BaseException:
            name.unlink(missing_ok=True)
            raise

    def _prepare(self, folder: Path) -> bool:
        """Create the cache folders; False when any of them is a link or not a folder."""
        top = self.directory
        if not _is_real_dir(top):
            if top.is_symlink() or top.exists():
                return False
            top.mkdir(parents=True, exist_ok=True)
            (top / ".gitignore").write_text(_GITIGNORE, encoding="utf-8")
            (top / "CACHEDIR.TAG").write_text(_CACHEDIR_TAG, encoding="utf-8")
        for path in (self.entries, folder):
            if not _is_real_dir(path):
                if path.is_symlink() or path.exists():
                    return False
                path.mkdir(exist_ok=True)
        return all(_is_real_dir(path) for path in (top, self.entries, folder))


def clean(directory: Path) -> bool:
    """Remove a cache folder (only one that looks like ours); True when one was removed."""
    import shutil

    if not _is_real_dir(directory) or not (directory / "CACHEDIR.TAG").is_file():
        return False
    shutil.rmtree(directory)
    return True


# ---------------------------------------------------------------------- helpers


def _cacheable(report: FileReport, content: bytes) -> bool:
    """Only what JSON carries exactly: string data values, and the plan's own bytes read."""
    if report.plan_digest is not None and report.plan_digest != digest(content):
        return False  # the file changed while it was checked
    if UNCACHEABLE in report.dependencies:
        return False  # it depended on a folder's listing (see files/dependencies.py)
    return all(
        isinstance(key, str) and isinstance(value, str)
        for finding in report.findings
        for key, value in finding.data
    )


def _span_json(span: Span | None) -> list[int] | None:
    return None if span is None else [span.start_line, span.start_col, span.end_line, span.end_col]


def _span_from(value: Any) -> Span | None:
    if value is None:
        return None
    a, b, c, d = (int(part) for part in value)
    return Span(a, b, c, d)


def _finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "rule_id": finding.rule_id,
        "severity": int(finding.severity),
        "message": finding.message,
        "path": finding.path,
        "span": _span_json(finding.span),
        "pointer": finding.pointer,
        "slug": finding.slug,
        "gate": finding.gate,
        "family": finding.family,
        "related": [[r.path, _span_json(r.span), r.message] for r in finding.related],
        "suppression": (
            None
            if finding.suppression is None
            else [finding.suppression.kind, finding.suppression.reason]
        ),
        "data": [list(pair) for pair in finding.data],
        "fix": _fix_json(finding.fix),
    }


def _fix_json(fix: Fix | None) -> dict[str, Any] | None:
    if fix is None:
        return None
    return {
        "title": fix.title,
        "applicability": fix.applicability,
        "edits": [[edit.pointer, edit.value, edit.rename] for edit in fix.edits],
    }


def _fix_from(value: Any) -> Fix | None:
    if value is None:
        return None
    edits = tuple(
        Edit(_text(pointer), new, None if rename is None else _text(rename))
        for pointer, new, rename in value["edits"]
    )
    if any(not isinstance(e.value, str | int | float | type(None)) for e in edits):
        raise TypeError("a fix value must be a scalar")
    return Fix(_text(value["title"]), edits, _text(value["applicability"]))


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected a string")
    return value


def _finding_from(value: dict[str, Any]) -> Finding:
    suppression = value["suppression"]
    return Finding(
        rule_id=_text(value["rule_id"]),
        severity=Severity(int(value["severity"])),
        message=_text(value["message"]),
        path=_text(value["path"]),
        span=_span_from(value["span"]),
        pointer=_text(value["pointer"]),
        slug=_text(value["slug"]),
        gate=int(value["gate"]),
        family=_text(value["family"]),
        related=tuple(
            Related(_text(path), _span_from(span), _text(message))
            for path, span, message in value["related"]
        ),
        suppression=(
            None
            if suppression is None
            else Suppression(_text(suppression[0]), _text(suppression[1]))
        ),
        data=tuple((_text(k), _text(v)) for k, v in value["data"]),
        fix=_fix_from(value.get("fix")),
    )


def _report_to_json(report: FileReport) -> dict[str, Any]:
    return {
        "path": report.path,
        "text": report.text if report.findings else None,
        "findings": [_finding_json(finding) for finding in report.findings],
        "dependencies": [list(dep) for dep in report.dependencies],
    }


def _report_from_json(entry: dict[str, Any]) -> FileReport:
    from dataplan_lint.core.report import FileReport

    text = entry["text"]
    report = FileReport(_text(entry["path"]))
    report.text = None if text is None else _text(text)
    report.findings = [_finding_from(item) for item in entry["findings"]]
    return report


def split_jobs(
    cache: ResultCache,
    jobs: Sequence[tuple[Discovered, Settings]],
    config_keys: Sequence[str],
) -> tuple[dict[int, FileReport], list[int], dict[int, tuple[str, bytes]]]:
    """Reports found in the cache by job index, the indexes left to check, and their keys."""
    found: dict[int, FileReport] = {}
    todo: list[int] = []
    keys: dict[int, tuple[str, bytes]] = {}
    for index, (item, settings) in enumerate(jobs):
        content = item.content
        if content is None:
            content = read_optional(item.path, settings.max_file_size)
        if content is None:
            todo.append(index)  # unreadable: the check reports why
            continue
        key = cache.key(item, content, config_keys[index])
        report = cache.get(key)
        if report is None:
            todo.append(index)
            keys[index] = (key, content)
        else:
            found[index] = report
    return found, todo, keys


def store_all(
    cache: ResultCache,
    reports: Iterable[tuple[int, FileReport]],
    keys: dict[int, tuple[str, bytes]],
) -> None:
    for index, report in reports:
        if index in keys:
            key, content = keys[index]
            cache.put(key, report, content)
