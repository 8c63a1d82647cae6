"""`check --timings`: where a run's time went, per stage and per rule.

Each checked file carries its own figures (`FileReport.timings`: seconds per stage, and
per rule as `rule:<id><tab><ruleset file>`), so files checked on worker processes bring
theirs back with their findings; the command adds the run-wide stages (discovery,
checking as a whole, writing the reports) and `render` prints the sums. Rules are timed
only when timings are asked for (`Settings.timings`); a run without the option pays
nothing.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dataplan_lint.core.report import FileReport

RULE_PREFIX = "rule:"
# Per-file stages in the order a file goes through them (runner.check_file).
FILE_STAGES = ("read", "load", "schema", "rules", "filter")
# Run-wide stages (cli.check_command); `check` holds the per-file stages.
RUN_STAGES = ("prepare", "discover", "open bases", "configure", "check", "filter", "fix", "report")
SLOWEST = 10  # rules listed


@dataclass
class RunTimings:
    """The figures of one run: run-wide stages here, per-file ones in the reports."""

    started: float = field(default_factory=time.perf_counter)
    stages: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = self.stages.get(name, 0.0) + time.perf_counter() - start


def add(timings: dict[str, float] | None, name: str, seconds: float) -> None:
    """Add `seconds` to `name` in a file's `timings` (None: timings are off)."""
    if timings is not None:
        timings[name] = timings.get(name, 0.0) + seconds


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f}"


def render(run: RunTimings, reports: Iterable[FileReport], bundled_ids: frozenset[str]) -> str:
    """The summary printed to stderr: stages, then the slowest rules with their ruleset
    files (`bundled_ids` tells the bundled rules from a project's own)."""
    totals: dict[str, float] = {}
    rules: dict[str, float] = {}
    checked = cached = 0
    for report in reports:
        if report.timings is None:
            cached += 1
            continue
        checked += 1
        for name, seconds in report.timings.items():
            target = rules if name.startswith(RULE_PREFIX) else totals
            key = name.removeprefix(RULE_PREFIX)
            target[key] = target.get(key, 0.0) + seconds
    wall = time.perf_counter() - run.started
    lines = [
        f"Timings: {checked} file{'s' * (checked != 1)} checked, {cached} from the cache; "
        f"{_ms(wall)} ms wall",
        "",
        f"{'stage':<16}{'ms':>10}{'ms/file':>10}",
    ]
    per_file = max(checked, 1)
    for name in RUN_STAGES:
        if name in run.stages:
            lines.append(f"{name:<16}{_ms(run.stages[name]):>10}")
        if name == "check":
            for stage in FILE_STAGES:
                seconds = totals.get(stage, 0.0)
                lines.append(f"  {stage:<14}{_ms(seconds):>10}{_ms(seconds / per_file):>10}")
    if rules:
        rule_total = sum(rules.values())
        lines += ["", f"Slowest rules (of {len(rules)}; rules total {_ms(rule_total)} ms)"]
        lines.append(f"{'rule':<10}{'ms':>10}{'share':>8}  ruleset")
        ranked = sorted(rules.items(), key=lambda item: (-item[1], item[0]))
        for rule, seconds in ranked[:SLOWEST]:
            rule_id, _, source = rule.partition("\t")
            origin = "bundled" if rule_id in bundled_ids else "project"
            share = f"{seconds / rule_total:.0%}" if rule_total else "-"
            lines.append(f"{rule_id:<10}{_ms(seconds):>10}{share:>8}  {origin} {source}".rstrip())
    if checked:
        lines += ["", "(`check` is wall time; the file stages under it add up over workers)"]
    return "\n".join(lines)
