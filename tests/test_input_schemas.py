"""The tool's own inputs (configuration, rulesets) are checked by their schemas.

A misspelt key or value in `.dataplan-lint.yaml`, `[tool.dataplan-lint]` or a ruleset is
exit 2 naming the file, line and column, and the closest known name; the ruleset
schema's function options are generated from `checks/table.py` and must be current.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from enginehelpers import acme_owner_rule, run, write_plan
from jsonschema import Draft202012Validator

from dataplan_lint.core.resources import schemas_dir
from dataplan_lint.engine.registry import builtins
from dataplan_lint.schema import codegen
from dataplan_lint.schema.errors import Walker, supports
from dataplan_lint.schema.inputs import CONFIG, RULESET, tool_schema

EXPORTED = [RULESET, CONFIG, f"editor/{RULESET}", f"editor/{CONFIG}"]


def test_generated_ruleset_schema_and_editor_copies_are_current() -> None:
    for name, text in codegen.tool_schema_files().items():
        committed = (schemas_dir() / name).read_text(encoding="utf-8")
        assert committed == text, f"{name} is stale: run python -m dataplan_lint.schema.codegen"


@pytest.mark.parametrize("name", EXPORTED)
def test_tool_schemas_are_draft_2020_12_and_walkable(name: str) -> None:
    document = json.loads((schemas_dir() / name).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(document)
    assert supports(document)


def test_each_function_s_options_are_the_table_s() -> None:
    defs = tool_schema(RULESET)["$defs"]
    for name, row in builtins().items():
        generated = defs[f"{codegen.OPTIONS_DEF}{name}"]
        assert set(generated["properties"]) == set(row.options), name
        required = {key for key, option in row.options.items() if option.required}
        assert set(generated.get("required", ())) == required, name


def _config_with(tmp_path: Path, name: str, text: str) -> Any:
    path = write_plan(tmp_path)
    (tmp_path / name).write_text(text, encoding="utf-8")
    return run("check", str(path))


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        (
            ".dataplan-lint.yaml",
            "preset: strict\nextend-selct: [DP515]\n",
            ".dataplan-lint.yaml:2:1: unknown key 'extend-selct' (did you mean `extend-select`?)",
        ),
        (
            ".dataplan-lint.yaml",
            "per-file-ignores:\n  'legacy/**': {DP101: x}\n",
            ".dataplan-lint.yaml:2:16: per-file-ignores.legacy/**: expected a string or a list, "
            "not a mapping",
        ),
        (
            ".dataplan-lint.yaml",
            "json-schema-policy: lenent\n",
            ".dataplan-lint.yaml:1:21: json-schema-policy: unknown JSON Schema policy 'lenent' "
            "(did you mean `lenient`?); expected one of: strict, lenient",
        ),
        (
            "pyproject.toml",
            '[project]\nname = "x"\n\n[tool.dataplan-lint]\npreset = "strict"\nfail_onn = "info"\n',
            "pyproject.toml:6:1: unknown key 'fail_onn' (did you mean `fail-on`?)",
        ),
        (
            "pyproject.toml",
            '[tool.dataplan-lint]\nseverity = { DP101 = "info", DP102 = 3 }\n',
            "pyproject.toml:2:30: severity.DP102: expected a string, not int 3",
        ),
        (
            "pyproject.toml",
            '[tool.dataplan-lint.per-file-ignores]\n"legacy/**" = 5\n',
            "pyproject.toml:2:1: per-file-ignores.legacy/**: expected a string or a list",
        ),
    ],
)
def test_a_misspelt_configuration_is_exit_2_with_its_position(
    tmp_path: Path, name: str, text: str, expected: str
) -> None:
    result = _config_with(tmp_path, name, text)
    assert result.exit_code == 2
    assert f"config error: {tmp_path / expected}" in result.stderr


def test_snake_case_keys_are_accepted(tmp_path: Path) -> None:
    result = _config_with(
        tmp_path, ".dataplan-lint.yaml", "extend_select: [DP515]\nfail_on: error\n"
    )
    assert result.exit_code == 0, result.stderr


RULESET_HEAD = "gate: 2\nrules:\n"


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        (
            acme_owner_rule().replace("severity:", "sevrity:"),
            "acme.yaml:6:5: rules[ACME201]: unknown key 'sevrity' (did you mean `severity`?)",
        ),
        (
            acme_owner_rule().replace("function:", "functon:"),
            "acme.yaml:12:7: rules[ACME201].then: unknown key 'functon' (did you mean `function`?)",
        ),
        (
            acme_owner_rule('[{match: "^team-"}]'),
            "acme.yaml:13:16: rules[ACME201].then.options: expected a mapping, not a list",
        ),
        (
            acme_owner_rule().replace("family: completeness", "family: capacty"),
            "acme.yaml:5:13: rules[ACME201].family: unknown family 'capacty' (did you mean "
            "`capacity`?)",
        ),
        (
            acme_owner_rule().replace("given: /sources/*", "given: sources"),
            "acme.yaml:9:12: rules[ACME201].given: the value is 'sources'",
        ),
        (
            acme_owner_rule()
            .replace(
                "    then:\n      field: owner\n      function: pattern\n",
                "    then:\n      - function: present\n"
                "      - field: owner\n        function: pattern\n",
            )
            .replace("      options:", "        options:")
            .replace("{match:", "{ignore_case: true, match:"),
            "acme.yaml:14:19: rules[ACME201].then[1].options: unknown key 'ignore_case' "
            "(did you mean `ignore-case`?) in the options of function `pattern`",
        ),
    ],
)
def test_a_misspelt_ruleset_is_exit_2_with_its_position(
    tmp_path: Path, rule: str, expected: str
) -> None:
    write_plan(tmp_path)
    (tmp_path / "acme.yaml").write_text(RULESET_HEAD + rule, encoding="utf-8")
    (tmp_path / ".dataplan-lint.yaml").write_text("rulesets: [acme.yaml]\n", encoding="utf-8")
    result = run("check", str(tmp_path / "dataplan.yaml"))
    assert result.exit_code == 2
    assert f"config error: {tmp_path / expected}" in result.stderr


BAD_DOCUMENTS = [
    (CONFIG, {"selct": 1, "select": 3, "severity": {"x": []}, "max-file-size": 0}),
    (CONFIG, {"preset": "x", "per-file-ignores": {"a": [1]}, "tolerance": None}),
    (
        RULESET,
        {
            "gate": 13,
            "rules": [
                {"id": "x", "then": [{"function": "pattern", "options": {"mach": 1}}, 3]},
                {"slug": "A", "given": [], "then": {"function": "reference-exists", "options": {}}},
            ],
        },
    ),
]


@pytest.mark.parametrize(("name", "document"), BAD_DOCUMENTS)
def test_the_walker_and_jsonschema_find_the_same_errors(name: str, document: Any) -> None:
    schema = tool_schema(name)
    walked = {(tuple(e.path), e.validator) for e in Walker(schema).errors(document, schema)}
    reference = {
        (tuple(e.absolute_path), e.validator)
        for e in Draft202012Validator(schema).iter_errors(document)
    }
    assert walked == reference
    assert len(walked) >= 3


def test_the_schemas_enums_are_the_code_s() -> None:
    """The names the schemas list are the ones the code knows (not copies that drift)."""
    from dataplan_lint.core.findings import APPLICABILITIES
    from dataplan_lint.core.settings import JSON_SCHEMA_POLICIES
    from dataplan_lint.engine.model import FAMILIES
    from dataplan_lint.engine.rulesets import bundled

    presets = sorted(bundled().presets)
    config = tool_schema(CONFIG)["properties"]
    assert sorted(config["preset"]["enum"]) == presets
    assert tuple(config["json-schema-policy"]["enum"]) == JSON_SCHEMA_POLICIES
    ruleset = tool_schema(RULESET)
    assert sorted(ruleset["properties"]["extends"]["enum"]) == presets
    rule = ruleset["$defs"]["rule"]["properties"]
    assert tuple(rule["family"]["enum"]) == FAMILIES
    assert tuple(rule["fix"]["enum"]) == APPLICABILITIES
