"""A hopping window emitting on close makes results wait for its slide, not its size
(issue 21 section 3): through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from ruleplans import edit

from dataplan_lint.cli.commands import cli

SESSION = "      kind: session\n      size: 4h\n      gap: 30m\n      emit: early-and-on-close"


def _findings(tmp_path: Path, window: str) -> list[dict[str, object]]:
    text = edit("clickstream", (SESSION, window))
    path = tmp_path / "dataplan.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(path), "--format", "json"])
    data = json.loads(result.stdout)
    return [f for f in data["findings"] if f["rule_id"] in ("DP301", "DP305")]


def test_a_10m_window_sliding_every_1m_waits_1m(tmp_path: Path) -> None:
    hopping = "      kind: hopping\n      size: 10m\n      slide: 1m\n      emit: on-close"
    assert _findings(tmp_path, hopping) == []


def test_a_10m_tumbling_window_still_waits_its_size(tmp_path: Path) -> None:
    tumbling = "      kind: tumbling\n      size: 10m\n      emit: on-close"
    found = _findings(tmp_path, tumbling)
    assert [f["rule_id"] for f in found] == ["DP301"]
    assert "window size (results emit on close) 10m" in str(found[0]["message"])
