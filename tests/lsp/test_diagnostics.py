"""Diagnostics end to end: what `check` finds, shown while the plan is edited."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsprotocol import types

from lsp.helpers import (
    RecordingClient,
    bad_plan,
    change_and_publish,
    change_document,
    document,
    open_document,
    published,
    save_document,
    summary,
)

pytestmark = pytest.mark.asyncio

PLANTED = [
    ("DP012", (5, 0, 5, 8)),  # `metadata` lacks `owner` (it is spelt `ownr`)
    ("DP011", (7, 2, 7, 6)),  # `ownr`
    ("DP015", (114, 11, 114, 21)),  # `15 minutes`
]
REFERENCE = "https://github.com/dataplan-lint/dataplan-lint/blob/main/references/plan-format.md"


async def test_open_shows_every_finding_with_its_place_code_and_page(
    client: RecordingClient, tmp_path: Path
) -> None:
    found = await open_document(client, bad_plan(tmp_path))

    assert summary(found) == PLANTED
    unknown = found[1]
    assert unknown.message == "unknown key 'ownr' in `metadata` (did you mean `owner`?)"
    assert unknown.severity == types.DiagnosticSeverity.Error
    assert unknown.source == "dataplan-lint"
    assert unknown.code_description is not None
    assert unknown.code_description.href == f"{REFERENCE}#unknown-key"
    assert found[2].code_description is not None
    assert found[2].code_description.href == f"{REFERENCE}#invalid-quantity"


async def test_the_text_in_the_editor_is_checked_not_the_file(
    client: RecordingClient, tmp_path: Path
) -> None:
    path = bad_plan(tmp_path)
    text = path.read_text(encoding="utf-8")
    await open_document(client, path)
    edited = text.replace("delay: 15 minutes", "delay: 30s")
    assert summary(await change_and_publish(client, path, edited, 2)) == PLANTED[:2]
    assert "15 minutes" in path.read_text(encoding="utf-8")  # nothing was saved


async def test_changes_are_debounced_and_the_latest_text_wins(
    client: RecordingClient, tmp_path: Path
) -> None:
    path = bad_plan(tmp_path)
    text = path.read_text(encoding="utf-8")
    await open_document(client, path)
    start = len(client.published)

    change_document(client, path, text.replace("delay: 15 minutes", "delay: 30s"), 2)
    change_document(client, path, text.replace("ownr:", "owner:"), 3)

    assert summary(await published(client, path.as_uri(), 3, start)) == PLANTED[2:]
    await asyncio.sleep(0.5)
    assert [item.version for item in client.published[start:]] == [3]


async def test_save_checks_again(client: RecordingClient, tmp_path: Path) -> None:
    path = bad_plan(tmp_path)
    await open_document(client, path)
    start = len(client.published)

    save_document(client, path)

    assert summary(await published(client, path.as_uri(), 1, start)) == PLANTED


async def test_a_yaml_file_that_is_not_a_plan_gets_no_diagnostics(
    client: RecordingClient, tmp_path: Path
) -> None:
    path = tmp_path / "values.yaml"
    path.write_text("ownr: x\ndelay: 15 minutes\n[unclosed\n", encoding="utf-8")

    assert await open_document(client, path) == []


async def test_malformed_yaml_is_one_positioned_diagnostic(
    client: RecordingClient, tmp_path: Path
) -> None:
    path = tmp_path / "broken.dataplan.yaml"
    path.write_text("apiVersion: dataplan/v1\nkind: [DataPlan\nmetadata: {}\n", encoding="utf-8")

    found = await open_document(client, path)

    assert [(item.code, item.severity) for item in found] == [
        ("DP001", types.DiagnosticSeverity.Error)
    ]
    assert found[0].message.startswith("invalid YAML: ")
    assert found[0].range.start.line == 2


async def test_configuration_changes_are_picked_up(client: RecordingClient, tmp_path: Path) -> None:
    path = bad_plan(tmp_path)
    await open_document(client, path)
    config = tmp_path / ".dataplan-lint.yaml"
    config.write_text("ignore: [DP015]\n", encoding="utf-8")
    start = len(client.published)

    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Created)]
        )
    )
    assert summary(await published(client, path.as_uri(), 1, start)) == PLANTED[:2]

    config.write_text("ignore: [unknown-key]\n", encoding="utf-8")
    start = len(client.published)
    save_document(client, config)
    assert summary(await published(client, path.as_uri(), 1, start)) == [PLANTED[0], PLANTED[2]]


async def test_a_configuration_error_is_shown_on_the_plan(
    client: RecordingClient, tmp_path: Path
) -> None:
    (tmp_path / ".dataplan-lint.yaml").write_text("selekt: [DP011]\n", encoding="utf-8")

    found = await open_document(client, bad_plan(tmp_path))

    assert [(item.code, item.range.start.line) for item in found] == [("config", 0)]
    assert "unknown key 'selekt'" in found[0].message
    assert "did you mean `select`?" in found[0].message


async def test_closing_clears_the_diagnostics(client: RecordingClient, tmp_path: Path) -> None:
    path = bad_plan(tmp_path)
    await open_document(client, path)
    start = len(client.published)

    client.text_document_did_close(types.DidCloseTextDocumentParams(text_document=document(path)))

    assert await published(client, path.as_uri(), None, start) == []


async def test_related_places_are_related_information(
    client: RecordingClient, tmp_path: Path
) -> None:
    path = bad_plan(tmp_path)
    text = path.read_text(encoding="utf-8").replace("delay: 15 minutes", "delay: 15m")

    found = await open_document(client, path, text)

    assert summary(found) == [*PLANTED[:2], ("DP301", (114, 11, 114, 14))]
    related = found[2].related_information
    assert related is not None and len(related) == 1
    assert related[0].message == "the freshness SLO"
    assert related[0].location.uri == path.as_uri()
    where = related[0].location.range
    assert (where.start.line, where.start.character, where.end.line, where.end.character) == (
        130,
        12,
        130,
        14,
    )
