"""The registries' own compatibility test suites, ported as data, judged by our engine.

Every case in tests/compat/corpus/*.jsonl (old versions, new version, mode, the
reference verdict and the source file it comes from) runs through the compatibility
analysis that `check` runs; a sample also runs through real git repositories with
`check --base` and `diff --base`. A case where we knowingly answer otherwise is listed in
corpus/deviations.json with the reason, and is held to that answer.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .corpus_cases import _SUFFIX, _text, cases, deviations, run_case
from .plans import Repo, check, run_cli

CASES = list(cases())
KNOWN = deviations()


def test_the_corpus_is_several_hundred_cases_from_every_suite() -> None:
    assert len(CASES) >= 300
    assert len({case["id"] for case in CASES}) == len(CASES)
    sources = {case["source"].split("@")[0].rsplit("/", 1)[-1] for case in CASES}
    assert {
        "AvroCompatibilityTest.java",
        "TestSchemaCompatibility.java",
        "diff-schema-examples.json",
        "diff-combined-schema-examples.json",
    } <= sources
    assert all(case["expected"] in ("compatible", "incompatible") for case in CASES)
    assert set(KNOWN) <= {case["id"] for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_corpus_case(case: dict[str, Any], tmp_path: Path) -> None:
    got, why = run_case(case, tmp_path)
    assert got != "unreadable", why
    wanted = KNOWN[case["id"]]["verdict"] if case["id"] in KNOWN else case["expected"]
    assert got == wanted, f"{case['description']} ({case['source']}): {why}"


def _sample() -> list[dict[str, Any]]:
    """Two cases per suite (one compatible, one not), single-step so a base holds it."""
    picked: list[dict[str, Any]] = []
    for prefix in ("cav", "aav", "cjs", "cjc", "cpb"):
        for expected in ("compatible", "incompatible"):
            picked.append(
                next(
                    c
                    for c in CASES
                    if c["id"].startswith(prefix)
                    and c["expected"] == expected
                    and len(c["old"]) == 1
                    and c["id"] not in KNOWN
                )
            )
    return picked


SAMPLE = _sample()
PLAN = """\
contracts:
  - name: subject
    format: {fmt}
    compatibility: {mode}
    version: 2.0.0
    versioning: semver
    deprecation_window: 30d
    migration: [Upgrade readers first.]
    schema_file: schemas/subject{suffix}
"""


@pytest.mark.parametrize("case", SAMPLE, ids=[case["id"] for case in SAMPLE])
def test_corpus_sample_through_git_check_and_diff(case: dict[str, Any], tmp_path: Path) -> None:
    fmt = case["format"]
    repo = Repo(tmp_path / "repo")
    repo.write("dataplan.yaml", PLAN.format(fmt=fmt, mode=case["mode"], suffix=_SUFFIX[fmt]))
    repo.write(f"schemas/subject{_SUFFIX[fmt]}", _text(case["old"][0], fmt))
    repo.commit("base")
    repo.branch()
    repo.write(f"schemas/subject{_SUFFIX[fmt]}", _text(case["new"], fmt))
    result = check(repo.root, "--base", "main", "dataplan.yaml")
    breaking = [f for f in result.findings() if f["rule"] == "DP730"]
    assert not [f for f in result.findings() if f["rule"] == "DP741"]
    assert bool(breaking) == (case["expected"] == "incompatible"), result.output
    diff = run_cli(repo.root, "diff", "--base", "main", "--format", "json", "dataplan.yaml")
    document = json.loads(diff.output)
    assert (document["breaking"] > 0) == (case["expected"] == "incompatible")
    assert diff.exit_code == (1 if case["expected"] == "incompatible" else 0)
