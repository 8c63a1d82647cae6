"""Shared fixtures: paths into the repository."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOOD_EXAMPLES = [
    EXAMPLES / "clickstream-sessions",
    EXAMPLES / "orders-cdc",
    EXAMPLES / "ride-trips",
]


@pytest.fixture
def repo_root() -> Path:
    return ROOT


def copy_example(name: str, root: Path, at: str | None = None) -> Path:
    """Copy `examples/<name>` - the plan and every file beside it (ODCS contracts, the dbt
    project and its manifest) - into `root`, and return the copied plan.

    The folder lands at `at` (a path under `root`), by default at its place in this
    repository (`examples/<name>`). A plan's dbt paths are relative to the plan, so they
    move with the folder; its `schema_file` paths are relative to the repository's
    top-level folder (`examples/orders-cdc/contracts/order_items.odcs.yaml`), so a copy
    placed elsewhere has them rewritten to the new place - what a team moving the folder
    would do. `root` is the copy's top level: a real repository when it already holds
    `.git`, else it gets an empty `.git` marker (all the root search looks for; `git init`
    may still run there later).
    """
    home = f"examples/{name}"
    place = at or home
    target = root / place
    shutil.copytree(
        EXAMPLES / name,
        target,
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
        dirs_exist_ok=True,
    )
    plan = target / "dataplan.yaml"
    if place != home:
        prefix = "" if place in ("", ".") else f"{place}/"
        text = plan.read_text(encoding="utf-8")
        plan.write_text(
            text.replace(f"schema_file: {home}/", f"schema_file: {prefix}"), encoding="utf-8"
        )
    if not (root / ".git").exists():
        (root / ".git").mkdir()
    return plan


# The result cache is on by default for people; the suite turns it off for every command
# it runs (in this process and in child processes) so no test writes a cache into the
# repository. tests/test_result_cache.py switches it on inside its temporary folders.
os.environ["DATAPLAN_LINT_NO_CACHE"] = "1"
