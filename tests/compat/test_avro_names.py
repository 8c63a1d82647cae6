"""Avro names outside the specification's grammar are refused, each at its own place."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dataplan_lint.compat.avro import read_avro
from dataplan_lint.compat.sources import SchemaFileError

from .plans import Repo, check, line_of, plan_with_contract, write_plan


def _record(**changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "type": "record",
        "name": "Shipment",
        "namespace": "wild.logistics",
        "fields": [
            {"name": "shipment_id", "type": "string"},
            {
                "name": "mode",
                "type": {"type": "enum", "name": "Mode", "symbols": ["ROAD", "RAIL"]},
            },
        ],
    }
    record.update(changes)
    return record


def _with_enum(**enum: Any) -> dict[str, Any]:
    record = _record()
    record["fields"][1]["type"].update(enum)
    return record


INVALID = [
    ("enum-name-starts-with-digit", _with_enum(name="2d2"), "the enum name `2d2`", 14),
    ("record-name-with-dash", _record(name="ship-ment"), "the record name `ship-ment`", 3),
    ("namespace-part-digit", _record(namespace="wild.2x"), "the namespace `wild.2x`", 4),
    (
        "field-name-with-space",
        _record(fields=[{"name": "ship id", "type": "string"}]),
        "the field name `ship id`",
        7,
    ),
    ("enum-symbol-digit", _with_enum(symbols=["ROAD", "4WD"]), "the enum symbol `4WD`", 17),
    ("record-alias", _record(aliases=["old-name"]), "the alias `old-name`", 23),
]


@pytest.mark.parametrize(
    ("text", "what", "line"), [c[1:] for c in INVALID], ids=[c[0] for c in INVALID]
)
def test_invalid_names_are_refused_at_their_line(text: Any, what: str, line: int) -> None:
    with pytest.raises(SchemaFileError) as caught:
        read_avro(json.dumps(text, indent=2), "shipment.avsc")
    assert caught.value.message.startswith(f"invalid Avro schema: {what} is not a valid Avro name")
    assert caught.value.line == line


def test_valid_names_pass() -> None:
    record = _record(name="_Shipment2", namespace="wild.logistics_v2", aliases=["wild.Old_1"])
    record["fields"][0]["aliases"] = ["_id"]
    schema = read_avro(json.dumps(record), "shipment.avsc")
    assert [f.name for f in schema.fields] == ["shipment_id", "mode"]


def test_an_invalid_enum_name_is_a_dp741_finding(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    repo.write("schemas/shipment.avsc", json.dumps(_with_enum(name="2d2"), indent=2))
    plan = plan_with_contract(name="shipments", format="avro", schema_file="schemas/shipment.avsc")
    text = write_plan(repo.root / "dataplan.yaml", plan)
    result = check(repo.root, "dataplan.yaml")
    assert result.exit_code == 1
    (finding,) = result.findings()
    assert finding["rule"] == "DP741"
    assert (finding["line"], finding["col"]) == (line_of(text, "schema_file: schemas/ship"), 16)
    assert "the enum name `2d2` is not a valid Avro name" in finding["message"]
    assert "(line 14, column 17)" in finding["message"]
