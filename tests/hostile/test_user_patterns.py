"""Patterns a user ruleset supplies: checked when loaded, run in linear time.

A `pattern` rule of `^(a+)+$` once hung the run on a 30-character value, and a pattern
that did not compile was a DP099 internal error in the middle of the run. Now patterns
compile on RE2 when the ruleset is loaded (a bad one is exit 2 naming the rule and the
option) and match in time linear in the value.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bounded import run_cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = (ROOT / "examples" / "clickstream-sessions" / "dataplan.yaml").read_text(encoding="utf-8")


def ruleset(options: str) -> str:
    return f"""\
gate: 2
rules:
  - id: ACME201
    slug: acme-owner-shape
    family: completeness
    severity: error
    summary: Source owners have an agreed shape.
    message: "source owner `{{value}}` has the wrong shape"
    given: /sources/*
    then:
      field: owner
      function: pattern
      options: {options}
"""


def setup(tmp_path: Path, options: str, owner: str = "team-web-collector") -> None:
    source_owner = "owner: team-web-collector\n    contract"
    plan = EXAMPLE.replace(source_owner, f"owner: {owner}\n    contract", 1)
    (tmp_path / "dataplan.yaml").write_text(plan, encoding="utf-8")
    (tmp_path / "acme.yaml").write_text(ruleset(options), encoding="utf-8")
    (tmp_path / ".dataplan-lint.yaml").write_text("rulesets: [acme.yaml]\n", encoding="utf-8")


def test_catastrophic_pattern_runs_in_linear_time(tmp_path: Path) -> None:
    """`^(a+)+$` against 5,000 a's and a `!`: 2**5000 paths for a backtracking engine."""
    setup(tmp_path, "{match: '^(a+)+$'}", owner="a" * 5000 + "!")
    outcome = run_cli(["check", "--format", "json", "dataplan.yaml"], tmp_path, timeout=30)
    assert outcome.code == 1, outcome
    assert [(f["rule_id"], f["line"]) for f in outcome.findings()] == [("ACME201", 82)]


def test_nested_quantifier_not_match_is_linear_too(tmp_path: Path) -> None:
    setup(tmp_path, "{not-match: '(x+x+)+y', ignore-case: true}", owner="team-" + "X" * 20_000)
    outcome = run_cli(["check", "--format", "json", "dataplan.yaml"], tmp_path, timeout=30)
    assert outcome.code == 0, outcome


@pytest.mark.parametrize(
    ("options", "reason"),
    [
        ("{match: '(unclosed'}", "option `match` of function `pattern`: '(unclosed' is not a"),
        ("{not-match: '[z-a]'}", "option `not-match` of function `pattern`: '[z-a]' is not a"),
        ("{match: '(?=team)'}", "no look-around"),
        ("{match: '(a)\\1'}", "no back-references"),
        ("{match: 'a{1000}{1000}'}", "a repeat count is at most 1000"),
        ("{match: ''}", "option `match` of function `pattern`: is empty"),
        ("{match: [a, b]}", "rules[ACME201].then.options.match: expected a string, not a list"),
        (
            "{ignore-case: yes-please, match: a}",
            "options.ignore-case: expected true or false, not the string 'yes-please'",
        ),
    ],
)
def test_bad_pattern_is_a_configuration_error(tmp_path: Path, options: str, reason: str) -> None:
    setup(tmp_path, options)
    outcome = run_cli(["check", "--format", "json", "dataplan.yaml"], tmp_path)
    assert outcome.code == 2, outcome
    assert "DP099" not in outcome.stdout
    # the ruleset schema reports shape errors at their line (`acme.yaml:13:24: rules[ACME201]...`);
    # the pattern's own checks name the rule (`acme.yaml: rule ACME201: option ...`)
    assert re.search(r"acme\.yaml(:\d+:\d+)?: rule(s\[| )ACME201", outcome.stderr), outcome.stderr
    assert reason in outcome.stderr
    assert "re2.cc" not in outcome.stderr  # RE2's own log lines stay quiet


def test_bundled_rule_options_pass_the_load_time_checks() -> None:
    """The shipped rules use the same functions: their options pass the same checks."""
    from dataplan_lint.engine.registry import get, option_problems
    from dataplan_lint.engine.rulesets import bundled

    checked = 0
    for rule in bundled().rules:
        for call in rule.then:
            get(call.function)
            assert option_problems(call.function, call.options) == [], rule.id
            checked += 1
    assert checked >= 50
