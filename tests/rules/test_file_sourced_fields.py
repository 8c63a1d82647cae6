"""Rules that look fields up in a contract read file-sourced contracts too (ODCS, Avro).

examples/orders-cdc reads `order_items_cdc_event` from an ODCS file; these tests break
that file (or an Avro twin of it) and expect DP314/DP315 at the plan's key, with the
contract's `schema_file` line and the schema file's own line as related places.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from dataplan_lint.cli.commands import cli
from tests.conftest import copy_example

HOME = "examples/orders-cdc"
ODCS = f"{HOME}/contracts/order_items.odcs.yaml"
AVRO = f"{HOME}/contracts/order_items.avsc"
KEY_RULES = {"DP314", "DP315"}


def run(root: Path, monkeypatch: Any) -> list[dict[str, Any]]:
    monkeypatch.chdir(root)
    result = CliRunner().invoke(cli, ["check", f"{HOME}/dataplan.yaml", "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    findings: list[dict[str, Any]] = json.loads(result.output)["findings"]
    return findings


def key_findings(root: Path, monkeypatch: Any) -> list[dict[str, Any]]:
    return [f for f in run(root, monkeypatch) if f["rule_id"] in KEY_RULES]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [n for n, line in enumerate(lines, start=1) if needle in line][occurrence - 1]


def related(finding: dict[str, Any]) -> list[tuple[str, int | None, int | None]]:
    out = []
    for item in finding["related"]:
        span = item.get("span") or {}
        out.append((item["path"], span.get("line"), span.get("column")))
    return out


def example(tmp_path: Path) -> Path:
    copy_example("orders-cdc", tmp_path)
    return tmp_path


# -- ODCS ---------------------------------------------------------------------------------


def test_odcs_contract_lacking_a_dedupe_key_triggers_dp314(
    tmp_path: Path, monkeypatch: Any
) -> None:
    root = example(tmp_path)
    edit(root / ODCS, "- name: cdc_lsn", "- name: cdc_position")
    plan = root / HOME / "dataplan.yaml"
    found = key_findings(root, monkeypatch)
    assert [(f["rule_id"], f["line"], f["column"], f["pointer"]) for f in found] == [
        (
            "DP314",
            line_of(plan, "key: [order_id, cdc_lsn]"),
            23,
            "/event_semantics/duplicates/dedupe/key/1",
        )
    ]
    assert found[0]["message"].startswith(
        "dedupe key cdc_lsn is not a field of contract order_items_cdc_event"
    )
    assert related(found[0]) == [(f"{HOME}/dataplan.yaml", line_of(plan, "schema_file:"), 18)]


def test_odcs_contract_with_the_key_field_is_quiet(tmp_path: Path, monkeypatch: Any) -> None:
    root = example(tmp_path)
    # Near miss: the field moves within the file and gains a description - still there.
    edit(root / ODCS, "        description: Log sequence number", "        description: LSN")
    assert key_findings(root, monkeypatch) == []


def test_odcs_event_time_field_as_string_triggers_dp315(tmp_path: Path, monkeypatch: Any) -> None:
    root = example(tmp_path)
    odcs = root / ODCS
    edit(
        odcs,
        "      - name: updated_at\n        logicalType: date\n        physicalType: timestamp",
        "      - name: updated_at\n        logicalType: string\n        physicalType: string",
    )
    plan = root / HOME / "dataplan.yaml"
    found = key_findings(root, monkeypatch)
    assert [(f["rule_id"], f["line"], f["column"]) for f in found] == [
        ("DP315", line_of(plan, "event_time_field: updated_at"), 21)
    ]
    assert found[0]["message"].startswith(
        "event-time field updated_at has type string in contract order_items_cdc_event"
    )
    assert related(found[0]) == [
        (f"{HOME}/dataplan.yaml", line_of(plan, "schema_file:"), 18),
        (ODCS, line_of(odcs, "- name: updated_at"), 15),
    ]


def test_odcs_event_time_field_as_epoch_integer_is_quiet(tmp_path: Path, monkeypatch: Any) -> None:
    root = example(tmp_path)
    edit(
        root / ODCS,
        "      - name: updated_at\n        logicalType: date\n        physicalType: timestamp",
        "      - name: updated_at\n        logicalType: integer\n        physicalType: long",
    )
    assert key_findings(root, monkeypatch) == []


def test_unreadable_schema_file_leaves_the_key_rules_quiet(
    tmp_path: Path, monkeypatch: Any
) -> None:
    root = example(tmp_path)
    (root / ODCS).write_text("schema: [unclosed\n", encoding="utf-8")
    found = run(root, monkeypatch)
    assert {f["rule_id"] for f in found} & KEY_RULES == set()
    assert "DP741" in {f["rule_id"] for f in found}


# -- Avro ---------------------------------------------------------------------------------

AVRO_FIELDS: list[dict[str, Any]] = [
    {"name": "order_item_id", "type": "long"},
    {"name": "order_id", "type": "long"},
    {"name": "sku", "type": "string"},
    {"name": "quantity", "type": "int"},
    {"name": "updated_at", "type": {"type": "long", "logicalType": "timestamp-millis"}},
    {"name": "cdc_lsn", "type": "long"},
]


def avro_example(tmp_path: Path, fields: list[dict[str, Any]]) -> Path:
    """orders-cdc with order_items_cdc_event read from an Avro record instead of ODCS."""
    root = example(tmp_path)
    edit(
        root / HOME / "dataplan.yaml",
        f"    format: odcs\n    schema_file: {ODCS}\n    object: order_items\n",
        f"    format: avro\n    schema_file: {AVRO}\n    record: shop.OrderItem\n",
    )
    schema = {"type": "record", "name": "OrderItem", "namespace": "shop", "fields": fields}
    (root / AVRO).write_text(json.dumps(schema, indent=2) + "\n", encoding="utf-8")
    return root


def test_avro_contract_lacking_the_partition_key_triggers_dp314(
    tmp_path: Path, monkeypatch: Any
) -> None:
    fields = [f for f in AVRO_FIELDS if f["name"] != "order_id"]
    root = avro_example(tmp_path, fields)
    plan = root / HOME / "dataplan.yaml"
    found = key_findings(root, monkeypatch)
    # order_id is the ordering key, a dedupe key and the items source's partition key.
    items_partition = line_of(plan, "partition_key: order_id", occurrence=2)
    assert sorted((f["rule_id"], f["line"], f["column"], f["pointer"]) for f in found) == [
        ("DP314", items_partition, 20, "/sources/1/partition_key"),
        ("DP314", line_of(plan, "key: [order_id]"), 11, "/event_semantics/ordering/key/0"),
        (
            "DP314",
            line_of(plan, "key: [order_id, cdc_lsn]"),
            13,
            "/event_semantics/duplicates/dedupe/key/0",
        ),
    ]
    assert {f["message"].split(" - ")[0] for f in found} == {
        f"{role} order_id is not a field of contract order_items_cdc_event"
        for role in ("ordering key", "dedupe key", "partition key")
    }


def test_avro_event_time_field_as_string_triggers_dp315(tmp_path: Path, monkeypatch: Any) -> None:
    fields = [{**f, "type": "string"} if f["name"] == "updated_at" else f for f in AVRO_FIELDS]
    root = avro_example(tmp_path, fields)
    plan = root / HOME / "dataplan.yaml"
    found = key_findings(root, monkeypatch)
    assert [(f["rule_id"], f["line"], f["column"]) for f in found] == [
        ("DP315", line_of(plan, "event_time_field: updated_at"), 21)
    ]
    assert related(found[0]) == [
        (f"{HOME}/dataplan.yaml", line_of(plan, "schema_file:"), 18),
        (AVRO, line_of(root / AVRO, '"name": "updated_at"'), 15),
    ]


def test_avro_contract_with_fitting_keys_is_quiet(tmp_path: Path, monkeypatch: Any) -> None:
    root = avro_example(tmp_path, AVRO_FIELDS)
    assert key_findings(root, monkeypatch) == []


# -- DP705: a contract marks which fields are required -----------------------------------


def unrequire(root: Path, keep: int) -> Path:
    """Mark all but the first `keep` ODCS fields optional, and none a primary key (the
    ODCS reader counts a primary key as always present)."""
    odcs = root / ODCS
    text = odcs.read_text(encoding="utf-8").replace("required: true", "required: false")
    text = text.replace("primaryKey: true", "primaryKey: false")
    odcs.write_text(text.replace("required: false", "required: true", keep), encoding="utf-8")
    return odcs


def test_odcs_contract_with_no_required_field_triggers_dp705(
    tmp_path: Path, monkeypatch: Any
) -> None:
    root = example(tmp_path)
    odcs = unrequire(root, keep=0)
    plan = root / HOME / "dataplan.yaml"
    found = [f for f in run(root, monkeypatch) if f["rule_id"] == "DP705"]
    assert [(f["line"], f["column"], f["pointer"]) for f in found] == [
        (line_of(plan, "schema_file:"), 18, "/contracts/1/schema_file")
    ]
    assert found[0]["message"].startswith("contract order_items_cdc_event marks no field")
    assert related(found[0]) == [(ODCS, line_of(odcs, "- name: order_items"), 11)]


def test_odcs_contract_with_one_required_field_is_quiet_for_dp705(
    tmp_path: Path, monkeypatch: Any
) -> None:
    root = example(tmp_path)
    unrequire(root, keep=1)
    assert [f for f in run(root, monkeypatch) if f["rule_id"] == "DP705"] == []


def test_avro_fields_with_defaults_are_not_read_as_unmarked(
    tmp_path: Path, monkeypatch: Any
) -> None:
    # Avro says "always present" by leaving the default out, not with a required mark:
    # DP705 reads only formats that mark fields required in their own words (ODCS, JSON
    # Schema), so a record whose every field has a default is not reported.
    fields = [{**f, "default": 0} for f in AVRO_FIELDS if f["type"] in ("long", "int")]
    root = avro_example(tmp_path, fields)
    assert [f for f in run(root, monkeypatch) if f["rule_id"] == "DP705"] == []
