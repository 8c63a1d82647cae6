"""Files nobody should be able to hurt the linter with.

Each case runs the real command line in a child process with a wall-clock timeout and
an address-space limit (RLIMIT_AS), and must end with a clear finding (exit 1) or a
clear error (exit 2) - never a traceback, a hang or a silent pass. Big inputs are
generated into a temporary folder at run time.
"""

from __future__ import annotations

import codecs
import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from bounded import run_cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = (ROOT / "examples" / "clickstream-sessions" / "dataplan.yaml").read_text(encoding="utf-8")


def plan_with(old: str, new: str) -> str:
    assert old in EXAMPLE
    return EXAMPLE.replace(old, new, 1)


def billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for index in range(1, 10):
        prev, name = chr(ord("a") + index - 1), chr(ord("a") + index)
        lines.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]")
    return "\n".join(lines) + "\n"


def quadratic_blowup() -> str:
    """One big anchored list aliased thousands of times (memory, not depth)."""
    return (
        "x: &x [" + ", ".join(["word"] * 5000) + "]\n" + "y: [" + ", ".join(["*x"] * 5000) + "]\n"
    )


# name -> text of the plan file; every case must produce one of the given rule ids.
TEXT_CASES: dict[str, tuple[Callable[[], str | bytes], set[str]]] = {
    "billion-laughs": (billion_laughs, {"DP009"}),
    "alias-quadratic": (quadratic_blowup, {"DP009"}),
    "flow-nesting-10000": (lambda: "a: " + "[" * 10_000 + "]" * 10_000 + "\n", {"DP009"}),
    "flow-map-nesting-10000": (
        lambda: "a: " + "{a: " * 10_000 + "1" + "}" * 10_000 + "\n",
        {"DP009"},
    ),
    "block-nesting-10000": (lambda: "a:\n" + "- " * 10_000 + "x\n", {"DP009"}),
    "block-indent-nesting-1000": (
        lambda: (
            "".join(f"{' ' * (2 * level)}k{level}:\n" for level in range(1000))
            + "  " * 1000
            + "x: 1\n"
        ),
        {"DP009"},
    ),
    # Brackets inside quotes or comments must not fool the depth estimate.
    "quoted-closers-100000": (
        lambda: "a: " + '[ "]", ' * 100_000 + "x" + " ]" * 100_000 + "\n",
        {"DP009"},
    ),
    "commented-closers-100000": (
        lambda: "a: " + "[ # ]\n" * 100_000 + "x" + "]" * 100_000 + "\n",
        {"DP009"},
    ),
    "merge-key-loop": (lambda: "a: &a\n  <<: *a\n", {"DP009"}),
    "merge-non-mapping": (
        lambda: plan_with("kind: DataPlan", "kind: DataPlan\nx:\n  <<: [1, 2]"),
        {"DP001"},
    ),
    "merge-into-plan": (
        lambda: (
            "defaults: &d {owner: team-x}\n"
            + plan_with("kind: DataPlan", "kind: DataPlan\nextra:\n  <<: *d")
        ),
        {"DP011"},
    ),
    "very-long-key": (
        lambda: plan_with("kind: DataPlan", "kind: DataPlan\n" + "k" * 1_000_000 + ": 1"),
        {"DP001"},
    ),
    "very-long-line": (
        lambda: plan_with("status: approved", "status: " + "x" * 1_500_000),
        {"DP014"},
    ),
    "binary": (lambda: bytes(range(256)) * 40, {"DP006", "DP001"}),
    "nul-bytes": (lambda: plan_with("kind: DataPlan", "kind: Data\x00Plan"), {"DP001"}),
    "utf16-without-bom": (lambda: EXAMPLE.encode("utf-16-le"), {"DP001", "DP006"}),
    "bad-utf16-after-bom": (lambda: codecs.BOM_UTF16_LE + b"\x00\xd8a\x00", {"DP006"}),
    "python-tags": (
        lambda: plan_with(
            "kind: DataPlan",
            "kind: DataPlan\n"
            'x: !!python/object/apply:os.system ["touch SENTINEL"]\n'
            "y: !!python/object/new:subprocess.Popen [[touch, SENTINEL]]\n"
            "z: !!python/name:os.system\n"
            "w: !!binary aGVsbG8=\n"
            "v: !!set {a, b}\n"
            "u: !custom 1",
        ),
        {"DP010"},
    ),
    "absurd-quantities": (
        lambda: (
            plan_with("events_per_day: 500M", "events_per_day: 99999999999999999999/day")
            .replace("peak_factor: 3", "peak_factor: 0", 1)
            .replace("bytes_per_event: 1.2KB", "bytes_per_event: 1e400GB", 1)
            .replace("per_consumer_throughput: 1.25k/s", "per_consumer_throughput: -5k/s", 1)
        ),
        {"DP015", "DP017"},
    ),
    "empty": (lambda: b"", {"DP007"}),
    "only-a-bom": (lambda: codecs.BOM_UTF8, {"DP007"}),
    "two-documents": (lambda: EXAMPLE + "\n---\n" + EXAMPLE, {"DP005"}),
    "scalar-document": (lambda: "just a string\n", {"DP004"}),
}


@pytest.mark.parametrize("name", sorted(TEXT_CASES))
def test_hostile_file_gives_a_finding(name: str, tmp_path: Path) -> None:
    make, expected = TEXT_CASES[name]
    content = make()
    path = tmp_path / f"{name}.dataplan.yaml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    outcome = run_cli(["check", "--format", "json", path.name], tmp_path)
    assert outcome.code == 1, outcome
    found = outcome.rule_ids()
    assert found & expected, f"expected one of {expected}, got {found}"
    assert "DP099" not in found, outcome.stdout
    assert not (tmp_path / "SENTINEL").exists(), "a YAML tag was executed"


@pytest.mark.parametrize(
    "encoding, bom",
    [
        ("utf-8", codecs.BOM_UTF8),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-32-le", codecs.BOM_UTF32_LE),
        ("utf-32-be", codecs.BOM_UTF32_BE),
    ],
)
def test_byte_order_marks_are_read(encoding: str, bom: bytes, tmp_path: Path) -> None:
    path = tmp_path / "dataplan.yaml"
    path.write_bytes(bom + EXAMPLE.encode(encoding))
    plain = tmp_path / "plain" / "dataplan.yaml"
    plain.parent.mkdir()
    plain.write_text(EXAMPLE, encoding="utf-8")
    got = run_cli(["check", "--format", "json", "dataplan.yaml"], tmp_path)
    want = run_cli(["check", "--format", "json", "dataplan.yaml"], plain.parent)
    assert (got.code, got.rule_ids()) == (want.code, want.rule_ids())


def test_fifty_megabytes_are_refused_by_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "dataplan.yaml"
    with path.open("wb") as handle:
        chunk = b"key: value\n" * 100_000
        for _ in range(48):
            handle.write(chunk)
    assert path.stat().st_size >= 50_000_000
    outcome = run_cli(["check", "--format", "json", "dataplan.yaml"], tmp_path)
    assert outcome.code == 1
    assert outcome.rule_ids() == {"DP008"}


def test_size_limit_is_configurable(tmp_path: Path) -> None:
    (tmp_path / "dataplan.yaml").write_text(EXAMPLE, encoding="utf-8")
    small = run_cli(["check", "--format", "json", "--max-file-size", "1000", "."], tmp_path)
    assert small.rule_ids() == {"DP008"}
    (tmp_path / ".dataplan-lint.yaml").write_text("max-file-size: 1000\n", encoding="utf-8")
    configured = run_cli(["check", "--format", "json", "."], tmp_path)
    assert configured.rule_ids() == {"DP008"}
    overridden = run_cli(
        ["check", "--format", "json", "--max-file-size", "10000000", "."], tmp_path
    )
    assert "DP008" not in overridden.rule_ids()


def test_symlink_out_of_the_repository_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("password: hunter2\n", encoding="utf-8")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "plans").mkdir()
    (repo / "plans" / "dataplan.yaml").symlink_to(secret)
    (repo / "real.dataplan.yaml").write_text(EXAMPLE, encoding="utf-8")
    (repo / "plans" / "inside.dataplan.yaml").symlink_to(repo / "real.dataplan.yaml")
    for args in (["check", "."], ["check", "plans/dataplan.yaml"]):
        outcome = run_cli(args, repo)
        assert outcome.code == 2
        assert "outside the repository" in outcome.stderr
        assert "hunter2" not in outcome.stdout + outcome.stderr
    inside = run_cli(["check", "plans/inside.dataplan.yaml"], repo)
    assert inside.code == 0, inside


def test_plan_file_that_is_a_directory(tmp_path: Path) -> None:
    (tmp_path / "dataplan.yaml").mkdir()
    (tmp_path / "nested" / "x.dataplan.yaml").mkdir(parents=True)
    for args in (["check", "dataplan.yaml"], ["check", "."]):
        outcome = run_cli(args, tmp_path)
        assert outcome.code == 2
        assert "is a directory, not a plan file" in outcome.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_named_like_a_plan_does_not_hang(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "dataplan.yaml")
    outcome = run_cli(["check", "."], tmp_path)
    assert outcome.code == 2
    assert "not a regular file" in outcome.stderr


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads mode-000 files")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "dataplan.yaml"
    path.write_text(EXAMPLE, encoding="utf-8")
    path.chmod(0)
    try:
        outcome = run_cli(["check", "dataplan.yaml"], tmp_path)
    finally:
        path.chmod(0o644)
    assert outcome.code == 2
    assert "cannot read" in outcome.stderr


def test_unreadable_file_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same as above where chmod does not bite (root): the open itself fails."""
    from click.testing import CliRunner

    from dataplan_lint.cli.commands import cli

    path = tmp_path / "dataplan.yaml"
    path.write_text(EXAMPLE, encoding="utf-8")
    real_open = os.open

    def deny(file: object, *args: object, **kwargs: object) -> int:
        if str(file).endswith("dataplan.yaml"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", deny)
    result = CliRunner().invoke(cli, ["check", str(path)])
    assert result.exit_code == 2
    assert "cannot read: Permission denied" in result.stderr


def _git_repo(path: Path) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    for command in (["init", "-q"], ["add", "."], ["commit", "-qm", "plan"]):
        subprocess.run(["git", *command], cwd=path, env=env, check=True, capture_output=True)


def test_option_lookalike_base_and_file_names(tmp_path: Path) -> None:
    (tmp_path / "-rf.dataplan.yaml").write_text(EXAMPLE, encoding="utf-8")
    _git_repo(tmp_path)
    for base in ("--base=--output=x", "--base=-rf"):
        outcome = run_cli(["check", base, "."], tmp_path)
        assert outcome.code == 2, outcome
        assert not (tmp_path / "x").exists()
    walked = run_cli(["check", "--format", "json", "."], tmp_path)
    assert walked.code == 0, walked
    assert json.loads(walked.stdout)["files"][0]["path"] == "-rf.dataplan.yaml"
    as_option = run_cli(["check", "-rf.dataplan.yaml"], tmp_path)
    assert as_option.code == 2  # click: no such option
    after_dashes = run_cli(["check", "--base", "HEAD", "--", "-rf.dataplan.yaml"], tmp_path)
    assert after_dashes.code == 0, after_dashes
    assert (tmp_path / "-rf.dataplan.yaml").exists()


def test_unreadable_file_even_as_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same path as `test_unreadable_file`, forced with a PermissionError (root bypasses
    mode 000): the file is an input error (exit 2), the other files are still checked."""
    from click.testing import CliRunner

    from dataplan_lint.cli.commands import cli
    from dataplan_lint.pipeline import runner

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "dataplan.yaml").write_text(EXAMPLE, encoding="utf-8")
    (tmp_path / "b" / "dataplan.yaml").write_text("- not a mapping\n", encoding="utf-8")
    real = runner.read_limited

    def deny(path: Path, max_bytes: int) -> bytes:
        if path.as_posix().endswith("a/dataplan.yaml"):
            raise PermissionError(13, "Permission denied")
        return real(path, max_bytes)

    monkeypatch.setattr(runner, "read_limited", deny)
    monkeypatch.setenv("DATAPLAN_LINT_JOBS", "1")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["check", "--no-snippets", "a", "b"])
    assert result.exit_code == 2
    assert "a/dataplan.yaml: cannot read: Permission denied" in result.output
    assert "b/dataplan.yaml:1:1: DP004" in result.output
