"""The README's editor set-up names what the server really is and offers."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner

from dataplan_lint.cli.commands import cli
from dataplan_lint.lsp.actions import FIX_ALL, FIX_ALL_TITLE, SUPPRESS_COMMENT
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
SECTION = README.split("## In your editor\n", 1)[1].split("\n## ", 1)[0]


def test_the_vs_code_settings_start_the_server_and_fix_all_on_save() -> None:
    block = re.search(r"```json\n(.*?)```", SECTION, re.DOTALL)
    assert block is not None
    settings = json.loads(block.group(1))

    assert settings["glspc.server.command"] == "dataplan-lint"
    assert settings["glspc.server.commandArguments"] == ["server"]
    assert settings["editor.codeActionsOnSave"] == {FIX_ALL: "explicit"}
    assert CliRunner().invoke(cli, ["server", "--help"]).exit_code == 0


def test_the_neovim_snippets_and_the_action_names_match_the_server() -> None:
    assert SECTION.count('cmd = { "dataplan-lint", "server" }') == 2
    assert f'only = {{ "{FIX_ALL}" }}' in SECTION
    assert f"**{FIX_ALL_TITLE}**" in SECTION.replace("\n  ", " ")
    assert f"`{SUPPRESS_COMMENT.format(rule='DPxxx')}`" in SECTION.replace("\n  ", " ")
