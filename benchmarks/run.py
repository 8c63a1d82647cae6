"""Time `dataplan-lint check` against its peers as whole processes (`make bench`).

Generates plans of realistic shape (see plans.py) in a temporary folder, then times each
command as a whole process: a warm-up, then the median of several runs. It uses
hyperfine when it is on PATH and its own timer (perf_counter around a child process)
otherwise; peak memory (max RSS) comes from wait4 on one extra run either way.

The measured processes run without PYTHONDONTWRITEBYTECODE, and the package is
byte-compiled first: an installed wheel ships .pyc files, so a run that recompiles every
module would measure something no user sees.

Prints a table and writes benchmarks/out/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import plans  # noqa: E402

BIN = Path(sys.executable).parent
MONOREPO_PLANS = 1000


@dataclass
class Measurement:
    case: str
    tool: str
    command: list[str]
    median_ms: float
    min_ms: float
    stdev_ms: float
    runs: int
    max_rss_mb: float
    exit_code: int
    timer: str
    ratios: dict[str, float] = field(default_factory=dict)


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    for name in ("PYTHONDONTWRITEBYTECODE", "PYTHONPROFILEIMPORTTIME", "PYTHONDEVMODE"):
        env.pop(name, None)
    env["NO_COLOR"] = "1"
    return env


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    """Wall seconds, max RSS in MB and exit code of one run of `command`."""
    start = time.perf_counter()
    child = subprocess.Popen(
        command,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024, child.returncode


def time_own(command: list[str], env: dict[str, str], runs: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        run_once(command, env)
    return [run_once(command, env)[0] for _ in range(runs)]


def time_hyperfine(
    command: list[str], env: dict[str, str], runs: int, warmup: int, scratch: Path
) -> list[float]:
    export = scratch / "hyperfine.json"
    subprocess.run(
        [
            "hyperfine",
            "--shell=none",
            "--ignore-failure",
            "--style",
            "none",
            "--warmup",
            str(warmup),
            "--runs",
            str(runs),
            "--export-json",
            str(export),
            shlex.join(command),
        ],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    times: list[float] = json.loads(export.read_text())["results"][0]["times"]
    return times


def measure(
    case: str,
    tool: str,
    command: list[str],
    *,
    runs: int,
    warmup: int,
    scratch: Path,
    use_hyperfine: bool,
) -> Measurement:
    env = child_env()
    if use_hyperfine:
        times, timer = time_hyperfine(command, env, runs, warmup, scratch), "hyperfine"
    else:
        times, timer = time_own(command, env, runs, warmup), "perf_counter"
    _, rss, code = run_once(command, env)
    shown = [part if len(part) < 60 else "..." + part[-40:] for part in command[:6]]
    if len(command) > 6:
        shown.append(f"... ({len(command) - 6} more arguments)")
    return Measurement(
        case=case,
        tool=tool,
        command=shown,
        median_ms=statistics.median(times) * 1000,
        min_ms=min(times) * 1000,
        stdev_ms=(statistics.stdev(times) * 1000) if len(times) > 1 else 0.0,
        runs=len(times),
        max_rss_mb=round(rss, 1),
        exit_code=code,
        timer=timer,
    )


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "usable_cpus": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu": cpu,
        "python": sys.version.replace("\n", " "),
        "platform": platform.platform(),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }


def write_cases(scratch: Path, monorepo_plans: int) -> dict[str, dict[str, Any]]:
    typical = scratch / "typical" / "dataplan.yaml"
    findings = scratch / "findings" / "dataplan.yaml"
    large = scratch / "large" / "dataplan.yaml"
    header = scratch / "comment-header" / "dataplan.yaml"
    for path, text in (
        (typical, plans.typical()),
        (header, plans.commented_header()),
        (findings, plans.typical_with_findings()),
        (large, plans.large()),
    ):
        path.parent.mkdir(parents=True)
        path.write_text(text, encoding="utf-8")
    monorepo = scratch / "monorepo"
    many = plans.write_monorepo(monorepo, monorepo_plans)
    return {
        "typical": {"files": [typical], "target": typical, "bytes": typical.stat().st_size},
        "typical-findings": {
            "files": [findings],
            "target": findings,
            "bytes": findings.stat().st_size,
        },
        "large": {"files": [large], "target": large, "bytes": large.stat().st_size},
        "comment-header": {"files": [header], "target": header, "bytes": header.stat().st_size},
        "monorepo": {
            "files": many,
            "target": monorepo,
            "bytes": sum(path.stat().st_size for path in many),
        },
    }


def warm_bytecode(env: dict[str, str]) -> None:
    import dataplan_lint

    package = Path(dataplan_lint.__file__).parent
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(package)],
        env=env,
        check=False,
        stdout=subprocess.DEVNULL,
    )


def tool_path(name: str) -> str | None:
    candidate = BIN / name
    return str(candidate) if candidate.exists() else shutil.which(name)


def fmt_ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}x"


TARGETS = {
    "typical": "<= 6x floor, >= 5x faster than check-jsonschema",
    "in-process": "<= 5 ms CPU per typical plan (100 in one process)",
    "typical-findings": "<= 1.3x the clean typical run",
    "typical+sarif": "<= 1.15x the clean typical run",
    "typical+json": "<= 1.15x the clean typical run",
    "large": "< 150 ms",
    "comment-header": "within 10% (or 15 ms) of typical",
    "monorepo": "<= 4 s (1,000 plans, cold, one call)",
    "monorepo-warm": "<= 0.5 s (the same run again, nothing changed)",
    "memory": "<= 40 MB for one plan; flat in the number of plans (1,000 within 10 MB)",
}


def evaluate(results: list[Measurement]) -> dict[str, dict[str, Any]]:
    def find(case: str, tool: str = "dataplan-lint") -> Measurement | None:
        return next((m for m in results if m.case == case and m.tool == tool), None)

    floor = find("floor", "python -c pass")
    verdict: dict[str, dict[str, Any]] = {}
    ours = find("typical")
    if ours and floor:
        checks = {"<= 6x floor": ours.median_ms <= 6 * floor.median_ms}
        peer = find("typical", "check-jsonschema")
        if peer:
            checks[">= 5x faster than check-jsonschema"] = peer.median_ms >= 5 * ours.median_ms
        verdict["typical"] = checks
    if ours:
        for case, factor in (
            ("typical-findings", 1.3),
            ("typical+sarif", 1.15),
            ("typical+json", 1.15),
        ):
            found = find(case)
            if found:
                verdict[case] = {
                    f"<= {factor}x the clean run": found.median_ms <= factor * ours.median_ms
                }
    for case, limit in (("large", 150), ("monorepo", 4000), ("monorepo-warm", 500)):
        found = find(case)
        if found:
            verdict[case] = {f"<= {limit:,} ms": found.median_ms <= limit}
    header = find("comment-header")
    if header and ours:
        allowed = max(ours.median_ms * 1.1, ours.median_ms + 15)
        verdict["comment-header"] = {
            "a 200-line comment header costs about nothing": header.median_ms <= allowed
        }
    many = find("monorepo")
    if ours and many:
        verdict["memory"] = {
            "<= 40 MB for one plan": ours.max_rss_mb <= 40,
            "flat: 1,000 plans within 10 MB of one": many.max_rss_mb <= ours.max_rss_mb + 10,
        }
    return verdict


def table(results: list[Measurement], cases: dict[str, dict[str, Any]]) -> str:
    floor = next(m.median_ms for m in results if m.case == "floor")
    peers: dict[tuple[str, str], float] = {
        (m.case, m.tool): m.median_ms for m in results if m.tool != "dataplan-lint"
    }
    rows = [
        "| case | tool | median | min | max RSS | x floor | vs check-jsonschema | vs yamllint |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for m in results:
        size = cases.get(m.case.split("+")[0].replace("-warm", ""), {}).get("bytes")
        label = m.case if size is None else f"{m.case} ({size / 1000:,.0f} KB)"
        if m.case.startswith("monorepo"):
            label = f"{m.case} ({len(cases['monorepo']['files']):,} plans, {size / 1e6:,.1f} MB)"
        vs: list[float | None] = []
        for peer in ("check-jsonschema", "yamllint"):
            peer_time = peers.get((m.case, peer))
            vs.append(peer_time / m.median_ms if peer_time and m.tool == "dataplan-lint" else None)
        m.ratios = {"floor": m.median_ms / floor}
        if vs[0] is not None:
            m.ratios["check-jsonschema"] = vs[0]
        if vs[1] is not None:
            m.ratios["yamllint"] = vs[1]
        rows.append(
            f"| {label} | {m.tool} | {m.median_ms:,.1f} ms | {m.min_ms:,.1f} ms "
            f"| {m.max_rss_mb:,.0f} MB | {m.median_ms / floor:,.1f}x "
            f"| {fmt_ratio(vs[0])} | {fmt_ratio(vs[1])} |"
        )
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="timed runs per command")
    parser.add_argument("--many-runs", type=int, default=3, help="timed runs, 1,000-plan case")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--no-peers", action="store_true", help="time dataplan-lint only")
    parser.add_argument(
        "--plans", type=int, default=MONOREPO_PLANS, help="plans in the monorepo case"
    )
    parser.add_argument("--no-hyperfine", action="store_true", help="use the built-in timer")
    parser.add_argument("--out", type=Path, default=HERE / "out" / "results.json")
    args = parser.parse_args()

    use_hyperfine = shutil.which("hyperfine") is not None and not args.no_hyperfine
    linter = tool_path("dataplan-lint")
    if linter is None:
        print("dataplan-lint is not installed in this environment", file=sys.stderr)
        return 2
    env = child_env()
    warm_bytecode(env)
    with tempfile.TemporaryDirectory(prefix="dataplan-bench-") as tmp:
        scratch = Path(tmp)
        cases = write_cases(scratch, args.plans)
        schema = scratch / "dataplan.schema.json"
        with schema.open("w") as handle:
            subprocess.run([linter, "schema"], env=env, stdout=handle, check=True)

        sanity = {
            case: run_once([linter, "check", str(cases[case]["target"])], env)[2]
            for case in ("typical", "typical-findings", "large", "comment-header")
        }
        expected = {"typical": 0, "typical-findings": 1, "large": 0, "comment-header": 0}
        for case, code in sanity.items():
            if code != expected[case]:
                print(f"warning: {case} exited {code}, expected {expected[case]}", file=sys.stderr)

        jobs: list[tuple[str, str, list[str]]] = [
            ("floor", "python -c pass", [sys.executable, "-c", "pass"])
        ]
        peers = {
            "check-jsonschema": tool_path("check-jsonschema"),
            "yamllint": tool_path("yamllint"),
        }
        for case, info in cases.items():
            jobs.append(
                (case, "dataplan-lint", [linter, "check", "--no-cache", str(info["target"])])
            )
            if case == "typical":
                for fmt in ("sarif", "json"):
                    extra = ["--format", "text", "-o", "-", "--format", fmt]
                    extra += ["-o", str(scratch / f"report.{fmt}")]
                    command = [linter, "check", "--no-cache", *extra, str(info["target"])]
                    jobs.append((f"typical+{fmt}", "dataplan-lint", command))
            if case == "monorepo":  # warm-up runs fill the cache; the timed runs reuse it
                command = [
                    linter,
                    "check",
                    "--cache-dir",
                    str(scratch / "cache"),
                    str(info["target"]),
                ]
                jobs.append(("monorepo-warm", "dataplan-lint", command))
            if args.no_peers or case in ("typical-findings", "comment-header"):
                continue
            files = [str(path) for path in info["files"]]
            if peers["check-jsonschema"]:
                command = [peers["check-jsonschema"], "--schemafile", str(schema), *files]
                jobs.append((case, "check-jsonschema", command))
            if peers["yamllint"]:
                jobs.append((case, "yamllint", [peers["yamllint"], "-d", "relaxed", *files]))

        results = []
        for case, tool, command in jobs:
            runs, warmup = args.runs, args.warmup
            if case == "monorepo":  # a peer takes up to a minute per run here
                runs, warmup = (args.many_runs, 1) if tool == "dataplan-lint" else (2, 0)
            elif case == "monorepo-warm":
                runs, warmup = args.many_runs, 1
            print(f"timing {case:<17} {tool} ...", file=sys.stderr, flush=True)
            results.append(
                measure(
                    case,
                    tool,
                    command,
                    runs=runs,
                    warmup=warmup,
                    scratch=scratch,
                    use_hyperfine=use_hyperfine,
                )
            )

    rendered = table(results, cases)
    verdict = evaluate(results)
    info = machine()
    print(rendered)
    print()
    print(f"machine: {info['nproc']} CPUs, {info['cpu']}, Python {platform.python_version()}")
    print(f"timer: {results[0].timer}; load average at the end: {info['load_average']}")
    for case, checks in verdict.items():
        for name, met in checks.items():
            print(f"  {'met    ' if met else 'NOT MET'} {case}: {name}")
    print()
    print("Phases of one check of the typical plan (benchmarks/phases.py):")
    phases = subprocess.run(
        [sys.executable, str(HERE / "phases.py"), "--runs", str(max(3, args.runs // 2)), "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    phase_figures = json.loads(phases.stdout) if phases.returncode == 0 else {}
    for name, value in phase_figures.items():
        print(f"  {name:<12} {value:6.1f} ms")
    if "cpu per plan" in phase_figures:
        met = phase_figures["cpu per plan"] <= 5.0
        verdict["in-process"] = {"<= 5 ms CPU per typical plan": met}
        print(f"  {'met    ' if met else 'NOT MET'} in-process: <= 5 ms CPU per typical plan")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "phases_ms": phase_figures,
        "machine": info,
        "command": "make bench (python benchmarks/run.py)",
        "targets": TARGETS,
        "verdict": verdict,
        "sizes": {case: info["bytes"] for case, info in cases.items()},
        "results": [asdict(m) for m in results],
        "table_markdown": rendered,
    }
    args.out.write_text(json.dumps(payload, indent=2) + "\n")
    print(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
