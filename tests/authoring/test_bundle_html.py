"""The HTML bundle rendered by a real browser (Debian's headless Chromium).

Skips only when no Chromium is installed; `.ci/run` installs one so CI always runs it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from dataplan_lint.cli.commands import cli

ROOT = Path(__file__).resolve().parents[2]
BROWSERS = ("chromium", "chromium-browser", "/usr/bin/chromium", "google-chrome")


def browser() -> str | None:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def render_dom(html_file: Path, profile: Path) -> str:
    exe = browser()
    if exe is None:
        pytest.skip("no Chromium installed (apt-get install chromium)")
    command = [
        exe,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--dump-dom",
        html_file.as_uri(),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def write_bundle(plan: Path, target: Path) -> None:
    result = CliRunner().invoke(cli, ["bundle", str(plan), "--html", "-o", str(target)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("example", ["clickstream-sessions", "orders-cdc"])
def test_browser_renders_sections_and_charts(tmp_path: Path, example: str) -> None:
    page = tmp_path / "bundle.html"
    write_bundle(ROOT / "examples" / example / "dataplan.yaml", page)
    dom = render_dom(page, tmp_path / "profile")
    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", dom)
    assert headings[0] == "Lint result per gate"
    assert len(headings) == 14
    assert headings[5] == "5. Capacity: declared vs derived"
    assert headings[-1] == "13. Open risks with owners"
    charts = re.findall(r"<svg\b[^>]*>", dom)
    assert len(charts) == 2
    assert "Latency budget legs against the freshness SLO" in dom
    assert "Peak throughput against partition capacity" in dom
    assert len(re.findall(r"<rect\b", dom)) >= 6
    assert "<script" not in dom


def test_browser_does_not_run_plan_text(tmp_path: Path) -> None:
    plan = tmp_path / "evil.dataplan.yaml"
    plan.write_text(
        "apiVersion: dataplan/v1\nkind: DataPlan\nmetadata:\n"
        "  name: \"<script>document.title='pwned'</script>\"\n  owner: team-x\n"
        "  version: 1\n  status: draft\n  mode: guided\n"
        "event_semantics:\n  latency_budget:\n    legs:\n"
        '      - {name: "<img src=x onerror=alert(1)>", budget: 5s}\n',
        encoding="utf-8",
    )
    page = tmp_path / "bundle.html"
    write_bundle(plan, page)
    dom = render_dom(page, tmp_path / "profile")
    title = re.search(r"<title>(.*?)</title>", dom)
    assert title is not None
    assert title.group(1).startswith("Data Plan Bundle: &lt;script&gt;")  # not 'pwned'
    assert "<script" not in dom and "<img" not in dom
    assert "&lt;script&gt;" in dom
    assert "<svg" in dom  # the latency chart still renders for the one leg
