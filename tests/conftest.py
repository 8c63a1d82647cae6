"""Shared fixtures: paths into the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOOD_EXAMPLES = [EXAMPLES / "clickstream-sessions", EXAMPLES / "orders-cdc"]


@pytest.fixture
def repo_root() -> Path:
    return ROOT
