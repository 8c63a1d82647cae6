"""`dataplan-lint bundle`: golden files, escaping, options and errors."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from dataplan_lint.authoring import bundle, mermaid
from dataplan_lint.cli.commands import cli

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).resolve().parent / "golden"
EXAMPLES = ("clickstream-sessions", "orders-cdc")
SECTION_TITLES = [
    "Problem and goals",
    "Assumptions",
    "Contracts and ownership",
    "Event semantics and freshness model",
    "Capacity: declared vs derived",
    "Ingestion and orchestration",
    "Modeling and serving",
    "Quality and reconciliation",
    "Schema evolution and compatibility",
    "Operations",
    "Backfill, cutover and rollback",
    "Validation and acceptance",
    "Open risks with owners",
]


@pytest.fixture(autouse=True)
def in_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # paths in the bundle are shown relative to the working folder


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["bundle", *args])
    return result.exit_code, result.output


def compare_golden(name: str, actual: str) -> None:
    golden = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.is_file(), f"{golden} is missing; run with UPDATE_GOLDEN=1"
    assert actual == golden.read_text(encoding="utf-8"), (
        f"{name} differs from the golden file; rerun with UPDATE_GOLDEN=1 if intended"
    )


@pytest.mark.parametrize("example", EXAMPLES)
def test_markdown_golden(example: str) -> None:
    code, output = invoke(f"examples/{example}/dataplan.yaml")
    assert code == 0, output
    compare_golden(f"{example}.md", output)


@pytest.mark.parametrize("example", EXAMPLES)
def test_json_golden(example: str) -> None:
    code, output = invoke(f"examples/{example}/dataplan.yaml", "--format", "json")
    assert code == 0, output
    compare_golden(f"{example}.json", output)


@pytest.mark.parametrize("example", EXAMPLES)
def test_markdown_has_the_sections_in_order(example: str) -> None:
    _, output = invoke(f"examples/{example}/dataplan.yaml")
    headings = re.findall(r"^## (.+)$", output, flags=re.MULTILINE)
    assert headings[0] == "Lint result per gate"
    assert headings[1:] == [f"{n}. {title}" for n, title in enumerate(SECTION_TITLES, start=1)]
    assert output.index("## Lint result") < output.index("## 1. Problem")
    assert "```mermaid\nflowchart LR" in output
    assert "Latency budget against the SLO" in output


@pytest.mark.parametrize("example", EXAMPLES)
def test_json_matches_the_markdown_content(example: str) -> None:
    _, output = invoke(f"examples/{example}/dataplan.yaml", "--format", "json")
    data = json.loads(output)
    assert [s["title"] for s in data["sections"]] == SECTION_TITLES
    assert data["lint"]["passed"] is True
    assert [g["gate"] for g in data["lint"]["gates"]] == list(range(13))
    budget = data["latency_budget"]
    assert budget["total_seconds"] == sum(leg["seconds"] for leg in budget["legs"])
    assert budget["within_slo"] is True and budget["within_end_to_end"] is True
    rows = {row["figure"]: row for row in data["capacity"]["rows"]}
    assert rows["peak_eps"]["status"] == "ok"
    assert rows["peak_eps"]["formula"].startswith("peak_eps = avg_eps * peak_factor")


def test_latency_budget_adds_up_the_legs() -> None:
    data = bundle.build(ROOT / "examples/clickstream-sessions/dataplan.yaml")
    budget = data["latency_budget"]
    # 5s + 5s + 30s + 1m + 10s + 30s against a 3m end-to-end target and a 5m SLO.
    assert budget["total_seconds"] == 140
    assert [leg["cumulative_seconds"] for leg in budget["legs"]] == [5, 10, 40, 100, 110, 140]
    assert budget["end_to_end_seconds"] == 180 and budget["slo_seconds"] == 300
    assert budget["slack_seconds"] == 160


def test_declared_vs_derived_flags_a_wrong_figure(tmp_path: Path) -> None:
    text = (ROOT / "examples/clickstream-sessions/dataplan.yaml").read_text(encoding="utf-8")
    plan = tmp_path / "dataplan.yaml"
    plan.write_text(text.replace("peak_eps: 17361", "peak_eps: 30000"), encoding="utf-8")
    data = bundle.build(plan)
    rows = {row["figure"]: row for row in data["capacity"]["rows"]}
    assert rows["peak_eps"]["status"] == "differs"
    assert rows["peak_eps"]["declared"] == "30000"
    assert f"{rows['peak_eps']['difference']:.0%}" == "73%"


HOSTILE = """\
apiVersion: dataplan/v1
kind: DataPlan
metadata:
  name: evil
  owner: "<script>alert(1)</script>"
  version: 1
  status: draft
  mode: guided
context:
  problem: "Break | the table ``` and <img src=x onerror=alert(2)> & more"
  consumers:
    - name: "dash\\"]; A-->B; click A \\"javascript:alert(3)"
      kind: dashboard
      owner: "<script>x</script>"
sources:
  - id: "src<script>"
    kind: stream
ingestion:
  topology:
    - stage: "a]\\"-->b[\\"x"
      depends_on: []
modeling:
  layers:
    - name: "<b>bold</b>"
      kind: serving
      reads_from: ["src<script>"]
event_semantics:
  latency_budget:
    legs:
      - name: "<script>leg</script>"
        budget: 10s
"""


def test_untrusted_text_is_escaped_everywhere(tmp_path: Path) -> None:
    plan = tmp_path / "evil.dataplan.yaml"
    plan.write_text(HOSTILE, encoding="utf-8")
    code, markdown = invoke(str(plan))
    assert code == 0, markdown
    assert "<script" not in markdown and "<img" not in markdown and "<b>" not in markdown
    assert "&lt;script&gt;" in markdown
    fence = markdown.split("```mermaid\n", 1)[1].split("\n```", 1)[0]
    assert "```" not in fence
    for line in fence.splitlines()[1:]:
        # Every node line is `id["label"]` with a plain id and no raw quote or bracket inside.
        node = re.fullmatch(r'\s+(\w+)\["([^"\[\]<>]*)"\]', line)
        edge = re.fullmatch(r"\s+\w+ --> \w+", line)
        other = line.strip() == "end" or line.strip().startswith("subgraph ")
        assert node or edge or other, line
    code, html = invoke(str(plan), "--html")
    assert code == 0
    assert "<script" not in html.lower() and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    code, as_json = invoke(str(plan), "--format", "json")
    assert json.loads(as_json)["plan"]["owner"] == "<script>alert(1)</script>"


def test_mermaid_ids_are_sanitised_and_unique() -> None:
    topo = mermaid.topology(
        {
            "sources": [{"id": "a-b"}, {"id": "a_b"}],
            "modeling": {"layers": [{"name": "x y", "kind": "mart", "reads_from": ["a-b"]}]},
            "context": {"consumers": [{"name": "c#1"}]},
        }
    )
    ids = [node["id"] for node in topo["nodes"]]
    assert ids == ["src_a_b", "src_a_b_2", "lyr_x_y", "con_c_1"]
    assert all(re.fullmatch(r"\w+", ident) for ident in ids)
    assert "src_a_b --> lyr_x_y" in topo["mermaid"]
    assert "lyr_x_y --> con_c_1" in topo["mermaid"]
    assert mermaid.label('say "hi" <b>#') == "say #34;hi#34; #60;b#62;#35;"


def test_output_file_is_written(tmp_path: Path) -> None:
    target = tmp_path / "bundle.html"
    code, output = invoke("examples/orders-cdc/dataplan.yaml", "--html", "-o", str(target))
    assert code == 0, output
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html
    assert not [p for p in tmp_path.iterdir() if p.name != "bundle.html"]  # no temp files left


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    code, output = invoke("examples/orders-cdc/dataplan.yaml", "--html", "--format", "json")
    assert code == 2 and "exclude each other" in output
    code, output = invoke(str(tmp_path / "missing.yaml"))
    assert code == 2 and "no such file" in output
    broken = tmp_path / "broken.yaml"
    broken.write_text("apiVersion: [unclosed\n", encoding="utf-8")
    code, output = invoke(str(broken))
    assert code == 2 and "not a readable plan" in output and "Traceback" not in output
    code, output = invoke(str(tmp_path))
    assert code == 2 and "directory" in output


def test_the_plans_configuration_applies(tmp_path: Path) -> None:
    plan = tmp_path / "dataplan.yaml"
    text = (ROOT / "examples/clickstream-sessions/dataplan.yaml").read_text(encoding="utf-8")
    plan.write_text(text.replace("peak_eps: 17361", "peak_eps: 18500"), encoding="utf-8")
    rows = {row["figure"]: row for row in bundle.build(plan)["capacity"]["rows"]}
    assert rows["peak_eps"]["status"] == "ok"  # 6.6% off, inside the default 10%
    (tmp_path / ".dataplan-lint.yaml").write_text("tolerance: 0.05\n", encoding="utf-8")
    data = bundle.build(plan)
    assert data["capacity"]["tolerance"] == 0.05
    rows = {row["figure"]: row for row in data["capacity"]["rows"]}
    assert rows["peak_eps"]["status"] == "differs"
    assert not data["lint"]["passed"]  # the capacity rule fails at 5% too
    bad = tmp_path / "bad.yaml"
    bad.write_text("preset: nonsense\n", encoding="utf-8")
    code, output = invoke(str(plan), "--config", str(bad))
    assert code == 2 and "config error" in output
