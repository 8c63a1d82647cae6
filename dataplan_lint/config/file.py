"""Configuration: `[tool.dataplan-lint]` in pyproject.toml or `.dataplan-lint.yaml`.

The configuration for a plan is the nearest one found walking up from the plan's folder
(a `.dataplan-lint.yaml` wins over a `pyproject.toml` in the same folder; a
pyproject.toml without a `[tool.dataplan-lint]` table is skipped); `--config FILE`
overrides the search. Keys (snake_case spellings are accepted too):

- `preset`: `recommended` (default) or `strict`.
- `select`: only these rules (ids, slugs, `gate:N`, families or `all`);
  `extend-select` adds rules (for example strict-only ones) to the preset's.
- `ignore`: rules to switch off (same selectors).
- `severity`: selector -> `error` / `warning` / `info`.
- `per-file-ignores`: glob (relative to the config's folder) -> selectors.
- `fail-on`: lowest severity that fails the run.
- `tolerance`: relative tolerance of the capacity checks (default 0.10).
- `rulesets`: extra ruleset files (paths relative to the config's folder).
- `max-file-size`: largest plan file read, in bytes.
- `json-schema-policy`: `strict` (default) or `lenient` judgement of JSON Schema content
  models in compatibility checks (see references/schema-evolution.md).

Unknown keys and bad values are a `ConfigError`, which the CLI turns into exit 2.
"""

from __future__ import annotations

import contextlib
import fnmatch
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dataplan_lint.core.findings import Severity
from dataplan_lint.core.rules import BUILTIN_RULES, RuleMeta, is_named
from dataplan_lint.core.settings import DEFAULT_TOLERANCE
from dataplan_lint.engine.model import FAMILIES

if TYPE_CHECKING:
    from dataplan_lint.core.settings import Settings
    from dataplan_lint.engine.model import Rule
    from dataplan_lint.engine.rulesets import Ruleset
    from dataplan_lint.schema.inputs import Locate

CONFIG_NAMES = (".dataplan-lint.yaml", ".dataplan-lint.yml")
PYPROJECT = "pyproject.toml"
# Every family a selector may name: those of the checks written in code, then the rules'.
FAMILY_SELECTORS = (
    *dict.fromkeys(info.family for info in BUILTIN_RULES.values()),
    *FAMILIES,
)


class ConfigError(ValueError):
    """A configuration that cannot be used: names the file, the key and the reason."""


@dataclass(slots=True)
class LintConfig:
    """One resolved configuration (the defaults when no file was found)."""

    path: Path | None = None
    root: Path = field(default_factory=Path.cwd)
    preset: str | None = None
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)
    per_file_ignores: dict[str, tuple[str, ...]] = field(default_factory=dict)
    fail_on: Severity | None = None
    tolerance: float = DEFAULT_TOLERANCE
    rulesets: tuple[Path, ...] = ()
    max_file_size: int | None = None
    json_schema_policy: str | None = None
    from_command_line: set[str] = field(default_factory=set)  # keys set by CLI options
    _active: list[tuple[Rule, Severity]] | None = None
    _selected_ids: frozenset[str] | None = None
    _rule_ids: frozenset[str] | None = None
    _infos: dict[str, RuleMeta] = field(default_factory=dict)
    _overrides: dict[str, Severity] | None = None

    # ------------------------------------------------------------------ rules

    def user_rulesets(self) -> list[Ruleset]:
        """The extra rulesets, read and checked (their functions must exist)."""
        from dataplan_lint.engine.registry import UnknownFunction, get, option_problems
        from dataplan_lint.engine.rulesets import RulesetError, load_user

        out = []
        for path in self.rulesets:
            try:
                ruleset = load_user(path)
                for rule in ruleset.rules:
                    for call in rule.then:
                        try:
                            get(call.function)
                        except UnknownFunction as exc:
                            raise RulesetError(f"{path}: rule {rule.id}: {exc}") from None
                        for problem in option_problems(call.function, call.options):
                            raise RulesetError(f"{path}: rule {rule.id}: {problem}")
            except RulesetError as exc:
                message = str(exc)  # names the ruleset file, with a position when it can
                if not message.startswith(str(path)):
                    message = f"{self._where('rulesets')}: {message}"
                raise ConfigError(message) from None
            out.append(ruleset)
        return out

    def effective_preset(self) -> str:
        if self.preset:
            return self.preset
        for ruleset in self.user_rulesets():
            if ruleset.extends:
                return ruleset.extends
        return "recommended"

    def active_rules(self) -> list[tuple[Rule, Severity]]:
        """The rules to run, in catalog order, each with its effective severity."""
        if self._active is None:
            self._resolve()
        assert self._active is not None
        return self._active

    def _resolve(self) -> None:
        from dataplan_lint.engine.rulesets import bundled

        base = bundled()
        user = self.user_rulesets()
        rules = list(base.rules) + [rule for ruleset in user for rule in ruleset.rules]
        known = [r.meta for r in rules] + list(BUILTIN_RULES.values())
        self._check_selectors(known)
        self._infos = {info.id: info for info in known}
        chain = _preset_chain(base.presets, self.effective_preset(), self._where("preset"))
        ignored: list[str] = []
        overrides: list[tuple[str, str]] = []
        for preset in chain:
            ignored += preset.ignore
            overrides += list(preset.severity.items())
        for ruleset in user:
            ignored += ruleset.ignore
            overrides += list(ruleset.severity.items())
        names = {preset.name for preset in chain}
        enabled = []
        for rule in rules:
            info = rule.meta
            on = (not rule.presets or bool(names & set(rule.presets))) and not _any(info, ignored)
            if self.select is not None:
                on = (on and _any(info, self.select)) or _any(info, self.select, exact=True)
            if _any(info, self.extend_select):
                on = True
            if _any(info, self.ignore):
                on = False
            if on:
                enabled.append(rule)
        overrides += list(self.severity.items())
        self._overrides = {}
        for info in known:
            level = _override(info, overrides)
            if level is not None:
                self._overrides[info.id] = level
        self._active = [
            (rule, self._overrides.get(rule.id, rule.severity))
            for rule in sorted(enabled, key=lambda r: _id_key(r.id))
        ]
        self._selected_ids = frozenset(rule.id for rule, _ in self._active)
        self._rule_ids = frozenset(rule.id for rule in rules)

    def _check_selectors(self, known: Sequence[RuleMeta]) -> None:
        from dataplan_lint.core.words import did_you_mean

        words = [info.id for info in known] + [info.slug for info in known]
        groups: list[tuple[str, Iterable[str]]] = [
            ("select", self.select or ()),
            ("extend-select", self.extend_select),
            ("ignore", self.ignore),
            ("severity", self.severity),
        ]
        groups += [
            (f"per-file-ignores.{glob}", selectors)
            for glob, selectors in self.per_file_ignores.items()
        ]
        for key, selectors in groups:
            for selector in selectors:
                if not any(_matches(info, selector) for info in known):
                    if _is_group_selector(selector):
                        continue  # a valid gate/family with no rules yet
                    raise ConfigError(
                        f"{self._where(key)}: unknown rule {selector!r}"
                        f"{did_you_mean(selector, words + list(FAMILY_SELECTORS))}; "
                        "use a rule id (DP301), a slug, gate:N, a family or all"
                    )

    def is_selected(self, rule_id: str) -> bool:
        """Whether findings of this rule are reported.

        Ruleset rules: when the configuration selects them. Rules defined in code
        (file, schema, suppression checks and other stages) stay unless ignored.
        """
        if self._selected_ids is None or self._rule_ids is None:
            self._resolve()
        assert self._selected_ids is not None and self._rule_ids is not None
        if rule_id in self._rule_ids:
            return rule_id in self._selected_ids
        return not self._ignored_builtin(rule_id)

    def selects_section(self, rule_id: str, gate: int) -> bool:
        """Whether a schema finding (DP011-DP017) in a section of gate `gate` is reported:
        with `select` given, only when a selector names the rule, its family or `all`,
        or selects that gate (`--select gate:6` drops the schema findings of other
        sections, as it drops their rules)."""
        if self.select is None:
            return True
        info = self._info(rule_id)
        if info is None:
            return True
        for selectors in (self.select, self.extend_select):
            if _any(info, selectors) or any(_selects_gate(s, gate) for s in selectors):
                return True
        return False

    def _ignored_builtin(self, rule_id: str) -> bool:
        info = self._info(rule_id)
        return info is not None and _any(info, self.ignore)

    def severity_override(self, rule_id: str) -> Severity | None:
        if self._overrides is None:
            self._resolve()
        assert self._overrides is not None
        return self._overrides.get(rule_id)

    def ignored_in_file(self, rule_id: str, display_path: str) -> bool:
        if not self.per_file_ignores:
            return False
        info = self._info(rule_id)
        if info is None:
            return False
        candidates = {display_path}
        with contextlib.suppress(ValueError, OSError):
            candidates.add(Path(display_path).resolve().relative_to(self.root).as_posix())
        for glob, selectors in self.per_file_ignores.items():
            if any(_glob_match(path, glob) for path in candidates) and _any(info, selectors):
                return True
        return False

    def _info(self, rule_id: str) -> RuleMeta | None:
        if self._rule_ids is None:
            self._resolve()
        return self._infos.get(rule_id)

    def _where(self, key: str) -> str:
        if key in self.from_command_line:
            return f"--{key}"
        source = str(self.path) if self.path else "configuration"
        return f"{source}: {key}"


# ---------------------------------------------------------------------- selectors


def _id_key(rule_id: str) -> tuple[str, int]:
    prefix = rule_id.rstrip("0123456789")
    digits = rule_id[len(prefix) :]
    return (prefix, int(digits) if digits else 0)


def _is_group_selector(selector: str) -> bool:
    text = selector.strip().lower()
    if text in FAMILY_SELECTORS or text == "all":
        return True
    if text.startswith("gate:"):
        number = text[5:].strip()
        return number.isdigit() and 0 <= int(number) <= 12
    return False


def _matches(info: RuleMeta, selector: str, exact: bool = False) -> bool:
    text = selector.strip()
    if is_named(info, text):
        return True
    if exact:
        return False
    lower = text.lower()
    if lower == "all":
        return True
    if lower.startswith("gate:"):
        number = lower[5:].strip()
        return number.isdigit() and int(number) == info.gate
    return lower == info.family


def _selects_gate(selector: str, gate: int) -> bool:
    text = selector.strip().lower()
    return text.startswith("gate:") and text[5:].strip() == str(gate)


def _any(info: RuleMeta, selectors: Iterable[str], exact: bool = False) -> bool:
    return any(_matches(info, selector, exact) for selector in selectors)


def _override(info: RuleMeta, overrides: Sequence[tuple[str, str]]) -> Severity | None:
    """The override that applies; later beats earlier, a rule id/slug beats a group."""
    found: Severity | None = None
    found_rank = -1
    for selector, level in overrides:
        if not _matches(info, selector):
            continue
        rank = 1 if _matches(info, selector, exact=True) else 0
        if rank >= found_rank:
            found, found_rank = Severity.parse(level), rank
    return found


def _glob_match(path: str, glob: str) -> bool:
    pattern = glob.lstrip("./") if glob.startswith("./") else glob
    if fnmatch.fnmatchcase(path, pattern):
        return True
    if "/" not in pattern:
        return fnmatch.fnmatchcase(path.rsplit("/", 1)[-1], pattern)
    return fnmatch.fnmatchcase(path, pattern.rstrip("/") + "/*")


def _preset_chain(presets: Mapping[str, Any], name: str, where: str) -> list[Any]:
    from dataplan_lint.core.words import did_you_mean

    chain: list[Any] = []
    current: str | None = name
    while current is not None:
        preset = presets.get(current)
        if preset is None:
            raise ConfigError(
                f"{where}: unknown preset {current!r}{did_you_mean(current, presets)}; "
                f"expected one of: {', '.join(sorted(presets))}"
            )
        if preset in chain:
            raise ConfigError(f"{where}: presets extend each other in a circle ({current})")
        chain.insert(0, preset)
        current = preset.extends
    return chain


# ---------------------------------------------------------------------- reading


def _selector_list(value: str | list[str]) -> tuple[str, ...]:
    """Selectors as written: a list, or one comma-separated string (the schema checked
    which)."""
    items = [part for part in value.split(",") if part.strip()] if isinstance(value, str) else value
    return tuple(item.strip() for item in items)


# A configuration comes from the repository, which a pull request can change; it may
# name rulesets inside the repository (or its own folder) only. Whoever runs the tool
# can allow other paths with `--allow-external-rulesets` or this variable set to 1.
ALLOW_EXTERNAL_ENV = "DATAPLAN_LINT_ALLOW_EXTERNAL_RULESETS"
_EXTERNAL_RULESETS = {"allowed": False}


def allow_external_rulesets(allowed: bool) -> None:
    """Set by the command line's `--allow-external-rulesets` (for this process)."""
    _EXTERNAL_RULESETS["allowed"] = allowed


def _external_allowed() -> bool:
    return _EXTERNAL_RULESETS["allowed"] or os.environ.get(ALLOW_EXTERNAL_ENV) == "1"


def _ruleset_path(root: Path, name: str, where: str) -> Path:
    """The ruleset file `name` names, resolved (symlinks too) and kept inside the repository."""
    from dataplan_lint.files.discovery import repository_root

    try:
        file = (root / name).resolve()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop
        raise ConfigError(f"{where}: ruleset file {name!r} cannot be resolved: {exc}") from None
    if not _external_allowed():
        inside = (root, repository_root(str(root)).resolve())
        if not any(file.is_relative_to(folder) for folder in inside):
            raise ConfigError(
                f"{where}: ruleset file {name!r} resolves to {file.as_posix()}, outside the "
                "repository and the configuration's folder; a configuration may only name "
                "rulesets inside them (run with --allow-external-rulesets to allow it)"
            )
    if not file.is_file():
        problem = "is not a regular file" if file.exists() else "does not exist"
        raise ConfigError(f"{where}: ruleset file {name!r} {problem}")
    return file


def parse_config(raw: Any, path: Path | None, locate: Locate | None = None) -> LintConfig:
    """Validate a configuration mapping read from `path` (None: built in).

    The schema (`schemas/config.schema.json`) checks every key and value type, with the
    position `locate` gives; what it cannot check - severities, the tolerance's range,
    the ruleset files - is read below.
    """
    from dataplan_lint.schema.inputs import CONFIG, first_problem

    source = str(path) if path else "configuration"
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: the configuration must be a mapping of keys")
    spelled = {_kebab(str(key)): key for key in raw}  # snake_case works too
    data = {name: raw[key] for name, key in spelled.items()}
    at = _as_written(locate, spelled)
    problem = first_problem(data, CONFIG, source, at)
    if problem is not None:
        raise ConfigError(problem)
    config = LintConfig(path=path, root=path.parent.resolve() if path else Path.cwd())
    for key, value in data.items():
        position = at(f"/{key}", False)
        where = f"{source}:{position[0]}:{position[1]}: {key}" if position else f"{source}: {key}"
        _READERS[key](config, value, where)
    return config


def _kebab(key: str) -> str:
    """A known key written in snake_case, in kebab-case; any other key as written."""
    name = key.replace("_", "-")
    return name if name in _READERS else key


def _as_written(locate: Locate | None, spelled: Mapping[str, Any]) -> Locate:
    """`locate` for pointers that use the kebab-case key names."""

    def at(pointer: str, key: bool) -> tuple[int, int] | None:
        if locate is None:
            return None
        head, _, rest = pointer[1:].partition("/")
        written = str(spelled.get(head, head)).replace("~", "~0").replace("/", "~1")
        return locate("/" + written + (f"/{rest}" if rest else ""), key)

    return at


def _read_severities(config: LintConfig, levels: dict[str, str], where: str) -> None:
    for key, level in levels.items():
        try:
            config.severity[str(key)] = Severity.parse(level).label
        except ValueError as exc:
            raise ConfigError(f"{where}.{key}: {exc}") from None


def _read_fail_on(config: LintConfig, level: str, where: str) -> None:
    try:
        config.fail_on = Severity.parse(level)
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from None


def _read_tolerance(config: LintConfig, written: float | str, where: str) -> None:
    value: Any = written
    if isinstance(value, str) and value.strip().endswith("%"):
        with contextlib.suppress(ValueError):
            value = float(value.strip()[:-1]) / 100
    if isinstance(value, str) or not 0 <= value < 1:
        raise ConfigError(
            f"{where}: expected a fraction between 0 and 1 such as 0.1 "
            f"(or a percentage such as '10%'), got {written!r}"
        )
    config.tolerance = float(value)


def _read_rulesets(config: LintConfig, files: str | list[str], where: str) -> None:
    names = [files] if isinstance(files, str) else files
    config.rulesets = tuple(_ruleset_path(config.root, name, where) for name in names)


def _read_per_file_ignores(config: LintConfig, table: dict[str, Any], where: str) -> None:
    config.per_file_ignores = {str(glob): _selector_list(items) for glob, items in table.items()}


def _setter(name: str, convert: Any = None) -> Any:
    def read(config: LintConfig, value: Any, where: str) -> None:
        setattr(config, name, convert(value) if convert else value)

    return read


# Each key (after the schema) -> how it is read into a LintConfig.
_READERS: dict[str, Any] = {
    "preset": _setter("preset"),
    "select": _setter("select", _selector_list),
    "extend-select": _setter("extend_select", _selector_list),
    "ignore": _setter("ignore", _selector_list),
    "severity": _read_severities,
    "per-file-ignores": _read_per_file_ignores,
    "fail-on": _read_fail_on,
    "tolerance": _read_tolerance,
    "rulesets": _read_rulesets,
    "max-file-size": _setter("max_file_size"),
    "json-schema-policy": _setter("json_schema_policy"),
}


def read_config_file(path: Path) -> LintConfig:
    """Read `.dataplan-lint.yaml` or the `[tool.dataplan-lint]` table of a pyproject.toml."""
    from dataplan_lint.engine.rulesets import RulesetError, parse_yaml_located, read_settings_file

    try:
        raw_bytes = read_settings_file(path, "configuration")
    except RulesetError as exc:
        raise ConfigError(str(exc)) from None
    if path.name == PYPROJECT or path.suffix == ".toml":
        from dataplan_lint.config.toml_positions import toml_locator

        document = _parse_toml(path, raw_bytes)
        table = document.get("tool", {}).get("dataplan-lint")
        within: tuple[str, ...] = ("tool", "dataplan-lint")
        if table is None and path.name != PYPROJECT:
            table, within = document, ()
        return parse_config(table or {}, path, toml_locator(raw_bytes.decode("utf-8"), within))
    try:
        data, locate = parse_yaml_located(path, raw_bytes)
    except RulesetError as exc:
        raise ConfigError(str(exc)) from None
    return parse_config(data, path, locate)


# TOML nesting a configuration can need is a handful of levels; tomllib is recursive, so
# a thousand nested arrays would end in a RecursionError.
TOML_MAX_DEPTH = 100


def _parse_toml(path: Path, raw: bytes) -> dict[str, Any]:
    import tomllib

    depth = _bracket_depth(raw)
    if depth > TOML_MAX_DEPTH:
        raise ConfigError(
            f"{path}: not valid configuration: arrays and tables nest about {depth} levels "
            f"deep; at most {TOML_MAX_DEPTH} are allowed"
        )
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: not valid configuration: nesting is too deep") from None


def _bracket_depth(raw: bytes) -> int:
    """An over-estimate of TOML nesting: open brackets and braces, quotes ignored."""
    depth = deepest = 0
    for byte in raw.translate(None, delete=_NOT_BRACKETS):
        if byte in b"[{":
            depth += 1
            deepest = max(deepest, depth)
        elif depth:
            depth -= 1
    return deepest


_NOT_BRACKETS = bytes(byte for byte in range(256) if byte not in b"[]{}")


def _has_tool_table(path: Path) -> bool:
    from dataplan_lint.files.loader import read_limited

    try:
        text = read_limited(path, 1_000_000).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return "tool.dataplan-lint" in text or 'tool."dataplan-lint"' in text


def find_config_file(start: Path) -> Path | None:
    """The nearest configuration file at or above `start` (a folder or a file)."""
    folder = start if start.is_dir() else start.parent
    folder = folder.resolve()
    for candidate in (folder, *folder.parents):
        for name in CONFIG_NAMES:
            path = candidate / name
            if path.is_file():
                return path
        path = candidate / PYPROJECT
        if path.is_file() and _has_tool_table(path):
            return path
    return None


class ConfigResolver:
    """Finds and caches the configuration of each checked file.

    `override` is the `--config FILE`; `select`/`ignore` come from the command line and
    replace (select) or extend (ignore) what the file says.
    """

    def __init__(
        self,
        override: Path | None = None,
        select: Sequence[str] | None = None,
        ignore: Sequence[str] = (),
    ) -> None:
        self.override = override
        self.select = tuple(select) if select else None
        self.ignore = tuple(ignore)
        self._by_file: dict[Path | None, LintConfig] = {}

    def for_path(self, plan_path: Path) -> LintConfig:
        file = self.override if self.override is not None else find_config_file(plan_path)
        if file not in self._by_file:
            if file is not None and self.override is None:
                _refuse_escaping_symlink(file)
            config = read_config_file(file) if file is not None else LintConfig()
            if self.select is not None:
                config.select = self.select
                config.from_command_line.add("select")
            if self.ignore:
                config.ignore = config.ignore + self.ignore
                config.from_command_line.add("ignore")
            config.active_rules()  # validates selectors and rulesets now, not mid-run
            self._by_file[file] = config
        return self._by_file[file]


def _refuse_escaping_symlink(file: Path) -> None:
    """A configuration found in the repository may not be a symlink out of it: its keys
    would be echoed in error messages (a secret file read as YAML). `--config` may name
    any file: whoever runs the tool chose it."""
    from dataplan_lint.files.discovery import escapes_repository

    target = escapes_repository(file)
    if target is not None:
        raise ConfigError(
            f"{file}: is a symlink to {target.as_posix()}, outside the repository; "
            "refusing to read it as configuration"
        )


def default_config() -> LintConfig:
    return _DEFAULT.setdefault("config", LintConfig())


_DEFAULT: dict[str, LintConfig] = {}


def config_of(settings: Settings) -> LintConfig:
    """The configuration the CLI attached to these settings, else the defaults."""
    config = settings.config
    if config is None:
        return default_config()
    if not isinstance(config, LintConfig):
        raise TypeError(f"settings carry a {type(config).__name__}, not a LintConfig")
    return config
