"""`dataplan-lint server` itself: the extra it needs, and nothing of it in `check`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from dataplan_lint.cli.commands import cli


def test_without_pygls_the_command_says_which_extra_to_install(tmp_path: Path) -> None:
    code = (
        "import sys; sys.modules['pygls'] = None\n"
        "sys.argv = ['dataplan-lint', 'server']\n"
        "from dataplan_lint.cli.entry import main\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60
    )

    assert done.returncode == 1
    assert done.stderr == (
        "Error: the language server needs pygls, which is not installed: "
        "pip install 'dataplan-lint[lsp]'\n"
    )
    assert done.stdout == ""


def test_help_names_the_transport_and_the_extra() -> None:
    result = CliRunner().invoke(cli, ["server", "--help"])

    assert result.exit_code == 0
    assert "--stdio" in result.output
    assert "pip install 'dataplan-lint[lsp]'" in result.output
