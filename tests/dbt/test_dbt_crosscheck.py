"""The dbt cross-check against a real dbt project: `examples/orders-cdc/dbt`, parsed by
real dbt (dbt-core + dbt-duckdb with an in-memory DuckDB profile, offline) in a copy under
tmp. The example is clean; mutated copies trigger every rule at an asserted plan line.

dbt lives in its own virtual environment (`.venv-dbt`, built by `make test` from the
`dbt-tests` extra): dbt-core pins pathspec below 0.13 while mypy and yamllint need 1.0 or
later, so it cannot share `.venv`. In CI a missing dbt fails these tests instead of
skipping them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.compat.plans import line_of
from tests.conftest import EXAMPLES, ROOT, copy_example

EXAMPLE = EXAMPLES / "orders-cdc"
PROFILE = """\
orders_cdc:
  target: ci
  outputs:
    ci:
      type: duckdb
      path: ":memory:"
"""


def _dbt() -> Path:
    configured = os.environ.get("DATAPLAN_LINT_DBT")
    candidate = Path(configured) if configured else ROOT / ".venv-dbt" / "bin" / "dbt"
    if candidate.is_file():
        return candidate
    if os.environ.get("CI"):
        pytest.fail(f"dbt is not installed at {candidate}; `make test` builds .venv-dbt")
    pytest.skip("dbt is not installed; `make test` builds .venv-dbt")


def dbt_parse(project: Path, tmp: Path) -> Path:
    """Run `dbt parse` offline; profiles, logs and the target stay inside `tmp`/`project`."""
    profiles = tmp / "profiles"
    profiles.mkdir(exist_ok=True)
    (profiles / "profiles.yml").write_text(PROFILE, encoding="utf-8")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DO_NOT_TRACK": "1",
        "DBT_PROFILES_DIR": str(profiles),
    }
    done = subprocess.run(
        [
            str(_dbt()),
            "parse",
            "--no-version-check",
            "--no-partial-parse",
            "--target-path",
            str(project / "target"),
            "--log-path",
            str(tmp / "logs"),
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return project / "target" / "manifest.json"


def copy_orders(tmp: Path) -> Path:
    """The orders-cdc example (plan, dbt project, ODCS contract) as `tmp/orders-cdc`."""
    return copy_example("orders-cdc", tmp, at="orders-cdc").parent


def run_check(plan_dir: Path) -> tuple[int, list[dict[str, Any]]]:
    from click.testing import CliRunner

    from dataplan_lint.cli.commands import cli

    before = Path.cwd()
    os.chdir(plan_dir)
    try:
        result = CliRunner().invoke(
            cli, ["check", "--format", "json", "--select", "gate:6", "dataplan.yaml"]
        )
    finally:
        os.chdir(before)
    return result.exit_code, json.loads(result.stdout)["findings"]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _essentials(manifest: Path) -> Any:
    """What the cross-check reads from a manifest (paths, configs, columns, tests)."""
    data = json.loads(manifest.read_text(encoding="utf-8"))
    nodes = {
        key: (
            node["original_file_path"],
            node["checksum"],
            {k: node["config"].get(k) for k in ("materialized", "incremental_strategy",
                                                "unique_key", "contract")},
            {name: col.get("data_type") for name, col in node["columns"].items()},
            node.get("test_metadata"),
            node["config"].get("severity"),
        )
        for key, node in data["nodes"].items()
    }  # fmt: skip
    sources = {key: (s["name"], s["freshness"]) for key, s in data["sources"].items()}
    return nodes, sources


@pytest.fixture(scope="module")
def parsed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("dbt-clean")
    plan_dir = copy_orders(tmp)
    shutil.rmtree(plan_dir / "dbt" / "target")
    dbt_parse(plan_dir / "dbt", tmp)
    return plan_dir


def test_committed_manifest_is_what_dbt_parse_writes(parsed: Path) -> None:
    fresh = _essentials(parsed / "dbt" / "target" / "manifest.json")
    committed = _essentials(EXAMPLE / "dbt" / "target" / "manifest.json")
    assert fresh == committed


def test_example_matches_its_dbt_project(parsed: Path) -> None:
    code, findings = run_check(parsed)
    assert [f["rule_id"] for f in findings] == []
    assert code == 0


def test_mutated_dbt_project_triggers_each_rule_at_its_line(tmp_path: Path) -> None:
    plan_dir = copy_orders(tmp_path)
    models = plan_dir / "dbt" / "models"
    edit(models / "staging" / "stg_orders.sql", "materialized='incremental'",
         "materialized='table'")  # fmt: skip
    edit(models / "intermediate" / "int_order_lines.sql", "unique_key=['order_item_id']",
         "unique_key=['order_id']")  # fmt: skip
    edit(models / "marts" / "_marts.yml", "contract: {enforced: true}",
         "contract: {enforced: false}")  # fmt: skip
    edit(models / "staging" / "_staging.yml", """    columns:
      - name: order_id
        data_tests:
          - unique:
              config: {severity: error}
""", """    columns:
      - name: customer_id
        data_tests:
          - not_null
""")  # fmt: skip
    edit(models / "staging" / "_sources.yml", "error_after: {count: 1, period: hour}",
         "error_after: {count: 2, period: hour}")  # fmt: skip
    (models / "marts" / "fct_refunds.sql").write_text(
        "select order_id from {{ ref('stg_orders') }} where status = 'refunded'\n"
    )
    dbt_parse(plan_dir / "dbt", tmp_path)
    text = (plan_dir / "dataplan.yaml").read_text()
    code, findings = run_check(plan_dir)
    assert code == 1
    got = sorted((f["rule_id"], f["line"], f["message"]) for f in findings)
    slo = line_of(text, "target: 1h")
    assert got == sorted([
        ("DP611", line_of(text, "  layers:"),
         "dbt model `fct_refunds` is a mart that reads this plan's sources but is not a layer "
         "of the plan; add it to modeling.layers"),
        ("DP612", line_of(text, "materialization: incremental", 1),
         "layer `stg_orders` is planned as incremental but the dbt model is materialized as "
         "table"),
        ("DP613", line_of(text, "unique_key: [order_item_id]", 2),
         "layer `int_order_lines` plans incremental unique_key order_item_id but the dbt model "
         "has order_id; set unique_key=['order_item_id']"),
        ("DP614", line_of(text, "contract: fct_orders_contract"),
         "layer `fct_orders` is bound to contract `fct_orders_contract` but model `fct_orders` "
         "does not set `contract: {enforced: true}`"),
        ("DP615", line_of(text, "kind: uniqueness"),
         "quality check `stg_orders_unique` has no dbt `unique` test on `stg_orders.order_id`"),
        ("DP616", line_of(text, "- name: stg_orders"),
         "dbt `not_null` test on `stg_orders.customer_id` fails the build but the plan "
         "declares no matching quality check"),
        ("DP617", slo, "dbt source `raw_order_items_cdc` fails only after 2 hours, but the "
         "plan sets a freshness SLO of 1h"),
        ("DP617", slo, "dbt source `raw_orders_cdc` fails only after 2 hours, but the plan sets "
         "a freshness SLO of 1h"),
    ])  # fmt: skip
    related = {f["rule_id"]: f["related"][0]["path"] for f in findings}
    assert related["DP611"] == "dbt/models/marts/fct_refunds.sql"
    assert related["DP612"] == "dbt/models/staging/stg_orders.sql"
    assert related["DP616"] == "dbt/models/staging/_staging.yml"
    assert related["DP617"] == "dbt/models/staging/_sources.yml"


def test_mutated_plan_triggers_each_rule_at_its_line(parsed: Path, tmp_path: Path) -> None:
    plan_dir = tmp_path / "orders-cdc"
    shutil.copytree(parsed, plan_dir)
    plan = plan_dir / "dataplan.yaml"
    edit(plan, "    - name: stg_order_items\n", "    - name: stg_order_itemz\n")
    edit(plan, "reads_from: [stg_orders, stg_order_items]",
         "reads_from: [stg_orders, stg_order_itemz]")  # fmt: skip
    edit(plan, "strategy: insert-overwrite", "strategy: append")
    edit(plan, """      references: stg_orders.order_id
      threshold: 0
      severity: error""", """      references: stg_orders.order_id
      threshold: 0
      severity: blocking""")  # fmt: skip
    edit(plan, """      - name: item_count
        type: int""", """      - name: item_count
        type: decimal(12,2)""")  # fmt: skip
    edit(plan, "      values: [created, paid,", "      values: [placed, paid,")
    edit(plan, """    - id: raw_change_volume""", """    - id: raw_orders_fresh
      dataset: raw_orders_cdc
      kind: freshness
      column: cdc_source_ts
      threshold:
        warn: 30m
        error: 45m
      severity: warn
      owner: team-data-platform
      schedule: every 15m
    - id: raw_change_volume""")  # fmt: skip
    text = plan.read_text()
    code, findings = run_check(plan_dir)
    assert code == 1
    got = sorted((f["rule_id"], f["line"], f["message"]) for f in findings)
    assert got == sorted([
        ("DP610", line_of(text, "- name: stg_order_itemz"),
         "layer `stg_order_itemz` is neither a model, seed or snapshot nor a source table of "
         "the dbt project (did you mean `stg_order_items`? a model no layer names, reading "
         "the same parents as the layer)"),
        ("DP613", line_of(text, "strategy: append"),
         "layer `fct_daily_revenue` plans incremental strategy append but the dbt model has "
         "`insert_overwrite`; set incremental_strategy='append'"),
        ("DP614", line_of(text, "contract: fct_orders_contract"),
         "layer `fct_orders` is bound to contract `fct_orders_contract`, which types "
         "`item_count` as decimal(12,2); model `fct_orders` declares integer"),
        ("DP615", line_of(text, "kind: accepted-values"),
         "quality check `order_status_values` has no dbt `accepted_values` test on "
         "`fct_orders.order_status` with the same values"),
        ("DP615", line_of(text, "severity: blocking", 3),
         "quality check `order_lines_have_orders` is blocking, but its dbt `relationships` "
         "test on `int_order_lines.order_id` only warns (severity: warn)"),
        ("DP616", line_of(text, "- name: fct_orders"),
         "dbt `accepted_values` test on `fct_orders.order_status` fails the build but the plan "
         "declares no matching quality check"),
        ("DP617", line_of(text, "error: 45m"),
         "dbt source `raw_orders_cdc` has `error_after` 1 hour, but the plan sets 45m for "
         "check `raw_orders_fresh`"),
    ])  # fmt: skip


def test_stale_manifest_is_one_finding_naming_dbt_parse(parsed: Path, tmp_path: Path) -> None:
    plan_dir = tmp_path / "orders-cdc"
    shutil.copytree(parsed, plan_dir)
    edit(plan_dir / "dbt" / "models" / "marts" / "fct_orders.sql", "group by all",
         "group by all\nhaving count(*) > 0")  # fmt: skip
    text = (plan_dir / "dataplan.yaml").read_text()
    code, findings = run_check(plan_dir)
    assert code == 1
    assert [(f["rule_id"], f["line"], f["message"]) for f in findings] == [
        (
            "DP609",
            line_of(text, "manifest: dbt/target/manifest.json"),
            "the dbt manifest `dbt/target/manifest.json` is older than "
            "`models/marts/fct_orders.sql` (model fct_orders changed since the last parse) "
            "(run `dbt parse` in `dbt`); the dbt cross-check did not run",
        )
    ]


def _contract_from_odcs(plan_dir: Path, retype: dict[str, str]) -> tuple[str, Path]:
    """fct_orders_contract read from an ODCS file (its inline fields moved there, with the
    types in `retype` changed); returns the plan text and the ODCS file."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    plan = plan_dir / "dataplan.yaml"
    data = yaml.load(plan.read_text(encoding="utf-8"))
    contract = next(c for c in data["contracts"] if c["name"] == "fct_orders_contract")
    properties = [
        {"name": f["name"], "physicalType": retype.get(f["name"], f["type"]), "required": True}
        for f in contract.pop("fields")
    ]
    contract.pop("history", None)
    rel = "contracts/fct_orders.odcs.yaml"
    contract.update(format="odcs", schema_file=f"orders-cdc/{rel}", object="fct_orders")
    odcs = plan_dir / rel
    header = {"apiVersion": "v3.0.2", "kind": "DataContract", "id": "fct-orders",
              "version": "2", "status": "active"}  # fmt: skip
    with odcs.open("w", encoding="utf-8") as out:
        yaml.dump({**header, "schema": [{"name": "fct_orders", "properties": properties}]}, out)
    with plan.open("w", encoding="utf-8") as out:
        yaml.dump(data, out)
    return plan.read_text(encoding="utf-8"), odcs


def test_contract_from_an_odcs_file_is_compared_with_the_dbt_model(tmp_path: Path) -> None:
    plan_dir = copy_orders(tmp_path)
    text, odcs = _contract_from_odcs(plan_dir, {"item_count": "decimal(12,2)"})
    code, findings = run_check(plan_dir)
    assert code == 1
    got = [(f["rule_id"], f["line"], f["message"]) for f in findings]
    assert got == [
        ("DP614", line_of(text, "contract: fct_orders_contract"),
         "layer `fct_orders` is bound to contract `fct_orders_contract`, which types "
         "`item_count` as decimal(12,2); model `fct_orders` declares integer"),
    ]  # fmt: skip
    odcs_lines = odcs.read_text(encoding="utf-8").splitlines()
    item_line = next(n for n, line in enumerate(odcs_lines, 1) if "name: item_count" in line)
    assert [(r["path"].endswith("contracts/fct_orders.odcs.yaml"), r["span"]["line"])
            for r in findings[0]["related"]][1:] == [(True, item_line)]  # fmt: skip


def test_contract_from_a_matching_odcs_file_agrees_with_the_dbt_model(tmp_path: Path) -> None:
    plan_dir = copy_orders(tmp_path)
    _contract_from_odcs(plan_dir, {})
    assert run_check(plan_dir) == (0, [])
