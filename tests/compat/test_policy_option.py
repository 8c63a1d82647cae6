"""`--json-schema-policy` on `check` and `diff`, and both commands reading the config key.

Adding an optional property to an open JSON Schema object breaks BACKWARD under the
strict policy (old data may already hold anything under that name) and is allowed under
the lenient one; `check` and `diff` must agree on it whichever way the policy is set.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .plans import Repo, check, run_cli

PLAN = """\
contracts:
  - name: payment
    format: json-schema
    compatibility: BACKWARD
    version: 1.0.0
    versioning: semver
    schema_file: payment.schema.json
"""
OLD = {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}
NEW = {**OLD, "properties": {"id": {"type": "string"}, "note": {"type": "string"}}}


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path / "repo")
    repo.write("dataplan.yaml", PLAN)
    repo.write("payment.schema.json", json.dumps(OLD))
    repo.commit("base")
    repo.branch()
    repo.write("payment.schema.json", json.dumps(NEW))
    return repo


def _verdicts(repo: Repo, *extra: str) -> tuple[list[str], int]:
    found = check(repo.root, "--base", "main", *extra, "dataplan.yaml")
    diff = run_cli(repo.root, "diff", "--base", "main", "--format", "json", *extra)
    breaking = json.loads(diff.output)["breaking"]
    return [f["rule"] for f in found.findings() if f["rule"] == "DP730"], breaking


def test_strict_is_the_default_for_both_commands(repo: Repo) -> None:
    assert _verdicts(repo) == (["DP730"], 1)


def test_the_option_sets_the_policy_for_both_commands(repo: Repo) -> None:
    assert _verdicts(repo, "--json-schema-policy", "lenient") == ([], 0)


def test_both_commands_read_the_config_key_and_the_option_wins(repo: Repo) -> None:
    repo.write(".dataplan-lint.yaml", "json-schema-policy: lenient\n")
    assert _verdicts(repo) == ([], 0)
    assert _verdicts(repo, "--json-schema-policy", "strict") == (["DP730"], 1)


def test_a_broken_config_is_a_usage_error_for_diff(repo: Repo) -> None:
    repo.write(".dataplan-lint.yaml", "json-schema-policy: loose\n")
    result = run_cli(repo.root, "diff", "--base", "main")
    assert result.exit_code == 2
    assert "json-schema-policy" in result.stderr
