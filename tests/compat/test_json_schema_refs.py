"""JSON Schema `$ref`s to other files of the repository are followed like local ones:
bounded, confined, cycle-safe; what cannot be followed is said (DP744)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .plans import Repo, check, json_findings, line_of, plan_with_contract, write_plan

MONEY = {
    "$defs": {
        "Money": {
            "type": "object",
            "properties": {"amount": {"type": "integer"}, "currency": {"type": "string"}},
            "required": ["amount", "currency"],
        }
    }
}


def _order(ref: str) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {"order_id": {"type": "string"}, "total": {"$ref": ref}},
        "required": ["order_id"],
    }


def _repo(tmp_path: Path, order: dict[str, Any], **files: Any) -> tuple[Repo, str]:
    repo = Repo(tmp_path / "repo")
    repo.write("schemas/orders/order.json", json.dumps(order, indent=2))
    for rel, data in files.items():
        repo.write(rel, json.dumps(data, indent=2))
    plan = plan_with_contract(
        name="orders",
        format="json-schema",
        schema_file="schemas/orders/order.json",
        content_model="open",
    )
    return repo, write_plan(repo.root / "dataplan.yaml", plan)


def test_a_change_in_a_referenced_file_is_reported(tmp_path: Path) -> None:
    repo, text = _repo(
        tmp_path,
        _order("../shared/money.json#/$defs/Money"),
        **{"schemas/shared/money.json": MONEY},
    )
    assert check(repo.root, "dataplan.yaml").findings() == []
    repo.commit("base")
    repo.branch()
    changed = json.loads(json.dumps(MONEY))
    changed["$defs"]["Money"]["properties"]["amount"] = {"type": "string"}
    repo.write("schemas/shared/money.json", json.dumps(changed, indent=2))
    (finding,) = json_findings(repo.root, "--base", "main", "--select", "DP730")
    # shown where the change is (the changed file); the plan's schema_file line related
    assert finding["related"][0]["span"]["line"] == line_of(text, "schema_file: schemas/orders")
    assert "changing the type of `$.total.amount` from long to string" in finding["message"]
    assert "(`schemas/shared/money.json` line " in finding["message"]


def test_references_that_cannot_be_followed_are_said(tmp_path: Path) -> None:
    order = _order("missing.json#/$defs/Money")
    order["properties"]["tax"] = {"$ref": "https://example.com/tax.json"}
    order["properties"]["escape"] = {"$ref": "../../../outside.json"}
    repo, text = _repo(tmp_path, order)
    result = check(repo.root, "dataplan.yaml")
    found = [f for f in result.findings() if f["rule"] == "DP744"]
    at = (line_of(text, "schema_file: schemas/orders"), 16)
    assert [(f["line"], f["col"]) for f in found] == [at, at, at]
    messages = " | ".join(f["message"] for f in found)
    assert "`$ref` 'missing.json#/$defs/Money' (`schemas/orders/missing.json`) cannot be read" in (
        messages
    )
    assert "`$ref` 'https://example.com/tax.json' is not a file in the repository" in messages
    assert "`$ref` '../../../outside.json' is not a file in the repository" in messages
    assert result.exit_code == 0


def test_files_that_refer_to_each_other_are_read_once(tmp_path: Path) -> None:
    tree = {
        "$defs": {
            "Node": {
                "type": "object",
                "properties": {
                    "label": {"type": "string"},
                    "children": {"type": "array", "items": {"$ref": "order.json#/$defs/Wrap"}},
                },
            }
        }
    }
    order = _order("tree.json#/$defs/Node")
    order["$defs"] = {
        "Wrap": {"type": "object", "properties": {"node": {"$ref": "tree.json#/$defs/Node"}}}
    }
    repo, _ = _repo(tmp_path, order, **{"schemas/orders/tree.json": tree})
    result = check(repo.root, "dataplan.yaml")
    assert result.findings() == [], result.output


def test_the_number_of_referenced_files_is_bounded(tmp_path: Path) -> None:
    order: dict[str, Any] = {"type": "object", "properties": {}}
    files = {}
    for index in range(70):
        order["properties"][f"p{index}"] = {"$ref": f"part{index}.json"}
        files[f"schemas/orders/part{index}.json"] = {"type": "string"}
    repo, _ = _repo(tmp_path, order, **files)
    found = [f for f in check(repo.root, "dataplan.yaml").findings() if f["rule"] == "DP744"]
    assert len(found) == 6  # files 65-70 (the first 64 are read)
    assert all("cannot be read: more than 64 referenced files" in f["message"] for f in found)
