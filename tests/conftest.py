"""Shared fixtures: paths into the repository."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOOD_EXAMPLES = [EXAMPLES / "clickstream-sessions", EXAMPLES / "orders-cdc"]


@pytest.fixture
def repo_root() -> Path:
    return ROOT


# The result cache is on by default for people; the suite turns it off for every command
# it runs (in this process and in child processes) so no test writes a cache into the
# repository. tests/test_result_cache.py switches it on inside its temporary folders.
os.environ["DATAPLAN_LINT_NO_CACHE"] = "1"
