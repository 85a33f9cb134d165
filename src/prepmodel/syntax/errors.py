"""Syntax errors in words: Lark exceptions -> PS01 diagnostics, and error recovery."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator

from lark import Lark, Token
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from prepmodel.diagnostics import Diagnostic, Severity, declare
from prepmodel.syntax.names import CONTROL, KEYWORDS, QUOTED_NAME
from prepmodel.text.i18n import N_, Message, listing, msg
from prepmodel.text.span import Span

PS01 = declare("PS01", "syntax-error", Severity.ERROR, "syntax error")
"""Found here and in ``parser.decode``; ``check.rules.ps_syntax`` reports it."""

# Known mistakes, recognised by the parser state they leave behind (lark's match_examples).
_EXAMPLES: dict[str, tuple[list[str], Message]] = {
    "assembly-without-inputs": (
        ["A <-\n", "A <- \n", "A <-;", "A <- {"],
        msg("list the inputs after '<-', e.g. `Bill <- \"Order slip\"`"),
    ),
    "two-outputs": (
        ["A, B <- C\n"],
        msg("one output per route: write `A <- C` and `B <- C` on separate lines"),
    ),
    "missing-arrow": (
        ["A B\n", "A B, C\n", "A\n", "A;", "A"],
        msg("an assembly route is `OUTPUT <- INPUT, ...`; quote names that contain spaces"),
    ),
    "keyword-without-name": (
        ["goal\n", "external\n", "deliverable\n", "role\n", "goal;", "external {"],
        msg("name at least one deliverable after the keyword"),
    ),
    "dangling-comma": (
        ["A <- B,\n\n", "goal A,\n\n", "A <- B, {", "A <- B { by: x, }"],
        msg("a list ends with a name, not a comma"),
    ),
    "attribute-without-colon": (
        [
            "A <- B { work x }",
            "goal A { title\n",
            "goal A { title x",
            "A <- B { work: x; by y }",
            "A <- B { work: x\n by y }",
        ],
        msg("write attributes as `key: value`, separated by newlines or ';'"),
    ),
    "attribute-without-value": (
        ["A <- B { work: }", "A <- B { work:\n", "A <- B { work: ;"],
        msg("give the attribute a value after ':'"),
    ),
    "phase-without-colon": (
        ["phase Land A\n", "phase Land\n", "phase Land A, B\n"],
        msg("a phase lists its deliverables after a colon: `phase Land: A, B`"),
    ),
    "group-without-equals": (
        ["group G A\n", "group G\n", "group G A, B\n"],
        msg("a group lists its members after '=': `group G = A, B`"),
    ),
    "group-without-keyword": (
        ["G = A, B\n", "G = A\n"],
        msg("a group is written `group G = A, B`"),
    ),
    "block-without-statement": (
        ["Menu { title: x }\n", "Menu {\n"],
        msg("attributes belong to a statement: `deliverable Menu { title: x }`"),
    ),
    "phase-without-keyword": (
        ["Menu: x\n", "Land: A, B\n"],
        msg("a phase is written `phase Land: A, B`; attributes go in braces after a statement"),
    ),
    "arrow-in-value": (
        [
            "A <- B { note: a<-b }",
            "goal A { note: a <- b }",
            "A <- B {\n note: a<-b }",
            "A <- B { work: x\n note: a<-b }",
        ],
        msg(
            "'<-' is reserved punctuation: quote a value that contains it, e.g. `note: \"a <- b\"`"
        ),
    ),
    "unclosed-block": (
        ["goal A { title: x\n", "A <- B { work: x\n"],
        msg("close the block with '}'"),
    ),
}

_TOKEN_WORDS: dict[str, str] = {
    "NAME": N_("a name"),
    "ARROW": "'<-'",
    "COMMA": "','",
    "COLON": "':'",
    "EQUAL": "'='",
    "SEMICOLON": "';'",
    "LBRACE": "'{'",
    "RBRACE": "'}'",
    "LBRACKET": "'['",
    "RBRACKET": "']'",
    "_NL": N_("the end of the line"),
    "$END": N_("the end of the file"),
    "MODEL": "'model'",
    "GOAL": "'goal'",
    "EXTERNAL": "'external'",
    "DELIVERABLE": "'deliverable'",
    "GROUP": "'group'",
    "PHASE": "'phase'",
    "ROLE": "'role'",
    "KPI": "'kpi'",
    "IMPORT": "'import'",
}

_STATEMENT_START = {word.upper() for word in KEYWORDS}


def _expected_words(expected: set[str]) -> str:
    names = set(expected)
    words: list[str] = []
    if "NAME" in names:
        words.append(N_("a name"))
        names.discard("NAME")
    if names & _STATEMENT_START and len(names & _STATEMENT_START) > 2:
        words.append(N_("a statement"))
        names -= _STATEMENT_START
    if {"_NL", "SEMICOLON"} & names:
        words.append(N_("the end of the statement"))
        names -= {"_NL", "SEMICOLON"}
    words += sorted(_TOKEN_WORDS.get(n, n) for n in names)
    if len(words) <= 1:
        return words[0] if words else N_("something else")
    return listing(words)


@functools.cache
def _examples() -> dict[str, list[str]]:
    """Each example alone and after one statement: lark compares parser stack depths."""
    return {label: ex + ["X <- Y\n" + e for e in ex] for label, (ex, _h) in _EXAMPLES.items()}


def _pos(err: UnexpectedCharacters) -> int:
    return int(err.pos_in_stream or 0)


def _found_words(err: UnexpectedInput, text: str) -> str:
    if isinstance(err, UnexpectedCharacters):
        ch = text[_pos(err)] if _pos(err) < len(text) else ""
        return msg("character {char!r}", char=ch) if ch.strip() else N_("white space")
    if isinstance(err, UnexpectedToken):
        if err.token.type == "$END":
            return N_("end of file")
        if err.token.type == "_NL":
            return N_("end of line")
        if err.token.type == "NAME":
            return msg("name {name!r}", name=str(err.token))
        return _TOKEN_WORDS.get(err.token.type, repr(str(err.token)))
    return N_("end of file")


def describe(err: UnexpectedInput, text: str, lark: Lark) -> tuple[Diagnostic, int]:
    """A PS01 diagnostic in words, and the offset of the statement to skip for recovery."""
    offset = error_offset(err, text)
    brace = _open_brace_before(text, offset)
    line_start = text.rfind("\n", 0, offset) + 1
    # A '{' left open on an earlier line, and the parser stopped at the next statement:
    # say so at the brace. (An error inside a block on one line is not about the brace.)
    if (
        brace is not None
        and brace < line_start
        and _starts_statement_line(text, offset)
        and _next_brace(text, offset) != "}"
    ):
        line, column = _line_col(text, brace)
        here = _line_col(text, offset)[0]
        return (
            Diagnostic.make(
                "PS01",
                Span.point(line, column),
                N_("'{' is never closed"),
                msg("close the block with '}}' before line {line}", line=here),
            ),
            brace,
        )
    return _describe(err, text, lark), offset


def _describe(err: UnexpectedInput, text: str, lark: Lark) -> Diagnostic:
    line = err.line if err.line and err.line > 0 else text.count("\n") + 1
    column = err.column if err.column and err.column > 0 else 1
    hint: str | None = None
    message: str

    if isinstance(err, UnexpectedCharacters):
        ch = text[_pos(err)] if _pos(err) < len(text) else ""
        rest = text[_pos(err) : _pos(err) + 2]
        control = _control_in_name(text, _pos(err))
        if control is not None:
            line, column = _line_col(text, control)
            code = ord(text[control])
            message = msg("control character U+{code:04X} in a name", code=code)
            hint = msg(
                "names cannot hold control characters (they would act on terminals, "
                "logs and diagrams): remove it"
            )
        elif ch == '"':
            message = msg("unclosed quoted name")
            hint = msg('close the name with " on the same line; write \\" for a quote inside it')
        elif rest == "->":
            message = msg("unexpected '->'")
            hint = msg("routes point from the output to its inputs: write `OUTPUT <- INPUT, ...`")
        elif ch == "<" and rest[1:2] in _DASHES:
            message = msg("unexpected {text!r}", text=rest)
            hint = msg("write the arrow with ASCII characters: `<-`")
        elif ch == "-":
            message = msg("a bare name cannot start with '-'")
            hint = msg('quote the name: "-name"')
        elif ch in ("、", "，"):
            message = msg("full-width comma {char!r} in a name", char=ch)
            hint = msg(
                "use ',' (ASCII) between names; quote the name if {char!r} belongs to it", char=ch
            )
        elif ch == "：":
            message = msg("full-width colon '：' in a name")
            hint = msg("use ':' (ASCII) after an attribute key or a phase name")
        elif ch == "；":
            message = msg("full-width semicolon '；' in a name")
            hint = msg("use ';' (ASCII) between statements or attributes")
        elif ch == "＝":
            message = msg("full-width equals sign '＝' in a name")
            hint = msg("use '=' (ASCII) after the group's name: `group G = A, B`")
        else:
            found = _found_words(err, text)
            allowed = {a for a in (err.allowed or set())}
            message = msg(
                "unexpected {found}; expected {expected}",
                found=found,
                expected=_expected_words(allowed),
            )
            if ch in "()[]<>|=:;,{}":
                hint = msg("{char!r} is reserved punctuation: quote names that contain it", char=ch)
    else:
        expected: set[str] = set()
        if isinstance(err, UnexpectedToken):
            # What the parser really accepts here: LALR's default reductions make
            # ``expected`` list tokens that fail one step later.
            expected = set(_accepts(err) or err.expected)
        elif isinstance(err, UnexpectedEOF):
            expected = set(err.expected)
        message = msg(
            "unexpected {found}; expected {expected}",
            found=_found_words(err, text),
            expected=_expected_words(expected),
        )
        label = _match_example(err, lark)
        if label is not None:
            hint = _EXAMPLES[label][1]
        broken = _line_break_after(err, text)
        if broken is not None:
            operator, first_skipped, last_skipped = broken
            if first_skipped == last_skipped:
                hint = msg(
                    "a statement ends at the end of its line: write the first name on the "
                    "same line as '{operator}' (a list goes on to the next line only after a "
                    "comma); line {line} was skipped with this statement",
                    operator=operator,
                    line=first_skipped,
                )
            else:
                hint = msg(
                    "a statement ends at the end of its line: write the first name on the "
                    "same line as '{operator}' (a list goes on to the next line only after a "
                    "comma); lines {first}-{last} were skipped with this statement",
                    operator=operator,
                    first=first_skipped,
                    last=last_skipped,
                )
        if isinstance(err, UnexpectedToken):
            precise = _token_hint(err.token, text)
            space = None if precise else _space_hint(err.token, text)
            if precise:
                hint = precise
            elif space and (hint is None or "U+3000" in space or "'<-'" in hint):
                hint = space
                wide = _ideographic_space_before(err.token, text)
                if wide is not None:  # point at the space the input method typed
                    line, column = _line_col(text, wide)
                    message = msg("ideographic space (U+3000) between names")
                    hint = msg("use ',' (ASCII) between names; quote a name that contains a space")
                    return Diagnostic.make("PS01", Span.point(line, column), message, hint)
        if isinstance(err, UnexpectedToken):
            bracket = _bracket_hint(err, text, expected)
            if bracket is not None:
                hint = bracket
        if isinstance(err, UnexpectedToken) and err.token.type == "$END":
            opened = _open_brace_before(text, len(text))
            if opened is not None:
                line, column = _line_col(text, opened)
                message = N_("'{' is never closed")
                hint = N_("close the block with '}'")
    width = 1
    if isinstance(err, UnexpectedToken) and err.token.type not in ("$END", "_NL"):
        width = max(1, len(str(err.token).split("\n")[0]))
    return Diagnostic.make("PS01", Span.point(line, column, width), message, hint)


def _bracket_hint(err: UnexpectedToken, text: str, expected: set[str]) -> str | None:
    """A hint for a misplaced '[' or ']' (optional inputs, contract §9): ``[]``, ``[[X]]``,
    an unclosed ``[X``, brackets where no route input stands."""
    kind = err.token.type
    offset = error_offset(err, text)
    before = text[text.rfind("\n", 0, offset) + 1 : offset].rstrip()
    after_bracket = before.endswith("[")
    if kind == "LBRACKET":
        if after_bracket:
            return msg("one pair of brackets makes an input optional: write `[X]`, not `[[X]]`")
        return msg(
            "brackets mark an optional input of a route (`OUTPUT <- A, [B]`) and nothing "
            "else; quote a name that contains '[' or ']'"
        )
    if after_bracket:
        return msg("put the name of the optional input between the brackets: `[X]`")
    if "RBRACKET" in expected:
        if kind == "NAME":
            return msg(
                "close the optional input with ']' (`[X]`); quote a name that contains "
                'spaces: `["A B"]`'
            )
        return msg("close the optional input with ']': `[X]`")
    if kind == "RBRACKET":
        return msg(
            "']' without '[': write an optional input as `[X]`; quote a name that "
            "contains '[' or ']'"
        )
    return None


_CONTROL_CHAR = re.compile("[" + CONTROL + "]")


def _control_in_name(text: str, pos: int) -> int | None:
    """The offset of a control character that stopped the lexer at ``pos``: the character
    itself, or one inside the quoted name that starts there."""
    if pos >= len(text):
        return None
    if text[pos] == '"':
        end = text.find('"', pos + 1)
        line_end = text.find("\n", pos + 1)
        stop = len(text) if end < 0 else end
        if 0 <= line_end < stop:
            stop = line_end
        found = _CONTROL_CHAR.search(text, pos + 1, stop)
        return found.start() if found else None
    return pos if _CONTROL_CHAR.match(text, pos) and text[pos] not in "\r\n" else None


# Characters people type for the '-' of '<-' with a Japanese input method or a word processor.
_DASHES = frozenset("ー－—−‐–―ｰ")


def _token_hint(token: Token, text: str) -> str | None:
    """A hint from the offending token itself, more precise than the parser state's."""
    value = str(token)
    if token.type == "NAME" and (
        unicodedata.normalize("NFKC", value) == "<-"
        or value in ("←", "⟵")
        or (value[:1] == "＜" and value[1:] in _DASHES)
    ):
        return msg("write the arrow with ASCII characters: `<-`")
    if token.type == "ARROW" and token.start_pos is not None:
        line, before = _previous_code_line(text, int(token.start_pos))
        if before.endswith(","):
            return msg(
                "line {line} ends with a comma, so this line was read as more of its "
                "list: remove that comma",
                line=line,
            )
    return None


def _space_hint(token: Token, text: str) -> str | None:
    """A hint for two names on one line with only white space between them, when the
    example-based hint is missing or about something else (an ideographic space matched
    the '<-' example)."""
    if token.type != "NAME" or token.start_pos is None:
        return None
    start = int(token.start_pos)
    before = text[text.rfind("\n", 0, start) + 1 : start]
    gap = before[len(before.rstrip()) :]
    word = before.rstrip()
    if gap and word and word[-1] not in ",:;={}<-" and "#" not in word:
        kind = N_("an ideographic space (U+3000)") if "\u3000" in gap else N_("a space")
        return msg(
            "two names are separated by {kind}: quote names that contain spaces "
            "(`\"A B\"`), or separate names with ','",
            kind=kind,
        )
    return None


_DANGLING = re.compile(r"(<-|=|:)[ \t\u3000]*(?:#[^\n]*)?\r?\Z")


def _dangling_operator(text: str, offset: int) -> str | None:
    """The '=', ':' or '<-' that ends the code of the line holding ``offset`` (a line end
    the parser did not expect), if it is one."""
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    hashes = list(_code_positions(line, "#", report_comments=True))
    code = (line[: hashes[0]] if hashes else line).rstrip()
    found = _DANGLING.search(code)
    return found.group(1) if found else None


def continuation_end(text: str, offset: int) -> int | None:
    """When the syntax error at ``offset`` is a line break right after '=', ':' or '<-',
    the end offset of the lines that go on with the statement, else ``None``.

    The next line with code goes on with it when it does not start a statement itself (a
    keyword, or an arrow), together with any lines its trailing commas continue onto.
    """
    if offset >= len(text) or text[offset] not in "\r\n" or not _dangling_operator(text, offset):
        return None
    pos = text.find("\n", offset)
    while pos >= 0:
        nxt_start = pos + 1
        nxt_end = text.find("\n", nxt_start)
        line = text[nxt_start : nxt_end if nxt_end >= 0 else len(text)]
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            if _STATEMENT_LINE.match(line):
                return None
            return statement_bounds(text, nxt_start + len(line) - len(line.lstrip()))[1]
        pos = nxt_end
    return None


def _line_break_after(err: UnexpectedInput, text: str) -> tuple[str, int, int] | None:
    """For an error at a line end right after '=', ':' or '<-' with the statement going on
    below: the operator and the first and last numbers of the lines that go on with it."""
    if not isinstance(err, UnexpectedToken) or err.token.type != "_NL":
        return None
    offset = error_offset(err, text)
    end = continuation_end(text, offset)
    operator = _dangling_operator(text, offset)
    if end is None or operator is None:
        return None
    first = text.count("\n", 0, offset) + 2 + _blank_lines_after(text, offset)
    last = text.count("\n", 0, max(offset, end - 1)) + 1
    return operator, first, max(first, last)


def _blank_lines_after(text: str, offset: int) -> int:
    """How many blank or comment-only lines follow the line holding ``offset``."""
    count = 0
    pos = text.find("\n", offset)
    while pos >= 0:
        nxt_end = text.find("\n", pos + 1)
        stripped = text[pos + 1 : nxt_end if nxt_end >= 0 else len(text)].strip()
        if stripped and not stripped.startswith("#"):
            return count
        count += 1
        pos = nxt_end
    return count


def _ideographic_space_before(token: Token, text: str) -> int | None:
    """The offset of the last ideographic space (U+3000) in the white space before
    ``token``, when that white space holds one."""
    if token.start_pos is None:
        return None
    start = int(token.start_pos)
    gap_start = start
    while gap_start > 0 and text[gap_start - 1] in " \t\u3000":
        gap_start -= 1
    at = text.rfind("\u3000", gap_start, start)
    return at if at >= 0 else None


def _previous_code_line(text: str, pos: int) -> tuple[int, str]:
    """(number, code) of the last line before the one holding ``pos`` that has code,
    without its comment; (0, "") when there is none."""
    end = text.rfind("\n", 0, pos)
    while end > 0:
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end]
        hashes = list(_code_positions(line, "#", report_comments=True))
        code = (line[: hashes[0]] if hashes else line).strip()
        if code:
            return text.count("\n", 0, start) + 1, code
        end = start - 1
    return 0, ""


def _accepts(err: UnexpectedToken) -> set[str]:
    try:
        return set(err.accepts or ())
    except Exception:  # the interactive parser re-parses; never let it mask the error
        return set()


def _match_example(err: UnexpectedInput, lark: Lark) -> str | None:
    """The label of the known mistake that leaves the parser where ``err`` did.

    Lark's ``match_examples`` (with ``use_accepts`` and ``token_type_match_fallback``),
    with the examples parsed once per process instead of once per error: a big file with
    many errors no longer spends most of its time re-parsing the examples.
    """
    try:
        if err.state is None:
            return None
        accepts = _accepts(err) if isinstance(err, UnexpectedToken) else None
        candidate: str | None = None
        by_type = False
        for label, ut in _example_errors(lark):
            if ut.state != err.state:
                continue
            if accepts is not None and isinstance(ut, UnexpectedToken) and _accepts(ut) != accepts:
                continue
            if isinstance(err, UnexpectedToken | UnexpectedEOF) and isinstance(
                ut, UnexpectedToken | UnexpectedEOF
            ):
                if ut.token == err.token:  # the very same token: this is the one
                    return label
                if ut.token.type == err.token.type and not by_type:
                    candidate, by_type = label, True
            if candidate is None:
                candidate = label
        return candidate
    except Exception:  # never let the search for a hint mask the error itself
        return None


@functools.cache
def _example_errors(lark: Lark) -> tuple[tuple[str, UnexpectedInput], ...]:
    found: list[tuple[str, UnexpectedInput]] = []
    for label, examples in _examples().items():
        for example in examples:
            try:
                lark.parse(example)
            except UnexpectedInput as ut:
                found.append((label, ut))
    return tuple(found)


def error_offset(err: UnexpectedInput, text: str) -> int:
    """Where in ``text`` the parser stopped."""
    if isinstance(err, UnexpectedCharacters):
        return _pos(err)
    if (
        isinstance(err, UnexpectedToken)
        and err.token.type != "$END"
        and err.token.start_pos is not None
    ):
        return int(err.token.start_pos)
    return len(text)


def _line_col(text: str, pos: int) -> tuple[int, int]:
    return text.count("\n", 0, pos) + 1, pos - (text.rfind("\n", 0, pos) + 1) + 1


def _open_brace_before(text: str, offset: int) -> int | None:
    """Offset of the innermost '{' still open at ``offset`` (outside strings/comments)."""
    stack: list[int] = []
    for pos in _code_positions(text, "{}", start=_code_start(text), end=offset):
        if text[pos] == "{":
            stack.append(pos)
        elif stack:
            stack.pop()
    return stack[-1] if stack else None


def _next_brace(text: str, offset: int) -> str | None:
    """The next '{' or '}' in code at or after ``offset`` (None at the end of the file).
    A '}' means the open block is closed after all: the error is inside it."""
    for pos in _code_positions(text, "{}", start=offset):
        return text[pos]
    return None


def _starts_statement_line(text: str, offset: int) -> bool:
    line_start = text.rfind("\n", 0, offset) + 1
    line_end = text.find("\n", offset)
    return bool(_STATEMENT_LINE.match(text[line_start : line_end if line_end >= 0 else None]))


def _code_positions(
    text: str, chars: str, report_comments: bool = False, start: int = 0, end: int | None = None
) -> Iterator[int]:
    """Offsets of ``chars`` that are code (not inside a quoted name or comment), in order,
    from ``start`` to ``end``.

    With ``report_comments`` the '#' that starts each comment is reported too. A quoted
    name ends at its closing quote or at the end of its line, as in the lexer. One regular
    expression finds what matters, so error recovery stays fast on big files.
    """
    for m in _code_pattern(chars).finditer(text, start, len(text) if end is None else end):
        first = text[m.start()]
        if first == '"':
            continue
        if first == "#" and not report_comments:
            continue
        yield m.start()


@functools.cache
def _code_pattern(chars: str) -> re.Pattern[str]:
    wanted = "".join(re.escape(c) for c in chars if c not in '"#')
    # A quoted name, closed or not (then it ends with its line); a comment; a wanted char.
    return re.compile(QUOTED_NAME + "?|#[^\n]*" + (f"|[{wanted}]" if wanted else ""))


# A keyword and white space, or an arrow outside quotes, before any comment or brace.
_STATEMENT_LINE = re.compile(
    r"^[ \t]*(?:(?:" + "|".join(sorted(KEYWORDS)) + r")\s"
    r'|(?:[^#{}\n"]|' + QUOTED_NAME + r")*<-)"
)


def statement_bounds(text: str, offset: int) -> tuple[int, int]:
    """Start and end offsets of the top-level statement around ``offset``.

    A statement ends at ';' or a newline at brace depth 0, unless the last line with code
    ends with a comma (a list continues, over blank and comment lines too). An unclosed
    '{' ends at the next line that starts a statement.
    """
    start = line_start = _code_start(text)
    depth = 0
    comment_at: int | None = None
    continued = False  # the last line with code ended with a comma
    for pos in _code_positions(text, "{};\n#", report_comments=True, start=start):
        ch = text[pos]
        if ch == "#":
            comment_at = pos
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(0, depth - 1)
        elif ch == ";" and depth == 0:
            if start <= offset <= pos:
                return start, pos
            start = pos + 1
        elif ch == "\n":
            code = text[line_start : comment_at if comment_at is not None else pos].rstrip()
            line_start, comment_at = pos + 1, None
            nxt_end = text.find("\n", pos + 1)
            nxt = text[pos + 1 : nxt_end if nxt_end >= 0 else len(text)]
            if depth > 0 and _STATEMENT_LINE.match(nxt) and _next_brace(text, pos) != "}":
                depth = 0  # an unclosed block: the next statement starts here
            if code:  # blank and comment-only lines do not end a list (as in the lexer)
                continued = code.endswith(",")
            if depth == 0 and not continued:
                if start <= offset <= pos:
                    return start, pos
                start = pos + 1
    return start, len(text)


def statement_to_blank(text: str, offset: int) -> tuple[int, int]:
    """Start and end offsets of the statement that recovery blanks for an error at
    ``offset`` (at the end of the file: the last statement with content)."""
    start, end = statement_bounds(text, min(offset, len(text)))
    if offset >= len(text.rstrip()) and start >= len(text.rstrip()):
        # The error is at the end of the file: blank the last statement with content.
        stripped = text.rstrip()
        if not stripped:
            return len(text), len(text)
        start, end = statement_bounds(text, len(stripped) - 1)
    return start, end


_NOT_LINE_END = re.compile(r"[^\r\n]+")


def blank(text: str, start: int, end: int) -> str:
    """``text`` with ``text[start:end]`` replaced by spaces (line ends kept)."""
    chunk = _NOT_LINE_END.sub(lambda m: " " * len(m.group()), text[start:end])
    return text[:start] + chunk + text[end:]


def _code_start(text: str) -> int:
    """Start of the line with the first non-blank character: what comes before is blank
    (recovery blanks what it has read), so scans for braces and statements start here."""
    first = len(text) - len(text.lstrip())
    return text.rfind("\n", 0, first) + 1


def blank_statement_at(text: str, offset: int) -> str:
    """The text with the statement around ``offset`` replaced by spaces (newlines kept)."""
    start, end = statement_to_blank(text, offset)
    return blank(text, start, end)
