"""Golden files for every machine-readable format.

Regenerate after an intended change with:

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/reporters/test_golden.py

and review the diff of tests/reporters/golden/ like any other change.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from reporter_demo import REPO, demo_run, invalid_run

from dataplan_lint.core.report import FileReport
from dataplan_lint.pipeline.baseline import dumps
from dataplan_lint.report import github, gitlab, json_report, junit, rdjson, sarif, summary
from dataplan_lint.report.model import Run

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

FORMATS: dict[str, tuple[str, Callable[[Run], str]]] = {
    "json": ("json", json_report.render),
    "sarif": ("sarif", sarif.render),
    "github": ("github.txt", github.render),
    "summary": ("summary.md", summary.render),
    "junit": ("junit.xml", junit.render),
    "gitlab": ("gitlab.json", gitlab.render),
    "rdjson": ("rdjson.json", rdjson.render),
}


def assert_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
        return
    assert path.exists(), f"no golden file {name}: run UPDATE_GOLDEN=1 pytest {__file__}"
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"{name} differs from the golden file (UPDATE_GOLDEN=1 to accept)"


def assert_portable(text: str) -> None:
    """Golden files must not depend on where or with which release they were made."""
    assert str(REPO) not in text
    assert "/tmp/" not in text
    from dataplan_lint import __version__

    assert f'"{__version__}"' not in text or __version__ == "0.0.0-golden"


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_demo_plan_golden(fmt: str) -> None:
    suffix, render = FORMATS[fmt]
    text = render(demo_run())
    assert_portable(text)
    assert_golden(f"demo.{suffix}", text)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_invalid_examples_golden(fmt: str, in_repo: None) -> None:
    suffix, render = FORMATS[fmt]
    run = invalid_run()
    assert len(run.findings) >= 13  # one per examples/invalid file at least
    text = render(run)
    assert_portable(text)
    assert_golden(f"invalid.{suffix}", text)


def test_baseline_golden() -> None:
    run = demo_run()
    # The baseline records active findings only: the inline- and baseline-suppressed
    # ones of the demo stay out.
    text = dumps([FileReport(r.path, r.findings) for r in run.reports])
    assert_golden("demo.baseline.json", text)
