"""Code actions end to end: a finding's fix, fix all, suppress with a reason.

The main flow is the one an editor goes through: open a bad plan, get diagnostics, ask
for the actions at a diagnostic, resolve the chosen one, apply its edit to the text,
send the new text, and see that finding gone.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from lsp.helpers import (
    RecordingClient,
    apply_edits,
    bad_plan,
    change_and_publish,
    document,
    open_document,
    summary,
    workspace_edits,
)
from lsp.test_diagnostics import PLANTED

pytestmark = pytest.mark.asyncio

FIX_ALL = "source.fixAll.dataplan-lint"


async def actions_at(
    client: RecordingClient,
    path: Path,
    where: types.Range,
    diagnostics: list[types.Diagnostic],
    only: list[str] | None = None,
) -> list[types.CodeAction]:
    found = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=document(path),
            range=where,
            context=types.CodeActionContext(diagnostics=diagnostics, only=only),
        )
    )
    assert found is not None
    assert all(isinstance(action, types.CodeAction) for action in found)
    return [action for action in found if isinstance(action, types.CodeAction)]


def titled(actions: list[types.CodeAction], title: str) -> types.CodeAction:
    matching = [action for action in actions if action.title == title]
    assert len(matching) == 1, [action.title for action in actions]
    return matching[0]


async def resolved_edits(
    client: RecordingClient, action: types.CodeAction, path: Path, version: int
) -> list[types.TextEdit]:
    assert action.edit is None  # the client resolves it: made only when chosen
    done = await client.code_action_resolve_async(action)
    edit_version, edits = workspace_edits(done.edit, path.as_uri())
    assert edit_version == version
    return edits


def span(edit: types.TextEdit) -> tuple[int, int, int, int]:
    start, end = edit.range.start, edit.range.end
    return (start.line, start.character, end.line, end.character)


async def test_fix_a_finding_then_it_is_gone(client: RecordingClient, tmp_path: Path) -> None:
    path = bad_plan(tmp_path)
    text = path.read_text(encoding="utf-8")
    found = await open_document(client, path)
    assert summary(found) == PLANTED
    unknown = found[1]

    actions = await actions_at(client, path, unknown.range, [unknown])

    assert [(action.title, action.kind, action.is_preferred) for action in actions] == [
        ("Fix DP011: rename `ownr` to `owner`", types.CodeActionKind.QuickFix, True),
        ("Suppress DP011 with a reason", types.CodeActionKind.QuickFix, None),
        ("Fix all dataplan-lint safe fixes", FIX_ALL, None),
    ]
    assert actions[0].diagnostics is not None
    assert [item.code for item in actions[0].diagnostics] == ["DP011"]
    edits = await resolved_edits(client, actions[0], path, 1)
    assert [(span(edit), edit.new_text) for edit in edits] == [
        ((7, 0, 8, 0), "  owner: team-web-analytics\n")
    ]
    text = apply_edits(text, edits)
    assert summary(await change_and_publish(client, path, text, 2)) == PLANTED[2:]

    quantity = client.diagnostics[path.as_uri()][0]
    actions = await actions_at(client, path, quantity.range, [quantity])
    fix = titled(actions, "Fix DP015: set `event_semantics.watermark.delay` to `15m`")
    edits = await resolved_edits(client, fix, path, 2)
    assert [(span(edit), edit.new_text) for edit in edits] == [
        ((114, 0, 115, 0), "    delay: 15m\n")
    ]
    assert summary(await change_and_publish(client, path, apply_edits(text, edits), 3)) == [
        ("DP301", (114, 11, 114, 14))  # 15m really is longer than the SLO allows
    ]


async def test_fix_all_applies_every_safe_fix(client: RecordingClient, tmp_path: Path) -> None:
    path = bad_plan(tmp_path)
    text = path.read_text(encoding="utf-8")
    await open_document(client, path)
    nowhere = types.Range(
        start=types.Position(line=0, character=0), end=types.Position(line=0, character=0)
    )

    actions = await actions_at(client, path, nowhere, [], only=["source.fixAll"])

    assert [(action.title, action.kind) for action in actions] == [
        ("Fix all dataplan-lint safe fixes", FIX_ALL)
    ]
    fixed = apply_edits(text, await resolved_edits(client, actions[0], path, 1))
    assert fixed == text.replace("ownr:", "owner:").replace("delay: 15 minutes", "delay: 15m")
    assert summary(await change_and_publish(client, path, fixed, 2)) == [
        ("DP301", (114, 11, 114, 14))
    ]


async def test_an_unsafe_fix_is_offered_saying_so_and_never_preferred(
    client: RecordingClient, tmp_path: Path
) -> None:
    path = bad_plan(tmp_path)
    text = path.read_text(encoding="utf-8").replace("avg_eps: 5787", "avg_eps: 9000")
    found = await open_document(client, path, text)
    declared = next(item for item in found if item.code == "DP401")

    actions = await actions_at(client, path, declared.range, [declared])

    unsafe = titled(
        actions,
        "Fix DP401 (unsafe: it changes what the plan claims): set "
        "`capacity.declared.avg_eps` to `5787`",
    )
    assert unsafe.is_preferred is False
    edits = await resolved_edits(client, unsafe, path, 1)
    assert [(span(edit), edit.new_text) for edit in edits] == [
        ((186, 0, 187, 0), "    avg_eps: 5787\n")
    ]
    fix_all = titled(actions, "Fix all dataplan-lint safe fixes")
    everything = apply_edits(text, await resolved_edits(client, fix_all, path, 1))
    assert "avg_eps: 9000" in everything  # fix all leaves the unsafe fix alone


async def test_suppress_inserts_the_comment_above_at_the_finding_indentation(
    client: RecordingClient, tmp_path: Path
) -> None:
    path = bad_plan(tmp_path)
    text = path.read_text(encoding="utf-8")
    found = await open_document(client, path)

    actions = await actions_at(client, path, found[2].range, [found[2]])
    edits = await resolved_edits(client, titled(actions, "Suppress DP015 with a reason"), path, 1)

    assert [(span(edit), edit.new_text) for edit in edits] == [
        ((114, 0, 114, 0), "    # dataplan-lint: disable=DP015 -- \n")
    ]
    text = apply_edits(text, edits)
    # Suppressed; the comment still wants its reason (DP018) until one is written.
    assert summary(await change_and_publish(client, path, text, 2)) == [
        *PLANTED[:2],
        ("DP018", (114, 4, 114, 5)),
    ]
    text = text.replace("disable=DP015 -- \n", "disable=DP015 -- the collector sends it\n")
    assert summary(await change_and_publish(client, path, text, 3)) == PLANTED[:2]


async def test_suppress_adds_to_a_comment_that_already_applies_to_the_line(
    client: RecordingClient, tmp_path: Path
) -> None:
    path = bad_plan(tmp_path)
    text = path.read_text(encoding="utf-8").replace(
        "\n  ownr:", "\n  # dataplan-lint: disable=DP301 -- agreed with SRE\n  ownr:"
    )
    found = await open_document(client, path, text)
    unknown = next(item for item in found if item.code == "DP011")

    actions = await actions_at(client, path, unknown.range, [unknown])
    edits = await resolved_edits(client, titled(actions, "Suppress DP011 with a reason"), path, 1)

    assert [(span(edit), edit.new_text) for edit in edits] == [((7, 32, 7, 32), ",DP011")]
    assert apply_edits(text, edits).splitlines()[7] == (
        "  # dataplan-lint: disable=DP301,DP011 -- agreed with SRE"
    )


async def test_no_actions_for_a_stale_version_or_a_file_that_is_not_a_plan(
    client: RecordingClient, tmp_path: Path
) -> None:
    path = bad_plan(tmp_path)
    text = path.read_text(encoding="utf-8")
    found = await open_document(client, path)
    actions = await actions_at(client, path, found[1].range, [found[1]])
    await change_and_publish(client, path, text.replace("ownr:", "owner:"), 2)

    stale = await client.code_action_resolve_async(actions[0])
    other = tmp_path / "values.yaml"
    await open_document(client, other, "ownr: x\n")
    none = await actions_at(client, other, found[1].range, [])

    assert stale.edit is None
    assert none == []


async def test_a_client_that_cannot_resolve_gets_the_edits_with_the_list(
    plain_client: RecordingClient, tmp_path: Path
) -> None:
    path = bad_plan(tmp_path)
    text = path.read_text(encoding="utf-8")
    found = await open_document(plain_client, path)

    actions = await actions_at(plain_client, path, found[1].range, [found[1]])
    on_save = await actions_at(plain_client, path, found[1].range, [], only=["source"])

    assert [action.title for action in actions] == [
        "Fix DP011: rename `ownr` to `owner`",
        "Suppress DP011 with a reason",
    ]  # fix all only when asked for by kind: it is the slow one
    edit = actions[0].edit
    assert edit is not None and edit.document_changes is None and edit.changes is not None
    assert [(span(item), item.new_text) for item in edit.changes[path.as_uri()]] == [
        ((7, 0, 8, 0), "  owner: team-web-analytics\n")
    ]
    assert [action.title for action in on_save] == ["Fix all dataplan-lint safe fixes"]
    assert on_save[0].edit is not None and on_save[0].edit.changes is not None
    fixed = apply_edits(text, on_save[0].edit.changes[path.as_uri()])
    assert fixed == text.replace("ownr:", "owner:").replace("delay: 15 minutes", "delay: 15m")


async def test_a_client_without_markdown_gets_plain_text_hovers(
    plain_client: RecordingClient, tmp_path: Path
) -> None:
    path = bad_plan(tmp_path)
    await open_document(plain_client, path)

    found = await plain_client.text_document_hover_async(
        types.HoverParams(
            text_document=document(path), position=types.Position(line=7, character=3)
        )
    )

    assert found is not None and isinstance(found.contents, types.MarkupContent)
    assert found.contents.kind == types.MarkupKind.PlainText
    assert found.contents.value.startswith(
        "DP011 unknown-key: unknown key 'ownr' in `metadata` (did you mean `owner`?)\n\n"
        "DP011 unknown-key\n\nfile check - schema - default severity error\n"
    )


async def test_fixes_keep_crlf_line_ends(client: RecordingClient, tmp_path: Path) -> None:
    path = bad_plan(tmp_path)
    text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
    found = await open_document(client, path, text)
    assert summary(found) == PLANTED

    fix = titled(
        await actions_at(client, path, found[1].range, [found[1]]),
        "Fix DP011: rename `ownr` to `owner`",
    )
    suppress = titled(
        await actions_at(client, path, found[2].range, [found[2]]),
        "Suppress DP015 with a reason",
    )

    assert [(span(edit), edit.new_text) for edit in await resolved_edits(client, fix, path, 1)] == [
        ((7, 0, 8, 0), "  owner: team-web-analytics\r\n")
    ]
    edits = await resolved_edits(client, suppress, path, 1)
    assert [edit.new_text for edit in edits] == ["    # dataplan-lint: disable=DP015 -- \r\n"]
