"""The HTML bundle rendered by a real browser (Debian's headless Chromium).

The DOM tests read what Chromium parsed; the screenshot tests take real PNG screenshots
of each example's bundle and read the pixels (tests/pngread.py): the pictures at the
top are drawn (the palette's colours are on screen where they should be), and the page
logs nothing to the console and sends no request (Chromium's net log, filtered to the
requests the page itself made). Skips only when no Chromium is installed; `.ci/run`
installs one so CI always runs it.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pngread
import pytest
from click.testing import CliRunner

from dataplan_lint.authoring import bundle, svg, topology_svg
from dataplan_lint.cli.commands import cli

ROOT = Path(__file__).resolve().parents[2]
BROWSERS = ("chromium", "chromium-browser", "/usr/bin/chromium", "google-chrome")


def browser() -> str | None:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def run_browser(html_file: Path, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
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
        *args,
        html_file.as_uri(),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return result


def render_dom(html_file: Path, profile: Path) -> str:
    return run_browser(html_file, profile, "--dump-dom").stdout


@dataclass
class Shot:
    image: pngread.Image
    console: list[str]  # messages the page logged (errors, CSP violations, ...)
    requests: list[str]  # URLs the page itself asked the network for


def screenshot(html_file: Path, tmp: Path, width: int = 1200, height: int = 2200) -> Shot:
    """A real screenshot of the page's top `height` pixels, its console and its requests."""
    png, net_log = tmp / f"{html_file.stem}.png", tmp / f"{html_file.stem}.netlog.json"
    result = run_browser(
        html_file,
        tmp / f"profile-{html_file.stem}",
        "--hide-scrollbars",
        "--enable-logging=stderr",
        "--v=0",
        f"--log-net-log={net_log}",
        f"--window-size={width},{height}",
        f"--screenshot={png}",
    )
    console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line]
    events = json.loads(net_log.read_text(encoding="utf-8"))["events"]
    # Chromium's own background traffic runs under other isolation keys; what a file://
    # page loads runs under `file://`.
    requests = [
        event["params"]["url"]
        for event in events
        if "file://" in str(event.get("params", {}).get("network_isolation_key", ""))
        and not str(event["params"].get("url", "file:")).startswith("file:")
    ]
    return Shot(pngread.read(png), console, requests)


def write_bundle(plan: Path, target: Path) -> None:
    result = CliRunner().invoke(cli, ["bundle", str(plan), "--html", "-o", str(target)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("example", ["clickstream-sessions", "orders-cdc"])
def test_browser_renders_sections_and_charts(tmp_path: Path, example: str) -> None:
    page = tmp_path / "bundle.html"
    write_bundle(ROOT / "examples" / example / "dataplan.yaml", page)
    dom = render_dom(page, tmp_path / "profile")
    headings = re.findall(r"<h2[^>]*>(.*?)</h2>", dom)
    assert headings[:2] == ["At a glance", "Lint result per gate"]
    assert len(headings) == 15
    assert headings[6] == "5. Capacity: declared vs derived"
    assert headings[-1] == "13. Open risks with owners"
    # The three pictures come first, each under its heading, before the lint table.
    pictures = re.findall(r'<h3 id="(\w+)-picture">(.*?)</h3>', dom)
    assert pictures == [
        ("topology", "Topology"),
        ("latency", "Latency budget against the SLO"),
        ("capacity", "Capacity: declared vs derived"),
    ]
    assert dom.index('id="capacity-picture"') < dom.index('id="lint-result"')
    charts = re.findall(r"<svg\b[^>]*>", dom)
    assert len(charts) == 4  # topology, latency, capacity; throughput in section 5
    assert all('role="img"' in chart and "aria-labelledby=" in chart for chart in charts)
    ids = re.findall(r'\bid="([^"]+)"', dom)
    assert len(ids) == len(set(ids))  # the pictures' ids do not collide
    referenced = re.findall(r'aria-(?:labelledby|describedby)="([^"]+)"', dom)
    assert len(referenced) == 7 and set(referenced) <= set(ids)
    for title in (
        "Topology: sources, ingestion, model layers and consumers",
        "Latency budget legs against the freshness SLO",
        "Capacity figures: declared against derived",
        "Peak throughput against partition capacity",
    ):
        assert title in dom
    data = bundle.build(ROOT / "examples" / example / "dataplan.yaml")
    assert len(re.findall(r'<g class="node"', dom)) == len(data["topology"]["nodes"])
    assert len(re.findall(r'<path class="edge', dom)) == len(data["topology"]["edges"])
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


# Fill colours the screenshot must show: one per node role, the capacity bars and band.
CAPACITY_COLOURS = (svg.DECLARED_OK, svg.DERIVED, svg.BAND)


def rows_with(shot: Shot, colour: str) -> list[int]:
    """The screenshot rows holding at least 20 pixels of `colour` (a solid fill)."""
    wanted = bytes.fromhex(colour[1:])
    return [
        y
        for y, row in enumerate(shot.image.rows)
        if sum(1 for x in range(0, len(row), 3) if row[x : x + 3] == wanted) >= 20
    ]


@pytest.mark.parametrize("example", ["clickstream-sessions", "orders-cdc"])
def test_screenshot_shows_the_pictures(tmp_path: Path, example: str) -> None:
    page = tmp_path / f"{example}.html"
    write_bundle(ROOT / "examples" / example / "dataplan.yaml", page)
    html = page.read_text(encoding="utf-8")
    # Nothing to fetch: no http(s) URL in any src or href (links to docs would be fine).
    assert not re.findall(r"""(?:src|href)\s*=\s*["']?\s*https?:""", html, flags=re.I)
    shot = screenshot(page, tmp_path)
    assert shot.console == []
    assert shot.requests == []
    image = shot.image
    assert (image.width, image.height) == (1200, 2200)
    colours = image.colours()
    data = bundle.build(ROOT / "examples" / example / "dataplan.yaml")
    roles = list(dict.fromkeys(node["role"] for node in data["topology"]["nodes"]))
    assert len(roles) >= 7
    for role in roles:  # every box colour is on screen, each as a solid area
        fill = topology_svg.ROLES[role][0]
        assert colours.get(fill, 0) >= 1500, (role, fill, colours.get(fill))
    for fill in CAPACITY_COLOURS:
        assert colours.get(fill, 0) >= 3000, (fill, colours.get(fill))
    legs = [c for c in svg.PALETTE if colours.get(c, 0) >= 150]
    assert len(legs) >= 5, legs  # the latency legs in their own colours
    # The topology is the first picture, near the top, and it is not blank: between
    # its first source box and its last consumer box most rows show boxes or bands.
    top = rows_with(shot, topology_svg.ROLES["source"][0])
    bottom = rows_with(shot, topology_svg.ROLES["consumer"][0])
    assert top and bottom and 150 < top[0] < 400
    assert bottom[-1] - top[0] > 400
    span = image.colours((0, top[0], image.width, bottom[-1]))
    painted = sum(n for colour, n in span.items() if colour != "#ffffff")
    assert painted > 0.2 * image.width * (bottom[-1] - top[0])
    latency = rows_with(shot, svg.PALETTE[3])
    capacity = rows_with(shot, svg.BAND)
    assert bottom[-1] < latency[0] < capacity[0] < image.height


def test_the_screenshot_checks_catch_a_leaking_page(tmp_path: Path) -> None:
    """The console and request checks above are not vacuous: a page that logs an error
    and loads an image from the network is caught by both."""
    page = tmp_path / "leak.html"
    page.write_text(
        '<!DOCTYPE html><html><body><img src="http://127.0.0.1:9/x.png">'
        '<script>console.error("boom")</script></body></html>',
        encoding="utf-8",
    )
    shot = screenshot(page, tmp_path, 400, 300)
    assert any('"boom"' in line for line in shot.console)
    assert shot.requests and all(url == "http://127.0.0.1:9/x.png" for url in shot.requests)
