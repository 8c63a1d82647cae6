"""The complete file a rule's documented example stands for.

`explain` shows an example as its ruleset writes it: usually a snippet merged into one
of the example plans shipped with the tool. The test suite checks each example as the
whole file it stands for, and `explain RULE --example fail` prints that file, so the
examples can be checked from an installed wheel too. The forms (rules/README.md):

- a string, or `{yaml, remove, base}`: an overlay merged into a base plan (mappings key by
  key, list entries by position, `{}` keeps an entry; a list of plain values replaces
  the list); `remove` deletes JSON pointers from the base first; a snippet with
  `apiVersion` at its top is a whole plan;
- `{file, encoding}`: the whole file as written (saved in `encoding`, default UTF-8), for
  files that fail before they are a plan (invalid YAML, a list, two documents, ...);
- `{text, replaces, base}`: the base plan's text with the lines `replaces` changed to
  `text`, for what an overlay cannot carry (comments, a repeated key, a tag);
- any mapping form may add `config`: configuration keys the example is checked with.

Ruleset files are as hostile as plans, so snippets are parsed by the plans' bounded
loader, a base is one of the shipped example plans, and an encoding is one of a few.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dataplan_lint.core.pointers import split
from dataplan_lint.core.resources import data_dir

DEFAULT_BASE = "clickstream-sessions"
BASES = ("clickstream-sessions", "orders-cdc", "ride-trips")
ENCODINGS = ("utf-8", "latin-1", "utf-16")


class ExampleError(ValueError):
    """An example that does not describe a file (names the problem)."""


@dataclass(frozen=True, slots=True)
class ExampleFile:
    """The bytes of the file an example stands for, and the configuration to check it with."""

    content: bytes
    config: Mapping[str, Any] = field(default_factory=dict)


def base_path(name: str) -> Path:
    """Where the shipped example plan `name` is (the checkout's examples/, or the wheel's)."""
    if name not in BASES:
        raise ExampleError(f"unknown base plan {name!r}; expected one of: {', '.join(BASES)}")
    return data_dir("examples") / name / "dataplan.yaml"


def base_text(name: str = DEFAULT_BASE) -> str:
    from dataplan_lint.files.reader import read_package_file

    return read_package_file(base_path(name)).decode("utf-8")


def kind(example: Any) -> str:
    """ "overlay", "file" or "edit": how `build` reads the example."""
    if isinstance(example, Mapping):
        if "file" in example:
            return "file"
        if "text" in example:
            return "edit"
    return "overlay"


def shown_text(example: Any) -> str:
    """The example as `explain` shows it."""
    if not isinstance(example, Mapping):
        return str(example or "")
    if "file" in example:
        return str(example["file"])
    if "text" in example:
        return str(example["text"])
    text = str(example.get("yaml", ""))
    removed = example.get("remove") or []
    return "".join(f"# (no {pointer})\n" for pointer in removed) + text


def base_name(example: Any) -> str:
    name = example.get("base", DEFAULT_BASE) if isinstance(example, Mapping) else DEFAULT_BASE
    return str(name)


def config_of(example: Any) -> Mapping[str, Any]:
    config = example.get("config") if isinstance(example, Mapping) else None
    if config is None:
        return {}
    if not isinstance(config, Mapping):
        raise ExampleError("`config` must map configuration keys to values")
    return dict(config)


def build(example: Any) -> ExampleFile:
    """The file `example` stands for (an `ExampleError` when it does not describe one)."""
    form = kind(example)
    config = config_of(example)
    if form == "file":
        encoding = str(example.get("encoding", "utf-8")).lower()
        if encoding not in ENCODINGS:
            raise ExampleError(f"`encoding` must be one of: {', '.join(ENCODINGS)}")
        return ExampleFile(str(example["file"]).encode(encoding), config)
    if form == "edit":
        return ExampleFile(_edited(example).encode("utf-8"), config)
    return ExampleFile(_overlaid(example).encode("utf-8"), config)


def _edited(example: Mapping[str, Any]) -> str:
    """The base plan with the run of lines `replaces` (written without the indentation
    they have in the plan) changed to `text`, indented alike."""
    name = base_name(example)
    base = base_text(name).splitlines(keepends=True)
    old = str(example.get("replaces", "")).splitlines()
    new = str(example["text"]).splitlines()
    found = [
        (start, indent)
        for start in range(len(base) - len(old) + 1)
        if old
        for indent in [_indent(base[start])]
        if all(_line(base[start + k]) == _indented(indent, line) for k, line in enumerate(old))
    ]
    if len(found) != 1:
        raise ExampleError(f"`replaces` must be lines found exactly once in the {name} plan")
    start, indent = found[0]
    lines = [_indented(indent, line) + "\n" for line in new]
    return "".join(base[:start] + lines + base[start + len(old) :])


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" "))]


def _line(line: str) -> str:
    return line.rstrip("\r\n")


def _indented(indent: str, line: str) -> str:
    return indent + line if line else ""


def _overlaid(example: Any) -> str:
    if isinstance(example, Mapping):
        text = str(example.get("yaml", ""))
        removed = [str(pointer) for pointer in example.get("remove") or []]
    else:
        text, removed = str(example or ""), []
    overlay = _parse(text)
    if isinstance(overlay, dict) and "apiVersion" in overlay and not removed:
        return text
    data = copy.deepcopy(_parse(base_text(base_name(example))))
    for pointer in removed:
        _remove(data, pointer)
    return _dump(merge(data, overlay or {}))


def _parse(text: str) -> Any:
    from dataplan_lint.files.loader import load_text

    if not text.strip():
        return {}
    result = load_text(text, "example")
    if result.plan is None:
        problem = result.findings[0].message if result.findings else "not a mapping"
        raise ExampleError(f"the example is not a YAML mapping: {problem}")
    return result.plan.data


def _dump(data: Any) -> str:
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.sort_base_mapping_type_on_output = False  # type: ignore[assignment]
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def merge(base: Any, overlay: Any) -> Any:
    """`overlay` merged into `base`: mappings key by key, lists of mappings by position."""
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


def _remove(data: Any, pointer: str) -> None:
    parent = data
    tokens = split(pointer)
    try:
        for token in tokens[:-1]:
            parent = parent[int(token)] if isinstance(parent, list) else parent[token]
        if isinstance(parent, list):
            del parent[int(tokens[-1])]
        else:
            parent.pop(tokens[-1], None)
    except (KeyError, IndexError, ValueError, TypeError, AttributeError):
        raise ExampleError(f"`remove`: {pointer!r} is not in the base plan") from None
