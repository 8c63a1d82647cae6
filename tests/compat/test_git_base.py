"""`check --base` and `diff --base` against real git repositories built in tmp_path.

The base branch holds a plan whose contracts take their fields inline and from an Avro,
a JSON Schema and a protobuf file; a feature branch changes them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import copy_example

from .plans import (
    ROOT,
    Repo,
    check,
    line_of,
    load_example,
    run_cli,
    schema_plan,
    schema_repo,
    write_plan,
)

PLAN = "plans/dataplan.yaml"


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    return schema_repo(tmp_path / "repo", PLAN)


def set_contract(repo: Repo, name: str, **changes: Any) -> str:
    data = _load(repo)
    for contract in data["contracts"]:
        if contract["name"] == name:
            contract.update(changes)
    return write_plan(repo.root / PLAN, data)


def _load(repo: Repo, rel: str = PLAN) -> Any:
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True).load((repo.root / rel).read_text())


def test_unchanged_branch_is_clean(repo: Repo) -> None:
    result = check(repo.root, "--base", "main")
    assert result.exit_code == 0, result.output
    assert result.findings() == []
    diff = run_cli(repo.root, "diff", "--base", "main")
    assert diff.exit_code == 0
    assert "no contract changes" in diff.output


def test_schema_files_are_judged_by_their_own_format(repo: Repo) -> None:
    # Avro (FULL): drop a required field.  JSON Schema (BACKWARD, closed): require `method`.
    # Protobuf (FULL): float -> double, and drop a field without reserving its number.
    repo.edit("schemas/checkout.avsc", '    {"name": "item_count", "type": "int"},\n', "")
    repo.edit(
        "schemas/payment.schema.json",
        '"currency", "authorized_at"]',
        '"currency", "authorized_at", "method"]',
    )
    repo.edit("schemas/shipment.proto", "  float weight_kg = 4;", "  double weight_kg = 4;")
    repo.edit("schemas/shipment.proto", "  map<string, string> labels = 9;\n", "")
    text = (repo.root / PLAN).read_text()
    result = check(repo.root, "--base", "main")
    assert result.exit_code == 1, result.output
    found = {(f["rule"], f["path"], f["line"], f["message"]) for f in result.findings()}
    avro_line = line_of(text, "schema_file: schemas/checkout.avsc")
    # A removed field has no line in the new file: reported on the plan's schema_file line.
    assert (
        "DP730",
        PLAN,
        avro_line,
        "removing required field `CheckoutCompleted.item_count` breaks FULL compatibility "
        "(old readers still need it) against the base main; restore "
        "`CheckoutCompleted.item_count`, or add a waiver for "
        "`remove CheckoutCompleted.item_count` and a new major version",
    ) in found
    # A changed field is reported where it changed: its line in the schema file.
    assert (
        "DP730",
        "schemas/payment.schema.json",
        12,
        "making `$.method` required breaks BACKWARD compatibility (old data may lack it and new "
        "readers need it) against the base main (`schemas/payment.schema.json` line 12); keep "
        "`$.method` optional (or give it a default), or add a waiver for "
        "`make required $.method` and a new major version",
    ) in found
    assert (
        "DP730",
        "schemas/shipment.proto",
        10,
        "changing the type of `ShipmentDispatched.weight_kg` from float to double breaks FULL "
        "compatibility (new readers of double cannot read float values in old data) against "
        "the base main "
        "(`schemas/shipment.proto` line 10); keep `ShipmentDispatched.weight_kg` as float and "
        "add a new field instead, or add a waiver for "
        "`change the type of ShipmentDispatched.weight_kg` and a new major version",
    ) in found
    assert (
        "DP743",
        "schemas/shipment.proto",
        6,
        "removing field `labels` without reserving its number 9 and name `labels` in "
        "`shipment_dispatched` against the base main (`schemas/shipment.proto` line 6); reserve "
        "them so they are never reused",
    ) in found
    # the version was not bumped for any of the three
    bumps = [f for f in result.findings() if f["rule"] == "DP733"]
    assert len(bumps) == 3
    # removed fields carry the base file's location (JSON output has related locations)
    as_json = run_cli(
        repo.root, "check", "--select", "compatibility", "--base", "main", "--format", "json"
    )
    assert "main:schemas/checkout.avsc" in as_json.output


def test_compatible_schema_file_changes_pass(repo: Repo) -> None:
    repo.edit(
        "schemas/checkout.avsc",
        '{"name": "coupon", "type": ["null", "string"], "default": null},',
        '{"name": "coupon", "type": ["null", "string"], '
        '"default": null},\n    {"name": "gift", "type": "boolean", "default": false},',
    )
    repo.edit("schemas/shipment.proto", "  int32 parcel_count = 3;", "  int64 parcel_count = 3;")
    for name in ("checkout_completed", "shipment_dispatched"):
        set_contract(repo, name, version="1.1.0")
    result = check(repo.root, "--base", "main")
    assert result.findings() == [], result.output
    assert result.exit_code == 0
    diff = run_cli(repo.root, "diff", "--base", "main")
    assert diff.exit_code == 0, diff.output
    assert "compatible  adding optional field `CheckoutCompleted.gift`" in diff.output
    assert "same varint wire type" in diff.output


def test_renamed_plan_file_keeps_its_base(repo: Repo) -> None:
    repo.git("mv", PLAN, "plans/shop.dataplan.yaml")
    data = _load(repo, "plans/shop.dataplan.yaml")
    data["contracts"][0]["fields"] = [
        f for f in data["contracts"][0]["fields"] if f["name"] != "page_url"
    ]
    data["contracts"][0]["compatibility"] = "FULL_TRANSITIVE"
    text = write_plan(repo.root / "plans/shop.dataplan.yaml", data)
    result = check(repo.root, "--base", "main")
    by_rule = {f["rule"]: f for f in result.findings()}
    assert "DP730" in by_rule or "DP731" in by_rule, result.output
    removal = [
        f
        for f in result.findings()
        if "`ClickstreamEvent.page_url`" in f["message"] and f["rule"] in ("DP730", "DP731")
    ]
    assert removal, result.output
    assert all(f["path"] == "plans/shop.dataplan.yaml" for f in result.findings())
    # the removed field points at the head contract's `fields` key
    first_contract = line_of(text, "- name: clickstream_event")
    fields_line = next(
        n
        for n, line in enumerate(text.splitlines(), 1)
        if n > first_contract and line.strip() == "fields:"
    )
    assert removal[0]["line"] == fields_line
    diff = run_cli(repo.root, "diff", "--base", "main", "--format", "json")
    document = json.loads(diff.output)
    assert document["plans"][0]["base_path"] == "main:plans/dataplan.yaml"
    assert diff.exit_code == 1


def test_new_plan_has_no_base(repo: Repo) -> None:
    copy_example("orders-cdc", repo.root, at="plans/new")
    result = check(repo.root, "plans/new", "--base", "main")
    assert result.exit_code == 0, result.output
    assert result.findings() == []
    diff = run_cli(repo.root, "diff", "plans/new", "--base", "main")
    assert "new on this branch" in diff.output
    assert diff.exit_code == 0


@pytest.mark.parametrize("ref", ["no-such-branch", "--output=x", "-x", "main:evil"])
def test_bad_refs_are_usage_errors(repo: Repo, ref: str) -> None:
    for command in ("check", "diff"):
        result = run_cli(repo.root, command, f"--base={ref}")
        assert result.exit_code == 2, (command, result.output)
        assert "dataplan-lint: error: --base" in result.stderr
        assert not (repo.root / "x").exists()


def test_plan_outside_a_repository_with_base(tmp_path: Path) -> None:
    write_plan(tmp_path / "solo" / "dataplan.yaml", load_example())
    result = run_cli(tmp_path / "solo", "check", "--base", "main")
    assert result.exit_code == 2
    assert "not inside a git working tree" in result.stderr


def test_removed_contract_and_weakened_mode(repo: Repo) -> None:
    data = _load(repo)
    data["contracts"] = [c for c in data["contracts"] if c["name"] != "payment_authorized"]
    for contract in data["contracts"]:
        if contract["name"] == "shipment_dispatched":
            contract["compatibility"] = "BACKWARD"
    text = write_plan(repo.root / PLAN, data)
    result = check(repo.root, "--base", "main")
    found = {(f["rule"], f["line"]) for f in result.findings()}
    assert ("DP737", line_of(text, "contracts:")) in found
    weakened = [f for f in result.findings() if f["rule"] == "DP736"]
    assert [f["message"] for f in weakened] == [
        "the compatibility mode of `shipment_dispatched` drops from FULL to BACKWARD (since "
        "the base (main)), so consumers lose a guarantee they relied on; keep "
        "`compatibility: FULL`, or record that consumers agreed with "
        "`# dataplan-lint: disable=DP736 -- <reason>` on that line"
    ]


def test_waivers_against_the_base(repo: Repo) -> None:
    repo.edit("schemas/checkout.avsc", '    {"name": "item_count", "type": "int"},\n', "")
    waiver = {
        "change": "remove field item_count",
        "reason": "Nobody reads it.",
        "owner": "team-checkout",
        "expires": "2999-12-31",
    }
    stale = {
        "change": "rename field coupon_code",
        "reason": "Typo.",
        "owner": "team-checkout",
        "expires": "2999-12-31",
    }
    set_contract(repo, "checkout_completed", version="2.0.0", waivers=[waiver, stale])
    result = check(repo.root, "--base", "main")
    assert result.rules() == ["DP740"], result.output
    assert "`rename field coupon_code`" in result.findings()[0]["message"]
    diff = run_cli(repo.root, "diff", "--base", "main")
    assert "waived      removing required field `CheckoutCompleted.item_count`" in diff.output
    assert diff.exit_code == 0

    expired = {**waiver, "expires": "2020-01-01"}
    set_contract(repo, "checkout_completed", waivers=[expired])
    result = check(repo.root, "--base", "main")
    assert result.rules() == ["DP730", "DP739"], result.output


def test_breaking_change_needs_major_version(repo: Repo) -> None:
    repo.edit("schemas/checkout.avsc", '    {"name": "item_count", "type": "int"},\n', "")
    waiver = {
        "change": "remove field item_count",
        "reason": "Nobody reads it.",
        "owner": "team-checkout",
        "expires": "2999-12-31",
    }
    set_contract(repo, "checkout_completed", version="1.1.0", waivers=[waiver])
    result = check(repo.root, "--base", "main")
    assert result.rules() == ["DP734"], result.output
    data = _load(repo)
    checkout = next(c for c in data["contracts"] if c["name"] == "checkout_completed")
    checkout.pop("deprecation_window")
    checkout["version"] = "2.0.0"
    write_plan(repo.root / PLAN, data)
    result = check(repo.root, "--base", "main")
    assert result.rules() == ["DP735"], result.output


def test_model_contract_enforcement_and_columns(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    write_plan(repo.root / PLAN, load_example("orders-cdc"))
    repo.commit("base")
    repo.branch()
    data = _load(repo)
    model = data["contracts"][2]
    assert model["kind"] == "model"
    model["enforced"] = False
    model["version"] = 3
    model["fields"] = [f for f in model["fields"] if f["name"] != "is_deleted"]
    model["fields"][0]["type"] = "NUMBER(38, 0)"  # same type after normalisation
    model["fields"][1]["type"] = "varchar"  # a real type change
    model["fields"].append({"name": "channel", "type": "varchar", "required": False})
    text = write_plan(repo.root / PLAN, data)
    result = check(repo.root, "--base", "main")
    messages = sorted(f["message"] for f in result.findings() if f["rule"] == "DP738")
    assert messages == [
        "changing the type of `customer_id` from decimal(38,0) to string breaks the model "
        "contract `fct_orders_contract` (downstream models and exports rely on the column's "
        "data type) against the base main; keep `customer_id` as decimal(38,0) and add a new "
        "field instead, or add a waiver for `change the type of customer_id` and a new major "
        "version",
        "dropping enforcement of the model contract breaks the model contract "
        "`fct_orders_contract` (consumers lose the build-time guarantee of every column) "
        "against the base main; keep `enforced: true`",
        "removing required field `is_deleted` breaks the model contract `fct_orders_contract` "
        "(downstream queries still select the column) against the base main; restore "
        "`is_deleted`, or add a waiver for `remove is_deleted` and a new major version",
    ]
    enforced_line = line_of(text, "enforced: false")
    assert any(f["line"] == enforced_line for f in result.findings())


def test_unreadable_and_escaping_schema_files(repo: Repo) -> None:
    repo.write("schemas/checkout.avsc", '{"type": "record",\n  "name": "X", "fields": [\n')
    outside = repo.root.parent / "outside.proto"
    outside.write_text('syntax = "proto3";\nmessage M { int32 a = 1; }\n')
    (repo.root / "schemas" / "link.proto").symlink_to(outside)
    text = set_contract(repo, "shipment_dispatched", schema_file="schemas/link.proto")
    result = check(repo.root)
    found = {(f["rule"], f["line"], f["col"]) for f in result.findings()}
    avro_line = line_of(text, "schema_file: schemas/checkout.avsc")
    proto_line = line_of(text, "schema_file: schemas/link.proto")
    column = text.splitlines()[avro_line - 1].index("schemas/") + 1
    assert ("DP741", avro_line, column) in found
    assert ("DP742", proto_line, column) in found
    unreadable = next(f for f in result.findings() if f["rule"] == "DP741")
    assert "(line 3" in unreadable["message"]
    set_contract(repo, "shipment_dispatched", schema_file="../outside.proto")
    assert "DP742" in check(repo.root).rules()


def test_readme_worked_example_is_real(tmp_path: Path) -> None:
    """The `diff` output quoted in README.md comes from this scenario."""
    repo = Repo(tmp_path / "repo")
    copy_example("orders-cdc", repo.root, at=".")
    repo.commit("base")
    repo.branch()
    repo.edit("dataplan.yaml", "    version: 4\n", "    version: 5\n")
    repo.edit(
        "dataplan.yaml",
        "      - name: cdc_deleted\n        type: boolean\n        required: true\n    history:",
        "      - name: sales_channel\n        type: string\n        nullable: true\n"
        "        default: null\n    history:",
    )
    repo.edit(
        "dataplan.yaml",
        "      - name: customer_id\n        type: long",
        "      - name: customer_id\n        type: string",
    )
    result = run_cli(repo.root, "diff", "--base", "main")
    assert result.exit_code == 1
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("$ dataplan-lint diff --base main\n", 1)[1].split("```", 1)[0]
    assert result.output == block


def test_diff_json_has_both_sides(repo: Repo) -> None:
    repo.edit("schemas/checkout.avsc", '    {"name": "item_count", "type": "int"},\n', "")
    result = run_cli(repo.root, "diff", "--base", "main", "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.output)
    assert document["base"] == "main" and document["breaking"] == 1
    contracts = {c["name"]: c for c in document["plans"][0]["contracts"]}
    change = contracts["checkout_completed"]["changes"][0]
    assert change["kind"] == "field-removed" and change["breaking"] is True
    assert change["base"] == {"path": "main:schemas/checkout.avsc", "line": 9, "column": 14}
    assert change["head"]["path"] == "plans/dataplan.yaml"
    assert contracts["payment_authorized"]["status"] == "unchanged"


def test_unreadable_base_schema_is_a_finding_not_a_pass(tmp_path: Path) -> None:
    """A schema file that cannot be read at the base leaves the change unjudged: that is
    reported at the contract by `check --base` and marked breaking by `diff`."""
    repo = Repo(tmp_path / "repo")
    repo.copy_schemas()
    repo.write("schemas/checkout.avsc", '{"type": "record",\n  "name": "X", "fields": [\n')
    write_plan(repo.root / PLAN, schema_plan())
    repo.commit("base with a broken schema")
    repo.branch()
    repo.copy_schemas()  # the branch repairs it, and nothing else changes
    text = (repo.root / PLAN).read_text(encoding="utf-8")
    result = check(repo.root, "--base", "main")
    assert result.exit_code == 1
    line = line_of(text, "schema_file: schemas/checkout.avsc")
    column = text.splitlines()[line - 1].index("schemas/") + 1
    found = [f for f in result.findings() if f["rule"] == "DP741"]
    assert [(f["line"], f["col"]) for f in found] == [(line, column)]
    assert found[0]["message"].startswith("schema file `main:schemas/checkout.avsc` cannot be used")
    assert found[0]["message"].endswith(
        "(line 3, column 1); the change against the base main cannot be judged; check the "
        "base's file with `git show main:schemas/checkout.avsc`"
    )
    diff = run_cli(repo.root, "diff", "--base", "main")
    assert diff.exit_code == 1
    assert "no contract changes" not in diff.output
    assert "BREAKING    schema file `main:schemas/checkout.avsc` at the base cannot be read" in (
        diff.output
    )
    assert "1 breaking, 0 waived, 0 compatible change(s) against main." in diff.output
