"""The ported registry test suites (tests/compat/corpus/*.jsonl) and one way to run a case.

A case is run as a user would meet it: the old versions and the new one are written as
schema files, a plan's contract references the new one and keeps the old ones under
`history` (oldest first), and the compatibility analysis that `check` runs (the same
`Analysis` that `check --base` drives) reads the files and judges the newest step under
the case's mode. The verdict is `compatible`, `incompatible` (a finding for that step) or
`unreadable` (a schema-file finding).

`python -m tests.compat.corpus_cases` prints the agreement figures.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parent / "corpus"
DEVIATIONS = CORPUS / "deviations.json"
_SUFFIX = {"avro": ".avsc", "json-schema": ".json", "protobuf": ".proto"}


def cases() -> Iterator[dict[str, Any]]:
    for path in sorted(CORPUS.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                yield json.loads(line)


def deviations() -> dict[str, dict[str, str]]:
    """Cases where we knowingly answer otherwise than the reference: id -> verdict, why."""
    if not DEVIATIONS.exists():
        return {}
    data: dict[str, dict[str, str]] = json.loads(DEVIATIONS.read_text(encoding="utf-8"))
    return data


def _text(schema: Any, fmt: str) -> str:
    return schema if fmt == "protobuf" else json.dumps(schema, indent=2)


def write_case(case: dict[str, Any], folder: Path, policy: str | None = None) -> Path:
    """Schema files and a plan for `case` in `folder`; returns the plan's path."""
    fmt = case["format"]
    suffix = _SUFFIX[fmt]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / ".git").mkdir(exist_ok=True)  # the repository root for schema paths
    history = []
    for index, old in enumerate(case["old"]):
        name = f"v{index + 1}{suffix}"
        (folder / name).write_text(_text(old, fmt), encoding="utf-8")
        history.append({"version": f"{index + 1}.0.0", "schema_file": name})
    newest = len(case["old"]) + 1
    (folder / f"v{newest}{suffix}").write_text(_text(case["new"], fmt), encoding="utf-8")
    contract: dict[str, Any] = {
        "name": "subject",
        "format": fmt,
        "compatibility": case["mode"],
        "version": f"{newest}.0.0",
        "versioning": "semver",
        "schema_file": f"v{newest}{suffix}",
        "history": history,
    }
    plan = folder / "dataplan.yaml"
    plan.write_text(json.dumps({"contracts": [contract]}, indent=2), encoding="utf-8")
    return plan


def verdict(plan_file: Path, policy: str = "strict") -> tuple[str, list[str]]:
    """Run the compatibility analysis on a plan written by `write_case`."""
    from dataplan_lint.compat.analysis import HISTORY, SCHEMA_FILE, Analysis
    from dataplan_lint.core.settings import Settings
    from dataplan_lint.files.loader import load_text

    loaded = load_text(plan_file.read_text(encoding="utf-8"), str(plan_file))
    assert loaded.plan is not None
    settings = Settings(json_schema_policy=policy)
    issues = Analysis(loaded.plan, settings).run()
    unreadable = [str(i.values.get("problem")) for i in issues if i.check == SCHEMA_FILE]
    if unreadable:
        return "unreadable", unreadable
    current = "/contracts/0/schema_file"
    breaking = [
        str(i.values["change"]) for i in issues if i.check == HISTORY and i.pointer == current
    ]
    return ("incompatible" if breaking else "compatible"), breaking


def run_case(case: dict[str, Any], folder: Path) -> tuple[str, list[str]]:
    return verdict(write_case(case, folder), case.get("policy", "strict"))


def main() -> int:
    import tempfile

    counts: Counter[str] = Counter()
    known = deviations()
    with tempfile.TemporaryDirectory() as tmp:
        for case in cases():
            got, why = run_case(case, Path(tmp) / case["id"])
            if got == "unreadable":
                outcome = "unreadable"
            elif got == case["expected"]:
                outcome = "agree"
            else:
                outcome = "disagree"
            counts[outcome] += 1
            if outcome != "agree" and "-v" in sys.argv:
                note = " (listed deviation)" if case["id"] in known else ""
                print(
                    f"{case['id']} {outcome}{note}: expected {case['expected']}, got {got}: "
                    f"{case['description']} {why[:2]}"
                )
    total = sum(counts.values())
    print(
        f"{total} cases: {counts['agree']} agree, {counts['disagree']} disagree, "
        f"{counts['unreadable']} unreadable"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
