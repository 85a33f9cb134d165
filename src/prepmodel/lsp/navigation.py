"""Go to definition, find references, document highlight and rename."""

from __future__ import annotations

from lsprotocol import types as lsp

from prepmodel.lsp.documents import Document, uri_to_path
from prepmodel.lsp.index import Occurrence
from prepmodel.model.core import identity
from prepmodel.syntax.names import render_name

RENAMEABLE = ("deliverable", "role", "phase", "kpi", "scenario")


class RenameRefused(ValueError):
    """A new name that cannot be used; the message says why (shown by the editor)."""


def occurrence_at(document: Document, position: lsp.Position) -> Occurrence | None:
    line, char = document.lines.from_client(position)
    return document.index.at(line + 1, char + 1)


def _location(document: Document, occurrence: Occurrence) -> lsp.Location:
    """Where ``occurrence`` is: in this document, or in a file its imports read."""
    file = occurrence.span.file
    return lsp.Location(
        uri=document.uri_of(file), range=document.lines_of(file).span_range(occurrence.span)
    )


def definition(document: Document, position: lsp.Position) -> list[lsp.Location]:
    """The routes that make the deliverable under the cursor, or its group statement; else
    its ``external``/``goal`` statement. For a role or phase, its declaration; for an
    ``import`` path, the file."""
    occurrence = occurrence_at(document, position)
    if occurrence is None:
        return []
    if occurrence.kind == "text" and occurrence.usage == "import":
        return _imported(document, occurrence.text)
    if occurrence.kind not in RENAMEABLE:
        return []
    return [_location(document, o) for o in document.model_index.definitions(occurrence)]


def _imported(document: Document, relative: str) -> list[lsp.Location]:
    """The file an ``import`` names (relative to the importing file), when it exists."""
    here = uri_to_path(document.uri)
    if here is None:
        return []
    target = (here.parent / relative).resolve()
    if not target.is_file():
        return []
    start = lsp.Position(line=0, character=0)
    return [lsp.Location(uri=target.as_uri(), range=lsp.Range(start=start, end=start))]


def references(
    document: Document, position: lsp.Position, include_declaration: bool = True
) -> list[lsp.Location]:
    """Every mention of the same identity (any spelling)."""
    occurrence = occurrence_at(document, position)
    if occurrence is None or occurrence.kind not in RENAMEABLE:
        return []
    same = document.model_index.same(occurrence)
    if not include_declaration:
        defining = set(document.model_index.definitions(occurrence))
        same = [o for o in same if o not in defining]
    return [_location(document, o) for o in same]


def highlights(document: Document, position: lsp.Position) -> list[lsp.DocumentHighlight]:
    """The mentions of the name under the cursor: where it is made (write), where used."""
    occurrence = occurrence_at(document, position)
    if occurrence is None or occurrence.kind not in RENAMEABLE:
        return []
    defining = set(document.index.definitions(occurrence))
    return [
        lsp.DocumentHighlight(
            range=document.lines.span_range(o.span),
            kind=lsp.DocumentHighlightKind.Write
            if o in defining
            else lsp.DocumentHighlightKind.Read,
        )
        for o in document.index.same(occurrence)
    ]


def prepare_rename(document: Document, position: lsp.Position) -> lsp.PrepareRenamePlaceholder:
    occurrence = occurrence_at(document, position)
    if occurrence is None or occurrence.kind not in RENAMEABLE:
        raise RenameRefused("only a deliverable, role, phase, KPI or scenario name can be renamed")
    return lsp.PrepareRenamePlaceholder(
        range=document.lines.span_range(occurrence.span), placeholder=occurrence.text
    )


def rename(document: Document, position: lsp.Position, new_name: str) -> lsp.WorkspaceEdit:
    """Every spelling of the identity under the cursor, in this file and in the files its
    imports read, becomes ``new_name`` (quoted when it must be): a WorkspaceEdit over
    every file of the model. Refused when the new name is empty, holds a line end, or is
    another existing name of the same kind (renaming would merge two deliverables)."""
    occurrence = occurrence_at(document, position)
    if occurrence is None or occurrence.kind not in RENAMEABLE:
        raise RenameRefused("only a deliverable, role, phase, KPI or scenario name can be renamed")
    new_key = identity(new_name)
    if not new_key or any(ch in new_name for ch in "\r\n"):
        raise RenameRefused("a name must hold some text and no line break")
    index = document.model_index  # every file of the model: a WorkspaceEdit over them
    if new_key != occurrence.key:
        taken = index.of(occurrence.kind, new_key)
        if taken:
            line = taken[0].span.line
            raise RenameRefused(
                f"'{new_name}' is already the {occurrence.kind} '{taken[0].text}' "
                f"(line {line}): renaming would merge the two"
            )
    text = render_name(new_name)
    changes: dict[str, list[lsp.TextEdit]] = {}
    for o in index.same(occurrence):
        file = o.span.file
        edit = lsp.TextEdit(range=document.lines_of(file).span_range(o.span), new_text=text)
        changes.setdefault(document.uri_of(file), []).append(edit)
    return lsp.WorkspaceEdit(changes=changes)
