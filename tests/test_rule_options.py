"""Rule-function options are declared beside the function and checked when rules load."""

from __future__ import annotations

from pathlib import Path

import pytest
from enginehelpers import acme_owner_rule, run, write_plan

from dataplan_lint.engine import registry
from dataplan_lint.engine.options import Option, problems
from dataplan_lint.engine.rulesets import bundled


def _lint_with(tmp_path: Path, function: str, options: str) -> tuple[int, str]:
    write_plan(tmp_path)
    ruleset = "gate: 2\nrules:\n" + acme_owner_rule(options, function=function)
    (tmp_path / "acme.yaml").write_text(ruleset, encoding="utf-8")
    (tmp_path / ".dataplan-lint.yaml").write_text("rulesets: [acme.yaml]\n", encoding="utf-8")
    result = run("check", str(tmp_path / "dataplan.yaml"))
    return result.exit_code, result.stderr


def test_every_bundled_rule_gives_its_functions_declared_options() -> None:
    wrong = [
        f"{rule.id}: {problem}"
        for rule in bundled().rules
        for call in rule.then
        if registry.get(call.function)
        for problem in registry.option_problems(call.function, call.options)
    ]
    assert wrong == []


def test_a_typo_in_an_option_name_is_a_configuration_error(tmp_path: Path) -> None:
    code, stderr = _lint_with(tmp_path, "pattern", '{mach: "^team-"}')
    assert code == 2
    assert (
        "acme.yaml:13:17: rules[ACME201].then.options: unknown key 'mach' (did you mean "
        "`match`?) in the options of function `pattern`; known keys: ignore-case, match, "
        "not-match"
    ) in stderr
    assert "All checks passed" not in stderr


def test_an_ill_typed_option_is_a_configuration_error(tmp_path: Path) -> None:
    code, stderr = _lint_with(tmp_path, "pattern", "{match: ['^team-'], ignore-case: yes}")
    assert code == 2
    assert (
        "acme.yaml:13:24: rules[ACME201].then.options.match: expected a string, not a list "
        "(and 1 more problem)"
    ) in stderr


def test_a_missing_required_option_is_a_configuration_error(tmp_path: Path) -> None:
    code, stderr = _lint_with(tmp_path, "reference-exists", "{}")
    assert code == 2
    assert "acme.yaml:13:7: rules[ACME201].then.options: missing required key 'in'" in stderr


def test_declared_options_that_fit_run_the_rule(tmp_path: Path) -> None:
    code, _ = _lint_with(tmp_path, "pattern", '{match: "^team-", ignore-case: true}')
    assert code == 0


@pytest.mark.parametrize(
    ("option", "value", "ok"),
    [
        (Option((float,)), 3, True),  # an integer is a number
        (Option((float,)), True, False),  # but a boolean is not
        (Option((int,)), 2.5, False),
        (Option((int,)), False, False),
        (Option((bool,)), False, True),
        (Option((str, list)), ["a"], True),
        (Option((dict,)), {"kind": "x"}, True),
    ],
)
def test_option_types_follow_yaml(option: Option, value: object, ok: bool) -> None:
    assert option.accepts(value) is ok
    assert (problems("f", {"x": option}, {"x": value}) == []) is ok


def test_declared_defaults_are_the_functions_fallbacks() -> None:
    """A default in the table (shown by `explain` and the ruleset schema) is the value the
    function falls back to: `options.get("min", 1)` for `min` declared with default 1."""
    import ast
    import importlib
    import inspect

    checked = 0
    for name, row in registry.builtins().items():
        defaults = {key: option.default for key, option in row.options.items()}
        defaults = {key: value for key, value in defaults.items() if value is not None}
        if not defaults:
            continue
        module = importlib.import_module(row.module)
        tree = ast.parse(inspect.getsource(getattr(module, row.attribute)))
        fallbacks = {
            node.args[0].value: node.args[1]
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and len(node.args) == 2
            and isinstance(node.args[0], ast.Constant)
        }
        for key, default in defaults.items():
            assert key in fallbacks, f"{name}: no options.get({key!r}, ...) in the function"
            written = fallbacks[key]
            value = (
                getattr(module, written.id)
                if isinstance(written, ast.Name)
                else ast.literal_eval(written)
            )
            assert value == default, f"{name}: option {key} falls back to {value!r}"
            checked += 1
    assert checked >= 10
