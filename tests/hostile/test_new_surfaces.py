"""The surfaces added after the first review, attacked through the real command line:
dbt files (dbt_project.yml, model .sql files, manifest.json), the result cache, huge
integers, and the one reader every file goes through (files/reader.py).

Each case runs the CLI in a child with a time and memory limit (bounded.py): a hang is a
timeout, an unbounded read a MemoryError, and a traceback fails the test.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from bounded import Outcome, run_cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = (ROOT / "examples" / "clickstream-sessions" / "dataplan.yaml").read_text(encoding="utf-8")
GATE6 = ["check", "--format", "json", "--select", "gate:6", "dataplan.yaml"]
needs_posix = pytest.mark.skipif(os.name != "posix", reason="symlinks to devices and /proc")


def orders(tmp_path: Path) -> Path:
    """The orders-cdc example (plan, dbt project, manifest) as a repository; its folder."""
    repo = tmp_path / "repo"
    folder = repo / "examples" / "orders-cdc"
    shutil.copytree(ROOT / "examples" / "orders-cdc", folder)
    (repo / ".git").mkdir()
    return folder


def dp609(outcome: Outcome) -> str:
    messages = [str(f["message"]) for f in outcome.findings() if f["rule_id"] == "DP609"]
    assert len(messages) == 1, outcome
    assert outcome.code == 1
    return messages[0]


def replace_with_link(path: Path, target: str | Path) -> None:
    path.unlink()
    path.symlink_to(target)


def run_with_open_stdin(args: list[str], cwd: Path) -> Outcome:
    """The CLI with standard input an open pipe nobody writes to (a terminal, an editor,
    a wrapper): anything reading /dev/stdin would block for ever."""
    read_end, write_end = os.pipe()
    try:
        return run_cli(args, cwd, stdin=read_end)
    finally:
        os.close(read_end)
        os.close(write_end)


# ---------------------------------------------------------------------- dbt files


@needs_posix
def test_dbt_project_linked_to_dev_zero_is_refused_not_read(tmp_path: Path) -> None:
    folder = orders(tmp_path)
    replace_with_link(folder / "dbt" / "dbt_project.yml", "/dev/zero")

    message = dp609(run_cli(GATE6, folder))

    assert "`dbt_project.yml`" in message and "outside the repository" in message


@needs_posix
@pytest.mark.parametrize("linked", ["dbt/dbt_project.yml", "dbt/models/staging/stg_orders.sql"])
def test_dbt_files_linked_to_stdin_do_not_block(tmp_path: Path, linked: str) -> None:
    folder = orders(tmp_path)
    replace_with_link(folder / linked, "/dev/stdin")

    message = dp609(run_with_open_stdin(GATE6, folder))

    assert Path(linked).name in message and "outside the repository" in message


def test_a_model_file_linked_outside_is_never_read(tmp_path: Path) -> None:
    """Reading it would compare an outside file's digest with the manifest's: the
    verdict would tell whether a guessed secret matches."""
    folder = orders(tmp_path)
    outside = tmp_path / "guess.sql"
    shutil.copy(folder / "dbt" / "models" / "staging" / "stg_orders.sql", outside)
    replace_with_link(folder / "dbt" / "models" / "staging" / "stg_orders.sql", outside)

    outcome = run_cli(GATE6, folder)

    message = dp609(outcome)
    assert "stg_orders.sql" in message and "outside the repository" in message
    assert "guess" not in outcome.stdout + outcome.stderr


def test_a_model_path_linked_outside_is_not_walked(tmp_path: Path) -> None:
    folder = orders(tmp_path)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret_table_name.sql").write_text("select 1\n", encoding="utf-8")
    (folder / "dbt" / "linked_models").symlink_to(outside, target_is_directory=True)
    project = folder / "dbt" / "dbt_project.yml"
    text = project.read_text(encoding="utf-8")
    project.write_text(text.replace('["models"]', '["models", "linked_models"]'), "utf-8")

    outcome = run_cli(GATE6, folder)

    assert outcome.code == 0, outcome
    assert "secret_table_name" not in outcome.stdout + outcome.stderr


def test_a_padded_manifest_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    """30 MB of empty objects (20 million values) would parse into about 1.5 GB."""
    folder = orders(tmp_path)
    manifest = folder / "dbt" / "target" / "manifest.json"
    with manifest.open("wb") as handle:
        handle.write(b'{"nodes": {}, "sources": {}, "padding": [')
        handle.write(b"{}," * 10_000_000)
        handle.write(b"{}]}")

    message = dp609(run_cli(GATE6, folder))

    assert "JSON values, more than the 10,000,000 its parse may take memory for" in message


def test_a_huge_freshness_count_in_a_manifest_is_not_a_crash(tmp_path: Path) -> None:
    """float() of a 4,000-digit count raises; the source's freshness is then unknown."""
    folder = orders(tmp_path)
    manifest = folder / "dbt" / "target" / "manifest.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    for source in data["sources"].values():
        source["freshness"]["error_after"]["count"] = int("9" * 4000)
        source["freshness"]["warn_after"]["count"] = int("9" * 4000)
    manifest.write_text(json.dumps(data), encoding="utf-8")

    outcome = run_cli(["check", "--format", "json", "dataplan.yaml"], folder)

    assert "DP099" not in outcome.rule_ids(), outcome.stdout
    assert "DP609" not in outcome.rule_ids(), outcome.stdout  # the manifest was read


# ---------------------------------------------------------------------- settings files


@pytest.mark.parametrize(
    ("name", "args"),
    [
        (".dataplan-lint.yaml", ["check", "dataplan.yaml"]),
        ("baseline.json", ["check", "--baseline", "baseline.json", "dataplan.yaml"]),
    ],
)
def test_settings_files_linked_outside_are_refused(
    tmp_path: Path, name: str, args: list[str]
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("password: hunter2\n", encoding="utf-8")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "dataplan.yaml").write_text(EXAMPLE, encoding="utf-8")
    (repo / name).symlink_to(secret)

    outcome = run_cli(args, repo)

    assert outcome.code == 2, outcome
    assert name in outcome.stderr and "outside the repository" in outcome.stderr
    assert "hunter2" not in outcome.stdout + outcome.stderr


# ---------------------------------------------------------------------- the cache


def cached(extra: dict[str, str] | None = None, *, cache_dir: Path) -> dict[str, str]:
    return {
        "DATAPLAN_LINT_NO_CACHE": "0",
        "DATAPLAN_LINT_CACHE": "1",
        "DATAPLAN_LINT_CACHE_DIR": str(cache_dir),
        **(extra or {}),
    }


def test_a_folder_named_like_a_plan_with_the_cache_on(tmp_path: Path) -> None:
    (tmp_path / "dataplan.yaml").write_text(EXAMPLE, encoding="utf-8")
    (tmp_path / "x.dataplan.yaml").mkdir()
    for _ in range(2):
        outcome = run_cli(["check", "."], tmp_path, env=cached(cache_dir=tmp_path / "c"))
        assert outcome.code == 2, outcome
        assert "x.dataplan.yaml: is a directory, not a plan file" in outcome.stderr


def test_a_schema_file_that_is_a_folder_stays_dp741_on_cached_runs(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    plan = EXAMPLE.replace(
        "    record: com.example.web.ClickstreamEvent\n",
        "    record: com.example.web.ClickstreamEvent\n    schema_file: schemas/event.avsc\n",
        1,
    )
    (tmp_path / "dataplan.yaml").write_text(plan, encoding="utf-8")
    (tmp_path / "schemas" / "event.avsc").mkdir(parents=True)
    cache = tmp_path / "cache"
    runs = [
        run_cli(
            ["check", "--format", "json", "dataplan.yaml"], tmp_path, env=cached(cache_dir=cache)
        )
        for _ in range(3)
    ]
    for outcome in runs:
        assert outcome.code == 1, outcome
        assert outcome.rule_ids() == {"DP741"}
        assert "is a directory" in outcome.findings()[0]["message"]
    assert list(cache.rglob("*.json")), "the result was cached"


# ---------------------------------------------------------------------- numbers


def test_a_4000_digit_integer_outside_capacity_is_a_finding_at_the_value(
    tmp_path: Path,
) -> None:
    old = "max_attempts: 5\n      backoff: exponential"
    assert old in EXAMPLE
    plan = EXAMPLE.replace(old, "max_attempts: " + "9" * 4000 + "\n      backoff: none", 1)
    (tmp_path / "dataplan.yaml").write_text(plan, encoding="utf-8")
    line = plan[: plan.index("max_attempts: 9")].count("\n") + 1

    outcome = run_cli(["check", "--format", "json", "dataplan.yaml"], tmp_path)

    found = {(f["rule_id"], f["line"], f["column"]): f["message"] for f in outcome.findings()}
    assert "DP099" not in outcome.rule_ids(), outcome.stdout
    message = found[("DP017", line, 21)]
    assert "a 4,000-digit integer is not a finite number a check can use" in str(message)
    assert any(key[0] == "DP507" for key in found)  # the rule still judged the plan


# ---------------------------------------------------------------------- the whole corpus


def test_the_hostile_corpus_with_the_cache_off_and_on(tmp_path: Path) -> None:
    """Every hostile plan of test_hostile_inputs, plus a folder and a FIFO named like
    plans, a schema_file that is a folder and a 4,000-digit integer, in one run: with
    the cache off, on (filling it) and on again (reading it) - no traceback, no DP099,
    and the same findings all three times."""
    from test_hostile_inputs import TEXT_CASES

    corpus = tmp_path / "corpus"
    (corpus / ".git").mkdir(parents=True)
    for name, (make, _) in TEXT_CASES.items():
        content = make()
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (corpus / f"{name}.dataplan.yaml").write_bytes(data)
    (corpus / "folder.dataplan.yaml").mkdir()
    if hasattr(os, "mkfifo"):
        os.mkfifo(corpus / "fifo.dataplan.yaml")
    huge = EXAMPLE.replace("max_attempts: 5", "max_attempts: " + "9" * 4000, 1)
    (corpus / "huge-int.dataplan.yaml").write_text(huge, encoding="utf-8")
    folder_schema = EXAMPLE.replace(
        "    record: com.example.web.ClickstreamEvent\n",
        "    record: com.example.web.ClickstreamEvent\n    schema_file: schemas/event.avsc\n",
        1,
    )
    (corpus / "schema-folder.dataplan.yaml").write_text(folder_schema, encoding="utf-8")
    (corpus / "schemas" / "event.avsc").mkdir(parents=True)
    args = ["check", "--format", "json", "--no-snippets", "."]

    runs = [run_cli(args, corpus)]
    runs += [run_cli(args, corpus, env=cached(cache_dir=tmp_path / "cache")) for _ in range(2)]

    seen = []
    for outcome in runs:
        assert outcome.code == 2, outcome.stderr  # the folder and the FIFO are input errors
        assert "folder.dataplan.yaml: is a directory" in outcome.stderr
        assert "DP099" not in outcome.rule_ids(), outcome.stdout
        seen.append(
            sorted(
                (str(f["path"]), str(f["rule_id"]), str(f["line"]), str(f["message"]))
                for f in outcome.findings()
            )
        )
    assert seen[0] == seen[1] == seen[2]
    assert {path for path, *_ in seen[0]} >= {f"{name}.dataplan.yaml" for name in TEXT_CASES}
    assert list((tmp_path / "cache").rglob("*.json")), "the second run filled the cache"
