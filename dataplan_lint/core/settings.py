"""Run settings: what the command line and configuration files decide for one run.

One `Settings` holds the run-wide values (from the command line) and, once
`pipeline.configured.per_file_settings` has derived it for a file, that file's
configuration and the values it decides. It is frozen: every derived settings object is
a `dataclasses.replace` of the run's, and no step writes into the settings it was given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from dataplan_lint.core.findings import Severity

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path

DEFAULT_MAX_BYTES = 2_000_000  # largest plan file read unless configured
DEFAULT_TOLERANCE = 0.10  # relative tolerance of the capacity checks unless configured
# How JSON Schema contract content models are judged (compat/jsonschema_diff); the first
# is the default. The configuration schema's enum and `--json-schema-policy` list these.
JSON_SCHEMA_POLICIES = ("strict", "lenient")


class RunConfig(Protocol):
    """What the settings carry of one configuration file (`config.file.LintConfig` is
    the one implementation; declared here so that `core` names no layer above it)."""

    @property
    def path(self) -> Path | None: ...  # the configuration file, None for the defaults

    @property
    def fail_on(self) -> Severity | None: ...

    @property
    def tolerance(self) -> float: ...

    @property
    def max_file_size(self) -> int | None: ...

    @property
    def json_schema_policy(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Given:
    """The values the command line set; None where it said nothing. Kept apart from the
    resolved values so that `--max-file-size 2000000` (the default, given) still beats a
    configuration's smaller `max-file-size` (see pipeline.configured.resolve_settings)."""

    fail_on: Severity | None = None
    max_file_size: int | None = None
    json_schema_policy: str | None = None


@dataclass(frozen=True, slots=True)
class Settings:
    fail_on: Severity = Severity.ERROR
    max_file_size: int = DEFAULT_MAX_BYTES
    # The file's configuration (None: the defaults; see config.file.config_of).
    config: RunConfig | None = None
    # Relative tolerance of the capacity figures: the configuration's `tolerance`.
    tolerance: float = DEFAULT_TOLERANCE
    # How open JSON Schema objects are compared (strict|lenient): `--json-schema-policy`,
    # else the configuration's `json-schema-policy`; None is strict.
    json_schema_policy: str | None = None
    # The git ref compatibility checks compare against (`--base`), validated by the CLI.
    base: str | None = None
    # The base of each repository, opened once per run and shared by every derived
    # settings object: (ref, repository root) -> files.git.GitBase (see
    # files.git.open_base; typed loosely here, `core` names no layer above it).
    git_bases: dict[tuple[str, str], Any] = field(default_factory=dict, compare=False)
    # The date waivers and date versions are judged on (None: today in UTC).
    today: dt.date | None = None
    # `check --timings`: each file's report carries its stage and rule times.
    timings: bool = False
    # What the command line said, before any configuration was weighed.
    given: Given = field(default_factory=Given)
