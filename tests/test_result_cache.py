"""The result cache: warm runs reuse findings byte for byte, and nothing stale survives.

Every test runs in its own git repository in a temporary folder, with the cache switched
on there (the rest of the suite runs with DATAPLAN_LINT_NO_CACHE=1, see conftest.py).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from dataplan_lint.cli.check_command import run_check
from dataplan_lint.cli.check_request import CheckRequest
from dataplan_lint.pipeline import runner
from tests.compat.plans import SCHEMAS, Repo, load_example, write_plan
from tests.conftest import copy_example

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
FORMATS = ("text", "json", "sarif", "github", "junit", "gitlab", "rdjson")
CACHE = ".dataplan-lint-cache"


def cli_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DATAPLAN_LINT_")}
    for name in ("CI", "GITHUB_ACTIONS", "GITHUB_STEP_SUMMARY"):
        env.pop(name, None)
    env.update(extra)
    return env


def run_cli(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dataplan_lint", *args],
        cwd=cwd,
        env=cli_env(**env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def entries(root: Path) -> list[Path]:
    return sorted((root / CACHE).rglob("*.json")) if (root / CACHE).is_dir() else []


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    """A repository with a clean plan, the tour (20 findings) and an invalid plan."""
    repo = Repo(tmp_path / "repo")
    shutil.copytree(EXAMPLES / "clickstream-sessions", repo.root / "clean")
    shutil.copytree(EXAMPLES / "tour", repo.root / "tour")
    invalid = EXAMPLES / "invalid" / "bad-quantity.dataplan.yaml"
    shutil.copy(invalid, repo.root / "bad.dataplan.yaml")
    repo.commit()
    return repo


def test_warm_run_output_is_byte_identical_in_every_format(repo: Repo) -> None:
    args = ["check", "."]
    for fmt in FORMATS:
        args += ["--format", fmt, "-o", f"out/{fmt}.txt"]

    def one_run(name: str) -> dict[str, bytes]:
        done = run_cli(repo.root, *args)
        assert done.returncode == 1, done.stderr
        produced = {p.name: p.read_bytes() for p in sorted((repo.root / "out").iterdir())}
        shutil.move(repo.root / "out", repo.root.parent / name)
        return produced

    fresh = one_run("fresh")
    assert len(entries(repo.root)) == 3  # one entry per plan
    warm = one_run("warm")
    assert warm == fresh
    uncached = run_cli(repo.root, *args, DATAPLAN_LINT_NO_CACHE="1")
    assert uncached.returncode == 1
    assert {p.name: p.read_bytes() for p in (repo.root / "out").iterdir()} == fresh


def test_warm_run_does_not_check_again(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo.root)
    monkeypatch.delenv("DATAPLAN_LINT_NO_CACHE")
    monkeypatch.delenv("CI", raising=False)
    out: list[str] = []

    def check_once() -> int:
        out.clear()
        return run_check(
            CheckRequest((".",), no_snippets=True), out=lambda body, _c: out.append(body)
        )

    assert check_once() == 1
    first = "".join(out)
    checked: list[str] = []
    real = runner._check_file

    def spy(item, settings):  # type: ignore[no-untyped-def]
        checked.append(item.display)
        return real(item, settings)

    monkeypatch.setattr(runner, "_check_file", spy)
    assert check_once() == 1
    assert "".join(out) == first
    assert checked == []
    (repo.root / "clean" / "dataplan.yaml").write_text(
        (repo.root / "clean" / "dataplan.yaml").read_text() + "\n# edited\n"
    )
    assert check_once() == 1
    assert checked == ["clean/dataplan.yaml"]


def test_edited_plan_and_config_are_checked_again(repo: Repo) -> None:
    assert run_cli(repo.root, "check", "clean").returncode == 0
    plan = repo.root / "clean" / "dataplan.yaml"
    plan.write_text(plan.read_text().replace("delay: 30s", "delay: 30 seconds", 1))
    broken = run_cli(repo.root, "check", "clean")
    assert broken.returncode == 1 and "DP015" in broken.stdout
    (repo.root / ".dataplan-lint.yaml").write_text("ignore: [DP015]\n")
    assert run_cli(repo.root, "check", "clean").returncode == 0
    (repo.root / ".dataplan-lint.yaml").write_text("ignore: []\n")
    assert run_cli(repo.root, "check", "clean").returncode == 1
    assert run_cli(repo.root, "check", "--ignore", "DP015", "clean").returncode == 0


def test_changed_schema_file_rechecks_the_plan_that_reads_it(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    shutil.copytree(SCHEMAS, repo.root / "schemas")
    data = load_example()
    contract = data["contracts"][0]
    contract.pop("fields", None)
    contract.pop("history", None)
    contract.update(
        format="json-schema", schema_file="schemas/payment.schema.json", content_model="closed"
    )
    write_plan(repo.root / "dataplan.yaml", data)
    first = run_cli(repo.root, "check", "--select", "compatibility", "--no-snippets", ".")
    schema = repo.root / "schemas" / "payment.schema.json"
    schema.write_text("{ not json")
    broken = run_cli(repo.root, "check", "--select", "compatibility", "--no-snippets", ".")
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "DP7" in broken.stdout and broken.stdout != first.stdout
    schema.unlink()
    missing = run_cli(repo.root, "check", "--select", "compatibility", "--no-snippets", ".")
    assert "does not exist" in missing.stdout
    shutil.copy(SCHEMAS / "payment.schema.json", schema)
    again = run_cli(repo.root, "check", "--select", "compatibility", "--no-snippets", ".")
    assert again.stdout == first.stdout and again.returncode == first.returncode


def test_user_ruleset_edit_rechecks(repo: Repo) -> None:
    ruleset = repo.root / "team-rules.yaml"
    ruleset.write_text(
        "extends: recommended\ngate: 1\nrules:\n"
        "  - id: TEAM001\n    slug: team-name-prefix\n    family: completeness\n"
        "    severity: error\n    summary: Plan names start with the product.\n"
        "    message: 'the plan name `{value}` does not match'\n"
        "    given: /metadata\n"
        "    then:\n      field: name\n      function: pattern\n"
        "      options: {match: '^clickstream'}\n"
    )
    (repo.root / ".dataplan-lint.yaml").write_text("rulesets: [team-rules.yaml]\n")
    first = run_cli(repo.root, "check", "clean")
    assert first.returncode == 0, first.stdout + first.stderr
    ruleset.write_text(ruleset.read_text().replace("^clickstream", "^team-"))
    second = run_cli(repo.root, "check", "clean")
    assert second.returncode == 1 and "TEAM001" in second.stdout


def test_plans_checked_against_a_dbt_project_are_not_cached(tmp_path: Path) -> None:
    """Which model files a dbt project holds decides findings: never reused."""
    repo = Repo(tmp_path / "repo")
    copy_example("orders-cdc", repo.root, at="orders")
    repo.commit()
    done = run_cli(repo.root, "check", "orders")
    assert done.returncode == 0, done.stdout + done.stderr
    assert entries(repo.root) == []


def test_cache_folder_is_ignored_by_git(repo: Repo) -> None:
    run_cli(repo.root, "check", ".")
    assert entries(repo.root)
    assert (repo.root / CACHE / "CACHEDIR.TAG").is_file()
    assert repo.git("status", "--porcelain") == ""


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["--no-cache"], {}),
        ([], {"CI": "true"}),
        ([], {"DATAPLAN_LINT_NO_CACHE": "1"}),
        (["--base", "HEAD"], {}),
    ],
    ids=["no-cache", "ci", "env-off", "base"],
)
def test_runs_that_do_not_use_the_cache(repo: Repo, args: list[str], env: dict[str, str]) -> None:
    done = run_cli(repo.root, "check", *args, "clean", **env)
    assert done.returncode == 0, done.stderr
    assert not (repo.root / CACHE).exists()


def test_ci_uses_the_cache_only_when_asked(repo: Repo) -> None:
    run_cli(repo.root, "check", "clean", CI="true", DATAPLAN_LINT_CACHE="1")
    assert len(entries(repo.root)) == 1


def test_cache_dir_option_and_cache_clean(repo: Repo, tmp_path: Path) -> None:
    folder = tmp_path / "elsewhere"
    assert run_cli(repo.root, "check", "--cache-dir", str(folder), "clean").returncode == 0
    assert list(folder.rglob("*.json")) and not (repo.root / CACHE).exists()
    done = run_cli(repo.root, "cache", "clean", "--cache-dir", str(folder))
    assert done.returncode == 0 and not folder.exists()
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "keep.txt").write_text("mine")
    run_cli(repo.root, "cache", "clean", "--cache-dir", str(precious))
    assert (precious / "keep.txt").read_text() == "mine"  # not a cache: left alone


# -------------------------------------------------------------------- hostile caches


def test_damaged_entries_are_misses_not_errors(repo: Repo) -> None:
    first = run_cli(repo.root, "check", "--no-snippets", ".")
    found = entries(repo.root)
    payloads = [b"", b"{", b"[]", b'{"path": 1}', json.dumps({"findings": "x"}).encode()]
    for entry, payload in zip(found, payloads, strict=False):
        entry.write_bytes(payload)
    again = run_cli(repo.root, "check", "--no-snippets", ".")
    assert (again.returncode, again.stdout) == (first.returncode, first.stdout)
    assert "Traceback" not in again.stderr


def test_entry_that_is_a_fifo_or_a_link_to_a_device_does_not_hang(repo: Repo) -> None:
    first = run_cli(repo.root, "check", "--no-snippets", ".")
    found = entries(repo.root)
    found[0].unlink()
    os.mkfifo(found[0])
    found[1].unlink()
    found[1].symlink_to("/dev/zero")
    again = run_cli(repo.root, "check", "--no-snippets", ".")
    assert (again.returncode, again.stdout) == (first.returncode, first.stdout)


def test_cache_folder_that_is_a_link_is_never_written_through(repo: Repo, tmp_path: Path) -> None:
    target = tmp_path / "victim"
    target.mkdir()
    (repo.root / CACHE).symlink_to(target)
    done = run_cli(repo.root, "check", "clean")
    assert done.returncode == 0
    assert list(target.iterdir()) == []


def test_poisoned_entry_with_a_forged_result_is_ignored_in_ci(repo: Repo) -> None:
    """A committed cache claiming 'no findings' for a broken plan must not pass CI."""
    plan = repo.root / "clean" / "dataplan.yaml"
    plan.write_text(plan.read_text().replace("delay: 30s", "delay: 30 seconds", 1))
    assert run_cli(repo.root, "check", "clean").returncode == 1  # the real entry
    (entry,) = entries(repo.root)
    forged = json.loads(entry.read_text())
    forged["findings"] = []
    entry.write_text(json.dumps(forged))
    assert run_cli(repo.root, "check", "clean").returncode == 0  # trusted locally, like ruff's
    in_ci = run_cli(repo.root, "check", "clean", CI="true")
    assert in_ci.returncode == 1 and "DP015" in in_ci.stdout


def test_concurrent_runs_share_the_cache_safely(repo: Repo) -> None:
    env = cli_env()
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "dataplan_lint", "check", "--no-snippets", "."],
            cwd=repo.root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    outputs = [proc.communicate(timeout=120) for proc in procs]
    assert {proc.returncode for proc in procs} == {1}
    assert len({out for out, _err in outputs}) == 1
    assert all("Traceback" not in err for _out, err in outputs)
    assert not list((repo.root / CACHE).rglob(".tmp-*"))
    again = run_cli(repo.root, "check", "--no-snippets", ".")
    assert again.stdout == outputs[0][0]


# Modules that read files, and why what they read cannot go stale in a cached result.
# A module that reads a file a plan's findings depend on must call
# dataplan_lint.files.dependencies.record(path, data) and be listed as "records".
FILE_READERS = {
    "dataplan_lint/files/loader.py": "the plan itself: its bytes are in the key",
    "dataplan_lint/pipeline/runner.py": "the plan itself: its bytes are in the key",
    "dataplan_lint/files/dependencies.py": "re-hashes recorded dependencies",
    "dataplan_lint/files/reader.py": "the one reader: its callers are listed here",
    "dataplan_lint/files/atomic.py": "writes output files",
    "dataplan_lint/pipeline/result_cache.py": "the cache's own entries",
    "dataplan_lint/pipeline/baseline.py": "applied after the cache, on every run",
    "dataplan_lint/pipeline/changed_lines.py": "--changed-only filter, after the cache",
    "dataplan_lint/files/referrers.py": "discovery (which plans read a file), before the cache",
    "dataplan_lint/config/file.py": "the resolved configuration is in the key",
    "dataplan_lint/engine/rulesets.py": "ruleset contents are in the key",
    "dataplan_lint/schema/bundle.py": "bundled schemas: in the tool fingerprint",
    "dataplan_lint/schema/inputs.py": "bundled input schemas: in the tool fingerprint",
    "dataplan_lint/schema/codegen.py": "a build tool, never run inside a check",
    "dataplan_lint/engine/reference_codegen.py": "a build tool, never run inside a check",
    "dataplan_lint/compat/odcs_layers.py": "bundled ODCS schemas: in the tool fingerprint",
    "dataplan_lint/lsp/server.py": "the protocol's own streams, not a check's input",
    "dataplan_lint/compat/schema_files.py": "records",
    "dataplan_lint/files/dbt_manifest.py": "records",
    "dataplan_lint/engine/examples.py": "bundled example plans, for explain, never in a check",
}


def test_every_file_reader_is_known_to_the_cache() -> None:
    import re

    reads = re.compile(
        r"\bopen\(|\.read_bytes\(|\.read_text\(|\bos\.open\(|\.open\("
        r"|\bread_(capped|bytes|text|optional|limited|package_file)\("
    )
    package = ROOT / "dataplan_lint"
    found = set()
    for path in package.rglob("*.py"):
        rel = path.relative_to(ROOT).as_posix()
        if "/_generated/" in rel or rel.startswith("dataplan_lint/authoring/"):
            continue  # code generation and authoring commands never run inside a check
        if rel.startswith("dataplan_lint/cli/") or rel.startswith("dataplan_lint/report/"):
            continue  # read command-line inputs and write reports, outside the cache
        text = path.read_text(encoding="utf-8")
        if reads.search(text):
            found.add(rel)
    unknown = found - set(FILE_READERS)
    assert not unknown, f"new file readers: record their reads or list them here: {unknown}"
    for rel, why in FILE_READERS.items():
        if why == "records":
            assert "record(" in (ROOT / rel).read_text(encoding="utf-8"), rel


def _waived_plan(expires: str) -> Any:
    """The clickstream plan whose event contract drops a field under a FULL_TRANSITIVE
    history: allowed only by a waiver that expires on `expires`."""
    data = load_example()
    contract = data["contracts"][0]
    contract["version"] = "3.0.0"
    contract["fields"] = [f for f in contract["fields"] if f["name"] != "received_at"]
    contract["compatibility"] = "FULL_TRANSITIVE"
    contract["history"][0]["compatibility"] = "FULL_TRANSITIVE"
    contract["waivers"] = [
        {
            "change": "remove field `received_at`",
            "reason": "The collector timestamp moves to the envelope.",
            "owner": "team-web-collector",
            "expires": expires,
        }
    ]
    return data


def _rule_ids(done: subprocess.CompletedProcess[str]) -> list[str]:
    return sorted(f["rule_id"] for f in json.loads(done.stdout)["findings"])


def test_a_waiver_that_expires_is_not_passed_from_the_cache(tmp_path: Path) -> None:
    """The date is an input of a result that judged a waiver's expiry: the day after,
    the cached pass is not reused and the run reports what `--no-cache` reports."""
    repo = Repo(tmp_path / "repo")
    write_plan(repo.root / "waived" / "dataplan.yaml", _waived_plan("2030-06-30"))
    shutil.copytree(EXAMPLES / "clickstream-sessions", repo.root / "plain")
    repo.commit()
    args = ("check", "--format", "json", ".")
    on_the_day = run_cli(repo.root, *args, DATAPLAN_LINT_TODAY="2030-06-30")
    assert on_the_day.returncode == 0, on_the_day.stdout + on_the_day.stderr
    dated = {p: json.loads(p.read_text())["dependencies"] for p in entries(repo.root)}
    # The waived plan's result depends on the day; the plain plan's never asked for it.
    assert sorted(dated.values()) == [[], [["<today>", "2030-06-30"]]]
    stamp = {p: p.stat().st_mtime_ns for p in dated}

    day_after = run_cli(repo.root, *args, DATAPLAN_LINT_TODAY="2030-07-01")
    uncached = run_cli(repo.root, *args, "--no-cache", DATAPLAN_LINT_TODAY="2030-07-01")
    assert day_after.returncode == uncached.returncode == 1, day_after.stderr
    assert _rule_ids(day_after) == _rule_ids(uncached) == ["DP731", "DP739"]
    assert day_after.stdout == uncached.stdout
    # The plain plan came from the cache (its entry untouched); the waived one was checked
    # again and its entry now holds the new day's result.
    rewritten = {p for p in dated if p.stat().st_mtime_ns != stamp[p]}
    assert rewritten == {p for p, deps in dated.items() if deps}
    # Back on the first day the first entry serves again: still a pass.
    again = run_cli(repo.root, *args, DATAPLAN_LINT_TODAY="2030-06-30")
    assert again.returncode == 0 and _rule_ids(again) == []


def test_a_malformed_date_override_is_a_usage_error(repo: Repo) -> None:
    done = run_cli(repo.root, "check", "clean", DATAPLAN_LINT_TODAY="30/06/2030")
    assert done.returncode == 2
    assert "DATAPLAN_LINT_TODAY must be a date written YYYY-MM-DD, not '30/06/2030'" in done.stderr
