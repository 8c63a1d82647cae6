"""A built wheel carries schemas/, rules/ and references/ and works from any folder."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_ships_data_and_runs_outside_the_checkout(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
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
    names = zipfile.ZipFile(wheel).namelist()
    assert "dataplan_lint/_data/schemas/dataplan.schema.json" in names
    assert "dataplan_lint/engine/bundled_rules.json" in names  # the prebuilt rule index
    assert any(name.startswith("dataplan_lint/_data/references/") for name in names)
    assert any(name.startswith("dataplan_lint/_data/rules/") for name in names)

    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    plan = ROOT / "examples" / "clickstream-sessions" / "dataplan.yaml"
    (elsewhere / "dataplan.yaml").write_bytes(plan.read_bytes())
    env = {**os.environ, "PYTHONPATH": str(target)}
    where = subprocess.run(
        [sys.executable, "-c", "import dataplan_lint, sys; print(dataplan_lint.__file__)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.startswith(str(target))
    result = subprocess.run(
        [sys.executable, "-m", "dataplan_lint", "check", "dataplan.yaml"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no findings" in result.stdout
    schema = subprocess.run(
        [sys.executable, "-m", "dataplan_lint", "schema"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert '"$schema"' in schema.stdout
