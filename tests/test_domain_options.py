"""Whole-plan (domain) checks declare their options; a user ruleset is checked against them.

A user rule calling `capacity-figure-mismatch` with `figure:` (for `figures`) used to run
and never fire, and the run said all checks passed. The options of every domain check
are declared in its row of `checks/table.py` and checked when the ruleset loads:
unknown, ill-typed or missing options are a configuration error (exit 2) that names the
file, the rule, the option and the closest option name.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from enginehelpers import CLICKSTREAM

RULE = """\
rules:
  - id: ACME401
    slug: acme-figures-match
    gate: 4
    family: capacity
    severity: error
    summary: Declared figures match the derived ones.
    message: "`{{figure}}` differs from the derived figure"
    given: ""
    then:
      function: {function}
      options: {options}
"""


def _check(tmp_path: Path, function: str, options: str) -> subprocess.CompletedProcess[str]:
    """A real `dataplan-lint check` on the clickstream plan with a one-rule user ruleset."""
    (tmp_path / "dataplan.yaml").write_bytes(CLICKSTREAM.read_bytes())
    (tmp_path / "acme.yaml").write_text(
        RULE.format(function=function, options=options), encoding="utf-8"
    )
    (tmp_path / ".dataplan-lint.yaml").write_text("rulesets: [acme.yaml]\n", encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "dataplan_lint", "check", "--no-cache", "dataplan.yaml"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("function", "options", "problem"),
    [
        (  # a typo in the option name
            "capacity-figure-mismatch",
            "{figure: [peak_eps]}",
            ":12:17: rules[ACME401].then.options: unknown key 'figure' (did you mean "
            "`figures`?) in the options of function `capacity-figure-mismatch`; known keys: "
            "figures",
        ),
        (
            "capacity-headroom-target",
            "{headroom: 0.2}",
            ":12:17: rules[ACME401].then.options: unknown key 'headroom' in the options of "
            "function `capacity-headroom-target`; known keys: none",
        ),
        (
            "capacity-figure-mismatch",
            "{figures: peak_eps}",
            ":12:26: rules[ACME401].then.options.figures: expected a list, not the string "
            "'peak_eps'",
        ),
        (
            "capacity-cost-drivers",
            "{require: [compute, 3]}",
            ": rule ACME401: option `require` of function `capacity-cost-drivers`: must list "
            "strings only, not 3",
        ),
        (
            "capacity-figure-mismatch",
            "{figures: [peak_epss]}",
            ": rule ACME401: option `figures` of function `capacity-figure-mismatch`: "
            "`peak_epss` is not a capacity figure (did you mean `peak_eps`?)",
        ),
        (
            "event-time-retention-vs-replay",
            "{margin: 2 days}",
            ": rule ACME401: option `margin` of function `event-time-retention-vs-replay`: "
            "'2 days' has unknown unit 'days'; expected a duration such as 250ms, 30s, 15m, "
            "2h or 7d",
        ),
        (
            "capacity-figure-mismatch",
            "{}",
            ":12:7: rules[ACME401].then.options: missing required key 'figures'",
        ),
    ],
)
def test_a_wrong_domain_check_option_stops_the_run(
    tmp_path: Path, function: str, options: str, problem: str
) -> None:
    done = _check(tmp_path, function, options)
    assert done.returncode == 2, done.stderr
    # shape errors come from the ruleset schema, at their line and column; the checks the
    # schema cannot express (units, figure names) name the rule
    assert done.stderr == f"dataplan-lint: config error: {tmp_path}/acme.yaml{problem}\n"
    assert (
        done.stdout == "Check incomplete: 1 input error (see above); 0 files checked, 0 findings.\n"
    )


def test_declared_domain_options_that_fit_run_the_rule(tmp_path: Path) -> None:
    done = _check(tmp_path, "capacity-figure-mismatch", "{figures: [avg_eps, peak_eps]}")
    assert done.returncode == 0, done.stderr
    assert "All checks passed" in done.stdout
