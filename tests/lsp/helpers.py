"""Driving `dataplan-lint server` with pytest-lsp: a real client, the real server over
stdio, and the few helpers the tests share (plans to open, edits to apply)."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features
from pytest_lsp.protocol import LanguageClientProtocol

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "clickstream-sessions" / "dataplan.yaml"
TIMEOUT = 20.0


class RecordingClient(LanguageClient):
    """pytest-lsp's client, also keeping every publishDiagnostics with its version."""

    published: list[types.PublishDiagnosticsParams]
    registrations: list[types.Registration]


def make_client() -> RecordingClient:
    from pygls.protocol import default_converter

    client = RecordingClient(
        protocol_cls=LanguageClientProtocol, converter_factory=default_converter
    )
    client.published = []
    client.registrations = []

    def register(client: RecordingClient, params: types.RegistrationParams) -> None:
        client.registrations.extend(params.registrations)

    def publish(client: RecordingClient, params: types.PublishDiagnosticsParams) -> None:
        client.diagnostics[params.uri] = params.diagnostics
        client.published.append(params)

    features = dict(DEFAULT_CLIENT_FEATURES)
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = publish
    features[types.CLIENT_REGISTER_CAPABILITY] = register
    register_lsp_features(client, features)
    return client


SERVER = ClientServerConfig(
    server_command=[sys.executable, "-m", "dataplan_lint", "server"],
    client_factory=make_client,
)


def bad_plan(folder: Path, name: str = "dataplan.yaml") -> Path:
    """The clickstream example with a misspelt key and a spelled-out unit planted."""
    text = EXAMPLE.read_text(encoding="utf-8")
    assert "\n  owner: team-web-analytics\n" in text and "\n    delay: 30s\n" in text
    text = text.replace("\n  owner: team-web-analytics\n", "\n  ownr: team-web-analytics\n", 1)
    text = text.replace("\n    delay: 30s\n", "\n    delay: 15 minutes\n", 1)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


async def open_document(
    client: RecordingClient, path: Path, text: str | None = None, version: int = 1
) -> list[types.Diagnostic]:
    """didOpen, then the diagnostics published for that version."""
    uri = path.as_uri()
    body = path.read_text(encoding="utf-8") if text is None else text
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="yaml", version=version, text=body
            )
        )
    )
    return await published(client, uri, version)


def change_document(client: RecordingClient, path: Path, text: str, version: int) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=path.as_uri(), version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def change_and_publish(
    client: RecordingClient, path: Path, text: str, version: int
) -> list[types.Diagnostic]:
    """didChange to `text` as `version`, then the diagnostics published for that version
    after the change (never a publication received before it)."""
    start = len(client.published)
    change_document(client, path, text, version)
    return await published(client, path.as_uri(), version, start)


def document(path: Path) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=path.as_uri())


def save_document(client: RecordingClient, path: Path) -> None:
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=document(path)))


async def published(
    client: RecordingClient,
    uri: str,
    version: int | None,
    after: int = 0,
) -> list[types.Diagnostic]:
    """The diagnostics of the first publication for `uri` at `version` (any version when
    None) among those received from index `after` on."""
    found = await wait_for(
        lambda: next(
            (
                item
                for item in client.published[after:]
                if item.uri == uri and (version is None or item.version == version)
            ),
            None,
        )
    )
    return list(found.diagnostics)


async def wait_for(probe: Callable[[], Any], timeout: float = TIMEOUT) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value is not None:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("the server did not answer in time")
        await asyncio.sleep(0.02)


def summary(found: Sequence[types.Diagnostic]) -> list[tuple[str, tuple[int, int, int, int]]]:
    """(code, (start line, start character, end line, end character)) of each diagnostic."""
    return [
        (
            str(item.code),
            (
                item.range.start.line,
                item.range.start.character,
                item.range.end.line,
                item.range.end.character,
            ),
        )
        for item in found
    ]


def offset(text: str, position: types.Position) -> int:
    """The index into `text` of an LSP position (UTF-16 columns; LF, CRLF, CR lines)."""
    index = 0
    for _ in range(position.line):
        newline = min(
            (found for found in (text.find("\n", index), text.find("\r", index)) if found >= 0),
            default=-1,
        )
        if newline < 0:
            return len(text)
        index = newline + (2 if text.startswith("\r\n", newline) else 1)
    units = 0
    while index < len(text) and units < position.character and text[index] not in "\r\n":
        units += 2 if ord(text[index]) > 0xFFFF else 1
        index += 1
    return index


def apply_edits(text: str, edits: Sequence[types.TextEdit]) -> str:
    """`text` with LSP text edits applied (as an editor applies them: all at once)."""
    spans = sorted(
        (
            (offset(text, edit.range.start), offset(text, edit.range.end), edit.new_text)
            for edit in edits
        ),
        reverse=True,
    )
    for start, end, new in reversed(spans):
        text = text[:start] + new + text[end:]
    return text


def workspace_edits(
    edit: types.WorkspaceEdit | None, uri: str
) -> tuple[int | None, list[types.TextEdit]]:
    """The version and text edits a workspace edit makes to `uri`."""
    assert edit is not None and edit.document_changes is not None
    out: list[types.TextEdit] = []
    version: int | None = None
    for change in edit.document_changes:
        assert isinstance(change, types.TextDocumentEdit)
        assert change.text_document.uri == uri
        version = change.text_document.version
        out += [item for item in change.edits if isinstance(item, types.TextEdit)]
    return version, out
