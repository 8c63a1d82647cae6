"""A built wheel carries what the tool reads at run time and works from any folder.

The wheel is built once per module, installed with `pip install --target` into a
folder of its own, and run from a folder outside the checkout with that folder first
on PYTHONPATH (the runtime dependencies come from the test's own environment). So
whatever `check`, `schema`, `explain` and `rules` need must be inside the wheel: the
schemas, the rulesets, the rule pages and the example plans rule examples are merged
into.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from dataplan_lint.core.rules import BUILTIN_RULES

ROOT = Path(__file__).resolve().parent.parent
# one worker builds and installs the wheel once (the `installed` fixture) for every test here
pytestmark = pytest.mark.xdist_group("wheel")


@dataclass(frozen=True)
class Installed:
    wheel: Path
    target: Path
    elsewhere: Path

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", "dataplan_lint", *args],
            cwd=self.elsewhere,
            env={**os.environ, "PYTHONPATH": str(self.target)},
            capture_output=True,
            text=True,
        )
        if check:
            assert result.returncode == 0, result.stdout + result.stderr
        return result

    def rule_ids(self, plan: str) -> list[str]:
        result = self.run("check", "--no-cache", "--format", "json", plan, check=False)
        assert result.returncode in (0, 1), result.stderr
        findings = json.loads(result.stdout)["findings"]
        return sorted({f["rule_id"] for f in findings if not f["suppression"]})


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    tmp = tmp_path_factory.mktemp("wheel")
    wheels = tmp / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        check=True,
    )
    (wheel,) = wheels.glob("dataplan_lint-*.whl")
    target = tmp / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-index",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
    )
    elsewhere = tmp / "elsewhere"
    elsewhere.mkdir()
    return Installed(wheel, target, elsewhere)


def test_wheel_ships_data_and_runs_outside_the_checkout(installed: Installed) -> None:
    names = zipfile.ZipFile(installed.wheel).namelist()
    assert "dataplan_lint/_data/schemas/dataplan.schema.json" in names
    assert "dataplan_lint/engine/bundled_rules.json" in names  # the prebuilt rule index
    assert "dataplan_lint/_data/rules/file-checks.yaml" in names  # the DP0xx pages
    assert "dataplan_lint/_data/examples/clickstream-sessions/dataplan.yaml" in names
    assert "dataplan_lint/_data/examples/orders-cdc/dataplan.yaml" in names
    assert "dataplan_lint/_data/examples/ride-trips/dataplan.yaml" in names
    assert any(name.startswith("dataplan_lint/_data/references/") for name in names)

    where = subprocess.run(
        [sys.executable, "-c", "import dataplan_lint; print(dataplan_lint.__file__)"],
        cwd=installed.elsewhere,
        env={**os.environ, "PYTHONPATH": str(installed.target)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.startswith(str(installed.target))
    plan = ROOT / "examples" / "clickstream-sessions" / "dataplan.yaml"
    (installed.elsewhere / "dataplan.yaml").write_bytes(plan.read_bytes())
    result = installed.run("check", "--no-cache", "dataplan.yaml")
    assert "no findings" in result.stdout
    assert '"$schema"' in installed.run("schema").stdout
    # The shipped example plan's modeline resolves inside the installation too.
    shipped = installed.target / "dataplan_lint" / "_data" / "examples" / "clickstream-sessions"
    first = (shipped / "dataplan.yaml").read_text(encoding="utf-8").splitlines()[0]
    reference = first.removeprefix("# yaml-language-server: $schema=")
    assert (shipped / reference).resolve().is_file(), reference


def test_explain_from_the_wheel_shows_full_pages(installed: Installed) -> None:
    dp001 = installed.run("explain", "DP001").stdout
    assert dp001.startswith("DP001 yaml-syntax\n")
    assert "What it checks and why" in dp001
    assert "Failing example (the whole file)\n" in dp001
    assert '      system: "Kafka topic web.clickstream.v2\n' in dp001  # the unclosed quote
    assert '      system: "Kafka topic web.clickstream.v2"\n' in dp001  # and the fixed one
    dp411 = installed.run("explain", "headroom-target-not-met").stdout
    assert dp411.startswith("DP411 headroom-target-not-met\n")
    snippet = "  capacity:\n    runtime_envelope:\n      target_utilization: {}\n"
    assert "Failing example\n" + snippet.format("0.9") in dp411
    assert "Fixed example\n" + snippet.format("0.75") in dp411
    # The reference page is named where it opens: the copy inside the installation.
    (reference,) = [line for line in dp411.splitlines() if line.startswith("Reference: ")]
    page, _, anchor = reference.removeprefix("Reference: ").partition("#")
    assert page.startswith(str(installed.target)), reference
    assert Path(page).name == "capacity.md" and anchor == "headroom-target-not-met"
    assert f'<a id="{anchor}"></a>' in Path(page).read_text(encoding="utf-8")


@pytest.mark.parametrize("rule", ["DP001", "DP006", "DP018", "DP411", "DP733"])
def test_examples_from_the_wheel_check_as_they_say(installed: Installed, rule: str) -> None:
    """`explain --example` builds the whole file from the plans inside the wheel."""
    for which, expected in (("fail", [rule]), ("pass", [])):
        content = subprocess.run(
            [sys.executable, "-m", "dataplan_lint", "explain", rule, "--example", which],
            cwd=installed.elsewhere,
            env={**os.environ, "PYTHONPATH": str(installed.target)},
            capture_output=True,
            check=True,
        ).stdout
        name = f"{rule}-{which}.dataplan.yaml"
        (installed.elsewhere / name).write_bytes(content)
        found = installed.rule_ids(name)
        assert (found == expected) if which == "fail" else (rule not in found), (which, found)


def test_rules_from_the_wheel_list_every_rule(installed: Installed) -> None:
    listed = json.loads(installed.run("rules", "--format", "json").stdout)
    ids = [rule["id"] for rule in listed]
    assert set(BUILTIN_RULES) <= set(ids)
    assert {"DP411", "DP733", "DP1201"} <= set(ids)
    text = installed.run("rules").stdout
    assert text.startswith("File and schema\n  DP001   error")
    assert f"\n{len(ids)} rules (12 gates)." in text


def test_an_installed_wheel_keeps_its_cache_fingerprint_across_installs(
    installed: Installed,
) -> None:
    """A CI machine installs the tool afresh on every run: the result cache restored there
    (the Action's actions/cache step) must still match, so the fingerprint of an installed
    wheel comes from its RECORD, not from file times that differ per install."""
    code = "from dataplan_lint.pipeline.result_cache import _tool_fingerprint as f; print(f())"

    def fingerprint() -> str:
        done = subprocess.run(
            [sys.executable, "-c", code],
            cwd=installed.elsewhere,
            env={**os.environ, "PYTHONPATH": str(installed.target)},
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()

    before = fingerprint()
    package = installed.target / "dataplan_lint"
    for path in package.rglob("*"):
        os.utime(path, (1_000_000_000, 1_000_000_000))  # what a fresh install looks like
    assert fingerprint() == before
    record = next(installed.target.glob("dataplan_lint-*.dist-info")) / "RECORD"
    original = record.read_text(encoding="utf-8")
    record.write_text(
        original.replace("dataplan_lint/__init__.py,sha256=", "dataplan_lint/__init__.py,sha256=X"),
        encoding="utf-8",
    )
    try:
        assert fingerprint() != before  # another build of the package: another cache
    finally:
        record.write_text(original, encoding="utf-8")
