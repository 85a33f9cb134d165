"""Text -> syntax objects with spans. Lark lives here and nowhere else.

The parser is LALR(1). A syntax error becomes a PS01 diagnostic; the statement that holds
it is blanked out (newlines kept, so positions stay true) and the file is parsed again, so
one typo does not hide the problems in the rest of the file.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedInput

from prepmodel.diagnostics import Diagnostic
from prepmodel.syntax.errors import PS01 as PS01  # declares the code decode() reports
from prepmodel.syntax.tree import (
    MAX_SYNTAX_ERRORS,
    AssemblyStmt,
    Attr,
    Block,
    Comment,
    DeclKind,
    DeclStmt,
    GroupStmt,
    ImportStmt,
    ModelStmt,
    Name,
    OptionalInput,
    PhaseStmt,
    SourceFile,
    Statement,
    unescape,
)
from prepmodel.text.i18n import N_, msg
from prepmodel.text.span import Span

if TYPE_CHECKING:
    from prepmodel.syntax.lalr import Tables


def grammar_text() -> str:
    """The grammar: shipped in the wheel, or read from the source tree in a checkout."""
    packaged = resources.files("prepmodel").joinpath("grammar/prep.lark")
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    return (Path(__file__).resolve().parents[3] / "grammar" / "prep.lark").read_text("utf-8")


#: The ``Span.file`` of the parse under way (see :func:`parse`).
_FILE = [""]


def _tok_span(tok: Token) -> Span:
    assert tok.line is not None and tok.column is not None
    assert tok.end_line is not None and tok.end_column is not None
    return Span(tok.line, tok.column, tok.end_line, tok.end_column, _FILE[0])


def _join(first: Span, last: Span) -> Span:
    return Span(first.line, first.column, last.end_line, last.end_column, first.file)


def _end_of(children: list[Any]) -> Span:
    last = children[-1]
    if isinstance(last, Block | Name):
        return last.span
    if isinstance(last, list):
        return last[-1].span  # type: ignore[no-any-return]
    return _tok_span(last)


def _name(tok: Token | Name) -> Name:
    if type(tok) is Name:
        return tok
    assert isinstance(tok, Token)
    span = Span(tok.line, tok.column, tok.end_line, tok.end_column, _FILE[0])  # type: ignore[arg-type]
    if tok.startswith('"'):
        return Name(unescape(str(tok)), True, span)
    return Name(str(tok), False, span)


class _Build(Transformer[Token, Any]):
    """Lark tree -> syntax objects. Runs inside the LALR parser (no tree is kept)."""

    def name_list(self, children: list[Any]) -> list[Name]:
        # name_list: NAME | name_list COMMA NAME -- one list, grown in place.
        if len(children) == 1:
            return [_name(children[0])]
        names: list[Name] = children[0]
        names.append(_name(children[2]))
        return names

    def input_list(self, children: list[Any]) -> list[Name | OptionalInput]:
        # input_list: (NAME | optional_input) | input_list COMMA (NAME | optional_input)
        last = children[-1]
        item = last if type(last) is OptionalInput else _name(last)
        if len(children) == 1:
            return [item]
        items: list[Name | OptionalInput] = children[0]
        items.append(item)
        return items

    def optional_input(self, children: list[Any]) -> OptionalInput:
        # optional_input: LBRACKET NAME RBRACKET
        return OptionalInput(
            _name(children[1]), _join(_tok_span(children[0]), _tok_span(children[2]))
        )

    def attr(self, children: list[Any]) -> Attr:
        key = _name(children[0])
        values: list[Name] = children[2]
        return Attr(key, tuple(values), _join(key.span, values[-1].span))

    def attrs(self, children: list[Any]) -> list[Attr]:
        return _grow(children)

    def block(self, children: list[Any]) -> Block:
        # block: LBRACE attrs RBRACE
        return Block(tuple(children[1]), _join(_tok_span(children[0]), _tok_span(children[2])))

    def model_stmt(self, children: list[Any]) -> ModelStmt:
        title = next((_name(c) for c in children[1:] if isinstance(c, Token | Name)), None)
        span = _join(_tok_span(children[0]), _end_of(children))
        return ModelStmt(title, _block_of(children), span)

    def decl_stmt(self, children: list[Any]) -> DeclStmt:
        keyword: DeclKind = str(children[0])  # type: ignore[assignment]
        span = _join(_tok_span(children[0]), _end_of(children))
        return DeclStmt(keyword, tuple(children[1]), _block_of(children), span)

    def assembly(self, children: list[Any]) -> AssemblyStmt:
        output = _name(children[0])
        span = _join(output.span, _end_of(children))
        items: list[Name | OptionalInput] = children[2]
        block = _block_of(children)
        if not any(type(x) is OptionalInput for x in items):
            return AssemblyStmt(output, tuple(items), block, span)  # type: ignore[arg-type]
        inputs = tuple(x.name if type(x) is OptionalInput else x for x in items)
        optional = tuple(i for i, x in enumerate(items) if type(x) is OptionalInput)
        return AssemblyStmt(output, inputs, block, span, optional=optional)  # type: ignore[arg-type]

    def group_stmt(self, children: list[Any]) -> GroupStmt:
        span = _join(_tok_span(children[0]), _end_of(children))
        return GroupStmt(_name(children[1]), tuple(children[2]), _block_of(children), span)

    def phase_stmt(self, children: list[Any]) -> PhaseStmt:
        span = _join(_tok_span(children[0]), _end_of(children))
        return PhaseStmt(_name(children[1]), tuple(children[2]), _block_of(children), span)

    def import_stmt(self, children: list[Any]) -> ImportStmt:
        path = _name(children[1])
        return ImportStmt(path, _join(_tok_span(children[0]), path.span))

    def statements(self, children: list[Any]) -> list[Statement]:
        return _grow(children)

    def start(self, children: list[Any]) -> list[Statement]:
        return children[0]  # type: ignore[no-any-return]


def _grow(children: list[Any]) -> list[Any]:
    """``items: item? | items SEP item?``: one list, grown in place. The separator is gone
    (a filtered ``_NL``) or a token; an item is never a token."""
    if not children:
        return []
    first = children[0]
    items: list[Any] = first if type(first) is list else [first]
    if len(children) > 1 and not isinstance(children[-1], Token):
        items.append(children[-1])
    return items


def _block_of(children: list[Any]) -> Block | None:
    last = children[-1] if children else None
    return last if isinstance(last, Block) else None


@functools.cache
def _tables() -> Tables | None:
    """The fast path's tables, once; None when this Lark's internals are not as expected."""
    from prepmodel.syntax.lalr import tables

    return tables(_parser()[0])


def _fast_run(
    text: str, comments: list[tuple[str, int, int]], file: str = "", first_line: int = 1
) -> list[Statement]:
    """Lark's tables driven by :mod:`prepmodel.syntax.lalr`; raises ``Rejected`` when the
    text has a syntax error (the caller then asks Lark itself, for the error's details),
    and when the fast path is not available with this Lark (the caller parses with Lark)."""
    from prepmodel.syntax.lalr import Rejected, run
    from prepmodel.syntax.lexer import scan

    fast = _tables()
    if fast is None:
        raise Rejected("", [])
    tokens = scan(text, comments, fast=True, file=file, first_line=first_line)
    statements: list[Statement] = run(fast, tokens)
    return statements


@functools.cache
def _parser() -> tuple[Lark, list[tuple[str, int, int]]]:
    from prepmodel.syntax.lexer import PrepLexer

    grammar = grammar_text()
    lark = Lark(
        grammar,
        parser="lalr",
        lexer=PrepLexer,
        maybe_placeholders=False,
        transformer=_Build(),
        cache=_cache_file(grammar),
    )
    return lark, PrepLexer.comments


def _cache_file(grammar: str) -> str | bool:
    """Where Lark keeps its analysed parse tables between runs (saves ~0.1 s a start).

    A private folder in the user's cache directory, not a shared temporary folder: the
    cache is a pickle. ``PREP_NO_CACHE=1`` or an unwritable folder turns caching off.
    """
    import hashlib
    import os

    if os.environ.get("PREP_NO_CACHE"):
        return False
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = Path(base) / "prepmodel"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not os.access(folder, os.W_OK) or folder.stat().st_uid != os.getuid():
            return False
    except (OSError, AttributeError):
        return False
    digest = hashlib.sha256(grammar.encode("utf-8")).hexdigest()[:16]
    return str(folder / f"lark-{digest}.pickle")


def parse(text: str, path: str = "<stdin>", *, file: str = "") -> SourceFile:
    """Parse ``.prep`` source text. Never raises on bad input: errors are PS01.

    ``file``: the ``Span.file`` of every span made (an imported file's path, from
    ``prepmodel.checks.imports``; "" for the file being read, as a span of a one-file
    model has). Syntax findings keep the parser's spans; :func:`retag` places them.

    Error recovery: the statement around an error is blanked out (line ends kept, so
    positions stay true) and parsing goes on. The statements and comments before it are
    kept from the failed attempt and blanked too, so each attempt reads only what is left:
    a big file with many errors is read about once, not once per error.
    """
    from prepmodel.syntax.lexer import PrepLexer

    if text.startswith("\ufeff"):
        text = text[1:]
    _FILE[0] = PrepLexer.file = file
    try:
        return _parse(text, path, file)
    finally:
        _FILE[0] = PrepLexer.file = ""


def parse_clean_slice(
    text: str, first_line: int, file: str = ""
) -> tuple[list[Statement], list[Comment]] | None:
    """The statements and comments of ``text``, a run of whole lines of a file starting
    at line ``first_line``, when it parses with no error (None otherwise, or when the
    fast path is not available): :mod:`prepmodel.syntax.incremental` re-reads only the
    statements an edit touched this way. No error recovery, no diagnostics."""
    from prepmodel.syntax.lalr import Rejected
    from prepmodel.syntax.lexer import PrepLexer

    _, comments = _parser()
    comments.clear()
    _FILE[0] = PrepLexer.file = file
    try:
        statements = _fast_run(text, comments, file, first_line)
    except Rejected:
        return None
    finally:
        _FILE[0] = PrepLexer.file = ""
    found = [Comment(t, line, col) for t, line, col in comments]
    comments.clear()
    return statements, found


def stream(text: str, sink: Callable[[Statement], object], *, file: str = "") -> bool:
    """Parse ``text``, handing each statement to ``sink`` as soon as it is complete and
    keeping none: a caller that needs only the model builds it statement by statement
    (:class:`prepmodel.model.core.ModelBuilder`), so a big file's syntax tree never exists
    whole (`prep diff`, issue #18). True when the whole text parsed; False when it has a
    syntax error or the fast path is not available with this Lark, possibly after some
    statements went to ``sink``: the caller then starts again with :func:`parse`, which
    reports the errors. Comments are not kept; an exception ``sink`` raises ends the
    parse and is raised here."""
    from prepmodel.syntax.lalr import Rejected, Tables, run
    from prepmodel.syntax.lexer import PrepLexer, scan

    fast = _tables()
    if fast is None:
        return False

    def statements(children: list[Any]) -> list[Statement]:
        # ``statements: statement? | statements SEP statement?``: the statement, if any,
        # is the last child; the list stays empty.
        if children:
            last = children[-1]
            if type(last) is not list and not isinstance(last, Token):
                sink(last)
            first = children[0]
            if type(first) is list:
                return first
        return []

    def streaming(shift: bool, arg: Any) -> Any:
        # The reduce of the statements rule calls ``statements`` (size and goto kept).
        return arg if shift or arg[2] != "statements" else (arg[0], statements, arg[2])

    states = {
        state: {symbol: (shift, streaming(shift, arg)) for symbol, (shift, arg) in row.items()}
        for state, row in fast.states.items()
    }
    if text.startswith("\ufeff"):
        text = text[1:]
    _, comments = _parser()
    comments.clear()
    _FILE[0] = PrepLexer.file = file
    try:
        run(Tables(states, fast.start, fast.end), scan(text, comments, fast=True, file=file))
    except Rejected:
        return False
    finally:
        _FILE[0] = PrepLexer.file = ""
        comments.clear()
    return True


def _parse(text: str, path: str, file: str) -> SourceFile:
    from prepmodel.syntax.errors import blank, continuation_end, describe, statement_to_blank
    from prepmodel.syntax.lalr import Rejected

    lark, comments = _parser()
    work = text
    diagnostics: list[Diagnostic] = []
    kept: list[Statement] = []
    kept_comments: list[tuple[str, int, int]] = []
    skipped: list[str] = []
    while True:
        comments.clear()
        try:
            statements = _fast_run(work, comments, file)
            break
        except Rejected as rejected:
            partial: list[Statement] = rejected.partial
            seen = list(comments)
        comments.clear()
        try:  # Lark stops at the same token, with the context the message needs
            statements = lark.parse(work)  # type: ignore[assignment]
            break  # (only when the fast path is unavailable: both accept the same texts)
        except UnexpectedInput as err:
            diagnostic, offset = describe(err, work, lark)
        diagnostics.append(diagnostic.with_file(path))
        start, end = statement_to_blank(work, offset)
        # A line break after '=', ':' or '<-': the next line is the rest of the statement,
        # skipped with it (else it would be a second, misleading error).
        end = max(end, continuation_end(work, offset) or end)
        skipped.append(work[start:end])
        before = (work.count("\n", 0, start) + 1, start - (work.rfind("\n", 0, start) + 1) + 1)
        done = [st for st in partial if (st.span.end_line, st.span.end_column) <= before]
        # Blank the bad statement, and what parsed before it up to the end of the last
        # complete statement (kept now; what lies between is read again).
        new_work = blank(work, start, end)
        if done:
            last = (done[-1].span.end_line, done[-1].span.end_column)
            kept += done
            kept_comments += [c for c in seen if (c[1], c[2]) < last]
            new_work = blank(new_work, 0, _offset(work, *last))
        if len(diagnostics) >= MAX_SYNTAX_ERRORS or new_work == work:
            # Too many errors, or nothing left to blank: stop, with no statements (a
            # model of part of the file would only add findings about the rest).
            statements, kept = [], []
            comments.clear()
            skipped = [text]
            break
        work = new_work
    all_comments = kept_comments + list(comments)
    return SourceFile(
        path,
        text,
        tuple(kept + statements),
        tuple(Comment(t, line, col) for t, line, col in all_comments),
        tuple(diagnostics),
        tuple(skipped),
    )


def _offset(text: str, line: int, column: int) -> int:
    """The offset of 1-based ``line``, ``column`` in ``text``."""
    at = 0
    for _ in range(line - 1):
        at = text.index("\n", at) + 1
    return at + column - 1


def decode(data: bytes, path: str = "<stdin>") -> tuple[str | None, Diagnostic | None]:
    """Bytes -> text; invalid UTF-8 becomes a PS01 at the first bad byte, UTF-16 and
    classic-Mac (lone CR) line ends a PS01 that says so."""
    utf16 = _utf16(data)
    if utf16:
        return None, Diagnostic.make(
            "PS01",
            Span.point(1, 1),
            msg("the file is {encoding}, not UTF-8", encoding=utf16),
            msg("save the file as UTF-8"),
        ).with_file(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        good = data[: err.start].decode("utf-8")
        line = good.count("\n") + 1
        column = len(good) - (good.rfind("\n") + 1) + 1
        return None, Diagnostic.make(
            "PS01",
            Span.point(line, column),
            msg("the file is not valid UTF-8 (byte 0x{byte:02x})", byte=data[err.start]),
            msg("save the file as UTF-8"),
        ).with_file(path)
    lone_cr = _LONE_CR.search(text)
    if lone_cr is not None:
        before = text[: lone_cr.start()]
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        return None, Diagnostic.make(
            "PS01",
            Span.point(line, column),
            msg("a line ends with a carriage return alone (classic Mac line ends)"),
            msg("save the file with LF (or CRLF) line ends"),
        ).with_file(path)
    return text, None


_LONE_CR = re.compile("\r(?!\n)")


def _utf16(data: bytes) -> str | None:
    """'UTF-16' (with the byte order) when ``data`` looks like UTF-16 text, else None."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return N_("UTF-16 (with a byte-order mark)")
    sample = data[:4096]
    if len(sample) < 4 or sample.count(0) < len(sample) // 4:
        return None
    for order, zeros in (("LE", sample[1::2]), ("BE", sample[0::2])):
        if zeros.count(0) >= len(zeros) * 3 // 4:
            try:
                data[: len(data) // 2 * 2].decode(f"utf-16-{order.lower()}")
            except UnicodeDecodeError:
                continue
            return msg("UTF-16 {order} (without a byte-order mark)", order=order)
    return None
