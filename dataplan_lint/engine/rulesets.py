"""Read ruleset files (rules/*.yaml, presets, user rulesets) into `Rule` objects.

A clean check must not pay for parsing every rule file's YAML, descriptions and
examples. The run-time fields of the bundled rules are built ahead of time into
`engine/bundled_rules.json` (`python -m dataplan_lint.engine.index_codegen`), used while
its digest matches the rule files' bytes; edited rule files in a checkout are read from
the YAML instead. User rulesets are small and read on each run. Nothing is cached outside
the package. Descriptions and examples are read from the YAML only for `explain`,
`rules` and SARIF (`documents`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from dataplan_lint.core.findings import Severity
from dataplan_lint.core.resources import rules_dir
from dataplan_lint.core.words import did_you_mean
from dataplan_lint.engine.model import Call, Preset, Rule
from dataplan_lint.schema.inputs import Locate, yaml_locator

# Bump when `Rule.to_index`/`from_index` change: the digest of the prebuilt index includes
# it (and the package version), so an index written by other code is never read.
INDEX_FORMAT = 3
PREBUILT = Path(__file__).resolve().parent / "bundled_rules.json"  # see index_codegen


class RulesetError(ValueError):
    """A ruleset file that cannot be used; the message names the file, rule and key."""


@dataclass(frozen=True, slots=True)
class Ruleset:
    """The rules and presets read from a group of files."""

    rules: tuple[Rule, ...] = ()
    presets: Mapping[str, Preset] = field(default_factory=dict)
    extends: str | None = None  # user rulesets: the preset they build on
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RuleDoc:
    """The documentation part of a rule: for `explain`, `rules` and SARIF."""

    description: str = ""
    examples: Mapping[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------- files


def _yaml_files(folder: Path, prefix: str = "") -> list[Path]:
    # Plain listing: Path.glob compiles a regular expression per call, which is most of
    # the cost of finding the rule files on the check path.
    try:
        names = [entry.name for entry in folder.iterdir()]
    except OSError:
        return []
    return [
        folder / name
        for name in sorted(names)
        if name.startswith(prefix) and name.endswith(".yaml")
    ]


def bundled_files() -> list[Path]:
    root = rules_dir()
    return _yaml_files(root, "gate") + _yaml_files(root / "presets")


def _digest(files: Sequence[Path], contents: Sequence[bytes]) -> str:
    from dataplan_lint import __version__
    from dataplan_lint.core.digest import content_digest

    parts = [f"dataplan-lint-rules/{INDEX_FORMAT}/{__version__}".encode()]
    for path, raw in zip(files, contents, strict=True):
        parts += [b"\0" + path.name.encode() + b"\0" + str(len(raw)).encode() + b"\0", raw]
    return content_digest(parts)


# --------------------------------------------------------------------------- loading


def read_all(files: Sequence[Path]) -> list[bytes]:
    return [read_settings_file(path, "ruleset") for path in files]


def _prebuilt(digest: str) -> dict[str, Any] | None:
    """The index built ahead of time, when it was built from these very rule files."""
    from dataplan_lint.files.reader import read_package_file

    try:
        stored = json.loads(read_package_file(PREBUILT))
    except (OSError, ValueError):
        return None
    if not isinstance(stored, dict) or stored.get("source_digest") != digest:
        return None
    index = stored.get("index")
    return index if isinstance(index, dict) else None


def load(files: Sequence[Path], *, kind: str) -> Ruleset:
    """Rules of `files`; `kind` is "bundled" (the prebuilt index when current) or "user"."""
    contents = read_all(files)
    data = _prebuilt(_digest(files, contents)) if kind == "bundled" else None
    if data is None:
        data = _build_index(files, contents, kind)
    return _from_index(data)


@cache
def bundled() -> Ruleset:
    """The rules and presets shipped in rules/."""
    return load(bundled_files(), kind="bundled")


def load_user(path: Path) -> Ruleset:
    """A user's ruleset file (`extends: recommended`, extra `rules:`)."""
    return load([path], kind="user")


def _from_index(data: Mapping[str, Any]) -> Ruleset:
    return Ruleset(
        rules=tuple(Rule.from_index(raw) for raw in data["rules"]),
        presets={name: Preset.from_index(raw) for name, raw in data["presets"].items()},
        extends=data.get("extends"),
        ignore=tuple(data.get("ignore", ())),
        severity=dict(data.get("severity", {})),
    )


# Rulesets and configuration files are as hostile as plans (a pull request can change
# them): they are read with a size limit, only from regular files, and parsed by the
# plans' bounded loader (alias expansion, nesting depth, tags, duplicate keys).
SETTINGS_MAX_BYTES = 1_000_000


def read_settings_file(path: Path, what: str) -> bytes:
    """The bytes of a ruleset or configuration file, or a `RulesetError` saying why not."""
    from dataplan_lint.files.loader import read_limited

    try:
        raw = read_limited(path, SETTINGS_MAX_BYTES)
    except OSError as exc:
        raise RulesetError(f"{path}: cannot read {what}: {exc.strerror or exc}") from None
    if len(raw) > SETTINGS_MAX_BYTES:
        raise RulesetError(
            f"{path}: the {what} file is larger than {SETTINGS_MAX_BYTES:,} bytes; "
            "refusing to read it"
        )
    return raw


def parse_yaml(path: Path, raw: bytes | None = None) -> Any:
    """Parse a ruleset or configuration file through the plans' bounded loader.

    Returns None for a file without a document and `[]` for a document that is not a
    mapping (the caller says what it expected); anything the loader reports as an
    error (invalid YAML, an alias bomb, deep nesting, a tag, a duplicate key) is a
    `RulesetError` with its line and column.
    """
    return parse_yaml_located(path, raw)[0]


def parse_yaml_located(path: Path, raw: bytes | None = None) -> tuple[Any, Locate]:
    """`parse_yaml` and where each key and value of the file sits."""
    from dataplan_lint.files.loader import load_bytes

    if raw is None:
        raw = read_settings_file(path, "ruleset")
    result = load_bytes(raw, str(path))
    if result.plan is None and result.findings:
        problem = result.findings[0]
        if problem.rule_id in ("DP007", "DP004"):
            return (None if problem.rule_id == "DP007" else []), _nowhere
    if result.findings:
        problem = result.findings[0]
        span = problem.span
        where = f"{path}:{span.start_line}:{span.start_col}" if span else str(path)
        message = problem.message.removeprefix("invalid YAML: ")
        if problem.rule_id in ("DP001", "DP003", "DP006"):
            message = f"not valid YAML: {message}"
        raise RulesetError(f"{where}: {message}")
    assert result.plan is not None
    return result.plan.data, yaml_locator(result.plan)


def _nowhere(pointer: str, key: bool) -> None:
    return None


def _build_index(files: Sequence[Path], contents: Sequence[bytes], kind: str) -> dict[str, Any]:
    rules: list[Rule] = []
    presets: dict[str, Preset] = {}
    extends: str | None = None
    ignore: list[str] = []
    severity: dict[str, str] = {}
    for path, raw in zip(files, contents, strict=True):
        data, locate = parse_yaml_located(path, raw)
        if kind == "bundled" and path.parent.name == "presets":
            preset = _preset(path, data)
            presets[preset.name] = preset
            continue
        _check_ruleset(path, data, locate, kind)
        extends = data.get("extends", extends)
        ignore += data.get("ignore", [])
        severity.update(_severity_map(path, data.get("severity", {})))
        for position, item in enumerate(data.get("rules", [])):
            rules.append(_rule(path, position, item, data.get("gate"), locate))
    _check_unique(rules)
    return {
        "format": INDEX_FORMAT,
        "rules": [rule.to_index() for rule in rules],
        "presets": {name: preset.to_index() for name, preset in presets.items()},
        "extends": extends,
        "ignore": ignore,
        "severity": severity,
    }


def _check_ruleset(path: Path, data: Any, locate: Locate, kind: str) -> None:
    """The file against schemas/ruleset.schema.json (every key, type and option)."""
    from dataplan_lint.schema.inputs import RULESET, first_problem

    if not isinstance(data, dict):
        raise RulesetError(f"{path}: a ruleset is a mapping with a `rules:` list")
    if kind == "bundled":
        _no_unknown_keys(path, "ruleset", data, {"gate", "rules"})
    problem = first_problem(data, RULESET, str(path), locate)
    if problem is not None:
        raise RulesetError(problem)


def _rule(path: Path, position: int, item: dict[str, Any], file_gate: Any, locate: Locate) -> Rule:
    """One rule the schema accepted; what it cannot check (a gate from the file or the
    rule, the severity's spelling, `when`) is checked here."""
    from dataplan_lint.engine.when import WhenError, validate

    pointer = f"/rules/{position}"
    spot = locate(pointer, False)
    where = f"{path}:{spot[0]}:{spot[1]}" if spot else str(path)
    where += f": rule {item['id']}"
    gate = item.get("gate", file_gate)
    if gate is None:
        raise RulesetError(f"{where}: `gate` must be a gate number 1-12 (file or rule level)")
    try:
        severity = Severity.parse(item["severity"])
        validate(item.get("when", {}))
    except (ValueError, WhenError) as exc:
        key = "when" if isinstance(exc, WhenError) else "severity"
        raise RulesetError(f"{where}: `{key}`: {exc}") from None
    then = item["then"]
    return Rule(
        id=item["id"],
        slug=item["slug"],
        gate=gate,
        family=item["family"],
        severity=severity,
        message=item["message"].strip(),
        summary=" ".join(item["summary"].split()),
        reference=item.get("reference", ""),
        given=(item["given"],) if isinstance(item["given"], str) else tuple(item["given"]),
        then=tuple(_call(raw) for raw in ([then] if isinstance(then, dict) else then)),
        presets=tuple(item.get("presets", ())),
        source=path.name,
        when=item.get("when", {}),
        fix=item.get("fix", ""),
    )


def _call(raw: dict[str, Any]) -> Call:
    field_ = raw.get("field")
    return Call(raw["function"], field_.strip("/") if field_ else None, raw.get("options") or {})


def _preset(path: Path, data: Any) -> Preset:
    if not isinstance(data, dict):
        raise RulesetError(f"{path}: a preset is a mapping (name, extends, ignore, severity)")
    _no_unknown_keys(path, "preset", data, {"name", "extends", "ignore", "severity", "description"})
    name = data.get("name")
    if not isinstance(name, str) or not name:
        raise RulesetError(f"{path}: a preset needs a `name`")
    extends = data.get("extends")
    if extends is not None and not isinstance(extends, str):
        raise RulesetError(f"{path}: `extends` must name a preset")
    return Preset(
        name=name,
        extends=extends,
        ignore=tuple(_string_list(path, data.get("ignore", []))),
        severity=_severity_map(path, data.get("severity", {})),
        description=str(data.get("description", "")),
    )


def _string_list(path: Path, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise RulesetError(f"{path}: `ignore` must be a list of rule ids, slugs, gates or families")
    return list(value)


def _severity_map(path: Path, value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise RulesetError(f"{path}: `severity` must map rule selectors to error/warning/info")
    out: dict[str, str] = {}
    for key, level in value.items():
        try:
            out[str(key)] = Severity.parse(str(level)).label
        except ValueError as exc:
            raise RulesetError(f"{path}: `severity.{key}`: {exc}") from None
    return out


def _no_unknown_keys(path: Path, where: str, data: Mapping[str, Any], allowed: set[str]) -> None:
    for key in data:
        if key not in allowed:
            raise RulesetError(
                f"{path}: {where}: unknown key `{key}`{did_you_mean(str(key), sorted(allowed))}"
            )


def _check_unique(rules: Iterable[Rule]) -> None:
    seen_ids: dict[str, str] = {}
    seen_slugs: dict[str, str] = {}
    for rule in rules:
        if rule.id in seen_ids:
            raise RulesetError(
                f"{rule.source}: rule id {rule.id} is already used in {seen_ids[rule.id]}"
            )
        if rule.slug in seen_slugs:
            raise RulesetError(
                f"{rule.source}: rule {rule.id}: slug {rule.slug!r} is already used by "
                f"{seen_slugs[rule.slug]}"
            )
        seen_ids[rule.id] = rule.source
        seen_slugs[rule.slug] = rule.id


# --------------------------------------------------------------------------- docs


CHECK_DOCS = "file-checks.yaml"  # pages of the checks written in code (DP0xx)


def check_docs_file() -> Path:
    return rules_dir() / CHECK_DOCS


def documents(files: Sequence[Path] | None = None) -> dict[str, RuleDoc]:
    """Descriptions and examples by rule id (parses the YAML; not for the check path):
    of the bundled rulesets and the checks written in code, or of `files`."""
    docs: dict[str, RuleDoc] = {}
    for path in files if files is not None else [*bundled_files(), check_docs_file()]:
        if path.parent.name == "presets":
            continue
        data = parse_yaml(path)
        for item in _doc_items(data):
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                docs[item["id"]] = RuleDoc(
                    description=str(item.get("description", "")).strip(),
                    examples=item.get("examples") or {},
                )
    return docs


def check_documents() -> dict[str, RuleDoc]:
    """The pages of the checks written in code (DP0xx) alone: one small file."""
    return documents([check_docs_file()])


def _doc_items(data: Any) -> list[Any]:
    if not isinstance(data, dict):
        return []
    items = data.get("rules", data.get("checks", []))
    return items if isinstance(items, list) else []
