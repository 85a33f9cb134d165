"""The syntax tree: statements, names and attributes with their spans, as the parser
makes them. Plain data; no parser here, so the lexer and the rules can share it."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import ClassVar, Literal

from prepmodel.diagnostics import Diagnostic
from prepmodel.text.span import Span

MAX_SYNTAX_ERRORS = 25

DeclKind = Literal["goal", "external", "deliverable", "role", "kpi"]


@dataclass(frozen=True, slots=True)
class Name:
    """A bare or quoted name (or attribute value) as written; ``text`` is unescaped."""

    text: str
    quoted: bool
    span: Span
    type: ClassVar[str] = "NAME"  # the terminal, when the fast lexer sends a Name as is


@dataclass(frozen=True, slots=True)
class Attr:
    key: Name
    values: tuple[Name, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Block:
    attrs: tuple[Attr, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class ModelStmt:
    title: Name | None
    block: Block | None
    span: Span
    kind: Literal["model"] = "model"


@dataclass(frozen=True, slots=True)
class DeclStmt:
    keyword: DeclKind
    names: tuple[Name, ...]
    block: Block | None
    span: Span

    @property
    def kind(self) -> str:
        return self.keyword


@dataclass(frozen=True, slots=True)
class AssemblyStmt:
    output: Name
    inputs: tuple[Name, ...]
    block: Block | None
    span: Span
    kind: Literal["assembly"] = "assembly"
    #: The positions in ``inputs`` of the inputs written in brackets (``[X]``, optional:
    #: contract §9), ascending; empty for a v1 route.
    optional: tuple[int, ...] = ()

    def is_optional(self, i: int) -> bool:
        """Whether input ``i`` was written ``[X]``."""
        return i in self.optional


@dataclass(frozen=True, slots=True)
class OptionalInput:
    """``[X]`` while the parser builds a route's input list (the route keeps the index)."""

    name: Name
    span: Span  # from '[' to ']'


@dataclass(frozen=True, slots=True)
class GroupStmt:
    name: Name
    members: tuple[Name, ...]
    block: Block | None
    span: Span
    kind: Literal["group"] = "group"


@dataclass(frozen=True, slots=True)
class PhaseStmt:
    name: Name
    members: tuple[Name, ...]
    block: Block | None
    span: Span
    kind: Literal["phase"] = "phase"


@dataclass(frozen=True, slots=True)
class ImportStmt:
    path: Name
    span: Span
    block: None = None
    kind: Literal["import"] = "import"


Statement = ModelStmt | DeclStmt | AssemblyStmt | GroupStmt | PhaseStmt | ImportStmt


@dataclass(frozen=True, slots=True)
class Comment:
    """A ``#`` comment; ``text`` includes the ``#``."""

    text: str
    line: int
    column: int


@dataclass(frozen=True, slots=True)
class SourceFile:
    """The result of parsing one file: statements, comments and syntax diagnostics."""

    path: str
    text: str
    statements: tuple[Statement, ...]
    comments: tuple[Comment, ...]
    diagnostics: tuple[Diagnostic, ...]
    #: The text of each statement that error recovery skipped (the whole text when the
    #: parser gave up): what the model lacks because of the syntax errors.
    skipped: tuple[str, ...] = ()
    #: A resolved multi-file model (``prepmodel.checks.imports``): the files its imports
    #: brought in, in the order they were read, each with ``path`` the name its spans carry.
    #: ``statements`` and ``diagnostics`` above are then those of every file.
    imports: tuple[SourceFile, ...] = ()
    #: The paths imports named that could not be read (IM01), to watch for them to come.
    unread_imports: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.diagnostics

    def file_of(self, file: str) -> SourceFile:
        """The source a span's ``file`` names ("" and unknown names: this one)."""
        if file:
            for imported in self.imports:
                if imported.path == file:
                    return imported
        return self

    def line_at(self, line: int, file: str = "") -> str:
        """Line ``line`` of the file ``file`` (a span's file: "" for this one)."""
        return self.file_of(file).line_text(line)

    def line_text(self, line: int) -> str:
        """Line ``line`` of the source (1-based), without its line end."""
        lines = _lines(self.text)
        return lines[line - 1].rstrip("\r") if 0 < line <= len(lines) else ""


@functools.lru_cache(maxsize=4)
def _lines(text: str) -> list[str]:
    return text.split("\n")


def unescape(raw: str) -> str:
    """The text of a quoted name: drop the quotes, resolve ``\\"`` and ``\\\\``."""
    body = raw[1:-1]
    if "\\" not in body:
        return body
    out: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body) and body[i + 1] in '"\\':
            out.append(body[i + 1])
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)
