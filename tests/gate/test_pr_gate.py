"""`check --base REF [--changed-only]` in real git repositories: the pull-request gate
fails where a change breaks a plan or a contract and passes where it does not."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from compat import plans
from compat.plans import Repo, dump, load_example, schema_plan, write_plan

from .runcli import lint

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

PLAN = "dataplan.yaml"
GATE = ("--base", "main", "--changed-only", "--format", "json", "--no-snippets")


def gate(repo: Repo, *paths: str, extra: tuple[str, ...] = ()) -> tuple[int, list[dict[str, Any]]]:
    done = lint("check", *(paths or (".",)), *GATE, *extra, cwd=repo.root)
    assert done.returncode in (0, 1), done.stdout + done.stderr
    found = [f for f in json.loads(done.stdout)["findings"] if f["suppression"] is None]
    return done.returncode, found


def rules(found: list[dict[str, Any]]) -> set[str]:
    return {f["rule_id"] for f in found}


@pytest.fixture
def schema_repo(tmp_path: Path) -> Repo:
    return plans.schema_repo(tmp_path / "repo")


def test_an_unchanged_branch_passes(schema_repo: Repo) -> None:
    assert gate(schema_repo) == (0, [])


@pytest.mark.parametrize(
    ("schema", "old", "new"),
    [
        ("schemas/checkout.avsc", '    {"name": "item_count", "type": "int"},\n', ""),
        (
            "schemas/payment.schema.json",
            '"currency", "authorized_at"]',
            '"currency", "authorized_at", "method"]',
        ),
        ("schemas/shipment.proto", "  float weight_kg = 4;", "  double weight_kg = 4;"),
    ],
)
def test_a_break_only_in_a_schema_file_fails_the_gate(
    schema_repo: Repo, schema: str, old: str, new: str
) -> None:
    schema_repo.edit(schema, old, new)
    code, found = gate(schema_repo)
    assert code == 1
    [broken] = [f for f in found if f["rule_id"] == "DP730"]
    text = (schema_repo.root / PLAN).read_text()
    plan_line = next(n for n, t in enumerate(text.splitlines(), 1) if f"schema_file: {schema}" in t)
    if not new:  # a removed field has no line left in the schema file: the plan's line
        assert (broken["path"], broken["line"]) == (PLAN, plan_line), broken
        return
    # Where the change is, so the annotation lands in the diff; the plan's line related.
    lines = (schema_repo.root / schema).read_text().splitlines()
    field = {"schemas/payment.schema.json": '"method"', "schemas/shipment.proto": "weight_kg"}
    assert broken["path"] == schema
    assert field[schema] in lines[broken["line"] - 1], broken
    plan = broken["related"][0]
    assert (plan["path"], plan["span"]["line"]) == (PLAN, plan_line), broken


def test_a_compatible_schema_file_change_passes(schema_repo: Repo) -> None:
    schema_repo.edit(
        "schemas/shipment.proto", "  int32 parcel_count = 3;", "  int64 parcel_count = 3;"
    )
    data: Any = json.loads(json.dumps(schema_plan()))
    for contract in data["contracts"]:
        if contract["name"] == "shipment_dispatched":
            contract["version"] = "1.1.0"
    write_plan(schema_repo.root / PLAN, data)
    assert gate(schema_repo) == (0, [])


def test_an_inline_string_to_long_change_fails_the_gate(clicks: Repo) -> None:
    clicks.edit(
        PLAN,
        "      - name: event_id\n        type: string\n",
        "      - name: event_id\n        type: long\n",
    )
    code, found = gate(clicks)
    assert code == 1
    assert "DP731" in rules(found), found


def test_a_diff_attribute_does_not_hide_a_changed_line(clicks: Repo) -> None:
    clicks.write(".gitattributes", "*.yaml -diff\n")
    clicks.commit("binary diffs for yaml")
    clicks.edit(PLAN, "    kind: stream\n", "    kind: streaming\n")
    assert "Binary files" in clicks.git("diff", "main", "--", PLAN)  # what `git diff` says
    code, found = gate(clicks)
    assert code == 1
    assert rules(found) == {"DP014"}, found


def test_a_nul_byte_is_reported_not_hidden(clicks: Repo) -> None:
    path = clicks.root / PLAN
    path.write_bytes(b"# owners: \x00 team\n" + path.read_bytes())
    code, found = gate(clicks)
    assert code == 1
    assert "DP001" in rules(found), found  # the file no longer parses: always shown


def test_line_separators_above_a_change_keep_lines_aligned(clicks: Repo) -> None:
    clicks.edit(
        PLAN, "  problem: >-\n", '  extra_note: "one\u2028two\u2029three\x85four"\n  problem: >-\n'
    )
    clicks.commit("odd separators in a string")
    text = (clicks.root / PLAN).read_text()
    clicks.edit(PLAN, "    kind: stream\n", "    kind: streaming\n")
    git_line = 1 + (clicks.root / PLAN).read_bytes().split(b"\n").index(b"    kind: streaming")
    assert text.count("\n") + 1 != len(text.splitlines()) + 1  # Python sees more lines
    code, found = gate(clicks)
    assert code == 1
    [enum] = [f for f in found if f["rule_id"] == "DP014"]
    assert enum["line"] == git_line


def test_unrelated_edits_pass(clicks: Repo) -> None:
    clicks.edit(PLAN, "contracts:\n", "# reviewed\ncontracts:\n")
    assert gate(clicks) == (0, [])


def _rewrite(text: str) -> str:
    data = load_example()
    for contract in data["contracts"]:
        if contract["name"] == "clickstream_event":
            contract["fields"] = [f for f in contract["fields"] if f["name"] != "anonymous_id"]
    return "# moved and reformatted\n" + json.dumps(data, indent=1)


def test_a_plan_moved_and_rewritten_keeps_its_base(clicks: Repo) -> None:
    original = (clicks.root / PLAN).read_text()
    clicks.git("rm", "-q", PLAN)
    clicks.write("pipelines/web/clicks.dataplan.yaml", _rewrite(original))
    clicks.commit("move and rewrite")
    status = clicks.git("diff", "--name-status", "-M", "main")
    assert status.startswith(("A", "D")) and "R" not in status.split()[0]  # git: delete + add
    code, found = gate(clicks)
    assert code == 1
    assert any(f["rule_id"].startswith("DP73") and "anonymous_id" in f["message"] for f in found)
    assert "DP737" not in rules(found)  # the contract was not removed: it moved


def test_a_deleted_plan_reports_its_removed_contracts(clicks: Repo) -> None:
    clicks.git("rm", "-q", PLAN)
    clicks.write("README.md", "the plan is gone\n")
    clicks.commit("delete the plan")
    code, found = gate(clicks)
    assert code == 1
    removed = [f for f in found if f["rule_id"] == "DP737"]
    assert [f["path"] for f in removed] == [PLAN] * len(removed)
    names = {c["name"] for c in load_example()["contracts"] if c.get("compatibility") != "NONE"}
    assert {f["message"].split("`")[1] for f in removed} == names
    # without --changed-only too: a deletion is a change of the plan, not of lines
    done = lint("check", ".", "--base", "main", "--format", "json", cwd=clicks.root)
    assert done.returncode == 1
    assert {f["rule_id"] for f in json.loads(done.stdout)["findings"]} == {"DP737"}


def test_first_commit_has_no_base(tmp_path: Path) -> None:
    repo = tmp_path / "new"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / PLAN).write_text(dump(load_example()))
    done = lint("check", PLAN, "--base", "HEAD", cwd=repo)
    assert done.returncode == 2
    assert "no such commit" in done.stderr
    done = lint("check", PLAN, "--base", "HEAD", "--skip-missing-base", cwd=repo)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr.count("notice:") == 1
    assert "All checks passed: 1 file checked" in done.stdout


@pytest.mark.parametrize("kind", ["fifo", "device", "outside"])
def test_a_hostile_schema_file_is_never_read_by_the_filter(schema_repo: Repo, kind: str) -> None:
    import os

    target = schema_repo.root / "schemas" / "checkout.avsc"
    target.unlink()
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "device":
        target.symlink_to("/dev/zero")
    else:
        target.symlink_to("/etc/hostname")
    done = lint("check", ".", *GATE, cwd=schema_repo.root)  # bounded by lint's timeout
    assert done.returncode in (1, 2), done.stdout + done.stderr
    assert "Traceback" not in done.stderr
