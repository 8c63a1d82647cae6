"""The bundled schema as editors and other validators should see it.

The plan schemas mark quantities with custom formats (`dp-duration`, ...), which only
dataplan-lint checks: yaml-language-server and check-jsonschema skip formats they do not
know, so `delay: 15 minutes` would pass them. The exported document adds to every
quantity a `pattern` that accepts exactly what the tool's grammar accepts, and the
accepted units to its description.
"""

from __future__ import annotations

import copy
from typing import Any

from dataplan_lint.core import quantities

FORMAT_PREFIX = "dp-"
# The exported schema, committed under schemas/ (and so shipped in the wheel): example
# plans and `init` point their yaml-language-server modeline at a file like it.
# `python -m dataplan_lint.schema.codegen` rewrites it; a test fails while it is stale.
COMMITTED = "editor/dataplan.schema.json"
_UNITS = {
    "duration": quantities.DURATION_UNITS,
    "size": quantities.SIZE_UNITS,
    "count": quantities.COUNT_UNITS,
}


def editor_schema() -> dict[str, Any]:
    """The bundled schema with every quantity format also written as a `pattern`."""
    from dataplan_lint.schema.bundle import bundled_schema

    document = copy.deepcopy(bundled_schema())
    _add_patterns(document)
    return document


def editor_schema_text() -> str:
    """The exported schema as `dataplan-lint schema` prints and writes it."""
    import json

    return json.dumps(editor_schema(), indent=2, ensure_ascii=False) + "\n"


def units_text(kind: str) -> str:
    """The units a quantity of `kind` accepts, as a sentence part."""
    per = ", ".join(f"/{unit}" for unit in quantities.PER_UNITS)
    if kind in _UNITS:
        names = ", ".join(unit for unit in _UNITS[kind] if unit)
        plain = " (or none)" if kind == "count" else ""
        return f"{names}{plain}"
    if kind == "event-rate":
        count = ", ".join(unit for unit in quantities.COUNT_UNITS if unit)
        return f"an optional {count} suffix, then one of {per}"
    if kind == "byte-rate":
        size = ", ".join(quantities.SIZE_UNITS)
        return f"one of {size}, then one of {per}"
    return "%"


def _add_patterns(node: Any) -> None:
    if isinstance(node, dict):
        fmt = node.get("format")
        if isinstance(fmt, str) and fmt.startswith(FORMAT_PREFIX):
            kind = fmt[len(FORMAT_PREFIX) :]
            if kind in quantities.KINDS:
                node["pattern"] = quantities.format_regex(kind)
                text = str(node.get("description", "")).rstrip()
                node["description"] = f"{text} Accepted units: {units_text(kind)}.".lstrip()
        for value in node.values():
            _add_patterns(value)
    elif isinstance(node, list):
        for value in node:
            _add_patterns(value)
