"""Where the bundled data folders (schemas, rules, references) live.

In a wheel they are copied into ``dataplan_lint/_data/``; in a source checkout or an
editable install they are the top-level folders next to the package.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


@cache
def data_dir(name: str) -> Path:
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name


def schemas_dir() -> Path:
    return data_dir("schemas")


def rules_dir() -> Path:
    return data_dir("rules")
