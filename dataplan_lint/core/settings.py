"""Run settings: what the command line and configuration files decide for one run."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dataplan_lint.core.findings import Severity
from dataplan_lint.files.loader import DEFAULT_MAX_BYTES


@dataclass(slots=True)
class Settings:
    fail_on: Severity = Severity.ERROR
    max_file_size: int = DEFAULT_MAX_BYTES
    # Everything the rules engine, compatibility checks and reporters read; filled in by
    # the configuration loader. Kept as a mapping so each part owns its own keys.
    options: dict[str, Any] = field(default_factory=dict)
