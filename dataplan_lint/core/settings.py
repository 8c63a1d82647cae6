"""Run settings: what the command line and configuration files decide for one run."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dataplan_lint.core.findings import Severity

DEFAULT_MAX_BYTES = 2_000_000  # largest plan file read unless configured
DEFAULT_TOLERANCE = 0.10  # relative tolerance of the capacity checks unless configured


@dataclass(slots=True)
class Settings:
    fail_on: Severity = Severity.ERROR
    max_file_size: int = DEFAULT_MAX_BYTES
    # Everything the rules engine, compatibility checks and reporters read; filled in by
    # the configuration loader. Kept as a mapping so each part owns its own keys.
    options: dict[str, Any] = field(default_factory=dict)
