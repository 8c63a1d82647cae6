"""`dataplan-lint completion bash|zsh|fish`: the scripts work in a real shell."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from dataplan_lint.cli.commands import cli

BIN = Path(sys.executable).parent


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("bash", "complete -o nosort -F _dataplan_lint_completion dataplan-lint"),
        ("zsh", "compdef _dataplan_lint_completion dataplan-lint"),
        ("fish", "complete --no-files --command dataplan-lint"),
    ],
)
def test_scripts_name_the_program_and_its_variable(shell: str, marker: str) -> None:
    result = CliRunner().invoke(cli, ["completion", shell])
    assert result.exit_code == 0
    assert marker in result.output
    assert "_DATAPLAN_LINT_COMPLETE" in result.output


def test_unknown_shell_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["completion", "tcsh"])
    assert result.exit_code == 2
    assert "'tcsh' is not one of 'bash', 'zsh', 'fish'" in result.output


def _bash_complete(words: str, tmp_path: Path) -> list[str]:
    if shutil.which("bash") is None or not (BIN / "dataplan-lint").exists():
        pytest.skip("needs bash and the installed dataplan-lint script")
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    script = (
        'eval "$(dataplan-lint completion bash)"\n'
        f"COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1))\n"
        "_dataplan_lint_completion dataplan-lint\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    run = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", script],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return run.stdout.split()


def test_bash_completes_commands_and_option_choices(tmp_path: Path) -> None:
    assert _bash_complete("dataplan-lint ch", tmp_path) == ["check"]
    assert "explain" in _bash_complete("dataplan-lint ''", tmp_path)
    assert _bash_complete("dataplan-lint check --fail-on w", tmp_path) == ["warning"]
    assert "--unsafe-fixes" in _bash_complete("dataplan-lint check --un", tmp_path)
