"""The output format names, in one place (cheap to import: the command line needs them)."""

from __future__ import annotations

# Each machine-readable format -> its module under dataplan_lint/report/ (with
# `render(run) -> str`); `text` is rendered by report/output.py itself.
RENDERERS = {
    "json": "json_report",
    "sarif": "sarif",
    "github": "github",
    "junit": "junit",
    "gitlab": "gitlab",
    "rdjson": "rdjson",
}
FORMATS = ("text", *RENDERERS)
