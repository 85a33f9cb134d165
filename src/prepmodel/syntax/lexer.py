"""A fast lexer for Lark's LALR parser (lexing was most of the parse time on big models).

It produces exactly the terminals of ``grammar/prep.lark`` with one compiled regular
expression, and decides the one context-dependent thing itself: a keyword (`goal`,
`phase`, ...) is a keyword only where a statement starts, i.e. at brace depth 0 after the
start of the file, a `;`, or a line end that does not follow a comma (such a line end is
not a token at all: the list goes on). Comments are kept
in ``PrepLexer.comments`` for the formatter and for ``# prep: ignore``.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from typing import Any, ClassVar

from lark import Token
from lark.exceptions import UnexpectedCharacters
from lark.lexer import Lexer, LexerState

from prepmodel.syntax import names
from prepmodel.syntax.tree import Name, unescape
from prepmodel.text.span import Span

_span = tuple.__new__

KEYWORDS = {word: word.upper() for word in sorted(names.KEYWORDS)}  # word -> terminal
_PUNCT = {
    ",": "COMMA",
    ":": "COLON",
    ";": "SEMICOLON",
    "=": "EQUAL",
    "{": "LBRACE",
    "}": "RBRACE",
    "<-": "ARROW",
    "[": "LBRACKET",
    "]": "RBRACKET",
}

# Each match eats the horizontal white space before its token, so white space costs no
# loop turn of its own; END matches white space at the end of the text.
_TOKENS = re.compile(
    r"""[^\S\n]*(?:
        (?P<NL>\n(?:[^\S\n]*\n)*)  # blank lines too, so a blanked-out region is one token
      | (?P<COMMENT>\#[^\n]*)
      | (?P<QUOTED>"""
    + names.QUOTED_NAME
    + r""")
      | (?P<PUNCT><-|[,:;={}\[\]])
      | (?P<NAME>"""
    + names.BARE_NAME
    + r""")
      | (?P<END>\Z)
      | (?P<ERROR>.))""",
    re.VERBOSE | re.DOTALL,
)

# `kpi` became a keyword in v2; a v1 file may have a deliverable called `kpi` at the
# start of an assembly statement (`kpi <- ...`): there it stays a name.
_ARROW_AFTER = re.compile(r"[^\S\n]*<-")

# Terminals whose value and position no rule looks at (Lark's child filters drop them;
# the list rules skip any token). With ``scan(..., fast=True)`` they are one shared token
# each, for the driver in prepmodel.syntax.lalr.
FILTERED = frozenset({"_NL", "COMMA", "COLON", "SEMICOLON", "EQUAL"})


def _token(
    kind: str,
    value: str,
    start: int,
    line: int,
    column: int,
    end_line: int,
    end_column: int,
    end: int,
    _new: Any = str.__new__,
) -> Token:
    """A lark Token without Token.__new__'s keyword handling: a third of the cost, which
    matters at ~300,000 tokens for a 10,000-deliverable model. Same attributes."""
    tok: Token = _new(Token, value)
    tok.type = kind
    tok.value = value
    tok.start_pos = start
    tok.line = line
    tok.column = column
    tok.end_line = end_line
    tok.end_column = end_column
    tok.end_pos = end
    return tok


class PrepLexer(Lexer):
    """Lark custom lexer (interface 2): ``lex(lexer_state, parser_state)``."""

    __future_interface__ = 2
    comments: ClassVar[list[tuple[str, int, int]]] = []
    #: The ``Span.file`` of the names made by the parse under way ("" : the file read).
    file: ClassVar[str] = ""

    def __init__(self, lexer_conf: Any) -> None:
        self.lexer_conf = lexer_conf

    def lex(self, lexer_state: LexerState, parser_state: Any) -> Iterator[Token]:
        return scan(lexer_state.text.text, PrepLexer.comments, parser_state, file=PrepLexer.file)


def scan(
    text: str,
    comments: list[tuple[str, int, int]],
    parser_state: Any = None,
    *,
    fast: bool = False,
    file: str = "",
    first_line: int = 1,
) -> Iterator[Token]:
    """The tokens of ``text``; comments go to ``comments`` as (text, line, column).

    An unknown character raises lark's ``UnexpectedCharacters`` (with the terminals the
    parser state allows, when there is one). With ``fast`` (for prepmodel.syntax.lalr,
    which reads only ``.type`` and passes values on to the transformer) a name comes as the
    :class:`~prepmodel.syntax.tree.Name` itself and a token in ``FILTERED`` as one shared
    token. ``file``: the ``Span.file`` of the names' spans (an imported file's path).
    ``first_line``: the line number of the text's first line (a slice of a file that
    starts at a line start, re-parsed alone by :mod:`prepmodel.syntax.incremental`)."""
    line = first_line
    line_start = 0
    depth = 0
    last = ""  # type of the last token sent, "" at the start of the file
    newline = True
    names_value = False  # the attribute being read has names as values (`by`, `owner` ...)
    shared = {k: _token(k, "", 0, 0, 0, 0, 0, 0) for k in FILTERED} if fast else None
    # One string object per distinct name: a big model names each deliverable, role and
    # attribute value many times (172,000 names, 10,000 distinct, at 10,000
    # deliverables), and the syntax tree keeps every one (issue #18).
    intern: dict[str, str] = {}
    once = intern.setdefault
    # Branches in order of frequency: names, punctuation, line ends, quoted names.
    for m in _TOKENS.finditer(text):
        kind: str = m.lastgroup  # type: ignore[assignment]
        start, end = m.span(kind)
        if kind == "NAME":
            value = text[start:end]
            column = start - line_start + 1
            key_position = depth > 0 and (
                last in ("LBRACE", "SEMICOLON") or (newline and last != "COMMA")
            )
            if key_position:
                names_value = value in names.NAME_VALUED_KEYS
            if not value.isascii() and (depth == 0 or key_position or names_value):
                # a name, an attribute key, or a value that names roles, KPIs or scenarios
                # (not free text), typed with an input method's ',' or ':'
                slip = names.IME_SLIP.search(value)
                if slip is not None:
                    at = start + slip.start()
                    raise _error(text, at, line, at - line_start + 1, parser_state)
            if (
                depth == 0
                and value in KEYWORDS
                and (last in ("", "SEMICOLON") or (newline and last != "COMMA"))
                and not (value == "kpi" and _ARROW_AFTER.match(text, end))
            ):
                kind = KEYWORDS[value]
            elif fast:
                last = "NAME"
                newline = False
                yield Name(
                    once(value, value),
                    False,  # type: ignore[misc]
                    _span(Span, (line, column, line, column + end - start, file)),
                )
                continue
        elif kind == "PUNCT":
            value = text[start:end]
            kind = _PUNCT[value]
            if kind == "LBRACE":
                depth += 1
            elif kind == "RBRACE":
                names_value = False
                if depth:
                    depth -= 1
            elif shared is not None and kind in FILTERED:  # , : ; =
                last = kind
                newline = False
                yield shared[kind]
                continue
            column = start - line_start + 1
        elif kind == "NL":
            if last == "COMMA":  # a list goes on: the line end is not a separator
                line += text.count("\n", start, end)
                line_start = end
                continue
            value = text[start:end]
            if shared is None:
                tok = _token(
                    "_NL",
                    value,
                    start,
                    line,
                    start - line_start + 1,
                    line,
                    start - line_start + 2,
                    end,
                )
            else:
                tok = shared["_NL"]
            line += value.count("\n")
            line_start = end
            newline = True
            yield tok
            continue
        elif kind == "QUOTED":
            value = text[start:end]
            column = start - line_start + 1
            if depth > 0 and (last in ("LBRACE", "SEMICOLON") or (newline and last != "COMMA")):
                names_value = False  # a quoted key: its values are read as written
            if fast:
                last = "NAME"
                newline = False
                unquoted = unescape(value)
                yield Name(
                    once(unquoted, unquoted),
                    True,  # type: ignore[misc]
                    _span(Span, (line, column, line, column + end - start, file)),
                )
                continue
            kind = "NAME"  # one terminal for both: the transformer looks at the quote
        elif kind == "COMMENT":
            comments.append((text[start:end].rstrip("\r"), line, start - line_start + 1))
            continue
        elif kind == "END":
            continue
        else:  # ERROR
            raise _error(text, start, line, start - line_start + 1, parser_state)
        last = kind
        newline = False
        yield _token(kind, value, start, line, column, line, column + end - start, end)


def _accepted(parser_state: Any, terminals: set[str]) -> set[str]:
    """The terminals the parser would really take next (as Lark's ``accepts``): the LALR row
    also lists tokens that a default reduction lets in only to fail one step later."""
    from copy import copy

    from lark.exceptions import UnexpectedToken

    conf = copy(parser_state.parse_conf)
    conf.callbacks = {}  # trial feeds must not run the transformer
    out: set[str] = set()
    for t in terminals:
        trial = parser_state.copy(deepcopy_values=False)
        trial.parse_conf = conf
        try:
            trial.feed_token(Token(t, ""), is_end=t == "$END")
        except UnexpectedToken:
            continue
        except Exception:  # anything else: keep the terminal rather than lose the message
            pass
        out.add(t)
    return out


def _error(text: str, pos: int, line: int, column: int, parser_state: Any) -> Exception:
    allowed: set[str] = set()
    with contextlib.suppress(AttributeError, KeyError, IndexError):
        row = parser_state.parse_conf.parse_table.states[parser_state.position]
        allowed = _accepted(parser_state, {k for k in row if k.isupper()})
    error: Exception = UnexpectedCharacters(  # type: ignore[no-untyped-call]
        text, pos, line, column, allowed=allowed, state=parser_state
    )
    return error
