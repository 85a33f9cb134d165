"""Multi-file models (contract §8): read what ``import`` names, and resolve it.

An import brings in every statement of the imported file (and, transitively, of its
imports) as if its text stood at the place of the import. Each file is read once, at its
first import (a diamond reads the shared file once); tie-breaks (step order, route ids)
follow that order. The statements of an imported file carry its path in their spans
(:func:`prepmodel.syntax.retag.retag`), so every finding names the file where it is.

Reading files is the only I/O of the check pipeline and it is here, behind a
:class:`Reader`: the command line reads the disk (:class:`DiskReader`), `prep diff REV:path`
a git revision, the language server its open buffers first. Problems are diagnostics at
the import line: IM01 (the file cannot be read: missing, a folder, not a regular file, not
UTF-8, too big, not a .prep file, an absolute path) and IM02 (an import cycle, with its chain).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Protocol

from prepmodel.checks.rules.im_imports import IM01, IM02
from prepmodel.diagnostics import Diagnostic
from prepmodel.syntax import tree as syn
from prepmodel.syntax.parser import decode, parse
from prepmodel.syntax.retag import retag
from prepmodel.text.i18n import Message, msg

MAX_IMPORT_BYTES = 5_000_000
"""The biggest file an import reads (the language server's limit for a workspace file)."""
MAX_IMPORTED_FILES = 1000
"""The most files one model may import, directly and through others."""
MAX_IMPORT_DEPTH = 100
"""The longest chain of imports (a imports b imports c ...)."""


class ImportProblem(Exception):
    """Why a file cannot be imported (the message is said after the file's path)."""

    def __init__(self, reason: Message) -> None:
        super().__init__(str(reason))
        self.reason = reason


class Reader(Protocol):
    """Where imported files come from."""

    def join(self, importer: str, written: str) -> str:
        """The path of the file ``written`` in an import of the file ``importer``."""
        ...

    def key(self, path: str) -> str:
        """What makes two paths the same file (read once, cycles)."""
        ...

    def read(self, path: str) -> bytes:
        """The bytes of ``path``; raises :class:`ImportProblem`."""
        ...


def too_big() -> Message:
    return msg(
        "it is bigger than {limit} MB, the most an import reads",
        limit=MAX_IMPORT_BYTES // 1_000_000,
    )


class DiskReader:
    """Files on disk, found from the current folder; ``overlay`` (real path -> text) wins
    over the disk (the language server's open, unsaved buffers).

    ``parsed`` (path -> (text, parse)): where a long-running caller keeps the parses of
    imported files between analyses, so a file whose text did not change is not parsed
    again at every keystroke in the file importing it. One-shot commands leave it None:
    a kept parse would outlive ``Analysis.release_syntax``."""

    def __init__(
        self,
        overlay: Mapping[str, str] | None = None,
        parsed: dict[str, tuple[str, syn.SourceFile]] | None = None,
    ) -> None:
        self.overlay = overlay or {}
        self.parsed = parsed

    def join(self, importer: str, written: str) -> str:
        return import_path(importer, written)

    def key(self, path: str) -> str:
        return os.path.realpath(path)

    def read(self, path: str) -> bytes:
        text = self.overlay.get(self.key(path))
        if text is not None:
            data = text.encode("utf-8")
            if len(data) > MAX_IMPORT_BYTES:
                raise ImportProblem(too_big())
            return data
        if not _is_model(os.path.realpath(path)):
            raise ImportProblem(msg("it is a link to a file that is not a .prep file; not read"))
        try:
            st = os.stat(path)
        except FileNotFoundError:
            raise ImportProblem(msg("there is no such file")) from None
        except OSError as err:
            raise ImportProblem(
                msg("it cannot be read: {reason}", reason=err.strerror or str(err))
            ) from None
        if stat.S_ISDIR(st.st_mode):
            raise ImportProblem(msg("it is a folder, not a .prep file"))
        if not stat.S_ISREG(st.st_mode):
            raise ImportProblem(
                msg("it is not a regular file (a device, a pipe or a socket); not read")
            )
        if st.st_size > MAX_IMPORT_BYTES:
            raise ImportProblem(too_big())
        try:
            with open(path, "rb") as f:
                data = f.read(MAX_IMPORT_BYTES + 1)
        except OSError as err:
            raise ImportProblem(
                msg("it cannot be read: {reason}", reason=err.strerror or str(err))
            ) from None
        if len(data) > MAX_IMPORT_BYTES:
            raise ImportProblem(too_big())
        return data


def _is_model(path: str) -> bool:
    """Whether ``path`` names a model file (``.prep``): nothing else is ever imported, so a
    model cannot make `prep` print a line of a key, a password file or a git config."""
    return path.lower().endswith(".prep")


def import_path(importer: str, written: str) -> str:
    """The path of the file ``written`` in an import of the file ``importer`` (relative
    to the importing file's folder; ``<stdin>``'s folder is the current one)."""
    folder = "" if importer.startswith("<") else os.path.dirname(importer)
    return os.path.normpath(os.path.join(folder, written))


def has_imports(source: syn.SourceFile) -> bool:
    return any(type(st) is syn.ImportStmt for st in source.statements)


@dataclass
class _State:
    reader: Reader
    imports: list[syn.SourceFile] = field(default_factory=list)
    done: set[str] = field(default_factory=set)
    failed: dict[str, Message] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)
    unread: dict[str, None] = field(default_factory=dict)  # paths, in order


def resolve(root: syn.SourceFile, reader: Reader | None = None) -> syn.SourceFile:
    """``root`` with its imports resolved: the statements of every file in order, the
    syntax findings of every file, the imported files in ``imports``, and IM01/IM02 in
    ``diagnostics`` (at the import line). A file without imports is returned as it is."""
    if not has_imports(root):
        return root
    state = _State(reader or DiskReader())
    root_key = state.reader.key(root.path) if not root.path.startswith("<") else root.path
    state.done.add(root_key)
    statements = _expand(root, [(root_key, root.path)], state)
    diagnostics = list(root.diagnostics)
    skipped = list(root.skipped)
    for imported in state.imports:
        diagnostics += imported.diagnostics
        skipped += imported.skipped
    return replace(
        root,
        statements=tuple(statements),
        diagnostics=tuple(diagnostics + state.problems),
        skipped=tuple(skipped),
        imports=tuple(state.imports),
        unread_imports=tuple(state.unread),
    )


def _expand(
    source: syn.SourceFile, chain: list[tuple[str, str]], state: _State
) -> list[syn.Statement]:
    """The statements of ``source`` with each first import replaced by what it brings."""
    out: list[syn.Statement] = []
    importer = chain[-1][1]
    for st in source.statements:
        out.append(st)
        if type(st) is not syn.ImportStmt:
            continue
        assert isinstance(st, syn.ImportStmt)
        written = st.path.text
        if not written.strip():
            state.problems.append(_im01(st, written, msg("the path is empty")))
            continue
        if not _is_model(written):
            state.problems.append(_im01(st, written, msg("only .prep files can be imported")))
            continue
        if os.path.isabs(written) or written.startswith(("/", "\\")):
            state.problems.append(
                _im01(
                    st,
                    written,
                    msg("an absolute path; an import names a file relative to the importing file"),
                )
            )
            continue
        path = state.reader.join(importer, written)
        key = state.reader.key(path)
        at = next((i for i, (k, _) in enumerate(chain) if k == key), None)
        if at is not None:
            loop = " → ".join([shown for _, shown in chain[at:]] + [path])
            state.problems.append(
                Diagnostic.make(
                    IM02,
                    st.span,
                    msg("import cycle: {chain}", chain=loop),
                    msg("a file cannot import itself; move what both files need to a third one"),
                )
            )
            continue
        if key in state.done:
            continue  # read once, at its first import
        reason = state.failed.get(key)
        got = reason if reason is not None else _read(path, key, chain, state)
        if not isinstance(got, syn.SourceFile):
            state.failed[key] = got
            state.unread[path] = None
            state.problems.append(_im01(st, written, got))
            continue
        imported = got
        out += _expand(imported, [*chain, (key, path)], state)
    return out


def _read(
    path: str, key: str, chain: list[tuple[str, str]], state: _State
) -> syn.SourceFile | Message:
    """``path`` read and parsed (and added to ``state.imports``), or why it cannot be."""
    if len(chain) > MAX_IMPORT_DEPTH:
        return msg("imports nest more than {limit} files deep", limit=MAX_IMPORT_DEPTH)
    if len(state.imports) >= MAX_IMPORTED_FILES:
        return msg("the model imports more than {limit} files", limit=MAX_IMPORTED_FILES)
    try:
        data = state.reader.read(path)
    except ImportProblem as problem:
        return problem.reason
    text, bad = decode(data, path)
    if text is None:
        assert bad is not None
        return msg(
            "it is not UTF-8 text: {problem} at line {line}, column {column}",
            problem=bad.message,
            line=bad.span.line,
            column=bad.span.column,
        )
    state.done.add(key)
    kept: dict[str, tuple[str, syn.SourceFile]] | None = getattr(state.reader, "parsed", None)
    known = kept.get(path) if kept is not None else None
    if known is not None and known[0] == text:
        imported = known[1]  # the same text read before: the same (immutable) parse
    else:
        imported = retag(parse(text, path, file=path), path)
        if kept is not None:
            kept[path] = (text, imported)
    state.imports.append(imported)
    return imported


def _im01(st: syn.ImportStmt, written: str, reason: Message) -> Diagnostic:
    return Diagnostic.make(
        IM01,
        st.span,
        msg("cannot import '{path}': {reason}", path=written, reason=reason),
        msg("import a readable UTF-8 .prep file, with a path relative to this file"),
    )
