"""Where the tool writes: every command that writes a file goes through one writer.

Regular files are replaced atomically; FIFOs and devices are written in place (renaming
over `/dev/null` as root would replace the system's /dev/null); directories are refused;
a symbolic link is never written through onto a regular file elsewhere. Each case runs
the real command line in a child process with a time and memory limit (`run_cli`).
"""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

import pytest
from bounded import run_cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = (ROOT / "examples" / "clickstream-sessions" / "dataplan.yaml").read_text(encoding="utf-8")

# The commands that write a file, as (name, argv with OUT where the path goes).
WRITERS = {
    "check-json": ["check", "--format", "json", "-o", "OUT", "dataplan.yaml"],
    "check-sarif": [
        "check",
        "--format",
        "text",
        "--format",
        "sarif",
        "-o",
        "-",
        "--output",
        "OUT",
        "dataplan.yaml",
    ],
    "baseline": ["baseline", "-o", "OUT", "dataplan.yaml"],
    "bundle": ["bundle", "dataplan.yaml", "-o", "OUT"],
    "bundle-html": ["bundle", "dataplan.yaml", "--html", "--output", "OUT"],
    "init": ["init", "OUT", "--force", "--one-shot"],
}
# What each writer puts in its file, to recognise it on the other end of a FIFO.
MARKERS = {
    "check-json": '"version"',
    "check-sarif": '"$schema"',
    "baseline": '"entries"',
    "bundle": "# ",
    "bundle-html": "<html",
    "init": "apiVersion: dataplan/v1",
}


def _argv(name: str, out: Path | str) -> list[str]:
    return [str(out) if arg == "OUT" else arg for arg in WRITERS[name]]


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "dataplan.yaml").write_text(EXAMPLE, encoding="utf-8")
    return tmp_path


def _leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".tmp"))


def _read_in_background(fifo: Path) -> tuple[list[bytes], threading.Thread]:
    """A reader thread that opens `fifo` and collects everything written to it."""
    received: list[bytes] = []

    def read() -> None:
        with fifo.open("rb") as handle:
            received.append(handle.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    return received, reader


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
@pytest.mark.parametrize("name", sorted(WRITERS))
def test_fifo_is_written_in_place(name: str, workdir: Path) -> None:
    fifo = workdir / "report.pipe"
    os.mkfifo(fifo)
    received, reader = _read_in_background(fifo)
    outcome = run_cli(_argv(name, fifo.name), workdir)
    reader.join(timeout=30)
    assert outcome.code == 0, outcome
    assert received and MARKERS[name] in received[0].decode("utf-8"), received
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced"
    assert _leftovers(workdir) == []


def _char_device(path: Path) -> bool:
    """A node with /dev/null's device numbers, when this process may create one."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (OSError, AttributeError):
        return False
    return True


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_character_device_is_written_in_place(name: str, workdir: Path) -> None:
    node = workdir / "null"
    if not _char_device(node):
        pytest.skip("cannot create a device node here (needs root / CAP_MKNOD)")
    before = os.lstat(node)
    outcome = run_cli(_argv(name, node.name), workdir)
    assert outcome.code == 0, outcome
    after = os.lstat(node)
    assert stat.S_ISCHR(after.st_mode), "the device node was replaced by a file"
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)
    assert _leftovers(workdir) == []


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="no /dev/null")
def test_dev_null_stays_a_device(workdir: Path) -> None:
    before = os.lstat("/dev/null")
    for name in ("check-json", "baseline", "bundle"):
        outcome = run_cli(_argv(name, "/dev/null"), workdir)
        assert outcome.code == 0, outcome
    after = os.lstat("/dev/null")
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


@pytest.mark.skipif(not Path("/dev/stdout").exists(), reason="no /dev/stdout")
def test_dev_stdout_is_standard_output_in_order(workdir: Path) -> None:
    outcome = run_cli(
        ["check", "--format", "text", "--format", "json", "-o", "-", "-o", "/dev/stdout", "."],
        workdir,
    )
    assert outcome.code == 0, outcome
    text, _, document = outcome.stdout.partition("\n{")
    assert text == "All checks passed: 1 file checked, no findings."
    assert json.loads("{" + document)["files"][0]["path"] == "dataplan.yaml"
    assert _leftovers(Path("/dev")) == []
    baseline = run_cli(["baseline", "-o", "/dev/stdout", "dataplan.yaml"], workdir)
    assert json.loads(baseline.stdout)["entries"] == []
    assert baseline.stderr == "Wrote 0 baseline entries to /dev/stdout.\n"


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_directory_is_refused(name: str, workdir: Path) -> None:
    (workdir / "out").mkdir()
    outcome = run_cli(_argv(name, "out"), workdir)
    if name == "init":  # init names a folder to put dataplan.yaml in
        assert outcome.code == 0, outcome
        assert (workdir / "out" / "dataplan.yaml").is_file()
        return
    assert outcome.code == 2, outcome
    assert "directory" in outcome.stderr
    assert list((workdir / "out").iterdir()) == []


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_regular_file_keeps_its_mode(name: str, workdir: Path) -> None:
    target = workdir / "report.out"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(0o640)
    outcome = run_cli(_argv(name, target.name), workdir)
    assert outcome.code == 0, outcome
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert MARKERS[name] in target.read_text(encoding="utf-8")
    assert _leftovers(workdir) == []


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_symlink_to_a_file_elsewhere_is_replaced_not_followed(name: str, tmp_path: Path) -> None:
    work = tmp_path / "checkout"
    work.mkdir()
    (work / "dataplan.yaml").write_text(EXAMPLE, encoding="utf-8")
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me\n", encoding="utf-8")
    (work / "report.out").symlink_to(precious)
    outcome = run_cli(_argv(name, "report.out"), work)
    assert outcome.code == 0, outcome
    assert precious.read_text(encoding="utf-8") == "keep me\n"
    assert not (work / "report.out").is_symlink()
    assert MARKERS[name] in (work / "report.out").read_text(encoding="utf-8")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_symlink_to_a_fifo_is_written_through(workdir: Path) -> None:
    fifo = workdir / "pipe"
    os.mkfifo(fifo)
    (workdir / "report.json").symlink_to(fifo)
    received, reader = _read_in_background(fifo)
    outcome = run_cli(_argv("check-json", "report.json"), workdir)
    reader.join(timeout=30)
    assert outcome.code == 0, outcome
    assert json.loads(received[0])["files"][0]["path"] == "dataplan.yaml"
    assert (workdir / "report.json").is_symlink()


@pytest.mark.parametrize("name", ["baseline", "bundle", "check-json"])
def test_path_ending_in_a_slash_is_a_folder(name: str, workdir: Path) -> None:
    outcome = run_cli(_argv(name, "new-folder/"), workdir)
    assert outcome.code == 2, outcome
    assert "directory" in outcome.stderr
    assert not (workdir / "new-folder").exists()


def test_output_file_is_an_alias_of_output(workdir: Path) -> None:
    node = workdir / "report.json"
    outcome = run_cli(["check", "--format", "json", "--output-file", node.name, "."], workdir)
    assert outcome.code == 0, outcome
    assert json.loads(node.read_text(encoding="utf-8"))["files"][0]["path"] == "dataplan.yaml"
