"""`check --timings`: the stages and the slowest rules, on stderr, from the real CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner
from enginehelpers import acme_owner_rule, write_plan

from dataplan_lint.cli.commands import cli
from dataplan_lint.core.findings import Severity
from dataplan_lint.core.settings import Settings
from dataplan_lint.engine.model import Call, Rule
from dataplan_lint.engine.run import run_rules
from dataplan_lint.files.loader import load_text

USER_RULES = "extends: strict\ngate: 2\nrules:\n" + acme_owner_rule()


def _project(tmp_path: Path) -> Path:
    plan = write_plan(tmp_path)
    (tmp_path / "acme.yaml").write_text(USER_RULES, encoding="utf-8")
    (tmp_path / ".dataplan-lint.yaml").write_text("rulesets: [acme.yaml]\n", encoding="utf-8")
    return plan


def _stage_rows(stderr: str) -> dict[str, float]:
    rows = re.findall(
        r"^ *(prepare|discover|open bases|configure|check|read|load|schema|rules|filter|fix"
        r"|report) +([\d,.]+)",
        stderr,
        re.M,
    )
    return {name: float(ms.replace(",", "")) for name, ms in rows}


def test_timings_show_every_stage_and_the_rules_with_their_rulesets(tmp_path: Path) -> None:
    plan = _project(tmp_path)
    result = CliRunner().invoke(
        cli, ["check", "--no-cache", "--timings", "--format", "json", str(plan)]
    )
    assert result.exit_code == 0, result.output
    json.loads(result.stdout)  # the report on stdout is untouched
    stderr = result.stderr
    assert "Timings: 1 file checked, 0 from the cache" in stderr
    stages = _stage_rows(stderr)
    run_steps = {"prepare", "discover", "open bases", "configure", "check", "filter", "report"}
    assert set(stages) == run_steps | {"read", "load", "schema", "rules"}
    assert stages["check"] >= stages["load"] + stages["schema"] + stages["rules"] - 0.5
    listed = re.findall(r"^(\S+) +[\d,.]+ +\d+%  (bundled|project) (\S+)$", stderr, re.M)
    assert len(listed) == 10  # the ten slowest of the run's rules
    for rule_id, origin, source in listed:  # which ten depends on the machine; each is named
        if rule_id == "ACME201":
            assert (origin, source) == ("project", "acme.yaml")
        else:
            assert origin == "bundled" and re.fullmatch(r"gate\d\d-[a-z-]+\.yaml", source)
    total = re.search(r"Slowest rules \(of (\d+);", stderr)
    assert total is not None and int(total.group(1)) > 100  # the bundled rules plus ACME201


def test_a_project_rule_is_named_with_its_ruleset(tmp_path: Path) -> None:
    plan = _project(tmp_path)
    # only the project's rule runs: it is the slowest, and it is the project's
    result = CliRunner().invoke(
        cli, ["check", "--no-cache", "--timings", "--select", "ACME201", str(plan)]
    )
    assert result.exit_code == 0, result.output
    rows = re.findall(r"^(\S+) +[\d,.]+ +\d+%  (bundled|project) (\S+)$", result.stderr, re.M)
    assert rows == [("ACME201", "project", "acme.yaml")]


def test_without_the_option_nothing_is_printed(tmp_path: Path) -> None:
    plan = _project(tmp_path)
    result = CliRunner().invoke(cli, ["check", "--no-cache", str(plan)])
    assert result.exit_code == 0
    assert result.stderr == ""


def test_each_rule_is_timed_under_its_ruleset(tmp_path: Path) -> None:
    plan = _project(tmp_path)
    timings: dict[str, float] = {}
    loaded = load_text(plan.read_text(encoding="utf-8"), "dataplan.yaml").plan
    assert loaded is not None
    rule = Rule(
        "ACME1",
        "acme-one",
        2,
        "completeness",
        Severity.ERROR,
        "m",
        "s",
        "",
        ("/sources/*",),
        (Call("present", "owner"),),
        source="acme.yaml",
    )
    run_rules(loaded, Settings(), [(rule, None)], timings)
    assert list(timings) == ["rule:ACME1\tacme.yaml"] and timings["rule:ACME1\tacme.yaml"] > 0


def test_cached_files_are_counted_not_timed(tmp_path: Path) -> None:
    plan = _project(tmp_path)
    cache = tmp_path / "cache"
    args = ["check", "--timings", "--cache-dir", str(cache), str(plan)]
    env = {"DATAPLAN_LINT_NO_CACHE": ""}
    first = CliRunner().invoke(cli, args, env=env)
    second = CliRunner().invoke(cli, args, env=env)
    assert first.exit_code == second.exit_code == 0, first.output + second.output
    assert "1 file checked, 0 from the cache" in first.stderr
    assert "0 files checked, 1 from the cache" in second.stderr
    assert "Slowest rules" not in second.stderr
