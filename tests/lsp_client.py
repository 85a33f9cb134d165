"""Helpers for the end-to-end language-server tests: start `prep lsp` as a subprocess
with pytest-lsp's client, posing as a given editor, and drive documents through it."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

from lsprotocol import types as lsp
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

ROOT = Path(__file__).resolve().parents[1]
#: The clients the tests pose as: VS Code answers in UTF-16 only; Neovim 0.11 offers
#: UTF-8 first, so the server must speak UTF-8 to it.
EDITORS = {"vscode": "visual-studio-code", "neovim": "neovim@v0.11.0"}


def server_command() -> list[str]:
    """The installed `prep lsp`, or `python -m prepmodel lsp` beside the test interpreter."""
    script = Path(sys.executable).with_name("prep")
    if script.is_file():
        return [str(script), "lsp"]
    found = shutil.which("prep")
    return [found, "lsp"] if found else [sys.executable, "-m", "prepmodel", "lsp"]


def _published(client: LanguageClient, params: lsp.PublishDiagnosticsParams) -> None:
    """pytest-lsp's handler, plus the version each document's diagnostics are for."""
    client.diagnostics[params.uri] = params.diagnostics
    client.published_versions[params.uri] = params.version  # type: ignore[attr-defined]


def make_client() -> LanguageClient:
    client = LanguageClient(converter_factory=default_converter)
    features = {**DEFAULT_CLIENT_FEATURES, lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS: _published}
    register_lsp_features(client, features)
    client.published_versions = {}  # type: ignore[attr-defined]
    return client


def server_env() -> dict[str, str]:
    """The server's environment: this one with a locale that names no language, so that
    messages follow each model's ``lang`` (then its names), as `prep check` run by the
    tests does, whatever the locale of the machine running them."""
    base = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    return {**base, "LANG": "C.UTF-8"}


CONFIG = ClientServerConfig(
    server_command=server_command(), client_factory=make_client, server_env=server_env()
)


async def diagnostics_for(
    client: LanguageClient, uri: str, version: int, timeout: float = 20
) -> list[lsp.Diagnostic]:
    """The diagnostics the server published for ``version`` of ``uri`` (waits for them)."""
    versions: dict[str, int | None] = client.published_versions  # type: ignore[attr-defined]
    for _ in range(int(timeout / 0.005)):
        if versions.get(uri) == version:
            return list(client.diagnostics[uri])
        await asyncio.sleep(0.005)
    raise AssertionError(f"no diagnostics for version {version} of {uri}")


async def start(client: LanguageClient, editor: str, root: Path, debounce_ms: int = 20) -> None:
    """Initialize as ``editor``; the server's answer is kept on the client (``answer``)."""
    client.answer = await client.initialize_session(  # type: ignore[attr-defined]
        lsp.InitializeParams(
            capabilities=client_capabilities(EDITORS[editor]),
            root_uri=root.as_uri(),
            workspace_folders=[lsp.WorkspaceFolder(uri=root.as_uri(), name=root.name)],
            initialization_options={"debounceMs": debounce_ms},
        )
    )


def units(text: str, encoding: str) -> int:
    """The length of ``text`` in the client's units."""
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    if encoding == "utf-16":
        return len(text.encode("utf-16-le")) // 2
    return len(text)


class Editor:
    """One client session: open, change and query documents as an editor does."""

    def __init__(self, client: LanguageClient) -> None:
        self.client = client
        self.versions: dict[str, int] = {}
        self.texts: dict[str, str] = {}

    @property
    def encoding(self) -> str:
        answer: lsp.InitializeResult = self.client.answer  # type: ignore[attr-defined]
        encoding = answer.capabilities.position_encoding
        return str(encoding.value if hasattr(encoding, "value") else encoding or "utf-16")

    def position(self, uri: str, line: int, before: str) -> lsp.Position:
        """The position on 0-based ``line`` right after the text ``before`` (which must
        start the line), in the negotiated encoding."""
        text = self.texts[uri].split("\n")[line]
        assert text.startswith(before), (text, before)
        return lsp.Position(line=line, character=units(before, self.encoding))

    def find(self, uri: str, needle: str, occurrence: int = 0, offset: int = 0) -> lsp.Position:
        """The position of the ``occurrence``-th ``needle`` in the document (plus
        ``offset`` characters), in the negotiated encoding."""
        text = self.texts[uri]
        at = -1
        for _ in range(occurrence + 1):
            at = text.index(needle, at + 1)
        at += offset
        line = text.count("\n", 0, at)
        start = text.rfind("\n", 0, at) + 1
        return lsp.Position(line=line, character=units(text[start:at], self.encoding))

    async def diagnostics_after(self, action: Callable[[], None], uri: str) -> list[lsp.Diagnostic]:
        """Run ``action`` (which sends a notification) and wait for the diagnostics the
        server publishes for the document's version after it."""
        action()
        return await diagnostics_for(self.client, uri, self.versions[uri])

    async def open(self, path: Path, text: str | None = None) -> list[lsp.Diagnostic]:
        uri = path.as_uri()
        self.texts[uri] = text if text is not None else path.read_text(encoding="utf-8")
        self.versions[uri] = 1

        def send() -> None:
            self.client.text_document_did_open(
                lsp.DidOpenTextDocumentParams(
                    text_document=lsp.TextDocumentItem(
                        uri=uri, language_id="prep", version=1, text=self.texts[uri]
                    )
                )
            )

        return await self.diagnostics_after(send, uri)

    def change(self, uri: str, start: lsp.Position, end: lsp.Position, new_text: str) -> None:
        """An incremental edit, as editors send it; the local copy is edited too."""
        self.versions[uri] += 1
        self.client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(
                text_document=lsp.VersionedTextDocumentIdentifier(
                    uri=uri, version=self.versions[uri]
                ),
                content_changes=[
                    lsp.TextDocumentContentChangePartial(
                        range=lsp.Range(start=start, end=end), text=new_text
                    )
                ],
            )
        )
        self.texts[uri] = apply_edit(self.texts[uri], start, end, new_text, self.encoding)

    def close(self, uri: str) -> None:
        self.client.text_document_did_close(
            lsp.DidCloseTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=uri))
        )


def _offset(text: str, position: lsp.Position, encoding: str) -> int:
    lines = text.split("\n")
    start = sum(len(line) + 1 for line in lines[: position.line])
    line = lines[position.line] if position.line < len(lines) else ""
    count = 0
    for index, char in enumerate(line):
        if count >= position.character:
            return start + index
        count += units(char, encoding)
    return start + len(line)


def apply_edit(
    text: str, start: lsp.Position, end: lsp.Position, new_text: str, encoding: str
) -> str:
    """``text`` with the range replaced, positions read in ``encoding``."""
    a = _offset(text, start, encoding)
    b = _offset(text, end, encoding)
    return text[:a] + new_text + text[b:]


def apply_edits(text: str, edits: list[lsp.TextEdit], encoding: str) -> str:
    """Apply non-overlapping edits, last first (as an editor does)."""
    ordered = sorted(
        edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True
    )
    for edit in ordered:
        text = apply_edit(text, edit.range.start, edit.range.end, edit.new_text, encoding)
    return text
