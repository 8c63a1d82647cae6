"""A small shop project shaped like dbt's jaffle_shop (seeds, staging views, a mart table,
a snapshot), parsed by real dbt: layers may name seeds and snapshots, and a layer whose
model was renamed is pointed at the model that reads the same parents."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.compat.plans import line_of

from .test_dbt_crosscheck import dbt_parse

PROJECT = {
    "dbt_project.yml": (
        'name: shop\nversion: "1.0.0"\nconfig-version: 2\nprofile: orders_cdc\n'
        'model-paths: ["models"]\nseed-paths: ["seeds"]\nsnapshot-paths: ["snapshots"]\n'
    ),
    "seeds/raw_shoppers.csv": "id,first_name,joined_on\n1,Ada,2024-01-02\n2,Brook,2024-02-03\n",
    "seeds/raw_baskets.csv": "id,shopper_id,placed_on,status\n10,1,2024-03-01,open\n",
    "models/staging/stg_shoppers.sql": (
        "select id as shopper_id, first_name, joined_on from {{ ref('raw_shoppers') }}\n"
    ),
    "models/staging/stg_baskets.sql": (
        "select id as basket_id, shopper_id, placed_on, status from {{ ref('raw_baskets') }}\n"
    ),
    "models/marts/shoppers.sql": (
        "{{ config(materialized='table') }}\n"
        "select s.shopper_id, s.first_name, count(b.basket_id) as baskets\n"
        "from {{ ref('stg_shoppers') }} s left join {{ ref('stg_baskets') }} b\n"
        "  on b.shopper_id = s.shopper_id\ngroup by 1, 2\n"
    ),
    "snapshots/shoppers_snapshot.sql": (
        "{% snapshot shoppers_snapshot %}\n"
        "{{ config(target_schema='snapshots', unique_key='shopper_id', strategy='check',"
        " check_cols='all') }}\n"
        "select * from {{ ref('stg_shoppers') }}\n{% endsnapshot %}\n"
    ),
}


def _layer(name: str, kind: str, materialization: str, reads: list[str]) -> dict[str, Any]:
    return {
        "name": name,
        "kind": kind,
        "owner": "team-shop-data",
        "materialization": materialization,
        "stateful": False,
        "reads_from": reads,
    }


LAYERS = [
    _layer("raw_shoppers", "raw", "seed", []),
    _layer("raw_baskets", "raw", "table", []),  # a seed planned as the table dbt loads
    _layer("stg_shoppers", "staging", "view", ["raw_shoppers"]),
    _layer("stg_baskets", "staging", "view", ["raw_baskets"]),
    _layer("shoppers", "mart", "table", ["stg_shoppers", "stg_baskets"]),
    _layer("shoppers_snapshot", "serving", "snapshot", ["stg_shoppers"]),
]


def _project(tmp: Path, files: dict[str, str], layers: list[dict[str, Any]]) -> Path:
    root = tmp / "shop"
    for rel, text in files.items():
        (root / "dbt" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "dbt" / rel).write_text(text, encoding="utf-8")
    (root / ".git").mkdir()
    plan = {"modeling": {"dbt": {"project_dir": "dbt"}, "layers": layers}}
    (root / "dataplan.yaml").write_text(yaml.safe_dump(plan, sort_keys=False), encoding="utf-8")
    dbt_parse(root / "dbt", tmp)
    plan["modeling"]["dbt"]["manifest"] = "dbt/target/manifest.json"
    (root / "dataplan.yaml").write_text(yaml.safe_dump(plan, sort_keys=False), encoding="utf-8")
    return root


def _dbt_findings(root: Path) -> list[dict[str, Any]]:
    from click.testing import CliRunner

    from dataplan_lint.cli.commands import cli

    before = Path.cwd()
    os.chdir(root)
    try:
        args = ["check", "--format", "json", "--select", "gate:6", "dataplan.yaml"]
        result = CliRunner().invoke(cli, args)
    finally:
        os.chdir(before)
    found: list[dict[str, Any]] = json.loads(result.stdout)["findings"]
    return [f for f in found if f["rule_id"] in ("DP610", "DP612", "DP614")]


def test_seeds_and_snapshots_named_by_layers_pass(tmp_path: Path) -> None:
    root = _project(tmp_path, PROJECT, LAYERS)
    manifest = json.loads((root / "dbt/target/manifest.json").read_text(encoding="utf-8"))
    materialized = {
        node["name"]: node["config"]["materialized"] for node in manifest["nodes"].values()
    }
    assert materialized["raw_shoppers"] == "seed"  # what dbt reports for a seed
    assert materialized["shoppers_snapshot"] == "snapshot"
    assert _dbt_findings(root) == []


@pytest.mark.parametrize(
    ("layer", "planned", "node"),
    [
        ("raw_shoppers", "view", "dbt seed"),
        ("shoppers_snapshot", "incremental", "dbt snapshot"),
        ("shoppers", "seed", "dbt model"),
    ],
)
def test_a_wrong_materialization_names_what_dbt_builds(
    tmp_path: Path, layer: str, planned: str, node: str
) -> None:
    layers = [dict(item, materialization=planned) if item["name"] == layer else item
              for item in LAYERS]  # fmt: skip
    root = _project(tmp_path, PROJECT, layers)
    text = (root / "dataplan.yaml").read_text(encoding="utf-8")
    (finding,) = _dbt_findings(root)
    assert finding["rule_id"] == "DP612"
    index = [item["name"] for item in layers].index(layer)
    assert finding["line"] == line_of(text, "materialization:", index + 1)
    assert f"is planned as {planned} but the {node} is materialized as" in finding["message"]


def test_a_renamed_model_is_suggested_by_its_parents(tmp_path: Path) -> None:
    """`shoppers` became `dim_shoppers`; `stg_shoppers` is the closer spelling, but only
    `dim_shoppers` is unplanned and reads what the layer reads."""
    files = dict(PROJECT)
    files["models/marts/dim_shoppers.sql"] = files.pop("models/marts/shoppers.sql")
    root = _project(tmp_path, files, LAYERS)
    text = (root / "dataplan.yaml").read_text(encoding="utf-8")
    missing = [f for f in _dbt_findings(root) if f["rule_id"] == "DP610"]
    (finding,) = missing
    lines = [line.strip() for line in text.splitlines()]
    assert finding["line"] == lines.index("- name: shoppers") + 1
    assert "(did you mean `dim_shoppers`?" in finding["message"]
    assert "a model no layer names, reading the same parents as the layer" in finding["message"]
