"""Re-parse only the statements an edit touched (the language server, issue #11).

A keystroke in a 1,000-deliverable file changes one statement; parsing the whole file
again was most of the time from the keystroke to the diagnostics. :func:`reparse` takes
the last clean parse of the document (``base``) and the new text, and

1. finds the changed region as the common prefix and suffix of the two texts (not the
   editor's change ranges: whatever the edits were, the result depends only on the texts);
2. keeps the statements that end on a line before the first changed line (*prefix*) and
   those that start on a line after the last changed line (*suffix*), as long as no kept
   statement shares a line with a re-read one;
3. parses the whole lines in between alone, numbering its lines from where it starts;
4. moves the suffix's spans and comments by the number of lines the edit added or removed
   (columns do not move: the suffix starts at a line start, after the change).

Why this gives what a full parse gives: a statement boundary at a line start is a state
the lexer and parser always reach the same way. Before the slice, the last kept statement
is complete and the line end after it is a separator (a statement never ends with a comma,
the only token after which a line end is not one), so the slice is read as it would be
from the start of a file; the slice, parsed clean on its own, ends at brace depth 0 after
a separator (a dangling comma or brace is an error at its end), so the suffix is read as
it was. The grammar's ``statements`` list accepts a run of statements and separators from
any such point.

Anything else parses the whole file (:func:`~prepmodel.syntax.parser.parse`): a base with
syntax errors (its statements do not cover the text) or imports, a slice that does not
parse clean (the full parse makes the PS01 with its recovery), or no fast parser.
"""

from __future__ import annotations

from prepmodel.syntax.errors import blank
from prepmodel.syntax.parser import parse, parse_clean_slice
from prepmodel.syntax.tree import (
    AssemblyStmt,
    Attr,
    Block,
    Comment,
    DeclStmt,
    GroupStmt,
    ImportStmt,
    ModelStmt,
    Name,
    PhaseStmt,
    SourceFile,
    Statement,
)
from prepmodel.text.span import Span

_span = tuple.__new__


def reparse(base: SourceFile | None, text: str, path: str, *, file: str = "") -> SourceFile:
    """``parse(text, path, file=file)``, re-reading only what changed since ``base`` (an
    earlier result of :func:`parse` or of this function for the same ``path``)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if base is None or not base.ok or base.imports or base.path != path:
        return parse(text, path, file=file)
    if base.statements and base.statements[0].span.file != file:
        return parse(text, path, file=file)  # spans made for another file name
    found = _reparse(base, text, file)
    return found if found is not None else parse(text, path, file=file)


def _reparse(base: SourceFile, text: str, file: str) -> SourceFile | None:
    old = base.text
    if old == text:
        return base
    same_start = _common_prefix(old, text)
    same_end = _common_suffix(old, text, min(len(old), len(text)) - same_start)
    old_end = len(old) - same_end
    first_changed = old.count("\n", 0, same_start) + 1
    last_changed = old.count("\n", 0, old_end) + 1  # the line the unchanged tail starts on
    statements = base.statements
    n = len(statements)
    # Kept before: statements ending before the first changed line, none of them sharing
    # its last line with a statement that is read again.
    k = 0
    while k < n and statements[k].span.end_line < first_changed:
        k += 1
    while 0 < k < n and statements[k].span.line <= statements[k - 1].span.end_line:
        k -= 1
    first_line = statements[k - 1].span.end_line + 1 if k else 1
    # Kept after: statements starting after the last changed line, the first of them
    # alone on its first line (nothing of a re-read statement before it there).
    j = k
    while j < n and statements[j].span.line <= last_changed:
        j += 1
    while 0 < j < n and statements[j - 1].span.end_line >= statements[j].span.line:
        j += 1
    start = _line_start(old, first_line)
    if j < n:
        old_stop = _line_start(old, statements[j].span.line)
        stop = len(text) - (len(old) - old_stop)
    else:
        old_stop = stop = len(text)
        # (nothing kept after: the slice runs to the end of the text)
    sliced = parse_clean_slice(text[start:stop], first_line, file)
    if sliced is None:
        return _recover_after(base, text, start, k, first_line, file)
    middle, middle_comments = sliced
    moved = text.count("\n", start, stop) - old.count("\n", start, old_stop)
    tail = statements[j:]
    stop_line = statements[j].span.line if j < n else None
    comments_before = [c for c in base.comments if c.line < first_line]
    comments_after = (
        [c for c in base.comments if c.line >= stop_line] if stop_line is not None else []
    )
    if moved:
        tail = tuple(_move_statement(st, moved) for st in tail)
        comments_after = [Comment(c.text, c.line + moved, c.column) for c in comments_after]
    return SourceFile(
        base.path,
        text,
        (*statements[:k], *middle, *tail),
        (*comments_before, *middle_comments, *comments_after),
        (),
    )


def _recover_after(
    base: SourceFile, text: str, start: int, kept: int, first_line: int, file: str
) -> SourceFile | None:
    """The slice has a syntax error: the full parse's error recovery, on the text with the
    kept statements before the slice blanked out (line ends kept, so positions stay true).

    The full parse would read those statements as they were, reach the slice in the state
    it always has after a complete statement, and from there do what it does here; its
    recovery blanks what it has read anyway. What is saved is reading the kept statements
    again, twice (the fast parser, then Lark's, which stops at the error to describe it)."""
    if not kept:
        return None
    rest = parse(blank(text, 0, start), base.path, file=file)
    if rest.skipped and rest.skipped[-1] == rest.text:
        return None  # it gave up (too many errors): the full parse says so of the text
    return SourceFile(
        base.path,
        text,
        (*base.statements[:kept], *rest.statements),
        (*[c for c in base.comments if c.line < first_line], *rest.comments),
        rest.diagnostics,
        rest.skipped,
    )


def _common_prefix(a: str, b: str) -> int:
    """The length of the longest common prefix: a binary search of slice comparisons
    (each a memcmp), far faster in Python than a loop over characters."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        mid = (low + high + 1) // 2
        if a[low:mid] == b[low:mid]:
            low = mid
        else:
            high = mid - 1
    return low


def _common_suffix(a: str, b: str, limit: int) -> int:
    """The length of the longest common suffix, at most ``limit`` characters."""
    low, high = 0, limit
    la, lb = len(a), len(b)
    while low < high:
        mid = (low + high + 1) // 2
        if a[la - mid : la - low] == b[lb - mid : lb - low]:
            low = mid
        else:
            high = mid - 1
    return low


def _line_start(text: str, line: int) -> int:
    """The offset of the start of 1-based ``line`` (which exists) in ``text``."""
    at = 0
    for _ in range(line - 1):
        at = text.index("\n", at) + 1
    return at


# --- moving spans by whole lines -------------------------------------------------------


def _moved(span: Span, lines: int) -> Span:
    line, column, end_line, end_column, file = span
    result: Span = _span(Span, (line + lines, column, end_line + lines, end_column, file))
    return result


def _move_name(name: Name, lines: int) -> Name:
    return Name(name.text, name.quoted, _moved(name.span, lines))


def _move_names(names: tuple[Name, ...], lines: int) -> tuple[Name, ...]:
    return tuple([_move_name(n, lines) for n in names])


def _move_block(block: Block | None, lines: int) -> Block | None:
    if block is None:
        return None
    attrs = tuple(
        [
            Attr(_move_name(a.key, lines), _move_names(a.values, lines), _moved(a.span, lines))
            for a in block.attrs
        ]
    )
    return Block(attrs, _moved(block.span, lines))


def _move_statement(st: Statement, lines: int) -> Statement:
    """``st`` as it reads ``lines`` lines further down (same columns)."""
    span = _moved(st.span, lines)
    if type(st) is AssemblyStmt:
        return AssemblyStmt(
            _move_name(st.output, lines),
            _move_names(st.inputs, lines),
            _move_block(st.block, lines),
            span,
            optional=st.optional,
        )
    if type(st) is DeclStmt:
        return DeclStmt(
            st.keyword, _move_names(st.names, lines), _move_block(st.block, lines), span
        )
    if type(st) is GroupStmt or type(st) is PhaseStmt:  # the same fields: name, members
        return type(st)(
            _move_name(st.name, lines),
            _move_names(st.members, lines),
            _move_block(st.block, lines),
            span,
        )
    if type(st) is ImportStmt:
        return ImportStmt(_move_name(st.path, lines), span)
    assert type(st) is ModelStmt
    title = _move_name(st.title, lines) if st.title is not None else None
    return ModelStmt(title, _move_block(st.block, lines), span)
