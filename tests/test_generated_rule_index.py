"""The bundled rule index is built ahead of time; it must match the rule files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dataplan_lint.engine import rulesets
from dataplan_lint.engine.index_codegen import generate


def test_prebuilt_rule_index_is_current() -> None:
    stored = json.loads(rulesets.PREBUILT.read_text(encoding="utf-8"))
    assert stored == generate(), (
        "rules/ changed: run `.venv/bin/python -m dataplan_lint.engine.index_codegen`"
    )


def test_bundled_rules_come_from_the_prebuilt_index(monkeypatch: Any) -> None:
    """While the index is current the rule YAML is never parsed on the check path."""
    rulesets.bundled.cache_clear()

    def no_yaml(path: Path, raw: bytes | None = None) -> Any:
        raise AssertionError(f"parsed {path}")

    monkeypatch.setattr(rulesets, "parse_yaml", no_yaml)
    try:
        loaded = rulesets.bundled()
    finally:
        rulesets.bundled.cache_clear()
    assert len(loaded.rules) > 100
    assert {"recommended", "strict"} <= set(loaded.presets)


def test_a_stale_index_is_not_used(monkeypatch: Any, tmp_path: Path) -> None:
    stale = tmp_path / "bundled_rules.json"
    data = json.loads(rulesets.PREBUILT.read_text(encoding="utf-8"))
    data["source_digest"] = "0" * len(data["source_digest"])
    data["index"]["rules"] = []
    stale.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(rulesets, "PREBUILT", stale)
    rulesets.bundled.cache_clear()
    try:
        assert len(rulesets.bundled().rules) > 100  # read from the YAML instead
    finally:
        rulesets.bundled.cache_clear()
