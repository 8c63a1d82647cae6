"""The manifest is untrusted input: every broken or hostile one is one DP609 finding (or is
read as far as it makes sense), never a crash or a hang. No dbt needed here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dataplan_lint.files import dbt_manifest as manifest_module
from tests.compat.plans import line_of

from .test_dbt_crosscheck import copy_orders, run_check

MANIFEST = "dbt/target/manifest.json"


@pytest.fixture
def plan_dir(tmp_path: Path) -> Path:
    return copy_orders(tmp_path)


def dp609(plan_dir: Path) -> list[tuple[int, str]]:
    code, findings = run_check(plan_dir)
    assert code == 1
    assert {f["rule_id"] for f in findings} == {"DP609"}
    return [(f["line"], f["message"]) for f in findings]


def test_missing_manifest(plan_dir: Path) -> None:
    (plan_dir / MANIFEST).unlink()
    text = (plan_dir / "dataplan.yaml").read_text()
    assert dp609(plan_dir) == [
        (
            line_of(text, f"manifest: {MANIFEST}"),
            f"the dbt manifest `{MANIFEST}` does not exist (run `dbt parse` in `dbt`); "
            "the dbt cross-check did not run",
        )
    ]


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("{not json", "is not valid JSON"),
        ("[]", "is not a dbt manifest (no `nodes` mapping)"),
        ('{"nodes": []}', "is not a dbt manifest (no `nodes` mapping)"),
        ('{"nodes": {}, "sources": 3}', "is not a dbt manifest (no `nodes` mapping)"),
        ('{"nodes": ' * 100_000 + "{}" + "}" * 100_000, "nests too deeply to be read"),
    ],
    ids=["syntax", "list", "nodes-list", "sources-number", "deep"],
)
def test_broken_manifests(plan_dir: Path, content: str, problem: str) -> None:
    (plan_dir / MANIFEST).write_text(content)
    ((_, message),) = dp609(plan_dir)
    assert message.startswith(f"the dbt manifest `{MANIFEST}` {problem}")


def test_oversized_manifest(plan_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(manifest_module, "MAX_MANIFEST_BYTES", 1000)
    ((_, message),) = dp609(plan_dir)
    assert message.startswith(f"the dbt manifest `{MANIFEST}` is larger than 1,000 bytes")


def test_manifest_path_outside_the_repository(plan_dir: Path) -> None:
    plan = plan_dir / "dataplan.yaml"
    text = plan.read_text().replace(f"manifest: {MANIFEST}", "manifest: ../../etc/passwd")
    plan.write_text(text)
    (plan_dir / ".git").mkdir()  # the copy is its own repository
    assert dp609(plan_dir) == [
        (
            line_of(text, "manifest: ../../etc/passwd"),
            "the dbt manifest `../../etc/passwd` is outside the repository; give a path "
            "inside it; the dbt cross-check did not run",
        )
    ]


def _mangle(data: dict[str, Any]) -> None:
    """Wrong types everywhere the cross-check looks, and paths that leave the project."""
    nodes = data["nodes"]
    stg = nodes["model.orders_cdc.stg_orders"]
    stg["config"] = "incremental"
    stg["columns"] = ["order_id"]
    stg["depends_on"] = {"nodes": "source.x"}
    fct = nodes["model.orders_cdc.fct_orders"]
    fct["config"]["unique_key"] = {"a": 1}
    fct["config"]["contract"] = True
    fct["fqn"] = None
    for node in nodes.values():
        if node.get("resource_type") == "test":
            node["test_metadata"] = {"name": ["unique"], "kwargs": "x"}
    nodes["model.orders_cdc.cycle_a"] = {
        "resource_type": "model",
        "name": "fct_cycle",
        "depends_on": {"nodes": ["model.orders_cdc.cycle_a"]},
    }
    nodes["model.orders_cdc.escape"] = {
        "resource_type": "model",
        "name": "escape",
        "original_file_path": "../../../../etc/passwd.sql",
        "checksum": {"name": "sha256", "checksum": "0" * 64},
    }
    for source in data["sources"].values():
        source["freshness"] = {"error_after": {"count": "1", "period": "fortnight"}}
    data["sources"]["junk"] = 42


def test_wrongly_typed_manifest_contents_never_crash(plan_dir: Path) -> None:
    path = plan_dir / MANIFEST
    data = json.loads(path.read_text())
    _mangle(data)
    path.write_text(json.dumps(data))
    code, findings = run_check(plan_dir)
    assert code == 1
    assert "DP099" not in {f["rule_id"] for f in findings}
    rules = {f["rule_id"] for f in findings}
    assert rules <= {"DP612", "DP613", "DP614", "DP615", "DP617"}, findings
    assert "DP614" in rules and "DP617" in rules


def test_symlink_loop_in_the_models_folder_ends(plan_dir: Path) -> None:
    models = plan_dir / "dbt" / "models"
    (models / "loop").symlink_to(models)
    code, findings = run_check(plan_dir)
    assert code == 0, findings
