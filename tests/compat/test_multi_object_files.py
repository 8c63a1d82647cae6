"""Schema files that define several objects, read by several contracts of one plan.

Each contract names its own part of the file (`object`, `message`, `record`); every
command that reads the file (`export odcs`, `diff --base`, and `check`, which shares the
analysis with `diff`) must use that contract's part, never the part the first contract
asked for.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from .plans import Repo, run_cli, write_plan

ODCS = """\
apiVersion: v3.0.2
kind: DataContract
id: shop-tables
version: "1"
status: active
schema:
  - name: orders
    physicalType: table
    properties:
      - name: order_id
        logicalType: integer
        required: true
      - name: placed_at
        logicalType: date
  - name: customers
    physicalType: table
    properties:
      - name: customer_id
        logicalType: integer
        required: true
      - name: email
        logicalType: string
      - name: country
        logicalType: string
"""

PROTO = """\
syntax = "proto3";
package shop.v1;

message Order {
  int64 order_id = 1;
  string placed_at = 2;
}

message Customer {
  int64 customer_id = 1;
  string email = 2;
  string country = 3;
}
"""


def _avro(columns: list[str]) -> str:
    customer = {
        "type": "record",
        "name": "Customer",
        "fields": [{"name": name, "type": "string"} for name in columns],
    }
    order = {
        "type": "record",
        "name": "Order",
        "namespace": "shop",
        "fields": [{"name": "order_id", "type": "long"}, {"name": "buyer", "type": customer}],
    }
    return json.dumps(order, indent=2)


AVRO = _avro(["customer_id", "email", "country"])

# format, file, selector key, first object, second object, each one's columns
FILES: list[tuple[str, str, str, str, str, list[str], list[str]]] = [
    (
        "odcs",
        "contracts/shop.odcs.yaml",
        "object",
        "orders",
        "customers",
        ["order_id", "placed_at"],
        ["customer_id", "email", "country"],
    ),
    (
        "protobuf",
        "schemas/shop.proto",
        "message",
        "shop.v1.Order",
        "shop.v1.Customer",
        ["order_id", "placed_at"],
        ["customer_id", "email", "country"],
    ),
    (
        "avro",
        "schemas/shop.avsc",
        "record",
        "shop.Order",
        "shop.Customer",
        ["order_id", "buyer"],
        ["customer_id", "email", "country"],
    ),
]
TEXT = {"odcs": ODCS, "protobuf": PROTO, "avro": AVRO}


def _without_country(fmt: str) -> str:
    if fmt == "odcs":
        return ODCS.replace("      - name: country\n        logicalType: string\n", "")
    if fmt == "protobuf":
        return PROTO.replace("  string country = 3;\n", "")
    return _avro(["customer_id", "email"])


def _plan(fmt: str, rel: str, key: str, first: str, second: str) -> dict[str, Any]:
    def contract(name: str, selected: str) -> dict[str, Any]:
        return {
            "name": name,
            "kind": "event",
            "owner": "team-shop",
            "format": fmt,
            "compatibility": "BACKWARD",
            "version": "1.0.0",
            "versioning": "semver",
            "schema_file": rel,
            key: selected,
        }

    return {
        "apiVersion": "dataplan/v1",
        "kind": "DataPlan",
        "contracts": [contract("a", first), contract("b", second)],
    }


def _columns(path: Path) -> list[str]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    (only,) = document["schema"]
    return [p["name"] for p in only["properties"]]


def _repo(tmp_path: Path, case: tuple[str, str, str, str, str, list[str], list[str]]) -> Repo:
    fmt, rel, key, first, second, _, _ = case
    repo = Repo(tmp_path / "repo")
    repo.write(rel, TEXT[fmt])
    write_plan(repo.root / "dataplan.yaml", _plan(fmt, rel, key, first, second))
    return repo


@pytest.mark.parametrize("case", FILES, ids=[f[0] for f in FILES])
def test_export_odcs_writes_each_contracts_own_object(
    tmp_path: Path, case: tuple[str, str, str, str, str, list[str], list[str]]
) -> None:
    fmt, rel, key, first, second, first_cols, second_cols = case
    repo = _repo(tmp_path, case)
    result = run_cli(repo.root, "export", "odcs", "dataplan.yaml", "--output-dir", "out")
    assert result.exit_code == 0, result.stderr
    assert _columns(repo.root / "out" / "a.odcs.yaml") == first_cols
    assert _columns(repo.root / "out" / "b.odcs.yaml") == second_cols
    # The same plan with the contracts in the other order: still each its own object.
    write_plan(repo.root / "dataplan.yaml", _plan(fmt, rel, key, second, first))
    result = run_cli(repo.root, "export", "odcs", "dataplan.yaml", "--output-dir", "out")
    assert result.exit_code == 0, result.stderr
    assert _columns(repo.root / "out" / "a.odcs.yaml") == second_cols
    assert _columns(repo.root / "out" / "b.odcs.yaml") == first_cols


@pytest.mark.parametrize("case", FILES, ids=[f[0] for f in FILES])
def test_diff_judges_each_contracts_own_object(
    tmp_path: Path, case: tuple[str, str, str, str, str, list[str], list[str]]
) -> None:
    """A column removed from the second object is b's change, and only b's."""
    fmt, rel, *_ = case
    repo = _repo(tmp_path, case)
    repo.commit("base")
    repo.branch()
    repo.write(rel, _without_country(fmt))
    diff = run_cli(repo.root, "diff", "--base", "main", "--format", "json", "dataplan.yaml")
    changes = json.loads(diff.output)
    paths = {c["name"]: [x["path"] for x in c["changes"]] for c in changes["plans"][0]["contracts"]}
    # Avro's Order holds a Customer: a sees the change inside its `buyer` field.
    assert paths["a"] == (["Order.buyer.country"] if fmt == "avro" else []), diff.output
    assert paths["b"], diff.output
    assert all(path.endswith("country") for path in paths["b"]), diff.output
