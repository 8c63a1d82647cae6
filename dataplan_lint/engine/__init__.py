"""The rule engine: rulesets as data (rules/), functions as code (dataplan_lint.checks).

- `model`: the `Rule` and `Call` types a ruleset file turns into.
- `rulesets`: reading rule files, with a cached compact index for the check path.
- `matching`: the `given` path patterns.
- `context`: `RuleContext`, what a rule function sees.
- `registry`: `@function("name")` and the lookup of built-in and entry-point functions.
- `run`: `run_rules(plan, settings, active)`, called by the runner's rules stage.
"""
