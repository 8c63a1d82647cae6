"""Run settings: one typed, frozen object; every derived settings object is a new one."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from enginehelpers import CLICKSTREAM, check_json, ids, write_plan

from dataplan_lint.checks.domain import Issue, capacity
from dataplan_lint.checks.table import FUNCTIONS
from dataplan_lint.config.file import parse_config
from dataplan_lint.core.findings import Severity
from dataplan_lint.core.settings import DEFAULT_MAX_BYTES, DEFAULT_TOLERANCE, Given, Settings
from dataplan_lint.engine.check_input import CheckInput
from dataplan_lint.engine.context import RuleContext
from dataplan_lint.engine.model import Call, Rule
from dataplan_lint.engine.registry import _resolve
from dataplan_lint.files.loader import load_text
from dataplan_lint.pipeline.configured import per_file_settings

PEAK_OFF_BY_6_6_PERCENT = ("peak_eps: 17361", "peak_eps: 18500")


def test_settings_cannot_be_written_into() -> None:
    settings = Settings()
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.fail_on = Severity.INFO  # type: ignore[misc]
    assert not hasattr(settings, "options")  # no untyped bag


def test_per_file_settings_are_new_objects_derived_from_the_run() -> None:
    run = Settings(fail_on=Severity.WARNING, base="main", json_schema_policy=None)
    run.git_bases[("main", "/repo")] = object()  # type: ignore[assignment]
    lenient = parse_config({"json-schema-policy": "lenient", "tolerance": 0.2}, None)
    sized = parse_config({"max-file-size": 1000}, None)
    first, second = per_file_settings([lenient, sized], run)
    assert (first.config, first.tolerance, first.json_schema_policy) == (lenient, 0.2, "lenient")
    assert (second.config, second.tolerance, second.json_schema_policy) == (sized, 0.1, None)
    assert (first.max_file_size, second.max_file_size) == (DEFAULT_MAX_BYTES, 1000)
    for derived in (first, second):
        assert (derived.fail_on, derived.base) == (Severity.WARNING, "main")
        assert derived.git_bases is run.git_bases  # one cache of opened bases per run
    # The run's own settings are as they were.
    assert run == Settings(fail_on=Severity.WARNING, base="main")
    assert (run.config, run.tolerance) == (None, DEFAULT_TOLERANCE)


def test_command_line_beats_the_configuration() -> None:
    run = Settings(given=Given(max_file_size=500, json_schema_policy="strict"))
    config = parse_config({"json-schema-policy": "lenient", "max-file-size": 1000}, None)
    [derived] = per_file_settings([config], run)
    assert (derived.json_schema_policy, derived.max_file_size) == ("strict", 500)


def test_a_command_line_value_equal_to_the_default_still_beats_the_configuration(
    tmp_path: Path,
) -> None:
    """`--max-file-size 2000000` is given, not absent: a smaller configured limit loses."""
    path = write_plan(tmp_path)
    (tmp_path / ".dataplan-lint.yaml").write_text("max-file-size: 1000\n", encoding="utf-8")
    assert "DP008" in ids(check_json("--no-cache", str(path))[1])
    given = ("--max-file-size", str(DEFAULT_MAX_BYTES))
    assert check_json("--no-cache", *given, str(path)) == (0, [])  # read and checked in full


def test_configured_fail_on_yields_to_the_command_line(tmp_path: Path) -> None:
    path = write_plan(tmp_path, PEAK_OFF_BY_6_6_PERCENT)
    config = "tolerance: 5%\nseverity: {DP401: warning}\nfail-on: warning\n"
    (tmp_path / ".dataplan-lint.yaml").write_text(config, encoding="utf-8")
    assert check_json("--no-cache", str(path))[0] == 1
    assert check_json("--no-cache", "--fail-on", "error", str(path))[0] == 0


def test_configured_tolerance_reaches_the_capacity_rule(tmp_path: Path) -> None:
    path = write_plan(tmp_path / "default", PEAK_OFF_BY_6_6_PERCENT)
    assert "DP401" not in ids(check_json("--no-cache", str(path))[1])
    path = write_plan(tmp_path / "tight", PEAK_OFF_BY_6_6_PERCENT)
    (path.parent / ".dataplan-lint.yaml").write_text("tolerance: 5%\n", encoding="utf-8")
    [finding] = [f for f in check_json("--no-cache", str(path))[1] if f["rule_id"] == "DP401"]
    assert "(tolerance 5%)" in finding["message"]


def test_domain_checks_get_their_rule_options_and_typed_settings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A domain check sees the rule's own options, never run-wide values mixed in; one
    declared `check(...)` in the table gets them with the run's settings in its input."""
    seen: list[tuple[str, Mapping[str, Any], Settings | None]] = []

    def plain(data: Any, options: Mapping[str, Any]) -> Iterator[Issue]:
        seen.append(("plain", options, None))
        yield from ()

    def reads_settings(inp: CheckInput) -> Iterator[Issue]:
        seen.append(("with", inp.options, inp.settings))
        yield from ()

    loaded = load_text(CLICKSTREAM.read_text(encoding="utf-8"), "dataplan.yaml")
    assert loaded.plan is not None
    rule = Rule(
        id="X101",
        slug="x-rule",
        gate=4,
        family="capacity",
        severity=Severity.WARNING,
        message="m",
        summary="s",
        reference="",
        given=("",),
        then=(Call("x"),),
    )
    settings = Settings(tolerance=0.05, base="main")
    ctx = RuleContext(loaded.plan, rule, settings)
    monkeypatch.setattr(capacity, "inputs_missing", plain)
    monkeypatch.setattr(capacity, "figure_mismatch", reads_settings)
    for name in ("capacity-inputs-missing", "capacity-figure-mismatch"):
        function = _resolve(name, FUNCTIONS[name])
        list(function(ctx, loaded.plan.data, "", {"figures": ["avg_eps"]}))
    assert seen == [
        ("plain", {"figures": ["avg_eps"]}, None),
        ("with", {"figures": ["avg_eps"]}, settings),
    ]
