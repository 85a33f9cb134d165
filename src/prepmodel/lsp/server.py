"""`prep lsp`: the language server, on pygls. Each handler is a line or two that finds the
document and calls a pure function of :mod:`prepmodel.lsp` (positions in, LSP data out).

Diagnostics are published when a document opens, and after each change once the typing
has paused for ``debounce_ms`` (``initializationOptions``; 150 ms unless set). Requests
always see the current text: a document is analysed when a request needs a version that
has not been analysed yet. A handler that fails answers with an error and logs it; the
server goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
from collections.abc import Iterator

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

from prepmodel import __version__
from prepmodel.lsp import actions, completion, hover, navigation, outline
from prepmodel.lsp.diagnostics import by_file, to_lsp
from prepmodel.lsp.documents import Document, Project, shown_path
from prepmodel.lsp.workspace import project_documents

DEBOUNCE_MS = 150
#: Seconds without an analysis after which the collector looks at everything once.
SWEEP_AFTER_S = 3.0
log = logging.getLogger("prepmodel.lsp")


class PrepServer(LanguageServer):
    """The pygls server with the open documents and the pending diagnostics."""

    def __init__(self) -> None:
        super().__init__("prep", __version__)
        self.project = Project()
        self.debounce = DEBOUNCE_MS / 1000
        self.pending: dict[str, asyncio.TimerHandle] = {}
        self.told: set[str] = set()  # settings problems already shown to the user
        self.sent_for: dict[str, set[str]] = {}  # URI -> imported files it published to
        self.sweep: asyncio.TimerHandle | None = None  # the collector's pending sweep

    def document(self, uri: str) -> Document:
        """The analysed document for the client's current text of ``uri``."""
        text_document = self.workspace.get_text_document(uri)
        buffers = {u: d.source for u, d in self.workspace.text_documents.items()}
        document = self.project.update(uri, text_document.source, text_document.version, buffers)
        if "analysis" not in document.__dict__:
            with self.quiet_collector():
                document.analysis  # noqa: B018 - made here, with the collector held off
        return document

    @contextlib.contextmanager
    def quiet_collector(self) -> Iterator[None]:
        """Hold the garbage collector off while a version is analysed, then freeze what
        exists (``gc.freeze``), and sweep once the edits pause.

        An analysis makes a few hundred thousand objects that live until the next version
        (the model, its syntax tree, the graph): with the collector on, a full collection
        traversed all of them (and the previous version's) in the middle of an edit, up to
        100 ms. Frozen objects are still freed by reference counting when the next version
        replaces them; only garbage in reference cycles (a few hundred small objects per
        analysis) waits for the sweep, which unfreezes and collects everything once no
        analysis has run for ``SWEEP_AFTER_S``."""
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            yield
        finally:
            gc.freeze()
            if was_enabled:
                gc.enable()
            self.schedule_sweep()

    def schedule_sweep(self) -> None:
        if self.sweep is not None:
            self.sweep.cancel()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # not inside the server's loop (a direct call): sweep now
            self.sweep = None
            sweep()
            return
        self.sweep = loop.call_later(SWEEP_AFTER_S, sweep)

    def publish(self, uri: str) -> None:
        """Analyse ``uri`` now and send its diagnostics. They are grouped by the file they
        name: this file's go to ``uri``; those in a file its imports read go to that file's
        URI, unless that file is open (it then publishes its own)."""
        self.pending.pop(uri, None)
        if uri not in self.workspace.text_documents:
            return
        with self.quiet_collector():
            self._publish(uri)

    def _publish(self, uri: str) -> None:
        try:
            document = self.document(uri)
            grouped = by_file(document.analysis.diagnostics)
            lang = document.language
            items = [to_lsp(d, document.lines, lang) for d in grouped.pop(shown_path(uri), [])]
            others = {
                document.uri_of(file): [to_lsp(d, document.lines_of(file), lang) for d in found]
                for file, found in grouped.items()
            }
        except Exception:  # a bug must not take the editor's diagnostics down with it
            log.exception("checking %s failed", uri)
            return
        for problem in sorted(self.project.config_problems.values()):
            if problem not in self.told:  # once, not at every keystroke
                self.told.add(problem)
                self.window_show_message(
                    lsp.ShowMessageParams(type=lsp.MessageType.Warning, message=problem)
                )
        self.project.config_problems.clear()
        self.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, diagnostics=items, version=document.version)
        )
        self.publish_imported(uri, others)

    def publish_imported(self, uri: str, others: dict[str, list[lsp.Diagnostic]]) -> None:
        """Send what ``uri``'s analysis found in the files it imports to their URIs (files
        open in the editor publish their own), and clear what it sent before and no more
        finds."""
        before = self.sent_for.get(uri, set())
        sent = set()
        for other, items in sorted(others.items()):
            if other in self.workspace.text_documents:
                continue
            sent.add(other)
            self.text_document_publish_diagnostics(
                lsp.PublishDiagnosticsParams(uri=other, diagnostics=items)
            )
        for other in sorted(before - sent):
            if other not in self.workspace.text_documents:
                self.text_document_publish_diagnostics(
                    lsp.PublishDiagnosticsParams(uri=other, diagnostics=[])
                )
        self.sent_for[uri] = sent

    def recheck_importers(self, uri: str) -> None:
        """``uri`` changed, opened or closed: check the open documents importing it again."""
        for other in self.project.importers(uri):
            self.schedule(other)

    def schedule(self, uri: str) -> None:
        """Publish ``uri``'s diagnostics once the edits have paused."""
        handle = self.pending.pop(uri, None)
        if handle is not None:
            handle.cancel()
        loop = asyncio.get_running_loop()
        self.pending[uri] = loop.call_later(self.debounce, self.publish, uri)


def sweep() -> None:
    """Collect everything, frozen objects included: the cycles earlier versions left."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


server = PrepServer()


@server.feature(lsp.INITIALIZE)
def initialize(ls: PrepServer, params: lsp.InitializeParams) -> None:
    options = params.initialization_options
    if isinstance(options, dict):
        debounce = options.get("debounceMs", options.get("debounce_ms"))
        if isinstance(debounce, int | float) and 0 <= debounce <= 10_000:
            ls.debounce = debounce / 1000
    encoding = ls.workspace.position_encoding
    if isinstance(encoding, lsp.PositionEncodingKind):
        ls.project.encoding = encoding.value
    elif encoding:
        ls.project.encoding = encoding


@server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: PrepServer, params: lsp.DidOpenTextDocumentParams) -> None:
    ls.publish(params.text_document.uri)
    ls.recheck_importers(params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: PrepServer, params: lsp.DidChangeTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri)
    ls.recheck_importers(params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: PrepServer, params: lsp.DidSaveTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri)
    ls.recheck_importers(params.text_document.uri)


@server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: PrepServer, params: lsp.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    handle = ls.pending.pop(uri, None)
    if handle is not None:
        handle.cancel()
    ls.project.close(uri)
    ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
    ls.publish_imported(uri, {})  # what it found in its imports goes with it
    ls.recheck_importers(uri)  # they read the file from the disk again


@server.feature(lsp.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def watched_files_changed(ls: PrepServer, params: lsp.DidChangeWatchedFilesParams) -> None:
    """A prep.toml or pyproject.toml changed: check every open document again."""
    for uri in list(ls.project.documents):
        ls.project.close(uri)
        ls.schedule(uri)


@server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
def definition(ls: PrepServer, params: lsp.DefinitionParams) -> list[lsp.Location]:
    return navigation.definition(ls.document(params.text_document.uri), params.position)


@server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
def references(ls: PrepServer, params: lsp.ReferenceParams) -> list[lsp.Location]:
    document = ls.document(params.text_document.uri)
    return navigation.references(document, params.position, params.context.include_declaration)


@server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_HIGHLIGHT)
def document_highlight(
    ls: PrepServer, params: lsp.DocumentHighlightParams
) -> list[lsp.DocumentHighlight]:
    return navigation.highlights(ls.document(params.text_document.uri), params.position)


@server.feature(lsp.TEXT_DOCUMENT_PREPARE_RENAME)
def prepare_rename(
    ls: PrepServer, params: lsp.PrepareRenameParams
) -> lsp.PrepareRenamePlaceholder | None:
    try:
        return navigation.prepare_rename(ls.document(params.text_document.uri), params.position)
    except navigation.RenameRefused:
        return None


@server.feature(lsp.TEXT_DOCUMENT_RENAME)
def rename(ls: PrepServer, params: lsp.RenameParams) -> lsp.WorkspaceEdit:
    document = ls.document(params.text_document.uri)
    try:
        return navigation.rename(document, params.position, params.new_name)
    except navigation.RenameRefused as refused:
        from pygls.exceptions import JsonRpcInvalidParams

        raise JsonRpcInvalidParams(str(refused)) from None


@server.feature(lsp.TEXT_DOCUMENT_HOVER)
def on_hover(ls: PrepServer, params: lsp.HoverParams) -> lsp.Hover | None:
    return hover.hover(ls.document(params.text_document.uri), params.position)


@server.feature(
    lsp.TEXT_DOCUMENT_COMPLETION,
    lsp.CompletionOptions(trigger_characters=[" ", ",", ":", '"']),
)
def complete(ls: PrepServer, params: lsp.CompletionParams) -> lsp.CompletionList:
    return completion.complete(ls.document(params.text_document.uri), params.position)


@server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
def document_symbols(
    ls: PrepServer, params: lsp.DocumentSymbolParams
) -> list[lsp.DocumentSymbol] | list[lsp.SymbolInformation]:
    document = ls.document(params.text_document.uri)
    symbols = outline.document_symbols(document)
    capabilities = ls.client_capabilities.text_document
    hierarchical = (
        capabilities is not None
        and capabilities.document_symbol is not None
        and capabilities.document_symbol.hierarchical_document_symbol_support
    )
    return symbols if hierarchical else outline.flatten(document.uri, symbols)


@server.feature(lsp.WORKSPACE_SYMBOL)
def workspace_symbols(
    ls: PrepServer, params: lsp.WorkspaceSymbolParams
) -> list[lsp.WorkspaceSymbol]:
    return outline.workspace_symbols(project_documents(ls), params.query)


@server.feature(lsp.TEXT_DOCUMENT_FOLDING_RANGE)
def folding_ranges(ls: PrepServer, params: lsp.FoldingRangeParams) -> list[lsp.FoldingRange]:
    return outline.folding_ranges(ls.document(params.text_document.uri))


@server.feature(lsp.TEXT_DOCUMENT_SEMANTIC_TOKENS_FULL, outline.LEGEND)
def semantic_tokens(ls: PrepServer, params: lsp.SemanticTokensParams) -> lsp.SemanticTokens:
    return outline.semantic_tokens(ls.document(params.text_document.uri))


@server.feature(lsp.TEXT_DOCUMENT_FORMATTING)
def formatting(ls: PrepServer, params: lsp.DocumentFormattingParams) -> list[lsp.TextEdit]:
    return actions.format_document(ls.document(params.text_document.uri))


@server.feature(lsp.TEXT_DOCUMENT_RANGE_FORMATTING)
def range_formatting(
    ls: PrepServer, params: lsp.DocumentRangeFormattingParams
) -> list[lsp.TextEdit]:
    return actions.format_range(ls.document(params.text_document.uri), params.range)


@server.feature(
    lsp.TEXT_DOCUMENT_CODE_ACTION,
    lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]),
)
def code_actions(ls: PrepServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    return actions.code_actions(ls.document(params.text_document.uri), params)


def run(*, log_file: str | None = None) -> None:
    """Serve over stdin/stdout until the client says exit."""
    import gc

    gc.enable()  # a long-running process: `prep` turns the collector off for one-shot runs
    if log_file:
        logging.basicConfig(filename=log_file, level=logging.INFO)
    server.start_io()
