"""Where one check's time goes, phase by phase, so a regression shows where it comes from.

    .venv/bin/python benchmarks/phases.py [PLAN] [--runs N]

Each run is a fresh process (`--child`) that times, with perf_counter:

- import: importing what a `check` of a clean plan imports (the CLI body, the runner,
  the loader, the schema check, the rule engine and its rule functions, the text
  reporter) - measured by checking a first plan, minus that plan's own phases;
- load, schema, rules, report: the same phases on a second copy of the plan, where
  everything is imported and warm, so each figure is the phase alone;
- cpu per plan: CPU time per plan over 100 copies checked in the same process (what a
  worker of a many-file run spends on each; process time, so a busy machine moves it
  less than the wall-clock phases).

The interpreter's own start-up (`python -c pass`) is printed beside them. Medians of
`--runs` processes. Prints a Markdown table; `--json` prints the figures instead.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PHASES = ("load", "schema", "rules", "report")


def one_check(path: Path) -> dict[str, float]:
    """Time each phase of checking `path` in this process (milliseconds)."""
    from dataplan_lint.core.report import FileReport
    from dataplan_lint.core.settings import Settings
    from dataplan_lint.files.loader import read_file
    from dataplan_lint.pipeline.runner import stages
    from dataplan_lint.report import text

    settings = Settings()
    times: dict[str, float] = {}
    start = time.perf_counter()
    loaded = read_file(path, path.name, settings.max_file_size)
    times["load"] = time.perf_counter() - start
    report = FileReport(path.name, list(loaded.findings), loaded.text)
    assert loaded.plan is not None, "the benchmark plan must load"
    for name, stage in stages():
        start = time.perf_counter()
        report.findings.extend(stage(loaded.plan, settings))
        times[name] = time.perf_counter() - start
    start = time.perf_counter()
    text.render([report], colour=False, snippets=True, errors=[])
    times["report"] = time.perf_counter() - start
    return {name: value * 1000 for name, value in times.items()}


IN_PROCESS_PLANS = 100


def cpu_per_plan(path: Path, count: int = IN_PROCESS_PLANS) -> float:
    """CPU milliseconds per plan when one process checks `count` copies one after another
    (`runner.check_file`: read, load, schema, rules, filters; no report), as a worker of
    a many-file run does: each copy is read and loaded afresh, nothing is shared."""
    from dataplan_lint.core.settings import Settings
    from dataplan_lint.files.discovery import Discovered
    from dataplan_lint.pipeline.runner import check_file

    item, settings = Discovered(path, path.name), Settings()
    check_file(item, settings)
    start = time.process_time()
    for _ in range(count):
        check_file(item, settings)
    return (time.process_time() - start) * 1000 / count


def child(plan: Path) -> dict[str, float]:
    start = time.perf_counter()
    first = one_check(plan)
    total_first = (time.perf_counter() - start) * 1000
    second = one_check(plan)
    out = dict(second)
    out["import"] = max(0.0, total_first - sum(first.values()))
    out["cpu per plan"] = cpu_per_plan(plan)
    return out


def floor_ms(runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plan", nargs="?", type=Path, help="default: the typical benchmark plan")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.plan)))
        return 0
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory(prefix="dataplan-phases-") as tmp:
        plan = args.plan
        if plan is None:
            sys.path.insert(0, str(HERE))
            import plans

            plan = Path(tmp) / "dataplan.yaml"
            plan.write_text(plans.typical(), encoding="utf-8")
        samples = []
        for _ in range(args.runs):
            done = subprocess.run(
                [sys.executable, __file__, str(plan), "--child"],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            samples.append(json.loads(done.stdout))
    figures = {
        name: statistics.median(sample[name] for sample in samples)
        for name in ("import", *PHASES, "cpu per plan")
    }
    figures["interpreter"] = floor_ms(args.runs)
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print("| phase | median ms |")
    print("|---|---:|")
    for name in ("interpreter", "import", *PHASES):
        print(f"| {name} | {figures[name]:.1f} |")
    print(f"| total | {sum(figures[name] for name in ('interpreter', 'import', *PHASES)):.1f} |")
    print(f"| CPU per plan, {IN_PROCESS_PLANS} in one process | {figures['cpu per plan']:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
