"""The open documents and what the server knows of each: text, analysis, name index.

The analysis is the one `prep check` makes (:func:`prepmodel.checks.analysis.analyse_text`)
with the settings of the file's folder (``prep.toml`` or ``[tool.prep]``, nearest first),
so the editor shows exactly the diagnostics the command prints. A document is analysed
once per version; requests on the same version share the result.

Imports (contract §8) are read from the disk, except the files open in the editor: an
open, unsaved buffer wins (``Document.overlay``). When an open file changes, the open
documents that import it are analysed again (``Project.update`` says which).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from urllib.parse import unquote, urlparse

from prepmodel.checks.analysis import Analysis, analyse_text
from prepmodel.checks.config import Config, ConfigError, find_config
from prepmodel.checks.imports import DiskReader
from prepmodel.lsp.index import FileIndex
from prepmodel.lsp.positions import UTF16, LineIndex, split_lines
from prepmodel.model.language import model_language
from prepmodel.syntax.incremental import reparse
from prepmodel.syntax.tree import SourceFile


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
    #: The other open documents' texts by real path: imports read these, not the disk.
    overlay: Mapping[str, str] = field(default_factory=dict)
    #: The last clean parse of an earlier version of this document: only the statements
    #: the edits touched since are parsed again (:mod:`prepmodel.syntax.incremental`).
    base: SourceFile | None = field(default=None, repr=False, compare=False)
    #: The parses of imported files, by path, with the text each was made from: shared by
    #: the project's documents, so an import whose text did not change is not parsed again.
    imported: dict[str, tuple[str, SourceFile]] = field(
        default_factory=dict, repr=False, compare=False
    )

    @cached_property
    def parsed(self) -> SourceFile:
        """This file's own parse (no imports), as :func:`~prepmodel.syntax.parser.parse`
        makes it. A BOM becomes a space, not nothing: columns on line 1 stay the editor's."""
        text = " " + self.text[1:] if self.text.startswith("\ufeff") else self.text
        parsed = reparse(self.base, text, shown_path(self.uri))
        if parsed.ok:
            self.base = None  # this parse is the next version's base: the old one can go
        return parsed

    @cached_property
    def analysis(self) -> Analysis:
        reader = DiskReader(self.overlay, self.imported)
        path = shown_path(self.uri)
        parsed = self.parsed
        return analyse_text(parsed.text, path, self.config, reader=reader, parsed=parsed)

    def clean_parse(self) -> SourceFile | None:
        """This version's parse when it was made and has no syntax error, else the base it
        would have used: what the next version re-parses from."""
        parsed = self.__dict__.get("parsed")
        if parsed is None:
            return self.base
        return parsed if parsed.ok else self.base

    @cached_property
    def language(self) -> str:
        """The language `prep check` speaks about this file (its ``lang``, the locale, its
        names): diagnostics and hints come in it, as they do on the command line."""
        return model_language(self.analysis.model)

    @cached_property
    def lines(self) -> LineIndex:
        return LineIndex(split_lines(self.text), self.encoding)

    @cached_property
    def index(self) -> FileIndex:
        """This file's own names."""
        return FileIndex(self.analysis.source)

    @cached_property
    def model_index(self) -> FileIndex:
        """The names of every file of the model (this one and what it imports)."""
        source = self.analysis.source
        return FileIndex(source, whole=True) if source.imports else self.index

    @cached_property
    def imported_paths(self) -> frozenset[str]:
        """The real paths of the files this document's imports read."""
        return frozenset(os.path.realpath(f.path) for f in self.analysis.source.imports)

    def uri_of(self, file: str) -> str:
        """The URI of a span's file ("" : this document)."""
        return Path(file).absolute().as_uri() if file else self.uri

    def lines_of(self, file: str) -> LineIndex:
        """The line table of a span's file, as it was read for this analysis."""
        if not file:
            return self.lines
        known = self._other_lines.get(file)
        if known is None:
            text = self.analysis.source.file_of(file).text
            known = self._other_lines[file] = LineIndex(split_lines(text), self.encoding)
        return known

    @cached_property
    def _other_lines(self) -> dict[str, LineIndex]:
        return {}


def overlay_of(buffers: Mapping[str, str], uri: str) -> dict[str, str]:
    """Open buffers (URI -> text) other than ``uri``, by real path, for imports to read."""
    out: dict[str, str] = {}
    for other, text in buffers.items():
        path = uri_to_path(other)
        if other != uri and path is not None:
            out[os.path.realpath(path)] = text
    return out


class Project:
    """Every open document, by URI, and the settings that apply to each."""

    def __init__(self) -> None:
        self.documents: dict[str, Document] = {}
        self.encoding = UTF16
        self.config_problems: dict[str, str] = {}  # settings file -> why it was not used
        #: Imported files' parses (``Document.imported``); only the last text of each path.
        self.imported: dict[str, tuple[str, SourceFile]] = {}
        #: The parses of documents dropped by ``importers``, to start their next one from.
        self.bases: dict[str, SourceFile | None] = {}

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

    def update(
        self,
        uri: str,
        text: str,
        version: int | None,
        buffers: Mapping[str, str] | None = None,
    ) -> Document:
        """The document with this text (a new one when the text changed). ``buffers``:
        the editor's open documents (URI -> text), which its imports read before the disk."""
        known = self.documents.get(uri)
        if known is not None and known.text == text and known.encoding == self.encoding:
            known.version = version
            return known
        overlay = overlay_of(buffers or {}, uri)
        base = known.clean_parse() if known is not None else self.bases.pop(uri, None)
        document = Document(
            uri, text, version, self.encoding, self.settings(uri), overlay, base, self.imported
        )
        self.documents[uri] = document
        return document

    def importers(self, uri: str) -> list[str]:
        """The open documents whose last analysis imported ``uri``'s file; their analyses
        are dropped (they read the file as it was), the caller checks them again."""
        path = uri_to_path(uri)
        if path is None:
            return []
        real = os.path.realpath(path)
        found = []
        for other, document in list(self.documents.items()):
            if other != uri and "analysis" in document.__dict__ and real in document.imported_paths:
                found.append(other)
                self.documents.pop(other)
                # Its own text did not change: the next analysis re-parses nothing of it.
                self.bases[other] = document.clean_parse()
        return found

    def close(self, uri: str) -> None:
        self.documents.pop(uri, None)
        self.bases.pop(uri, None)
        if not self.documents:
            self.imported.clear()  # nothing open imports them any more

    def get(self, uri: str) -> Document | None:
        return self.documents.get(uri)
