"""The rule engine: rulesets as data (rules/), functions as code (dataplan_lint.checks).

- `model`: the `Rule` and `Call` types a ruleset file turns into.
- `rulesets`: reading rule files, with a cached compact index for the check path.
- `matching`: the `given` path patterns.
- `context`: `RuleContext`, what a rule function sees.
- `registry`: a rule function by name, from the built-in table (`checks/table.py`) or an
  entry point, adapted to one calling shape.
- `run`: `run_rules(plan, settings, active)`, called by the runner's rules stage.
"""
