"""The rule engine: context, matching, `when`, registry, crash guard, rulesets and cache."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from enginehelpers import CLICKSTREAM, acme_owner_rule, check_json, ids, plan_text, run, write_plan

from dataplan_lint.config.file import LintConfig
from dataplan_lint.core.findings import Severity
from dataplan_lint.core.rules import BUILTIN_RULES
from dataplan_lint.core.settings import Settings
from dataplan_lint.engine import registry, rulesets
from dataplan_lint.engine.context import RuleContext, render
from dataplan_lint.engine.matching import matches
from dataplan_lint.engine.model import Call, Rule
from dataplan_lint.engine.run import run_rule, run_rules
from dataplan_lint.engine.when import holds
from dataplan_lint.files.loader import LoadedPlan, load_text


def load(text: str) -> LoadedPlan:
    result = load_text(text, "plan.yaml")
    assert result.plan is not None
    return result.plan


def make_rule(**overrides: Any) -> Rule:
    fields: dict[str, Any] = {
        "id": "X101",
        "slug": "x-rule",
        "gate": 1,
        "family": "completeness",
        "severity": Severity.WARNING,
        "message": "{path} is wrong ({why})",
        "summary": "A test rule.",
        "reference": "",
        "given": ("/context/consumers/*",),
        "then": (Call("present", "owner"),),
    }
    fields.update(overrides)
    return Rule(**fields)


PLAN = load(CLICKSTREAM.read_text(encoding="utf-8"))


def test_context_get_and_quantity() -> None:
    ctx = RuleContext(PLAN, make_rule(), Settings())
    assert ctx.get("/sources/0/id") == "web_clickstream"
    assert ctx.get("/sources/9/id", "none") == "none"
    assert ctx.quantity("/event_semantics/watermark/delay", "duration") == 30.0
    assert ctx.quantity("/sources/0/id", "duration") is None  # malformed: quiet
    assert ctx.quantity("/nowhere", "duration") is None


def test_report_spans_value_key_and_missing_pointer() -> None:
    ctx = RuleContext(PLAN, make_rule(), Settings(), Severity.ERROR)
    value = ctx.report("/event_semantics/watermark/delay", why="x")
    assert (value.line, value.col) == (115, 12)
    assert value.severity is Severity.ERROR
    assert value.message == "event_semantics.watermark.delay is wrong (x)"
    key = ctx.report("/event_semantics/watermark/delay", at_key=True)
    assert (key.line, key.col) == (115, 5)
    missing = ctx.report("/event_semantics/watermark/nothing/deeper")
    assert (missing.line, missing.col) == (113, 3)  # the key of the nearest ancestor
    assert missing.message.endswith("({why})")  # unfilled placeholders stay visible


def test_render_survives_bad_templates() -> None:
    assert render("{a} and {b}", {"a": 1}) == "1 and {b}"
    assert render("{a:>{w}}", {"a": "x"}) == "{a:>{w}}"


def test_matching_wildcards_lists_and_mappings() -> None:
    data = {"a": [{"b": 1}, {"b": 2}, {"c": 3}], "m": {"x": {"b": 4}, "y": {"b": 5}}}
    assert list(matches(data, "/a/*/b")) == [("/a/0/b", 1), ("/a/1/b", 2)]
    assert list(matches(data, "/m/*/b")) == [("/m/x/b", 4), ("/m/y/b", 5)]
    assert list(matches(data, "")) == [("", data)]
    assert list(matches(data, "/a/5")) == []


def test_when_conditions() -> None:
    data = {"s": [{"k": "cdc", "n": 3}, {"k": "batch"}], "t": {"x": None}}
    assert holds(data, "/s/0", {"k": "cdc", "n": {"gt": 2}})
    assert not holds(data, "/s/0", {"n": {"gt": 3}})
    assert holds(data, "/s/1", {"k": ["batch", "file"], "n": {"exists": False}})
    assert holds(data, "/t", {"/s/*/k": "cdc", "x": {"exists": False}})
    assert holds(data, "/t", {"/s/*/k": {"not": "stream"}})
    assert not holds(data, "/t", {"/s/*/k": {"not": "batch"}})
    assert not holds({"v": True}, "", {"v": 1})  # booleans are not numbers


def test_given_field_and_when_drive_calls() -> None:
    text = plan_text(("owner: team-recommendations", "owner: null"))
    rule = make_rule(when={"critical": False})
    found = run_rule(rule, load(text), Settings())
    assert [(f.rule_id, f.pointer, f.line, f.col) for f in found] == [
        ("X101", "/context/consumers/1/owner", 62, 14)
    ]
    assert run_rule(make_rule(when={"critical": True}), load(text), Settings()) == []


def test_crashing_rule_becomes_dp099_naming_the_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    def explodes(ctx: Any, value: Any, pointer: str, options: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setitem(registry._FUNCTIONS, "test-explodes", explodes)

    config = LintConfig()
    config.active_rules()
    broken = make_rule(id="X199", slug="x-broken", then=(Call("test-explodes"),))
    monkeypatch.setattr(config, "_active", [(broken, Severity.ERROR)])
    found = run_rules(PLAN, Settings(config=config), config.active_rules())
    assert [f.rule_id for f in found] == ["DP099"]
    assert "X199" in found[0].message and "boom" in found[0].message


def test_unknown_function_names_close_match() -> None:
    with pytest.raises(registry.UnknownFunction, match="did you mean `owner-set`"):
        registry.get("owner-sett")


def test_builtin_lookup_reads_the_table_in_one_step() -> None:
    assert registry.get("reference-exists").__module__ == "dataplan_lint.checks.reference_exists"
    assert registry.get("pattern").__module__ == "dataplan_lint.checks.pattern"
    entry = registry.builtins()["capacity-figure-mismatch"]
    assert entry.location == "dataplan_lint/checks/domain/capacity.py:figure_mismatch"


class _EntryPoint:
    def __init__(self, name: str, target: Any) -> None:
        self.name = name
        self.value = f"tests:{name}"
        self._target = target

    def load(self) -> Any:
        return self._target


def test_entry_point_functions_load_lazily(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def my_check(ctx: Any, value: Any, pointer: str, options: Any) -> Any:
        calls.append(pointer)
        if isinstance(value, int) and value > options["limit"]:
            yield ctx.report(pointer, limit=options["limit"])

    def fake_entry_points(group: str) -> list[_EntryPoint]:
        assert group == "dataplan_lint.functions"
        return [_EntryPoint("acme-max-partitions", my_check)]

    import importlib.metadata

    monkeypatch.setattr(importlib.metadata, "entry_points", fake_entry_points)
    registry.reset_entry_points()
    try:
        rule = make_rule(
            message="{value} partitions exceed {limit}",
            given=("/sources/*/partitions",),
            then=(Call("acme-max-partitions", None, {"limit": 32}),),
        )
        found = run_rule(rule, PLAN, Settings())
        assert [(f.message, f.line) for f in found] == [("48 partitions exceed 32", 91)]
        assert calls == ["/sources/0/partitions"]
    finally:
        registry._FUNCTIONS.pop("acme-max-partitions", None)
        registry.reset_entry_points()


def test_entry_point_in_an_installed_distribution(tmp_path: Path, monkeypatch: Any) -> None:
    """A real (tiny) distribution on sys.path registers a function through its metadata."""
    package = tmp_path / "acme_lint"
    package.mkdir()
    (package / "__init__.py").write_text(
        "def long_names(ctx, value, pointer, options):\n"
        "    if isinstance(value, str) and len(value) > options.get('max', 10):\n"
        "        yield ctx.report(pointer, max=options.get('max', 10))\n",
        encoding="utf-8",
    )
    dist = tmp_path / "acme_lint-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-lint\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        "[dataplan_lint.functions]\nacme-long-names = acme_lint:long_names\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    registry.reset_entry_points()
    try:
        rule = make_rule(
            message="{value} is longer than {max}",
            given=("/sources/*/id",),
            then=(Call("acme-long-names", None, {"max": 12}),),
        )
        found = run_rule(rule, PLAN, Settings())
        assert [f.message for f in found] == ["web_clickstream is longer than 12"]
    finally:
        registry._FUNCTIONS.pop("acme-long-names", None)
        registry.reset_entry_points()


def test_user_ruleset_is_read_on_every_run_and_cached_nowhere(
    tmp_path: Path, monkeypatch: Any
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    ruleset = tmp_path / "rules.yaml"
    ruleset.write_text(USER_RULES, encoding="utf-8")
    assert rulesets.load_user(ruleset).rules[0].summary.startswith("Source owners")
    ruleset.write_text(USER_RULES.replace("Source owners", "Owners"), encoding="utf-8")
    assert rulesets.load_user(ruleset).rules[0].summary.startswith("Owners")
    assert list(home.rglob("*")) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "rules.yaml"]


def test_bundled_rulesets_are_valid_and_cover_all_gates() -> None:
    loaded = rulesets.bundled()
    assert {"recommended", "strict"} <= set(loaded.presets)
    gates = {rule.gate for rule in loaded.rules}
    assert {1, 2, 5, 6, 12} <= gates
    for rule in loaded.rules:
        assert rule.id.startswith(f"DP{rule.gate}"), rule.id
        for call in rule.then:
            registry.get(call.function)  # every named function exists


USER_RULES = "extends: strict\ngate: 2\nrules:\n" + acme_owner_rule()


def test_user_ruleset_from_config_runs_with_builtin_functions(tmp_path: Path) -> None:
    write_plan(
        tmp_path,
        ("owner: team-web-collector\n    contract", "owner: bob@example.com\n    contract"),
    )
    (tmp_path / "acme.yaml").write_text(USER_RULES, encoding="utf-8")
    (tmp_path / ".dataplan-lint.yaml").write_text("rulesets: [acme.yaml]\n", encoding="utf-8")
    code, findings = check_json(str(tmp_path / "dataplan.yaml"))
    assert code == 1
    assert [(f["rule_id"], f["line"], f["column"]) for f in findings] == [("ACME201", 82, 12)]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (
            "rules:\n  - id: ACME201\n",
            "acme.yaml:2:5: rules[ACME201]: missing required keys 'slug', 'family'",
        ),
        (
            USER_RULES.replace("family: completeness", "family: completness"),
            "did you mean `completeness`",
        ),
        (USER_RULES.replace("extends: strict", "extends: strikt"), "did you mean `strict`"),
        (
            USER_RULES.replace("    given:", "    givn: x\n    given:"),
            "acme.yaml:10:5: rules[ACME201]: unknown key 'givn' (did you mean `given`?)",
        ),
        (USER_RULES.replace("function: pattern", "function: patern"), "did you mean `pattern`"),
    ],
)
def test_bad_user_ruleset_is_exit_2(tmp_path: Path, content: str, reason: str) -> None:
    write_plan(tmp_path)
    (tmp_path / "acme.yaml").write_text(content, encoding="utf-8")
    (tmp_path / ".dataplan-lint.yaml").write_text("rulesets: [acme.yaml]\n", encoding="utf-8")
    result = run("check", str(tmp_path / "dataplan.yaml"))
    assert result.exit_code == 2
    assert reason in result.stderr


def test_rules_json_lists_every_rule_with_gate_numbers() -> None:
    result = run("rules", "--format", "json")
    assert result.exit_code == 0
    items = json.loads(result.stdout)
    # every bundled rule and every check written in code, each once
    expected = [rule.id for rule in rulesets.bundled().rules] + list(BUILTIN_RULES)
    assert sorted(item["id"] for item in items) == sorted(expected)
    for item in items:
        assert {"id", "slug", "gate", "family", "severity", "summary"} <= set(item)
        assert isinstance(item["gate"], int) and 0 <= item["gate"] <= 12
    assert {item["gate"] for item in items} >= set(range(1, 13))
    text = run("rules").stdout
    assert "DP201" in text and "source-contract-missing" in text


def test_explain_by_id_and_slug() -> None:
    by_id = run("explain", "dp201")
    assert by_id.exit_code == 0
    assert "Failing example" in by_id.stdout and "Fixed example" in by_id.stdout
    assert "references/sources.md#source-contract-missing" in by_id.stdout
    assert run("explain", "source-contract-missing").stdout == by_id.stdout


def test_explain_unknown_rule_is_exit_2_with_suggestion() -> None:
    result = run("explain", "source-contract-mising")
    assert result.exit_code == 2
    assert "did you mean `source-contract-missing`" in result.stderr


def test_examples_are_clean_under_both_presets(tmp_path: Path) -> None:
    examples = [str(CLICKSTREAM), str(CLICKSTREAM.parents[1] / "orders-cdc" / "dataplan.yaml")]
    for preset in ("recommended", "strict"):
        config = tmp_path / f"{preset}.yaml"
        config.write_text(f"preset: {preset}\n", encoding="utf-8")
        code, findings = check_json("--config", str(config), *examples)
        assert (code, ids(findings)) == (0, []), preset


ODD_VALUES = [None, -1, "", [], {}, "x", True, 1e308, [1], {"a": 1}, [{"a": 1}]]
ODD_PLACES = [
    "/context/consumers",
    "/context/consumers/0/freshness",
    "/context/latency_class",
    "/sources/0",
    "/sources/0/high_cardinality_keys",
    "/sources/0/corrections",
    "/ingestion/topology",
    "/ingestion/topology/1/depends_on",
    "/ingestion/failure_handling",
    "/modeling/layers/2/incremental",
    "/modeling/layers/2/incremental/handles",
    "/modeling/layers/1/reads_from",
    "/assumptions",
    "/risks/0",
]


@pytest.mark.parametrize("place", ODD_PLACES)
def test_rules_do_not_crash_on_values_of_the_wrong_type(place: str) -> None:
    """The schema reports wrong types; the rules must stay quiet or report, never crash."""
    import copy

    from ruleexamples import load_base

    from dataplan_lint.core.pointers import split

    base = load_base(CLICKSTREAM.parents[1])
    config = LintConfig(preset="strict")
    for odd in ODD_VALUES:
        data = copy.deepcopy(base)
        *parents, last = split(place)
        node: Any = data
        for token in parents:
            node = node[int(token)] if isinstance(node, list) else node[token]
        node[int(last) if isinstance(node, list) else last] = odd
        plan = load(json.dumps(data))  # JSON is YAML
        found = run_rules(plan, Settings(config=config), config.active_rules())
        assert [f.message for f in found if f.rule_id == "DP099"] == [], (place, odd)
