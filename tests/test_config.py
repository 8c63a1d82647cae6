"""Configuration: discovery by walking up, every key, CLI overrides, and errors (exit 2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from enginehelpers import check_json, ids, run, write_plan

from dataplan_lint.config.file import ConfigError, ConfigResolver, find_config_file, parse_config

# Two findings: DP1201 (error, gate 12, completeness) and DP102 (warning, gate 1).
DEFECTS = (
    ("    owner: team-finops", "    owner: TBD"),
    ("      - User identity stitching across devices.\n", ""),
    ("      - Marketing attribution models.\n", ""),
    (
        "    out:\n      - Native mobile app events (separate plan, different collector).\n",
        "    out: []\n",
    ),
)


def plan(tmp_path: Path, sub: str = "plans") -> Path:
    return write_plan(tmp_path / sub, *DEFECTS)


def fixed(findings: list[dict[str, object]]) -> list[tuple[object, object]]:
    return [(f["rule_id"], f["severity"]) for f in findings]


def test_defaults_report_both(tmp_path: Path) -> None:
    code, findings = check_json(str(plan(tmp_path)))
    assert (code, fixed(findings)) == (1, [("DP1201", "error"), ("DP102", "warning")])


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ("ignore: [DP1201]", ["DP102"]),
        ("ignore: [placeholder-value]", ["DP102"]),
        ("ignore: ['gate:12']", ["DP102"]),
        ("ignore: [completeness]", []),
        ("select: ['gate:1']", ["DP102"]),
        ("select: [completeness]", ["DP1201", "DP102"]),
        ("select: [DP1201, DP102]\nignore: [DP102]", ["DP1201"]),
        ("per-file-ignores:\n  'plans/*.yaml': [DP1201]", ["DP102"]),
        ("per-file-ignores:\n  'other/*.yaml': [DP1201]", ["DP1201", "DP102"]),
    ],
)
def test_selection(tmp_path: Path, config: str, expected: list[str]) -> None:
    path = plan(tmp_path)
    (tmp_path / ".dataplan-lint.yaml").write_text(config + "\n", encoding="utf-8")
    _, findings = check_json(str(path))
    assert ids(findings) == expected


def test_severity_override_and_fail_on(tmp_path: Path) -> None:
    path = plan(tmp_path)
    (tmp_path / ".dataplan-lint.yaml").write_text(
        "severity: {DP1201: warning, 'gate:1': info}\n", encoding="utf-8"
    )
    code, findings = check_json(str(path))
    assert (code, fixed(findings)) == (0, [("DP1201", "warning"), ("DP102", "info")])
    (tmp_path / ".dataplan-lint.yaml").write_text(
        "severity: {DP1201: warning}\nfail-on: warning\n", encoding="utf-8"
    )
    assert check_json(str(path))[0] == 1
    assert check_json("--fail-on", "error", str(path))[0] == 0  # the command line wins


def test_pyproject_table_and_nearest_wins(tmp_path: Path) -> None:
    path = plan(tmp_path, "a/b")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.dataplan-lint]\nignore = ["DP102"]\n', encoding="utf-8"
    )
    assert ids(check_json(str(path))[1]) == ["DP1201"]
    # A nearer pyproject.toml without the table is skipped ...
    (tmp_path / "a" / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert ids(check_json(str(path))[1]) == ["DP1201"]
    # ... a nearer .dataplan-lint.yaml wins (configs do not merge).
    (tmp_path / "a" / ".dataplan-lint.yaml").write_text("ignore: [DP1201]\n", encoding="utf-8")
    assert ids(check_json(str(path))[1]) == ["DP102"]
    assert find_config_file(path) == tmp_path / "a" / ".dataplan-lint.yaml"


def test_config_option_and_cli_select_ignore(tmp_path: Path) -> None:
    path = plan(tmp_path)
    (tmp_path / ".dataplan-lint.yaml").write_text("ignore: [DP102]\n", encoding="utf-8")
    other = tmp_path / "other.toml"
    other.write_text('[tool.dataplan-lint]\nignore = ["DP1201"]\n', encoding="utf-8")
    assert ids(check_json("--config", str(other), str(path))[1]) == ["DP102"]
    assert ids(check_json("--select", "gate:12,DP102", str(path))[1]) == ["DP1201"]
    assert ids(check_json("--ignore", "DP1201", str(path))[1]) == []


def test_tolerance_reaches_the_rules(tmp_path: Path) -> None:
    config = parse_config({"tolerance": "5%"}, tmp_path / ".dataplan-lint.yaml")
    assert config.tolerance == pytest.approx(0.05)
    assert parse_config({}, None).tolerance == pytest.approx(0.10)
    path = write_plan(tmp_path / "t")
    (tmp_path / "t" / ".dataplan-lint.yaml").write_text("tolerance: 0.2\n", encoding="utf-8")
    resolver = ConfigResolver()
    assert resolver.for_path(path).tolerance == pytest.approx(0.2)


def test_max_file_size_from_config(tmp_path: Path) -> None:
    path = write_plan(tmp_path)
    (tmp_path / ".dataplan-lint.yaml").write_text("max-file-size: 1000\n", encoding="utf-8")
    _, findings = check_json(str(path))
    assert ids(findings) == ["DP008"]


def test_strict_preset_enables_strict_only_rules(tmp_path: Path) -> None:
    path = write_plan(
        tmp_path,
        ("  pattern: stream", "  pattern: micro-batch"),
        ("freshness: 5m", "freshness: 30s"),
    )
    assert "DP515" not in ids(check_json(str(path))[1])
    (tmp_path / ".dataplan-lint.yaml").write_text("preset: strict\n", encoding="utf-8")
    assert "DP515" in ids(check_json(str(path))[1])
    (tmp_path / ".dataplan-lint.yaml").write_text("extend-select: [DP515]\n", encoding="utf-8")
    assert "DP515" in ids(check_json(str(path))[1])


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("ignroe: [DP101]", "unknown key 'ignroe' (did you mean `ignore`?)"),
        ("ignore: [DP9999]", "ignore: unknown rule 'DP9999'"),
        ("select: [source-contract-mising]", "did you mean `source-contract-missing`"),
        ("severity: {DP101: fatal}", "unknown severity 'fatal'"),
        ("fail-on: sometimes", "fail-on: unknown severity"),
        ("tolerance: 3", "tolerance: expected a fraction between 0 and 1"),
        ("preset: strikt", "unknown preset 'strikt' (did you mean `strict`?)"),
        ("rulesets: [missing.yaml]", "ruleset file 'missing.yaml' does not exist"),
        ("max-file-size: -1", ":1:16: max-file-size: must be at least 1, not -1 (the largest"),
        ("per-file-ignores: [x]", "per-file-ignores: expected a mapping"),
        ("- not a mapping", "must be a mapping of keys"),
        ("select: 'gate:3' 'x'", "not valid YAML"),
    ],
)
def test_bad_config_is_exit_2_naming_key_and_reason(
    tmp_path: Path, config: str, message: str
) -> None:
    path = write_plan(tmp_path)
    (tmp_path / ".dataplan-lint.yaml").write_text(config + "\n", encoding="utf-8")
    result = run("check", str(path))
    assert result.exit_code == 2
    assert "config error" in result.stderr
    assert message in result.stderr


def test_bad_toml_and_missing_config_file(tmp_path: Path) -> None:
    path = write_plan(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.dataplan-lint\n", encoding="utf-8")
    result = run("check", str(path))
    assert result.exit_code == 2 and "not valid TOML" in result.stderr
    result = run("check", "--config", str(tmp_path / "nope.yaml"), str(path))
    assert result.exit_code == 2 and "cannot read configuration" in result.stderr


def test_cli_select_error_names_the_option(tmp_path: Path) -> None:
    result = run("check", "--select", "DP9x", str(write_plan(tmp_path)))
    assert result.exit_code == 2 and "--select: unknown rule 'DP9x'" in result.stderr


def test_json_schema_policy_reaches_the_compatibility_checks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataplan_lint.core.settings import Settings
    from dataplan_lint.files.discovery import Discovered
    from dataplan_lint.pipeline import parallel
    from dataplan_lint.pipeline.configured import check_configured, per_file_settings

    with pytest.raises(ConfigError, match="unknown JSON Schema policy 'loose'; expected one of"):
        parse_config({"json-schema-policy": "loose"}, None)
    config = parse_config({"json-schema-policy": "lenient"}, None)
    seen: list[Settings] = []
    monkeypatch.setattr(
        parallel, "check_all", lambda jobs, *_: seen.extend(s for _, s in jobs) or []
    )
    path = write_plan(tmp_path)
    check_configured([Discovered(path, "p")], per_file_settings([config], Settings()))
    assert seen[0].json_schema_policy == "lenient"
    assert seen[0].config is config
