"""Many files on several processes: the same reports, in the same order, as serially."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dataplan_lint.cli.commands import cli
from dataplan_lint.pipeline import parallel

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = (ROOT / "examples" / "clickstream-sessions" / "dataplan.yaml").read_text(encoding="utf-8")


@pytest.fixture
def monorepo(tmp_path: Path) -> Path:
    for index in range(24):
        text = EXAMPLE
        if index % 5 == 0:  # every fifth plan has a finding, at a line that differs
            text = text.replace("status: approved", "status: aproved")
        if index % 7 == 0:
            text = text.replace("kind: DataPlan", "kind: DataPlan\nextra_key: 1")
        if index == 11:
            text = "a: [unclosed\n"
        folder = tmp_path / f"svc-{index:02d}"
        folder.mkdir()
        (folder / "dataplan.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def _run(path: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["check", str(path), "--no-snippets", *extra])
    return result.exit_code, result.stdout


def _force_parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "PARALLEL_MIN_FILES", 2)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_BYTES", 1)
    monkeypatch.setattr(parallel, "usable_cpus", lambda: 2)
    monkeypatch.delenv(parallel.JOBS_ENV, raising=False)


def test_parallel_output_equals_serial(monorepo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(parallel.JOBS_ENV, "1")
    serial_text = _run(monorepo)
    serial_json = _run(monorepo, "--format", "json")
    _force_parallel(monkeypatch)
    used: list[int] = []
    original = parallel._in_processes

    def spy(*args: object) -> object:
        used.append(1)
        return original(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(parallel, "_in_processes", spy)
    assert _run(monorepo) == serial_text
    assert _run(monorepo, "--format", "json") == serial_json
    assert used, "the parallel path was not taken"
    assert serial_text[0] == 1
    paths = [entry["path"] for entry in json.loads(serial_json[1])["files"]]
    assert paths == sorted(paths)


def test_a_broken_pool_falls_back_to_this_process(
    monorepo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(parallel.JOBS_ENV, "1")
    expected = _run(monorepo, "--format", "json")
    _force_parallel(monkeypatch)

    class Broken:
        def __init__(self, *args: object, **kwargs: object) -> None:
            raise OSError("no processes today")

    import concurrent.futures

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Broken)
    assert _run(monorepo, "--format", "json") == expected


def test_small_runs_stay_in_process(tmp_path: Path) -> None:
    plan = tmp_path / "dataplan.yaml"
    plan.write_text(EXAMPLE, encoding="utf-8")
    from dataplan_lint.core.settings import Settings
    from dataplan_lint.files.discovery import Discovered

    jobs = [(Discovered(plan, "dataplan.yaml"), Settings())] * 3
    assert parallel.worker_count(jobs) == 1


def test_many_files_keep_text_only_when_they_have_findings(monorepo: Path) -> None:
    from dataplan_lint.core.settings import Settings
    from dataplan_lint.files.discovery import discover
    from dataplan_lint.pipeline.runner import check_files

    reports = check_files(discover([str(monorepo)]).files, Settings())
    assert len(reports) == 24
    for report in reports:
        assert (report.text is not None) == bool(report.findings)
