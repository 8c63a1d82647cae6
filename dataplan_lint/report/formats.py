"""The output format names, in one place (cheap to import: the command line needs them)."""

from __future__ import annotations

FORMATS = ("text", "json", "sarif", "github", "junit", "gitlab", "rdjson")
