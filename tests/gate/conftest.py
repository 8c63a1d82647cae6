"""Fixtures of the pull-request gate tests: real git repositories in temporary folders."""

from __future__ import annotations

from pathlib import Path

import pytest
from compat.plans import EXAMPLES, Repo


@pytest.fixture
def clicks(tmp_path: Path) -> Repo:
    """The clickstream example committed on `main`, checked out on a branch."""
    repo = Repo(tmp_path / "clicks")
    plan = (EXAMPLES / "clickstream-sessions" / "dataplan.yaml").read_text(encoding="utf-8")
    repo.write("dataplan.yaml", plan)
    repo.commit("base")
    repo.branch()
    return repo
