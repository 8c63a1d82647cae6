"""Baselines hold across folders and list insertions; hostile baseline files are exit 2."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from dataplan_lint.pipeline.baseline import BaselineError, load, parse
from dataplan_lint.pipeline.fingerprints import stable_pointer

from .runcli import lint

ROOT = Path(__file__).resolve().parents[2]
BAD = ROOT / "examples" / "invalid" / "bad-enum.dataplan.yaml"

NEW_SOURCE = """sources:
  - id: app_clicks
    system: Kafka topic app.clicks.v1
    kind: stream
    owner: team-web-collector
    contract: click_event
    mutation: append-only
    corrections: {how: none}
    delivery: at-least-once
    partition_key: user_id
"""
NEW_ASSUMPTION = """assumptions:
  - id: A-0
    statement: Bots are filtered upstream.
    owner: team-web-analytics
    gate: 3
"""


def active(done: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    document = json.loads(done.stdout)
    return [f for f in document["findings"] if f["suppression"] is None]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "pipelines" / "clicks").mkdir(parents=True)
    (tmp_path / "pipelines" / "clicks" / "dataplan.yaml").write_bytes(BAD.read_bytes())
    made = lint("baseline", ".", "-o", "baseline.json", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    return tmp_path


def test_entries_name_paths_from_the_root_and_items_by_identity(repo: Path) -> None:
    document = json.loads((repo / "baseline.json").read_text())
    assert document["version"] == 2
    enum = next(e for e in document["entries"] if e["rule_id"] == "DP014")
    assert enum["path"] == "pipelines/clicks/dataplan.yaml"
    assert enum["pointer"] == "/sources/[id=web_clicks]/kind"


def test_a_root_baseline_holds_from_a_sub_folder(repo: Path) -> None:
    for cwd, target, baseline in (
        (repo, ".", "baseline.json"),
        (repo / "pipelines", ".", "../baseline.json"),
        (repo / "pipelines" / "clicks", "dataplan.yaml", "../../baseline.json"),
    ):
        done = lint("check", target, "--baseline", baseline, "--format", "json", cwd=cwd)
        assert done.returncode == 0, done.stdout + done.stderr
        assert active(done) == []
        assert json.loads(done.stdout)["baseline"]["stale"] == []


def test_a_root_baseline_holds_after_inserting_items_at_the_top_of_lists(repo: Path) -> None:
    plan = repo / "pipelines" / "clicks" / "dataplan.yaml"
    text = plan.read_text()
    text = text.replace("sources:\n", NEW_SOURCE, 1).replace("assumptions:\n", NEW_ASSUMPTION, 1)
    plan.write_text(text)
    done = lint("check", ".", "--baseline", "../../baseline.json", "--format", "json",
                cwd=plan.parent)  # fmt: skip
    found = active(done)
    # Only the new source's own findings are new; everything baselined below it matches.
    assert found, done.stdout
    assert all("app_clicks" in f["message"] for f in found), found
    assert all(f["pointer"].startswith("/sources/0") for f in found), found
    assert json.loads(done.stdout)["baseline"]["stale"] == []
    enum = next(f for f in json.loads(done.stdout)["findings"] if f["rule_id"] == "DP014")
    assert enum["pointer"] == "/sources/1/kind"  # it did move
    assert enum["suppression"] is not None


def test_version_1_baselines_are_still_read(repo: Path) -> None:
    # A version-1 file keyed the old way (path as displayed, list positions) still matches.
    from dataplan_lint.core.findings import Finding, Severity

    old = Finding("DP014", Severity.ERROR, "x", "pipelines/clicks/dataplan.yaml")
    assert old.fingerprint  # the legacy key is Finding.fingerprint
    done = lint("check", ".", "--format", "json", cwd=repo)
    entries = [
        {"fingerprint": f["fingerprint"], "rule_id": f["rule_id"], "path": f["path"]}
        for f in json.loads(done.stdout)["findings"]
    ]
    (repo / "v1.json").write_text(json.dumps({"version": 1, "entries": entries}))
    done = lint("check", ".", "--baseline", "v1.json", "--format", "json", cwd=repo)
    assert done.returncode == 0, done.stdout + done.stderr
    assert active(done) == []


def test_stable_pointer_walks_lists_by_identity() -> None:
    data = {"a": [{"name": "x/y"}, {"stage": "s"}, {"other": 1}, "plain"], "b": {"c": [1]}}
    assert stable_pointer(data, "/a/0/type") == "/a/[name=x~1y]/type"
    assert stable_pointer(data, "/a/1") == "/a/[stage=s]"
    assert stable_pointer(data, "/a/2/other").startswith("/a/[#")
    assert stable_pointer(data, "/a/3") != stable_pointer({"a": ["other"]}, "/a/0")
    assert stable_pointer(data, "/a/9/x") == "/a/9/x"  # does not resolve: kept
    assert stable_pointer(data, "") == ""


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_device_as_baseline_is_refused(tmp_path: Path) -> None:
    with pytest.raises(BaselineError, match="not a regular file"):
        load("/dev/zero")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_as_baseline_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "baseline.json"
    os.mkfifo(fifo)
    (tmp_path / "dataplan.yaml").write_bytes(BAD.read_bytes())
    done = lint("check", "dataplan.yaml", "--baseline", str(fifo), cwd=tmp_path)
    assert done.returncode == 2
    assert "not a regular file" in done.stderr


def test_a_deeply_nested_baseline_is_a_clear_error(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    (tmp_path / "dataplan.yaml").write_bytes(BAD.read_bytes())
    done = lint("check", "dataplan.yaml", "--baseline", str(deep), cwd=tmp_path)
    assert done.returncode == 2
    assert "nested too deeply" in done.stderr
    assert "Traceback" not in done.stderr


def test_an_oversized_baseline_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import dataplan_lint.pipeline.baseline as baseline

    monkeypatch.setattr(baseline, "MAX_BYTES", 10)
    big = tmp_path / "big.json"
    big.write_text('{"version": 2, "entries": []}')
    with pytest.raises(BaselineError, match="larger than 10 bytes"):
        load(big)
    assert parse('{"version": 2, "entries": []}').entries == ()
