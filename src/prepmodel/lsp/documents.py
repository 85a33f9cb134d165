"""The open documents and what the server knows of each: text, analysis, name index.

The analysis is the one `prep check` makes (:func:`prepmodel.checks.analysis.analyse_text`)
with the settings of the file's folder (``prep.toml`` or ``[tool.prep]``, nearest first),
so the editor shows exactly the diagnostics the command prints. A document is analysed
once per version; requests on the same version share the result.

Cross-file features (contract v2 ``import``) are meant to go here: a ``Project`` already
maps each URI to its document, and diagnostics are published by the ``file`` they name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from urllib.parse import unquote, urlparse

from prepmodel.checks.analysis import Analysis, analyse_text
from prepmodel.checks.config import Config, ConfigError, find_config
from prepmodel.lsp.index import FileIndex
from prepmodel.lsp.positions import UTF16, LineIndex, split_lines


def uri_to_path(uri: str) -> Path | None:
    """The local path of a ``file:`` URI; None for other schemes (``untitled:``...)."""
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    path = unquote(parsed.path)
    if len(path) > 2 and path[0] == "/" and path[2] == ":":  # file:///C:/... on Windows
        path = path[1:]
    return Path(path)


def shown_path(uri: str) -> str:
    """The file name diagnostics carry: the local path, or the URI for unsaved buffers."""
    path = uri_to_path(uri)
    return str(path) if path is not None else uri


@dataclass
class Document:
    """One version of one open document, analysed on first need."""

    uri: str
    text: str
    version: int | None
    encoding: str = UTF16
    config: Config = field(default_factory=Config)

    @cached_property
    def analysis(self) -> Analysis:
        # A BOM becomes a space, not nothing: columns on line 1 stay the editor's.
        text = " " + self.text[1:] if self.text.startswith("\ufeff") else self.text
        return analyse_text(text, shown_path(self.uri), self.config)

    @cached_property
    def lines(self) -> LineIndex:
        return LineIndex(split_lines(self.text), self.encoding)

    @cached_property
    def index(self) -> FileIndex:
        return FileIndex(self.analysis.source)


class Project:
    """Every open document, by URI, and the settings that apply to each."""

    def __init__(self) -> None:
        self.documents: dict[str, Document] = {}
        self.encoding = UTF16
        self.config_problems: dict[str, str] = {}  # settings file -> why it was not used

    def settings(self, uri: str) -> Config:
        """The settings of the document's folder; a broken settings file is reported
        (``config_problems``) and the defaults are used, as the editor must go on."""
        path = uri_to_path(uri)
        folder = path.parent if path is not None else Path.cwd()
        try:
            return find_config(folder)
        except ConfigError as err:
            self.config_problems[str(folder)] = str(err)
            return Config()

    def update(self, uri: str, text: str, version: int | None) -> Document:
        """The document with this text (a new one when the text changed)."""
        known = self.documents.get(uri)
        if known is not None and known.text == text and known.encoding == self.encoding:
            known.version = version
            return known
        document = Document(uri, text, version, self.encoding, self.settings(uri))
        self.documents[uri] = document
        return document

    def close(self, uri: str) -> None:
        self.documents.pop(uri, None)

    def get(self, uri: str) -> Document | None:
        return self.documents.get(uri)
