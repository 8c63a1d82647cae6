"""Test support: build the plan a rule's `explain` example stands for.

An example is YAML text merged into a base plan (by default the clickstream example):
mappings merge key by key, lists entry by entry (the snippet's first entry merges into
the plan's first entry; extra entries are appended; `{}` keeps an entry as it is; a list of
plain values, or an empty list, replaces the list). The mapping form
`{yaml, remove, base}` first deletes the JSON pointers in `remove` from the base. A
snippet with `apiVersion` at its top is a whole plan and is used as it is.
"""

from __future__ import annotations

import copy
import io
from pathlib import Path
from typing import Any

from dataplan_lint.core.pointers import split

DEFAULT_BASE = "clickstream-sessions"


def merge(base: Any, overlay: Any) -> Any:
    if isinstance(base, dict) and isinstance(overlay, dict):
        out = dict(base)
        for key, value in overlay.items():
            out[key] = merge(base[key], value) if key in base else value
        return out
    if (
        isinstance(base, list)
        and isinstance(overlay, list)
        and overlay
        and all(isinstance(item, dict) for item in overlay)
    ):
        out_list = list(base)
        for index, value in enumerate(overlay):
            if index < len(out_list):
                out_list[index] = merge(out_list[index], value)
            else:
                out_list.append(value)
        return out_list
    return overlay


def remove(data: Any, pointer: str) -> None:
    tokens = split(pointer)
    parent = data
    for token in tokens[:-1]:
        parent = parent[int(token)] if isinstance(parent, list) else parent[token]
    last = tokens[-1]
    if isinstance(parent, list):
        del parent[int(last)]
    else:
        parent.pop(last, None)


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]
    return yaml


def load_base(examples_dir: Path, name: str = DEFAULT_BASE) -> Any:
    return _yaml().load((examples_dir / name / "dataplan.yaml").read_text(encoding="utf-8"))


def build(example: Any, examples_dir: Path) -> str:
    """The YAML text of the complete plan an example describes."""
    if isinstance(example, dict):
        text = str(example.get("yaml", ""))
        removed = list(example.get("remove") or [])
        base_name = str(example.get("base", DEFAULT_BASE))
    else:
        text, removed, base_name = str(example or ""), [], DEFAULT_BASE
    yaml = _yaml()
    overlay = yaml.load(text) if text.strip() else {}
    if isinstance(overlay, dict) and "apiVersion" in overlay and not removed:
        return text
    data = copy.deepcopy(load_base(examples_dir, base_name))
    for pointer in removed:
        remove(data, pointer)
    merged = merge(data, overlay or {})
    out = io.StringIO()
    yaml.dump(merged, out)
    return out.getvalue()
