"""The statements of an imported file, with every span naming that file.

The parser makes spans without a file (``Span.file == ""``: the file being read). When a
file is read as the import of another, :func:`retag` gives each span the file's path, so
what the model and the rules make from those statements (routes, deliverables,
diagnostics) knows which file it came from. Pure: no file is read here.
"""

from __future__ import annotations

from dataclasses import replace

from prepmodel.diagnostics import Diagnostic
from prepmodel.syntax import tree as syn
from prepmodel.text.span import Span

_new = tuple.__new__


def _span(s: Span, file: str) -> Span:
    span: Span = _new(Span, (s[0], s[1], s[2], s[3], file))
    return span


def _name(n: syn.Name, file: str) -> syn.Name:
    return syn.Name(n.text, n.quoted, _span(n.span, file))


def _names(names: tuple[syn.Name, ...], file: str) -> tuple[syn.Name, ...]:
    return tuple([syn.Name(n.text, n.quoted, _span(n.span, file)) for n in names])


def _block(b: syn.Block | None, file: str) -> syn.Block | None:
    if b is None:
        return None
    attrs = tuple(
        syn.Attr(_name(a.key, file), _names(a.values, file), _span(a.span, file)) for a in b.attrs
    )
    return syn.Block(attrs, _span(b.span, file))


def statement(st: syn.Statement, file: str) -> syn.Statement:
    """``st`` with every span in ``file``."""
    span = _span(st.span, file)
    if isinstance(st, syn.AssemblyStmt):
        return syn.AssemblyStmt(
            _name(st.output, file),
            _names(st.inputs, file),
            _block(st.block, file),
            span,
            optional=st.optional,
        )
    if isinstance(st, syn.DeclStmt):
        return syn.DeclStmt(st.keyword, _names(st.names, file), _block(st.block, file), span)
    if isinstance(st, syn.GroupStmt):
        return syn.GroupStmt(
            _name(st.name, file), _names(st.members, file), _block(st.block, file), span
        )
    if isinstance(st, syn.PhaseStmt):
        return syn.PhaseStmt(
            _name(st.name, file), _names(st.members, file), _block(st.block, file), span
        )
    if isinstance(st, syn.ModelStmt):
        title = None if st.title is None else _name(st.title, file)
        return syn.ModelStmt(title, _block(st.block, file), span)
    return syn.ImportStmt(_name(st.path, file), span)


def diagnostic(d: Diagnostic, file: str) -> Diagnostic:
    """``d`` (a syntax finding in an imported file) placed in ``file``."""
    return replace(d, span=_span(d.span, file), file=file)


def retag(source: syn.SourceFile, file: str) -> syn.SourceFile:
    """``source`` as read through an import: its statements and findings in ``file``
    (statements parsed with ``parse(..., file=file)`` already are: kept as they are)."""
    statements = source.statements
    if statements and statements[0].span.file != file:
        statements = tuple([statement(st, file) for st in statements])
    return replace(
        source,
        path=file,
        statements=statements,
        diagnostics=tuple([diagnostic(d, file) for d in source.diagnostics]),
    )
