"""`dataplan-lint init`: both modes, all templates, through click's runner."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from dataplan_lint.authoring import answers
from dataplan_lint.checks import capacity_math
from dataplan_lint.cli.commands import cli
from dataplan_lint.core.settings import Settings
from dataplan_lint.engine.catalog import all_rules
from dataplan_lint.files.discovery import Discovered
from dataplan_lint.files.loader import load_text
from dataplan_lint.pipeline.runner import check_file

TEMPLATES = answers.TEMPLATES
SCHEMA_LINE = "# yaml-language-server: $schema="
ASSUMPTION_OWNER = re.compile(r"^/assumptions/\d+/owner$")


def prompt_count(values: dict[str, object]) -> int:
    return sum(
        1
        for question in answers.QUESTIONS
        for item in question.prompts
        if item.when is None or item.when(values)
    )


def defaults_input(template: str) -> str:
    return "\n" * prompt_count(answers.DEFAULTS[template].as_dict())


def findings_of(path: Path) -> list:
    return check_file(Discovered(path, path.name), Settings()).findings


def data_of(path: Path) -> dict:
    loaded = load_text(path.read_text(encoding="utf-8"), str(path))
    assert loaded.plan is not None
    return loaded.plan.data


def run_init(tmp_path: Path, *args: str, stdin: str = "") -> tuple[int, str, Path]:
    target = tmp_path / "dataplan.yaml"
    result = CliRunner().invoke(cli, ["init", str(target), *args], input=stdin)
    return result.exit_code, result.output, target


def placeholder_rule() -> str:
    """The rule that reports an owner left as a placeholder (DP1201 placeholder-value)."""
    (rule,) = [rule.id for rule in all_rules() if rule.slug == "placeholder-value"]
    return rule


@pytest.mark.parametrize("template", TEMPLATES)
def test_guided_defaults_write_a_finding_free_plan(tmp_path: Path, template: str) -> None:
    code, output, target = run_init(
        tmp_path, "--guided", "--template", template, stdin=defaults_input(template)
    )
    assert code == 0, output
    assert "[1/8]" in output and "[8/8]" in output
    text = target.read_text(encoding="utf-8")
    assert text.startswith(SCHEMA_LINE)
    assert [f"{f.rule_id} {f.line}:{f.col} {f.message}" for f in findings_of(target)] == []
    data = data_of(target)
    assert data["metadata"]["mode"] == "guided"
    assert all(a["owner"] != answers.PLACEHOLDER_OWNER for a in data["assumptions"])


@pytest.mark.parametrize("template", TEMPLATES)
def test_one_shot_yields_only_assumption_owner_findings(tmp_path: Path, template: str) -> None:
    code, output, target = run_init(tmp_path, "--one-shot", "--template", template)
    assert code == 0, output
    assert target.read_text(encoding="utf-8").startswith(SCHEMA_LINE)
    data = data_of(target)
    assert data["metadata"]["mode"] == "one-shot"
    placeholders = [
        index
        for index, item in enumerate(data["assumptions"])
        if item["owner"] == answers.PLACEHOLDER_OWNER
    ]
    assert len(placeholders) >= 8  # one per question, plus the template's planning figures
    findings = findings_of(target)
    # Nothing but assumption ownership may be wrong with a one-shot plan.
    assert [f for f in findings if not ASSUMPTION_OWNER.match(f.pointer)] == []
    assert {f.rule_id for f in findings} == {placeholder_rule()}
    assert sorted(f.pointer for f in findings) == sorted(
        f"/assumptions/{index}/owner" for index in placeholders
    )


@pytest.mark.parametrize("template", TEMPLATES)
def test_not_a_terminal_means_one_shot(tmp_path: Path, template: str) -> None:
    code, output, target = run_init(tmp_path, "--template", template)
    assert code == 0, output
    assert "?" not in output.split("Wrote")[0]  # nothing was asked
    assert data_of(target)["metadata"]["mode"] == "one-shot"


def custom_answers(template: str) -> list[str]:
    """A second, non-default set of answers (one per prompt, in order)."""
    slo = {"streaming": "2m", "cdc": "30m", "batch": "12h"}[template]
    return [
        "payments-monitor",  # name
        "Payment success rate per provider for the payments on-call",  # decision
        "team-payments-ops",  # consumer
        "team-payments-data",  # plan owner
        "Kafka topic payments.events.v3",  # source system
        "team-payments-core",  # source owner
        "event-time",
        "occurred_at",
        slo,
        "10s",  # lateness p99
        "2h",  # lateness max
        "yes",
        "compensating-event",
        "20m",  # duplicate spread
        "FULL_TRANSITIVE",
        "120d",
        "50M",
        "2.5",
        "800B",
        "30%",
        "team-payments-oncall",
        "9000",
        "10d",
        "yes",  # personal data
        "180d",  # its retention
        "EU (eu-central-1)",  # residency
    ]


@pytest.mark.parametrize("template", TEMPLATES)
def test_guided_answers_flow_into_the_plan(tmp_path: Path, template: str) -> None:
    scripted = custom_answers(template)
    code, output, target = run_init(
        tmp_path, "--guided", "--template", template, stdin="\n".join(scripted) + "\n"
    )
    assert code == 0, output
    assert [f"{f.rule_id} {f.line}:{f.col} {f.message}" for f in findings_of(target)] == []
    data = data_of(target)
    assert data["metadata"]["name"] == "payments-monitor"
    assert data["metadata"]["owner"] == "team-payments-data"
    assert data["context"]["consumers"][0]["owner"] == "team-payments-ops"
    assert data["sources"][0]["owner"] == "team-payments-core"
    assert data["event_semantics"]["event_time_field"] == "occurred_at"
    assert data["event_semantics"]["freshness_slo"]["target"] == scripted[8]
    assert data["contracts"][0]["compatibility"] == "FULL_TRANSITIVE"
    assert data["operations"]["on_call"]["owner"] == "team-payments-oncall"
    assert data["event_semantics"]["duplicates"]["spread"] == "20m"
    compliance = data["constraints"]["compliance"]
    assert (compliance["pii"], compliance["retention"]) == (True, "180d")
    assert compliance["residency"] == "EU (eu-central-1)"
    served = data["context"]["consumers"][0]["reads"][0]
    layers = {layer["name"]: layer for layer in data["modeling"]["layers"]}
    assert layers[served]["freshness"] == scripted[8]
    assert layers[served]["personal_data"] == "masked"
    assert data["backfill"]["target"]["mode"] == "shadow"
    assert data["backfill"]["rollback"]["restore"]["method"] == "rebuild-from-raw"
    inputs = data["capacity"]["inputs"]
    assert (inputs["events_per_day"], inputs["peak_factor"], inputs["growth_per_year"]) == (
        "50M",
        2.5,
        0.3,
    )


@pytest.mark.parametrize("template", TEMPLATES)
def test_declared_capacity_follows_from_the_inputs(tmp_path: Path, template: str) -> None:
    code, _, target = run_init(tmp_path, "--one-shot", "--template", template)
    assert code == 0
    data = data_of(target)
    derived = capacity_math.derive(data)
    declared = data["capacity"]["declared"]
    for name in ("avg_eps", "peak_eps", "peak_ingest", "partitions", "retention_storage"):
        assert name in declared, name
    for name, figure in derived.items():
        if figure.declared_value is None or math.isinf(figure.value):
            continue
        if name == "partitions":
            assert figure.declared_value >= figure.value
        else:
            assert capacity_math.relative_difference(figure.declared_value, figure.value) < 0.01
    assert data["sources"][0]["partitions"] == declared["partitions"]


def test_a_bad_answer_is_asked_again(tmp_path: Path) -> None:
    values = answers.DEFAULTS["streaming"].as_dict()
    count = prompt_count(values)
    # Prompts before the SLO: 4 (question 1) + 2 (question 2) + 2 (question 3).
    scripted = ["\n"] * 8 + ["five minutes\n", "90s\n"] + ["\n"] * (count - 9)
    code, output, target = run_init(
        tmp_path, "--guided", "--template", "streaming", stdin="".join(scripted)
    )
    assert code == 0, output
    assert "expected a duration" in output
    assert data_of(target)["event_semantics"]["freshness_slo"]["target"] == "90s"


def test_processing_time_skips_the_event_time_field(tmp_path: Path) -> None:
    values = {**answers.DEFAULTS["batch"].as_dict(), "time": "processing-time"}
    scripted = ["\n"] * 6 + ["processing-time\n"] + ["\n"] * (prompt_count(values) - 7)
    code, output, target = run_init(
        tmp_path, "--guided", "--template", "batch", stdin="".join(scripted)
    )
    assert code == 0, output
    assert "Event-time field" not in output
    semantics = data_of(target)["event_semantics"]
    assert semantics["time"] == "processing-time"
    assert "event_time_field" not in semantics


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    target = tmp_path / "dataplan.yaml"
    target.write_text("keep me\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["init", str(target), "--one-shot"])
    assert result.exit_code == 2
    assert "already exists" in result.output and "--force" in result.output
    assert target.read_text(encoding="utf-8") == "keep me\n"
    forced = CliRunner().invoke(cli, ["init", str(target), "--one-shot", "--force"])
    assert forced.exit_code == 0, forced.output
    assert target.read_text(encoding="utf-8").startswith(SCHEMA_LINE)


def test_a_folder_gets_dataplan_yaml(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["init", str(tmp_path), "--one-shot"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "dataplan.yaml").is_file()


def test_missing_folder_and_bad_name_are_usage_errors(tmp_path: Path) -> None:
    missing = CliRunner().invoke(cli, ["init", str(tmp_path / "no" / "plan.yaml"), "--one-shot"])
    assert missing.exit_code == 2 and "not a folder" in missing.output
    bad = CliRunner().invoke(cli, ["init", str(tmp_path / "p.yaml"), "--one-shot", "--name", "X"])
    assert bad.exit_code == 2 and "--name" in bad.output
    assert not (tmp_path / "p.yaml").exists()


def test_running_out_of_answers_writes_nothing(tmp_path: Path) -> None:
    code, output, target = run_init(tmp_path, "--guided", stdin="\n\n")
    assert code == 2
    assert "nothing written" in output
    assert not target.exists()


@pytest.mark.parametrize("template", TEMPLATES)
def test_guided_plan_also_passes_the_strict_preset(tmp_path: Path, template: str) -> None:
    code, output, target = run_init(
        tmp_path, "--guided", "--template", template, stdin=defaults_input(template)
    )
    assert code == 0, output
    config = tmp_path / "strict.dataplan-lint.yaml"
    config.write_text("preset: strict\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["check", "--config", str(config), "--no-snippets", "--color", "never", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert "no findings" in result.output
