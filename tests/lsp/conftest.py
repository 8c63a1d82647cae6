"""A pytest-lsp client talking to `python -m dataplan_lint server` over stdio."""

from __future__ import annotations

import sys

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig

from lsp.helpers import SERVER, RecordingClient, make_client

# What the tests' client says it can do: documentChanges in workspace edits (so edits
# carry the document's version), code action literals and hover in Markdown.
CAPABILITIES = types.ClientCapabilities(
    workspace=types.WorkspaceClientCapabilities(
        workspace_edit=types.WorkspaceEditClientCapabilities(document_changes=True),
        did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(
            dynamic_registration=True
        ),
    ),
    text_document=types.TextDocumentClientCapabilities(
        synchronization=types.TextDocumentSyncClientCapabilities(did_save=True),
        publish_diagnostics=types.PublishDiagnosticsClientCapabilities(
            related_information=True, version_support=True, code_description_support=True
        ),
        hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.Markdown]),
        code_action=types.CodeActionClientCapabilities(
            code_action_literal_support=types.ClientCodeActionLiteralOptions(
                code_action_kind=types.ClientCodeActionKindOptions(
                    value_set=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll]
                )
            ),
            is_preferred_support=True,
            data_support=True,
            resolve_support=types.ClientCodeActionResolveOptions(properties=["edit"]),
        ),
    ),
)


@pytest_lsp.fixture(config=SERVER)
async def client(lsp_client: RecordingClient):  # type: ignore[no-untyped-def]
    await lsp_client.initialize_session(types.InitializeParams(capabilities=CAPABILITIES))
    yield
    await lsp_client.shutdown_session()


# A client that takes a code action's edit with the list (no codeAction/resolve) and
# plain `changes` in workspace edits (no document versions): Markdown-less, too.
PLAIN_CAPABILITIES = types.ClientCapabilities(
    text_document=types.TextDocumentClientCapabilities(
        hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.PlainText]),
        code_action=types.CodeActionClientCapabilities(
            code_action_literal_support=types.ClientCodeActionLiteralOptions(
                code_action_kind=types.ClientCodeActionKindOptions(
                    value_set=[types.CodeActionKind.QuickFix, types.CodeActionKind.SourceFixAll]
                )
            )
        ),
    ),
)


def scripted_client(script: str, name: str):  # type: ignore[no-untyped-def]
    """A client fixture named `name`, talking to a server run as `python -c script` (a
    server with one piece replaced, to stand in for a misbehaving check)."""
    config = ClientServerConfig(
        server_command=[sys.executable, "-c", script], client_factory=make_client
    )

    @pytest_lsp.fixture(config=config, name=name)
    async def started(lsp_client: RecordingClient):  # type: ignore[no-untyped-def]
        await lsp_client.initialize_session(types.InitializeParams(capabilities=CAPABILITIES))
        yield
        await lsp_client.shutdown_session()

    return started


@pytest_lsp.fixture(config=SERVER)
async def plain_client(lsp_client: RecordingClient):  # type: ignore[no-untyped-def]
    await lsp_client.initialize_session(types.InitializeParams(capabilities=PLAIN_CAPABILITIES))
    yield
    await lsp_client.shutdown_session()
