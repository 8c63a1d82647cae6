"""Run settings: what the command line and configuration files decide for one run.

One `Settings` holds the run-wide values (from the command line) and, once
`pipeline.configured.per_file_settings` has derived it for a file, that file's
configuration and the values it decides. It is frozen: every derived settings object is
a `dataclasses.replace` of the run's, and no step writes into the settings it was given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dataplan_lint.core.findings import Severity

if TYPE_CHECKING:
    import datetime as dt

    from dataplan_lint.config.file import LintConfig
    from dataplan_lint.files.git import GitBase

DEFAULT_MAX_BYTES = 2_000_000  # largest plan file read unless configured
DEFAULT_TOLERANCE = 0.10  # relative tolerance of the capacity checks unless configured


@dataclass(frozen=True, slots=True)
class Settings:
    fail_on: Severity = Severity.ERROR
    max_file_size: int = DEFAULT_MAX_BYTES
    # The file's configuration (None: the defaults; see config.file.config_of).
    config: LintConfig | None = None
    # Relative tolerance of the capacity figures: the configuration's `tolerance`.
    tolerance: float = DEFAULT_TOLERANCE
    # How open JSON Schema objects are compared (strict|lenient): `--json-schema-policy`,
    # else the configuration's `json-schema-policy`; None is strict.
    json_schema_policy: str | None = None
    # The git ref compatibility checks compare against (`--base`), validated by the CLI.
    base: str | None = None
    # The base of each repository, opened once per run and shared by every derived
    # settings object: (ref, repository root) -> GitBase (see files.git.open_base).
    git_bases: dict[tuple[str, str], GitBase] = field(default_factory=dict, compare=False)
    # The date waivers and date versions are judged on (None: today in UTC).
    today: dt.date | None = None
