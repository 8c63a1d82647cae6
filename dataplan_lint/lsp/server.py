"""The language server: pygls wiring around `linting`, `diagnostics`, `hover`, `actions`.

Documents are synchronised in full (the client sends the whole text on every change):
plans are small, and the server then never has to reproduce the client's line
splitting to apply an incremental edit. A change is checked 300 ms after the last
keystroke (the latest text wins); opening and saving check at once. Checks run one at
a time on a worker thread (lsp/worker.py), so the server keeps answering while a large
plan is checked; a check that runs longer than its budget (`server --check-timeout`) is
abandoned and the document gets one diagnostic saying so, never a hung server.

The protocol owns standard input and output: they are moved to descriptors of their own
before anything else runs, and descriptors 0 and 1 then lead to /dev/null and stderr, so
no check (a file symlinked to /dev/stdin or /proc/self/fd/0) or child process can read
the client's messages or write into the server's replies.

Every handler is guarded: an exception is logged (stderr and the client's log) and the
server goes on serving; a request then gets an empty answer.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, BinaryIO, TypeVar, cast
from urllib.parse import unquote

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from dataplan_lint import __version__
from dataplan_lint.lsp.actions import FIX_ALL
from dataplan_lint.lsp.diagnostics import diagnostics
from dataplan_lint.lsp.linting import Checked, Linter
from dataplan_lint.lsp.positions import Lines

NAME = "dataplan-lint"
DEBOUNCE_SECONDS = 0.3
CHECK_SECONDS = 30.0  # a check's budget (`server --check-timeout`)
CONFIG_GLOBS = ("**/.dataplan-lint.yaml", "**/.dataplan-lint.yml", "**/pyproject.toml")

logger = logging.getLogger("dataplan_lint.lsp")

Handler = TypeVar("Handler", bound=Callable[..., Awaitable[Any]])
T = TypeVar("T")


def uri_path(uri: str) -> Path | None:
    """The local file a document URI names (None for `untitled:` and other schemes)."""
    path = to_fs_path(uri)
    return Path(path) if path else None


class PlanServer(LanguageServer):
    """The server's state: the open documents' last checks and their pending re-checks."""

    def __init__(self, check_seconds: float = CHECK_SECONDS) -> None:
        from dataplan_lint.lsp.worker import CheckWorker

        super().__init__(NAME, __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full)
        self.linter = Linter()
        self.checked: dict[str, Checked] = {}
        self.pending: dict[str, asyncio.Task[None]] = {}
        # One check at a time, off the event loop: checks never overlap (the pipeline is
        # written for one run at a time), and the loop stays free to answer requests.
        self.worker = CheckWorker()
        self.check_seconds = check_seconds

    async def in_worker(self, fn: Callable[..., T], *args: Any) -> T:
        """`fn(*args)` on the check thread; TimeoutError when it overruns its budget."""
        return await self.worker.run(self.check_seconds, fn, *args)

    @property
    def encoding(self) -> str:
        return str(self.workspace.position_encoding or types.PositionEncodingKind.Utf16)

    @property
    def markdown_hover(self) -> bool:
        """Whether the client shows Markdown hovers (it says so, or says nothing)."""
        document = self.client_capabilities.text_document
        formats = document.hover.content_format if document and document.hover else None
        return not formats or types.MarkupKind.Markdown in formats

    @property
    def resolves_edits(self) -> bool:
        """Whether the client asks for a code action's edit only when it is chosen."""
        document = self.client_capabilities.text_document
        actions = document.code_action if document else None
        if actions is None or not actions.data_support or actions.resolve_support is None:
            return False
        return "edit" in actions.resolve_support.properties

    @property
    def versioned_edits(self) -> bool:
        """Whether the client takes edits tied to a document version (documentChanges)."""
        workspace = self.client_capabilities.workspace
        edits = workspace.workspace_edit if workspace else None
        return bool(edits and edits.document_changes)

    def lines(self, checked: Checked) -> Lines:
        return checked.lines(self.encoding)

    def open_text(self, uri: str) -> tuple[str, int | None] | None:
        """The text and version of an open document, None when it is not open."""
        document = self.workspace.text_documents.get(unquote(uri))
        if document is None:
            return None
        return document.source, document.version

    def log(self, level: types.MessageType, message: str) -> None:
        try:
            self.window_log_message(types.LogMessageParams(type=level, message=message))
        except Exception:  # the client is gone: stderr still has it
            logger.debug("could not send a log message to the client", exc_info=True)

    # ------------------------------------------------------------------ checking

    def schedule(self, uri: str, delay: float = 0.0) -> None:
        """Check the document `delay` seconds from now, replacing a check not yet started."""
        previous = self.pending.pop(uri, None)
        if previous is not None:
            previous.cancel()
        self.pending[uri] = asyncio.ensure_future(self._check_later(uri, delay))

    async def _check_later(self, uri: str, delay: float) -> None:
        task = asyncio.current_task()
        try:
            if delay:
                await asyncio.sleep(delay)
            checked = await self.current(uri)
            if checked is not None:
                self.publish(checked)
        except asyncio.CancelledError:
            raise
        except Exception:
            self.log(types.MessageType.Error, f"{NAME}: checking {uri} failed (see its log)")
            logger.exception("checking %s failed", uri)
        finally:
            if self.pending.get(uri) is task:
                del self.pending[uri]

    async def current(self, uri: str) -> Checked | None:
        """The check of the document's current text (checked now when the last check is
        of an older version); None when the document is not open."""
        opened = self.open_text(uri)
        if opened is None:
            return None
        text, version = opened
        known = self.checked.get(uri)
        if known is not None and known.version == version and known.text == text:
            return known
        path = uri_path(uri)
        try:
            checked = await self.in_worker(self.linter.check, uri, version, text, path)
        except TimeoutError:
            logger.warning("checking %s took over %s s; abandoned", uri, self.check_seconds)
            checked = Checked(uri, version, text, path, overran=self.check_seconds)
        if self.open_text(uri) != (text, version):
            return None  # closed or edited meanwhile: the newer text has its own check
        self.checked[uri] = checked
        return checked

    def publish(self, checked: Checked) -> None:
        found = diagnostics(checked, self.lines(checked)) if checked.is_plan else []
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=checked.uri, diagnostics=found, version=checked.version
            )
        )

    def recheck_all(self) -> None:
        """Forget the configuration and check every open document again."""
        self.linter.reload()
        self.checked.clear()
        for uri in list(self.workspace.text_documents):
            self.schedule(uri)

    def forget(self, uri: str) -> None:
        task = self.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        self.checked.pop(uri, None)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )

    def config_changed(self, uri: str) -> bool:
        path = uri_path(uri)
        return path is not None and self.linter.watches(path)


def guarded(default: Any) -> Callable[[Handler], Handler]:
    """Log a handler's exception and answer `default`, so one bad request or document
    never stops the server."""

    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def run(*args: Any, **kwargs: Any) -> Any:
            try:
                return await handler(*args, **kwargs)
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("%s failed", handler.__name__)
                server = args[0] if args else None
                if isinstance(server, PlanServer):
                    server.log(types.MessageType.Error, f"{NAME}: {handler.__name__} failed")
                return default

        return cast(Handler, run)

    return decorate


def build(check_seconds: float = CHECK_SECONDS) -> PlanServer:
    """A server with every feature registered."""
    server = PlanServer(check_seconds)

    @server.feature(types.INITIALIZED)
    @guarded(None)
    async def initialized(ls: PlanServer, params: types.InitializedParams) -> None:
        await _watch_config_files(ls)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    @guarded(None)
    async def did_open(ls: PlanServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    @guarded(None)
    async def did_change(ls: PlanServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, DEBOUNCE_SECONDS)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    @guarded(None)
    async def did_save(ls: PlanServer, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if ls.config_changed(uri):
            ls.recheck_all()
        else:  # afresh: files the plan names (schemas, dbt) may have been saved too
            ls.checked.pop(uri, None)
            ls.schedule(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    @guarded(None)
    async def did_close(ls: PlanServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.forget(params.text_document.uri)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    @guarded(None)
    async def watched_files(ls: PlanServer, params: types.DidChangeWatchedFilesParams) -> None:
        if any(ls.config_changed(change.uri) for change in params.changes):
            ls.recheck_all()

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    @guarded(None)
    async def hover(ls: PlanServer, params: types.HoverParams) -> types.Hover | None:
        from dataplan_lint.lsp.hover import hover

        checked = await ls.current(params.text_document.uri)
        if checked is None or not checked.is_plan:
            return None
        lines = ls.lines(checked)
        line, col = lines.from_client(params.position)
        return hover(checked, lines, line, col, ls.markdown_hover)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL], resolve_provider=True
        ),
    )
    @guarded([])
    async def code_action(ls: PlanServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        from dataplan_lint.lsp.actions import Wanted, code_actions

        checked = await ls.current(params.text_document.uri)
        if checked is None or not checked.is_plan:
            return []
        lines = ls.lines(checked)
        wanted = Wanted(
            lines.from_client(params.range.start),
            lines.from_client(params.range.end),
            params.context.only,
        )
        resolve, versioned = ls.resolves_edits, ls.versioned_edits
        return await ls.in_worker(
            functools.partial(
                code_actions, checked, lines, wanted, resolve=resolve, versioned=versioned
            )
        )

    @server.feature(types.CODE_ACTION_RESOLVE)
    @guarded(None)
    async def resolve_action(ls: PlanServer, action: types.CodeAction) -> types.CodeAction:
        from dataplan_lint.lsp.actions import edit_for

        data = action.data
        uri = data.get("uri") if isinstance(data, dict) else None
        checked = await ls.current(uri) if isinstance(uri, str) else None
        if checked is not None and checked.is_plan:
            action.edit = await ls.in_worker(
                functools.partial(
                    edit_for, checked, ls.lines(checked), data, versioned=ls.versioned_edits
                )
            )
        return action

    return server


async def _watch_config_files(ls: PlanServer) -> None:
    """Ask the client to report changes to configuration files, when it can."""
    workspace = ls.client_capabilities.workspace
    watched = workspace.did_change_watched_files if workspace else None
    if watched is None or not watched.dynamic_registration:
        return
    options = types.DidChangeWatchedFilesRegistrationOptions(
        watchers=[types.FileSystemWatcher(glob_pattern=glob) for glob in CONFIG_GLOBS]
    )
    registration = types.Registration(
        id=f"{NAME}-config-files",
        method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
        register_options=options,
    )
    await ls.client_register_capability_async(
        types.RegistrationParams(registrations=[registration])
    )


def serve(log_level: int = logging.WARNING, check_seconds: float = CHECK_SECONDS) -> None:
    """Serve over stdin/stdout until the client says exit."""
    logging.basicConfig(level=log_level, format="dataplan-lint server: %(levelname)s: %(message)s")
    protocol_in, protocol_out = _protocol_streams()
    server = build(check_seconds)
    try:
        server.start_io(protocol_in, protocol_out)
    finally:
        server.worker.shutdown(wait=False, cancel_futures=True)


def _protocol_streams() -> tuple[BinaryIO, BinaryIO]:
    """Standard input and output kept for the protocol alone.

    The streams the client talks on move to descriptors of their own; descriptor 0 (and
    `sys.stdin`) then reads /dev/null and descriptor 1 (and `sys.stdout`) leads to
    stderr. A check that opens /dev/stdin or /proc/self/fd/0 finds nothing to read,
    and nothing the process or a child prints can corrupt a message.
    """
    sys.stdout.flush()
    try:
        protocol_in = os.fdopen(os.dup(0), "rb")
        protocol_out = os.fdopen(os.dup(1), "wb")
        empty = os.open(os.devnull, os.O_RDONLY)
        os.dup2(empty, 0)
        os.close(empty)
        os.dup2(2, 1)
    except OSError:  # no descriptors to move (an embedded interpreter): keep the streams
        return sys.stdin.buffer, sys.stdout.buffer
    sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115, PTH123 (lives as long as the process)
    sys.stdout = sys.stderr
    return cast(BinaryIO, protocol_in), protocol_out
