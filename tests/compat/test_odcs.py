"""ODCS v3 files as a contract source: reading, schema errors at their place, `check`,
`check --base` and `diff --base` against real git repositories, waivers, and
`export odcs` (valid output that reads back to the same field model)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from dataplan_lint.compat.analysis import Analysis
from dataplan_lint.compat.history import entries
from dataplan_lint.compat.model import Field, FieldType, Schema, normalise
from dataplan_lint.compat.odcs import OdcsInvalid, read_odcs
from dataplan_lint.compat.odcs_layers import schema_for
from dataplan_lint.compat.sources import SchemaFileError
from dataplan_lint.core.settings import Settings
from dataplan_lint.files.loader import read_file
from tests.conftest import copy_example

from .plans import EXAMPLES, Repo, check, line_of, load_example, run_cli, schema_plan, write_plan

PLAN = "plans/dataplan.yaml"
ODCS_FILE = "contracts/orders.odcs.yaml"

ORDERS_ODCS = """\
apiVersion: v3.0.2
kind: DataContract
id: orders
name: orders
version: 1.0.0
status: active
schema:
  - name: customers
    physicalType: table
    properties:
      - name: customer_id
        logicalType: integer
        physicalType: bigint
        primaryKey: true
  - name: orders
    physicalType: table
    properties:
      - name: order_id
        logicalType: integer
        physicalType: bigint
        required: true
        primaryKey: true
      - name: status
        logicalType: string
        required: true
      - name: total
        logicalType: number
        physicalType: decimal(12,2)
        required: true
      - name: note
        logicalType: string
        logicalTypeOptions:
          maxLength: 200
"""

ODCS_CONTRACT: dict[str, Any] = {
    "name": "orders_odcs",
    "kind": "dataset",
    "owner": "team-checkout",
    "consumers": ["team-data-platform"],
    "format": "odcs",
    "compatibility": "BACKWARD",
    "version": "1.0.0",
    "versioning": "semver",
    "schema_file": ODCS_FILE,
    "object": "orders",
    "deprecation_window": "30d",
    "migration": ["Upgrade readers first."],
}


def odcs_plan() -> Any:
    data = load_example()
    data["contracts"] = [*data["contracts"], copy.deepcopy(ODCS_CONTRACT)]
    return data


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    repo = Repo(tmp_path / "repo")
    repo.write(ODCS_FILE, ORDERS_ODCS)
    write_plan(repo.root / PLAN, odcs_plan())
    repo.commit("base")
    repo.branch()
    return repo


# -- reading ------------------------------------------------------------------------------


def test_properties_map_onto_the_field_model() -> None:
    schema = read_odcs(ORDERS_ODCS, ODCS_FILE, "orders")
    assert schema.format == "odcs"
    assert schema.name == "orders"
    got = {f.name: (f.required, f.type.describe(), f.type.constraints) for f in schema.fields}
    assert got["order_id"][:2] == (True, "long")
    assert got["order_id"][2].unique and got["order_id"][2].not_null  # primary key
    assert got["status"][:2] == (True, "string")
    assert got["total"][:2] == (True, "decimal(12,2)")
    assert got["note"][:2] == (False, "string?")
    assert got["note"][2].max_length == 200
    origin = schema.fields[1].origin
    assert origin is not None and origin.span is not None
    assert (origin.path, origin.span.start_line) == (ODCS_FILE, 23)


def test_nested_objects_arrays_and_logical_types() -> None:
    text = """\
apiVersion: v3.1.0
kind: DataContract
id: x
version: "1"
status: draft
schema:
  - name: events
    properties:
      - name: at
        logicalType: timestamp
        required: true
      - name: n
        logicalType: integer
        logicalTypeOptions: {format: i16, minimum: 0}
      - name: ratio
        logicalType: number
        logicalTypeOptions: {format: f32}
      - name: address
        logicalType: object
        properties:
          - {name: city, logicalType: string, required: true}
      - name: tags
        logicalType: array
        items: {logicalType: string, logicalTypeOptions: {maxLength: 8}}
      - name: lines
        logicalType: array
        items:
          logicalType: object
          properties:
            - {name: sku, logicalType: string, required: true}
      - name: raw
        logicalType: string
        physicalType: GEOGRAPHY
"""
    fields = {f.name: f for f in read_odcs(text, "e.odcs.yaml").fields}
    assert fields["at"].type.describe() == "timestamp_tz"
    assert fields["n"].type.describe() == "short?"
    assert fields["n"].type.constraints.minimum == 0
    assert fields["ratio"].type.describe() == "float?"
    address = fields["address"].type
    assert address.kind == "record" and [f.name for f in address.fields] == ["city"]
    assert address.fields[0].required is True
    tags = fields["tags"].type
    assert tags.describe() == "array<string>?"
    assert tags.items is not None and tags.items.constraints.max_length == 8
    lines = fields["lines"].type
    assert lines.items is not None and lines.items.fields[0].name == "sku"
    # A physical type we do not know keeps the logical type.
    assert fields["raw"].type.kind == "string" and fields["raw"].type.text == "GEOGRAPHY"


def test_object_selection() -> None:
    with pytest.raises(SchemaFileError) as several:
        read_odcs(ORDERS_ODCS, ODCS_FILE)
    assert several.value.message == (
        "the file has 2 schema objects (customers, orders); name one with `object:` in the contract"
    )
    assert several.value.line == 7
    with pytest.raises(SchemaFileError) as typo:
        read_odcs(ORDERS_ODCS, ODCS_FILE, "order")
    assert typo.value.message == (
        "the file defines no schema object named `order` (did you mean `orders`?)"
    )


BROKEN = """\
apiVersion: v3.0.2
kind: DataContract
id: orders
version: 1.0.0
schema:
  - name: orders
    properties:
      - name: order_id
        logicalType: int
        requird: true
      - name: note
        logicalType: string
        logicalTypeOptions:
          maxLength: "20"
"""


def test_schema_errors_each_have_a_line_and_column() -> None:
    with pytest.raises(OdcsInvalid) as raised:
        read_odcs(BROKEN, "bad.odcs.yaml")
    got = [(p.line, p.col, p.message) for p in raised.value.problems]
    assert got == [
        (1, 1, "ODCS schema: 'status' is a required property at `/`"),
        (
            9,
            22,
            "ODCS schema: 'int' is not one of ['string', 'date', 'number', 'integer', "
            "'object', 'array', 'boolean'] at `/schema/0/properties/0/logicalType`",
        ),
        (
            10,
            9,
            "ODCS schema: unexpected key `requird` (not in the ODCS schema) at "
            "`/schema/0/properties/0`",
        ),
        (
            14,
            22,
            "ODCS schema: '20' is not of type 'integer' at "
            "`/schema/0/properties/1/logicalTypeOptions/maxLength`",
        ),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("apiVersion: v9.0.0\n", "apiVersion 'v9.0.0' is not an ODCS version this tool reads"),
        ("- a\n- b\n", "an ODCS file is a mapping at the top level"),
        ("a: [\n", "ODCS"),  # YAML syntax error, with the loader's wording
        ("a: " + "[" * 5000 + "]" * 5000 + "\n", ""),
        ("", ""),
    ],
)
def test_hostile_odcs_files_become_explained_errors(text: str, expected: str) -> None:
    with pytest.raises(SchemaFileError) as raised:
        read_odcs(text, "x.odcs.yaml")
    if expected and expected != "ODCS":
        assert raised.value.message.startswith(expected)


# -- check, with findings at the ODCS file's place ----------------------------------------


def test_clean_odcs_contract_passes(repo: Repo) -> None:
    result = check(repo.root, PLAN)
    assert result.exit_code == 0, result.output
    assert result.findings() == []


def test_schema_errors_are_findings_with_the_odcs_line_and_column(repo: Repo) -> None:
    repo.write(ODCS_FILE, BROKEN)
    text = (repo.root / PLAN).read_text()
    result = run_cli(repo.root, "check", "--select", "compatibility", "--format", "json", PLAN)
    assert result.exit_code == 1
    findings = json.loads(result.output)["findings"]
    line = line_of(text, f"schema_file: {ODCS_FILE}")
    got = [
        (f["rule_id"], f["line"], f["related"][0]["path"], f["related"][0]["span"]["line"],
         f["related"][0]["span"]["column"])
        for f in findings
    ]  # fmt: skip
    assert sorted(got) == [
        ("DP741", line, ODCS_FILE, 1, 1),
        ("DP741", line, ODCS_FILE, 9, 22),
        ("DP741", line, ODCS_FILE, 10, 9),
        ("DP741", line, ODCS_FILE, 14, 22),
    ]
    assert (
        f"schema file `{ODCS_FILE}` cannot be used: ODCS schema: unexpected key `requird` "
        "(not in the ODCS schema) at `/schema/0/properties/0` (line 10, column 9); correct the "
        "file at that place"
    ) in {f["message"] for f in findings}


# -- check --base and diff --base ---------------------------------------------------------


def test_breaking_odcs_change_against_the_base(repo: Repo) -> None:
    repo.edit(
        ODCS_FILE,
        "      - name: note\n",
        "      - name: channel\n        logicalType: string\n        required: true\n"
        "      - name: note\n",
    )
    repo.edit(ODCS_FILE, "maxLength: 200", "maxLength: 100")
    odcs = (repo.root / ODCS_FILE).read_text()
    data = odcs_plan()
    data["contracts"][-1]["version"] = "2.0.0"
    write_plan(repo.root / PLAN, data)
    result = run_cli(repo.root, "check", "--select", "compatibility", "--format", "json",
                     "--base", "main", PLAN)  # fmt: skip
    assert result.exit_code == 1, result.output
    found = {(f["rule_id"], f["line"], f["message"]) for f in json.loads(result.output)["findings"]}
    # Each break is shown at its line in the ODCS file (the plan's line is related).
    assert (
        "DP730",
        line_of(odcs, "- name: channel"),
        "adding required field `channel` without a default breaks BACKWARD compatibility "
        "(new readers find no value for it in old data) against the base main "
        f"(`{ODCS_FILE}` line {line_of(odcs, '- name: channel')}); give `channel` a default, "
        "or add a waiver for `add channel` and a new major version",
    ) in found
    assert (
        "DP730",
        line_of(odcs, "- name: note"),
        "tightening `max_length` of `note` from 200 to 100 breaks BACKWARD compatibility "
        "(old data may violate the tighter constraint) against the base main "
        f"(`{ODCS_FILE}` line {line_of(odcs, '- name: note')}); keep the earlier constraint of "
        "`note`, or add a waiver for `tighten the constraint of note` and a new major version",
    ) in found
    diff = run_cli(repo.root, "diff", "--base", "main", "--format", "json", PLAN)
    assert diff.exit_code == 1
    (contract,) = [
        c for c in json.loads(diff.output)["plans"][0]["contracts"] if c["name"] == "orders_odcs"
    ]
    changes = contract["changes"]
    assert {(c["kind"], c["path"], c["breaking"]) for c in changes} == {
        ("field-added", "channel", True),
        ("constraint-tightened", "note", True),
    }


def test_compatible_odcs_change_and_waived_break_pass(repo: Repo) -> None:
    repo.edit(ODCS_FILE, "maxLength: 200", "maxLength: 400")  # loosening: fine for BACKWARD
    data = odcs_plan()
    data["contracts"][-1]["version"] = "1.1.0"
    write_plan(repo.root / PLAN, data)
    assert check(repo.root, "--base", "main", PLAN).exit_code == 0
    # status: string -> bigint breaks BACKWARD; an owned, unexpired waiver accepts it.
    repo.edit(
        ODCS_FILE,
        "      - name: status\n        logicalType: string\n",
        "      - name: status\n        logicalType: integer\n        physicalType: bigint\n",
    )
    data["contracts"][-1]["version"] = "2.0.0"
    write_plan(repo.root / PLAN, data)
    result = check(repo.root, "--base", "main", PLAN)
    assert result.rules() == ["DP730"], result.output
    data["contracts"][-1]["waivers"] = [
        {
            "change": "change the type of status",
            "reason": "Status codes move to numbers; every consumer migrated.",
            "owner": "team-checkout",
            "expires": "2999-01-01",
        }
    ]
    write_plan(repo.root / PLAN, data)
    result = check(repo.root, "--base", "main", PLAN)
    assert result.exit_code == 0, result.output
    assert result.findings() == []
    diff = run_cli(repo.root, "diff", "--base", "main", PLAN)
    assert diff.exit_code == 0
    assert "waived" in diff.output and "`status`" in diff.output


# -- export odcs --------------------------------------------------------------------------


# Protobuf's wire-specific scalar kinds read back as the table type of the same width.
PROTOBUF_AS_TABLE = {
    **dict.fromkeys(("int32", "sint32", "sfixed32"), "int"),
    **dict.fromkeys(("int64", "sint64", "sfixed64", "uint32", "fixed32"), "long"),
    **dict.fromkeys(("uint64", "fixed64"), "decimal"),
}


def model_of(schema: Schema) -> list[Any]:
    """What the compatibility checks compare, without the formats' spelling of types."""

    def type_(t: FieldType | None) -> Any:
        if t is None:
            return None
        return (
            PROTOBUF_AS_TABLE.get(t.kind, normalise(t.kind).kind),
            t.nullable,
            t.precision,
            t.scale,
            t.unit,
            t.symbols,
            t.enum_default,
            t.constraints,
            type_(t.items),
            type_(t.values),
            fields(t.fields),
        )

    def fields(items: tuple[Field, ...]) -> list[Any]:
        return [
            (f.name, f.required, f.has_default, f.default, f.aliases, f.renamed_from, type_(f.type))
            for f in items
        ]

    return fields(schema.fields)


def current_schemas(plan_path: Path) -> dict[str, Schema]:
    loaded = read_file(plan_path, str(plan_path), 10_000_000)
    assert loaded.plan is not None
    analysis = Analysis(loaded.plan, Settings())
    out = {}
    for index, contract in enumerate(loaded.plan.data["contracts"]):
        entry = next(e for e in entries(contract, f"/contracts/{index}") if e.is_current)
        schema = analysis.resolve(entry, contract).schema
        assert schema is not None, contract["name"]
        out[contract["name"]] = schema
    return out


def _validate(document: Any) -> None:
    from jsonschema import Draft201909Validator

    errors = list(Draft201909Validator(schema_for("odcs-json-schema-v3.0.2.json")).iter_errors(
        document
    ))  # fmt: skip
    assert errors == []


@pytest.mark.parametrize("example", ["orders-cdc", "clickstream-sessions", "schema-files"])
def test_export_validates_and_round_trips(tmp_path: Path, example: str) -> None:
    if example == "schema-files":  # Avro, JSON Schema and protobuf contracts
        repo = Repo(tmp_path / "repo")
        repo.copy_schemas()
        plan = repo.root / PLAN
        write_plan(plan, schema_plan())
    else:
        plan = EXAMPLES / example / "dataplan.yaml"
    out = tmp_path / "odcs"
    result = run_cli(tmp_path, "export", "odcs", str(plan), "--output-dir", str(out))
    assert result.exit_code == 0, result.output + result.stderr
    expected = current_schemas(plan)
    written = sorted(p.name for p in out.iterdir())
    assert written == sorted(f"{name}.odcs.yaml" for name in expected)
    for name, schema in expected.items():
        text = (out / f"{name}.odcs.yaml").read_text()
        document = yaml.safe_load(text)
        _validate(document)
        assert document["apiVersion"] == "v3.0.2"
        back = read_odcs(text, f"{name}.odcs.yaml")
        assert model_of(back) == model_of(schema), name


def test_exported_contract_is_a_contract_source(tmp_path: Path) -> None:
    """Export a plan, switch its contracts to the ODCS files: the plan still passes."""
    repo = Repo(tmp_path / "repo")
    copy_example("orders-cdc", repo.root)  # its own ODCS contract, at the same path
    data = load_example("orders-cdc")
    write_plan(repo.root / PLAN, data)
    result = run_cli(repo.root, "export", "odcs", PLAN, "--output-dir", "contracts")
    assert result.exit_code == 0, result.stderr
    for contract in data["contracts"]:
        contract.pop("fields", None)
        contract.pop("object", None)
        contract.pop("history", None)
        contract.pop("record", None)
        contract.update(format="odcs", schema_file=f"contracts/{contract['name']}.odcs.yaml")
    write_plan(repo.root / PLAN, data)
    checked = check(repo.root, PLAN)
    assert checked.exit_code == 0, checked.output
    assert checked.findings() == []


def test_export_refuses_what_it_cannot_write(tmp_path: Path) -> None:
    data = load_example()
    data["contracts"][0]["name"] = "../escape"
    data["contracts"][1].pop("fields")
    plan = tmp_path / "dataplan.yaml"
    write_plan(plan, data)
    result = run_cli(tmp_path, "export", "odcs", str(plan), "--output-dir", "out")
    assert result.exit_code == 2
    assert "not exported: '../escape': the name cannot be a file name" in result.stderr
    assert f"not exported: {data['contracts'][1]['name']}:" in result.stderr
    assert not (tmp_path / "escape.odcs.yaml").exists()
    missing = run_cli(tmp_path, "export", "odcs", "nope.yaml", "--output-dir", "out")
    assert missing.exit_code == 2
    assert "nope.yaml: cannot read" in missing.stderr


# -- the orders-cdc example's ODCS contract --------------------------------------------

EXAMPLE_ODCS = "examples/orders-cdc/contracts/order_items.odcs.yaml"
EXAMPLE_PLAN = "examples/orders-cdc/dataplan.yaml"
CDC_DELETED = (
    "      - name: cdc_deleted\n        logicalType: boolean\n        physicalType: boolean\n"
    "        required: true\n"
)
QUANTITY_INT = "      - name: quantity\n        logicalType: integer\n        physicalType: int\n"


@pytest.fixture
def example_repo(tmp_path: Path) -> Repo:
    """The orders-cdc example in a real repository whose `main` has the ODCS contract
    with one field fewer (`cdc_deleted`) and `quantity` as a long; the branch has the
    example as it is."""
    repo = Repo(tmp_path / "repo")
    copy_example("orders-cdc", repo.root)
    head = (repo.root / EXAMPLE_ODCS).read_text(encoding="utf-8")
    assert CDC_DELETED in head and QUANTITY_INT in head
    base = head.replace(CDC_DELETED, "").replace(
        QUANTITY_INT, QUANTITY_INT.replace("physicalType: int", "physicalType: long")
    )
    repo.write(EXAMPLE_ODCS, base)
    repo.commit("base")
    repo.branch()
    repo.write(EXAMPLE_ODCS, head)
    return repo


def test_example_odcs_contract_against_the_base_is_reported_at_the_odcs_line(
    example_repo: Repo,
) -> None:
    plan = (example_repo.root / EXAMPLE_PLAN).read_text(encoding="utf-8")
    odcs = (example_repo.root / EXAMPLE_ODCS).read_text(encoding="utf-8")
    clean = run_cli(example_repo.root, "check", "--format", "json", EXAMPLE_PLAN)
    assert clean.exit_code == 0, clean.output  # the example itself passes in the copy
    result = run_cli(example_repo.root, "check", "--format", "json", "--base", "main",
                     EXAMPLE_PLAN)  # fmt: skip
    assert result.exit_code == 1, result.output + result.stderr
    found = [f for f in json.loads(result.output)["findings"] if f["rule_id"] == "DP730"]
    line = line_of(plan, f"schema_file: {EXAMPLE_ODCS}")
    column = plan.splitlines()[line - 1].index("examples/") + 1
    added, narrowed = line_of(odcs, "- name: cdc_deleted"), line_of(odcs, "- name: quantity")
    # Shown where the change is, the ODCS file's line; the plan's `schema_file:` related.
    expected = [
        (
            EXAMPLE_ODCS,
            added,
            "adding required field `cdc_deleted` without a default breaks BACKWARD "
            "compatibility (new readers find no value for it in old data) against the base "
            f"main (`{EXAMPLE_ODCS}` line {added}); give `cdc_deleted` a default, or add a "
            "waiver for `add cdc_deleted` and a new major version",
        ),
        (
            EXAMPLE_ODCS,
            narrowed,
            "narrowing the type of `quantity` from long to int breaks BACKWARD compatibility "
            "(new readers of int cannot read long values in old data) against the base main "
            f"(`{EXAMPLE_ODCS}` line {narrowed}); keep `quantity` as long and add a new field "
            "instead, or add a waiver for `change the type of quantity` and a new major version",
        ),
    ]
    assert sorted((f["path"], f["line"], f["message"]) for f in found) == sorted(expected)
    plan_lines = [(f["related"][0]["path"], f["related"][0]["span"]) for f in found]
    assert [(path, span["line"], span["column"]) for path, span in plan_lines] == [
        (EXAMPLE_PLAN, line, column)
    ] * 2
    others = {f["rule_id"] for f in json.loads(result.output)["findings"]} - {"DP730"}
    assert others == {"DP733"}  # the contract changed but kept version 2


def test_example_odcs_contract_through_diff_export_and_bundle(
    example_repo: Repo, tmp_path: Path
) -> None:
    root = example_repo.root
    diff = run_cli(root, "diff", "--base", "main", "--format", "json", EXAMPLE_PLAN)
    assert diff.exit_code == 1, diff.output + diff.stderr
    (contract,) = [
        c
        for c in json.loads(diff.output)["plans"][0]["contracts"]
        if c["name"] == "order_items_cdc_event"
    ]
    assert {(c["kind"], c["path"], c["breaking"]) for c in contract["changes"]} == {
        ("field-added", "cdc_deleted", True),
        ("type-narrowed", "quantity", True),
    }
    out = tmp_path / "exported"
    exported = run_cli(root, "export", "odcs", EXAMPLE_PLAN, "--output-dir", str(out))
    assert exported.exit_code == 0, exported.stderr
    document = yaml.safe_load((out / "order_items_cdc_event.odcs.yaml").read_text())
    _validate(document)
    names = [p["name"] for p in document["schema"][0]["properties"]]
    assert names[-1] == "cdc_deleted" and "quantity" in names
    bundle = run_cli(root, "bundle", EXAMPLE_PLAN, "--format", "json")
    assert bundle.exit_code == 0, bundle.stderr
    assert "order_items_cdc_event" in bundle.output
