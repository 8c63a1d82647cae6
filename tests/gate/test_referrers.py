"""Given a schema, ODCS or dbt file, `check` checks the plans that read it (issue 22, 2):
a reverse lookup over the repository's plans. Real repositories, the real CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from compat import plans
from compat.plans import Repo

from tests.conftest import copy_example

from .runcli import lint

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def checked(root: Path, *args: str) -> tuple[int, list[str], list[dict[str, Any]]]:
    done = lint("check", "--format", "json", "--no-cache", "--no-snippets", *args, cwd=root)
    assert done.returncode in (0, 1), done.stdout + done.stderr
    document = json.loads(done.stdout)
    return done.returncode, [f["path"] for f in document["files"]], document["findings"]


@pytest.fixture
def schema_repo(tmp_path: Path) -> Repo:
    repo = plans.schema_repo(tmp_path / "repo")
    repo.git("checkout", "-q", "main")
    repo.write("sub/other.dataplan.yaml", (repo.root / "dataplan.yaml").read_text())
    repo.write("data/sample.json", '{"not": "read by any plan"}\n')
    repo.commit("a second plan reading the same schemas, and a stray json file")
    repo.git("checkout", "-q", "-B", "feature")
    return repo


def test_a_schema_file_checks_the_plans_that_read_it(schema_repo: Repo) -> None:
    _, files, _ = checked(schema_repo.root, "schemas/checkout.avsc")
    assert files == ["dataplan.yaml", "sub/other.dataplan.yaml"]
    # from a sub-folder, with the path as given there
    _, files, _ = checked(schema_repo.root / "sub", "../schemas/payment.schema.json")
    assert files == ["../dataplan.yaml", "other.dataplan.yaml"]


def test_a_file_no_plan_reads_is_a_quick_no_op(schema_repo: Repo) -> None:
    done = lint("check", "data/sample.json", "--no-cache", cwd=schema_repo.root)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no plan files found" in done.stderr
    assert "0 files checked" in done.stdout


def test_a_break_in_a_schema_file_given_alone_fails_the_gate(schema_repo: Repo) -> None:
    schema_repo.edit(
        "schemas/checkout.avsc",
        '{"name": "checkout_id", "type": "string"}',
        '{"name": "checkout_id", "type": "long"}',
    )
    code, files, found = checked(
        schema_repo.root, "--base", "main", "--changed-only", "schemas/checkout.avsc"
    )
    assert code == 1
    assert files == ["dataplan.yaml", "sub/other.dataplan.yaml"]
    breaks = [f for f in found if f["rule_id"] == "DP730"]
    assert {f["path"] for f in breaks} == {"schemas/checkout.avsc"}, found  # the changed line
    assert {f["related"][0]["path"] for f in breaks} == set(files), found  # each plan's line


def test_dbt_files_check_the_plan_whose_project_holds_them(tmp_path: Path) -> None:
    root = tmp_path / "dbt-repo"
    root.mkdir()
    copy_example("orders-cdc", root, at="orders")
    (root / "models.sql").write_text("select 1\n")  # outside every dbt project
    for name in ("dbt_project.yml", "models/marts/fct_orders.sql", "target/manifest.json"):
        _, files, _ = checked(root, f"orders/dbt/{name}")
        assert files == ["orders/dataplan.yaml"], name
    _, files, _ = checked(root, "orders/contracts/order_items.odcs.yaml")
    assert files == ["orders/dataplan.yaml"]
    assert checked(root, "models.sql")[1] == []


def test_a_plan_under_another_name_is_still_checked_as_a_plan(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    source = plans.EXAMPLES / "clickstream-sessions" / "dataplan.yaml"
    (tmp_path / "clicks.yaml").write_text(source.read_text(encoding="utf-8"))
    _, files, _ = checked(tmp_path, "clicks.yaml")
    assert files == ["clicks.yaml"]
