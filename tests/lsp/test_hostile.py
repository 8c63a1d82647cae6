"""Hostile documents and requests: a diagnostic or nothing, never a dead server."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from lsp.conftest import scripted_client
from lsp.helpers import (
    RecordingClient,
    bad_plan,
    change_document,
    document,
    open_document,
    summary,
)
from lsp.test_diagnostics import PLANTED

pytestmark = pytest.mark.asyncio


async def test_a_huge_document_is_one_diagnostic(client: RecordingClient, tmp_path: Path) -> None:
    path = tmp_path / "huge.dataplan.yaml"
    text = "apiVersion: dataplan/v1\n" + "# padding\n" * 300_000

    found = await open_document(client, path, text)

    assert [(item.code, item.range.start.line) for item in found] == [("DP008", 0)]
    for line in (0, 1, 250_000):  # the finding's line, then lines the loader never parsed
        hover = await client.text_document_hover_async(
            types.HoverParams(
                text_document=document(path), position=types.Position(line=line, character=0)
            )
        )
        assert (hover is not None) == (line == 0)
    assert await open_document(client, bad_plan(tmp_path)) != []  # still serving


async def test_deep_nesting_and_garbage_give_diagnostics(
    client: RecordingClient, tmp_path: Path
) -> None:
    deep = await open_document(client, tmp_path / "deep.dataplan.yaml", "a: " + "[" * 50_000)
    garbage = await open_document(
        client, tmp_path / "garbage.dataplan.yaml", "\x00\x1b[31m\u202e: :\n\t- ]]"
    )

    assert [item.code for item in deep] == ["DP009"]
    assert len(garbage) == 1 and garbage[0].code in ("DP001", "DP003")
    assert "\x1b" not in garbage[0].message and "\u202e" not in garbage[0].message


async def test_control_characters_in_a_key_are_shown_escaped(
    client: RecordingClient, tmp_path: Path
) -> None:
    path = bad_plan(tmp_path)
    text = path.read_text(encoding="utf-8").replace("ownr:", '"own\\u202er":')

    found = await open_document(client, path, text)

    assert found[1].code == "DP011"
    assert "\u202e" not in found[1].message and "\\u202e" in found[1].message


async def test_requests_about_unknown_documents_do_not_stop_the_server(
    client: RecordingClient, tmp_path: Path
) -> None:
    nowhere = tmp_path / "never-opened.dataplan.yaml"
    change_document(client, nowhere, "kind: DataPlan\n", 7)
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=document(nowhere),
            position=types.Position(line=10**6, character=10**6),
        )
    )
    assert hover is None
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=document(nowhere),
            range=types.Range(
                start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)
            ),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    assert not actions
    for data in (None, "x", {"uri": 7}, {"uri": nowhere.as_uri(), "version": 1, "action": "fix"}):
        forged = types.CodeAction(title="forged", data=data)
        assert (await client.code_action_resolve_async(forged)).edit is None
    assert summary(await open_document(client, bad_plan(tmp_path))) == PLANTED


async def test_hover_past_the_end_of_a_plan_is_nothing(
    client: RecordingClient, tmp_path: Path
) -> None:
    path = bad_plan(tmp_path)
    await open_document(client, path)

    for line, character in ((10**6, 0), (7, 10**6), (0, 0)):
        found = await client.text_document_hover_async(
            types.HoverParams(
                text_document=document(path),
                position=types.Position(line=line, character=character),
            )
        )
        assert found is None


NOISY_SERVER = (
    "import os, sys\n"
    "from dataplan_lint.lsp import linting\n"
    "original = linting.Linter.check\n"
    "def noisy(self, *args):\n"
    "    print('stray print')\n"
    "    os.write(1, b'Content-Length: 2\\r\\n\\r\\n{}')\n"
    "    return original(self, *args)\n"
    "linting.Linter.check = noisy\n"
    "from dataplan_lint.lsp.server import serve\n"
    "serve()\n"
)


noisy_client = scripted_client(NOISY_SERVER, "noisy_client")


async def test_output_printed_while_checking_cannot_corrupt_the_protocol(
    noisy_client: RecordingClient, tmp_path: Path
) -> None:
    # Whatever writes to stdout (a print, a child process on descriptor 1) lands on
    # stderr; the client still reads well-formed messages only.
    assert summary(await open_document(noisy_client, bad_plan(tmp_path))) == PLANTED
