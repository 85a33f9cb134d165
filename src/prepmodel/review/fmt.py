"""The canonical formatter: `.prep` text in, the same model laid out one way out.

The file is flattened into *atoms* (the pieces no line break may split, such as
``"Order slip" <- Menu`` or ``work: Serve``) with a *gap* before each one. A gap holds the
comments found there and a decision: join (same line) or break (new line). Comments force a
break; a line that ends with a comment keeps all its atoms together (so a
``# prep: ignore[...]`` stays on the line its diagnostics are reported on); everything else
follows the canonical style in ``docs/formatting.md``.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from prepmodel.diagnostics import Diagnostic
from prepmodel.errors import PrepError
from prepmodel.model.core import Model, build
from prepmodel.syntax import tree as syn
from prepmodel.syntax.names import NAME_VALUED_KEYS, quote, render_name
from prepmodel.syntax.parser import parse
from prepmodel.text.width import width

WIDTH = 100
"""Lines longer than this (in display columns) are wrapped."""
MAX_INLINE_ATTRS = 3
"""A block with more attributes than this is written one attribute per line."""

# Gap kinds: what separates two atoms, how they join, where a break indents to.
STMT, LIST, BOPEN, ATTR, BCLOSE, VAL = "stmt", "list", "bopen", "attr", "bclose", "val"
_JOIN = {STMT: "; ", LIST: ", ", BOPEN: " ", ATTR: "; ", BCLOSE: " ", VAL: ", "}
_INDENT = {STMT: 0, LIST: 4, BOPEN: 2, ATTR: 2, BCLOSE: 0, VAL: 6}
_COMMENT_INDENT = {**_INDENT, BCLOSE: 2}
_BLOCK_KINDS = (BOPEN, ATTR, BCLOSE, VAL)


class FormatterError(PrepError, RuntimeError):
    """The formatter produced text that means something else: a bug, never user error."""


@dataclass(frozen=True, slots=True)
class FormatResult:
    """The formatted text, or the original text and its PS01 diagnostics."""

    text: str
    original: str
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.diagnostics

    @property
    def changed(self) -> bool:
        return self.text != self.original


@dataclass(slots=True)
class _Atom:
    text: str
    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(slots=True)
class _Gap:
    kind: str
    join: str = ""
    trailing: syn.Comment | None = None
    own: list[tuple[syn.Comment, bool]] = field(default_factory=list)  # (comment, blank before)
    blank: bool = False  # a blank line before the next atom (statement gaps only)
    pinned: bool = False
    alone: bool = False  # the atom after it starts a line ending in `# prep: ignore`
    decision: str = "fill"  # "join", "break" or "fill" (decided while writing)

    @property
    def forced(self) -> bool:
        return self.trailing is not None or bool(self.own) or self.alone


def normalise_newlines(text: str) -> str:
    """Drop a leading BOM and turn CRLF line ends into LF."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def format_source(text: str, path: str = "<stdin>", *, verify: bool = True) -> FormatResult:
    """Format ``.prep`` source text; a file that does not parse is returned untouched.

    A changed text is parsed again and compared with the input (same model, same
    comments, same ignores) before it is returned, unless ``verify`` is false: `prep fmt
    --check` only asks whether the text is canonical and writes nothing, so it skips the
    proof (about 40% of its time on a file that is not canonical).
    """
    source = parse(normalise_newlines(text), path)
    if not source.ok:
        return FormatResult(text, text, source.diagnostics)
    out = _Writer(source).write()
    if verify and out != text:  # unchanged text needs no proof
        _verify(source, out, path)
    return FormatResult(out, text)


def model_signature(model: Model) -> Any:
    """The model as plain data without positions, to compare two layouts of one model."""
    return _drop_spans(model.model_dump(exclude={"path"}))


def comment_texts(source: syn.SourceFile) -> Counter[str]:
    """The multiset of comment texts (trailing blanks ignored)."""
    return Counter(c.text.rstrip() for c in source.comments)


def unified_diff(before: str, after: str, path: str) -> str:
    """A unified diff of two texts, labelled ``a/PATH`` and ``b/PATH``."""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{path}",
        tofile=f"b/{path}",
    )
    return "".join(
        ln if ln.endswith("\n") else ln + "\n\\ No newline at end of file\n" for ln in lines
    )


def _drop_spans(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_spans(v) for k, v in value.items() if "span" not in k}
    if isinstance(value, list | tuple):
        return [_drop_spans(v) for v in value]
    return value


def _verify(source: syn.SourceFile, out: str, path: str) -> None:
    again = parse(out, path)
    if not again.ok:
        raise FormatterError(
            f"{path}: the formatted text does not parse: {again.diagnostics[0].message}"
        )
    if model_signature(build(again)) != model_signature(build(source)):
        raise FormatterError(f"{path}: the formatted text means a different model")
    if _routes_as_written(again) != _routes_as_written(source):
        raise FormatterError(f"{path}: the formatted text changed which inputs are optional")
    if comment_texts(again) != comment_texts(source):
        raise FormatterError(f"{path}: the formatted text lost or changed a comment")
    if any(_IGNORE.search(c.text) for c in source.comments) and (
        _reported(source.text, path) != _reported(out, path)
    ):
        raise FormatterError(
            f"{path}: the formatted text would change what `# prep: ignore` silences"
        )


_IGNORE = re.compile(r"#\s*prep:\s*ignore")


def _routes_as_written(source: syn.SourceFile) -> list[tuple[str, list[tuple[str, bool]]]]:
    """Each route's output and inputs as written, each input with its brackets (``[X]``):
    the model keeps an input both bracketed and bare once, as required, so the model alone
    would not see a layout drop a pair of brackets there."""
    return [
        (st.output.text, [(n.text, i in st.optional) for i, n in enumerate(st.inputs)])
        for st in source.statements
        if isinstance(st, syn.AssemblyStmt)
    ]


def _reported(text: str, path: str) -> Counter[tuple[str, str]]:
    """The diagnostics `prep check` shows for ``text`` (after ``# prep: ignore``), without
    positions: a layout must not move a name under, or out from, a suppression."""
    from prepmodel.checks.analysis import analyse_text

    found = analyse_text(text, path, imports=False).diagnostics  # fmt: this file alone
    return Counter((d.code, re.sub(r"\bline \d+", "line #", d.message)) for d in found)


class _Flatten:
    """Statements -> atoms and the gaps before them."""

    def __init__(self) -> None:
        self.atoms: list[_Atom] = []
        self.gaps: list[_Gap] = []

    def add(self, kind: str, text: str, start: tuple[int, int], end: tuple[int, int]) -> None:
        self.gaps.append(_Gap(kind, _JOIN[kind]))
        self.atoms.append(_Atom(text, *start, *end))

    def names(
        self,
        head: str,
        start: tuple[int, int],
        names: tuple[syn.Name, ...],
        optional: tuple[int, ...] = (),
    ) -> None:
        """A list of names; those at the positions in ``optional`` as ``[X]`` (a route's
        optional inputs: one pair of brackets, no space inside)."""

        def text(i: int, n: syn.Name) -> str:
            written = render_name(n.text)
            return f"[{written}]" if i in optional else written

        first = names[0]
        self.add(STMT, head + text(0, first), start, _end(first))
        for i, n in enumerate(names[1:], start=1):
            self.add(LIST, text(i, n), _start(n), _end(n))

    def statement(self, st: syn.Statement) -> None:
        start = (st.span.line, st.span.column)
        if isinstance(st, syn.ModelStmt):
            title = st.title
            head = "model" + (" " + render_name(title.text) if title else "")
            self.add(STMT, head, start, _end(title) if title else (start[0], start[1] + 5))
        elif isinstance(st, syn.ImportStmt):
            self.add(STMT, "import " + quote(st.path.text), start, _end(st.path))
        elif isinstance(st, syn.DeclStmt):
            self.names(st.keyword + " ", start, st.names)
        elif isinstance(st, syn.AssemblyStmt):
            self.names(render_name(st.output.text) + " <- ", start, st.inputs, st.optional)
        elif isinstance(st, syn.GroupStmt):
            self.names(f"group {render_name(st.name.text)} = ", start, st.members)
        else:
            self.names(f"phase {render_name(st.name.text)}: ", start, st.members)
        if st.block is not None:
            self.block(st.block)

    def block(self, block: syn.Block) -> None:
        last = self.atoms[-1]
        last.text += " {"
        last.end_line, last.end_column = block.span.line, block.span.column + 1
        kind = BOPEN
        for attr in block.attrs:
            first = attr.values[0]
            free = attr.key.text not in NAME_VALUED_KEYS  # free text, not role or KPI names
            text = f"{render_name(attr.key.text)}: {render_name(first.text, value=free)}"
            self.add(kind, text, _start(attr.key), _end(first))
            for v in attr.values[1:]:
                self.add(VAL, render_name(v.text, value=free), _start(v), _end(v))
            kind = ATTR
        end = (block.span.end_line, block.span.end_column)
        self.add(BCLOSE, "}", (end[0], end[1] - 1), end)
        if not block.attrs:
            self.gaps[-1].join = ""


def _start(n: syn.Name) -> tuple[int, int]:
    return n.span.line, n.span.column


def _end(n: syn.Name) -> tuple[int, int]:
    return n.span.end_line, n.span.end_column


class _Writer:
    """Places comments, decides every gap, writes the lines."""

    def __init__(self, source: syn.SourceFile) -> None:
        flat = _Flatten()
        for st in source.statements:
            flat.statement(st)
        self.atoms = flat.atoms
        self.gaps = [*flat.gaps, _Gap(STMT)]  # the last gap is the end of the file
        self.lines = source.text.split("\n")
        self._place_comments(source.comments)
        self._pin()
        self._blank_lines()
        for first, last in self._statements():
            self._decide(first, last)

    def _place_comments(self, comments: tuple[syn.Comment, ...]) -> None:
        starts = [(a.line, a.column) for a in self.atoms]
        i = 0
        for c in sorted(comments, key=lambda c: (c.line, c.column)):
            while i < len(starts) and starts[i] < (c.line, c.column):
                i += 1
            gap = self.gaps[i]
            if i > 0 and self.atoms[i - 1].end_line == c.line:
                gap.trailing = c
            else:
                gap.own.append((c, self._blank_before(c.line, gap, i)))

    def _blank_before(self, line: int, gap: _Gap, i: int) -> bool:
        """Is there a blank line just above ``line`` in a statement gap (not file start)?"""
        if gap.kind != STMT or (i == 0 and not gap.own):
            return False
        above = gap.own[-1][0].line if gap.own else self.atoms[i - 1].end_line
        return any(not self.lines[k - 1].strip() for k in range(above + 1, line))

    def _pin(self) -> None:
        """A line ending in a comment is never split: join the atoms on it. A line ending
        in ``# prep: ignore`` also gets no other atom: it starts where it started, so the
        suppression covers the same names after formatting."""
        for i, gap in enumerate(self.gaps):
            if gap.trailing is None:
                continue
            j = i - 1
            while j > 0 and self.atoms[j - 1].line == gap.trailing.line:
                self.gaps[j].pinned = True
                j -= 1
            if j > 0 and _IGNORE.search(gap.trailing.text):
                self.gaps[j].alone = True

    def _blank_lines(self) -> None:
        for i, gap in enumerate(self.gaps[: len(self.atoms)]):
            if gap.kind == STMT:
                gap.blank = self._blank_before(self.atoms[i].line, gap, i)

    def _statements(self) -> list[tuple[int, int]]:
        bounds: list[tuple[int, int]] = []
        for i in range(len(self.atoms)):
            if self.gaps[i].kind == STMT:
                bounds.append((i, i))
            bounds[-1] = (bounds[-1][0], i)
        return bounds

    def _decide(self, first: int, last: int) -> None:
        """Inline block or one attribute per line; then join, break or fill every gap.

        A block stays inline when it has few attributes and no comments, and fits at the
        end of the head without making the head wrap more than it would anyway.
        """
        inner = range(first + 1, last + 1)
        block = [i for i in inner if self.gaps[i].kind in _BLOCK_KINDS]
        attrs = sum(1 for i in block if self.gaps[i].kind in (BOPEN, ATTR))
        if any(self.gaps[i].forced for i in block) or attrs > MAX_INLINE_ATTRS:
            inline = False
        elif attrs == 0:
            inline = True
        else:
            self._set(first, last, inline=False)
            multi, _ = self._simulate(first, last)
            self._set(first, last, inline=True)
            breaks, end = self._simulate(first, last)
            inline = end <= WIDTH and breaks == {i for i in multi if self.gaps[i].kind == LIST}
        self._set(first, last, inline)

    def _set(self, first: int, last: int, inline: bool) -> None:
        self.gaps[first].decision = "join" if self.gaps[first].pinned else "break"
        for i in range(first + 1, last + 1):
            gap = self.gaps[i]
            if gap.forced:
                gap.decision = "break"
            elif gap.pinned or (inline and gap.kind in _BLOCK_KINDS):
                gap.decision = "join"
            elif gap.kind in (BOPEN, ATTR, BCLOSE):
                gap.decision = "break"
            else:
                gap.decision = "fill"

    def _simulate(self, first: int, last: int) -> tuple[set[int], int]:
        """The gaps a statement breaks at, and the width of its last line."""
        broken: set[int] = set()
        line = width(self.atoms[first].text)
        for i in range(first + 1, last + 1):
            if self._joins(i, line):
                line += width(self.gaps[i].join + self.atoms[i].text)
            else:
                broken.add(i)
                line = _INDENT[self.gaps[i].kind] + width(self.atoms[i].text)
        return broken, line

    def _joins(self, i: int, line: int) -> bool:
        gap = self.gaps[i]
        if gap.decision == "fill":
            return line + self._segment(i) <= WIDTH
        return gap.decision == "join"

    def _segment(self, i: int) -> int:
        """Width added by joining atom ``i`` and the atoms that must follow it on its line."""
        total = width(self.gaps[i].join + self.atoms[i].text)
        j = i + 1
        while j < len(self.atoms) and self.gaps[j].decision == "join":
            total += width(self.gaps[j].join + self.atoms[j].text)
            j += 1
        if self.gaps[j].kind in (LIST, VAL):
            total += 1  # the comma that stays at the end of the line
        return total

    def write(self) -> str:
        out: list[str] = []
        line = ""
        for i, atom in enumerate(self.atoms):
            gap = self.gaps[i]
            if i > 0 and self._joins(i, width(line)):
                line += gap.join + atom.text
                continue
            if i > 0:
                out.append(self._end_line(line, gap))
            self._own_comments(out, gap)
            if gap.blank:
                out.append("")
            line = " " * _INDENT[gap.kind] + atom.text
        end = self.gaps[-1]
        if self.atoms:
            out.append(self._end_line(line, end))
        self._own_comments(out, end)
        return "\n".join(out) + "\n" if out else ""

    @staticmethod
    def _end_line(line: str, gap: _Gap) -> str:
        if gap.kind in (LIST, VAL):
            line += ","
        if gap.trailing is not None:
            line += " " + gap.trailing.text.rstrip()
        return line

    @staticmethod
    def _own_comments(out: list[str], gap: _Gap) -> None:
        for comment, blank in gap.own:
            if blank:
                out.append("")
            out.append(" " * _COMMENT_INDENT[gap.kind] + comment.text.rstrip())
