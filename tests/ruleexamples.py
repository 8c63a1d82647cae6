"""Test support: the plan a rule's `explain` example stands for.

The builder lives in the package (`dataplan_lint.engine.examples`, also behind
`explain RULE --example fail|pass`); these helpers keep the tests' older call shape.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dataplan_lint.engine import examples
from dataplan_lint.engine.examples import DEFAULT_BASE, merge

__all__ = ["DEFAULT_BASE", "build", "load_base", "merge"]


def load_base(examples_dir: Path, name: str = DEFAULT_BASE) -> Any:
    from ruamel.yaml import YAML

    text = (examples_dir / name / "dataplan.yaml").read_text(encoding="utf-8")
    return YAML(typ="safe", pure=True).load(text)


def build(example: Any, examples_dir: Path | None = None) -> str:
    """The YAML text of the complete plan an example describes (from the shipped bases,
    which in a checkout are the files under examples/)."""
    del examples_dir  # the package reads the same files
    return examples.build(example).content.decode("utf-8")
