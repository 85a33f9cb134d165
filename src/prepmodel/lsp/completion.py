"""Completion: deliverable names, keywords, attribute keys, roles, phases, scenarios.

The context comes from the raw text before the cursor, not from the syntax tree: while
someone types, the line is usually not valid yet. Names match regardless of full/half width
and case (``ｋｐｉ`` finds ``KPI設計``): the typed word and the names are compared by
identity (NFKC), and the client is given a ``filterText`` that keeps such a match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lsprotocol import types as lsp

from prepmodel.lsp.documents import Document
from prepmodel.model.core import (
    ASSEMBLY_KEYS,
    DELIVERABLE_KEYS,
    KPI_KEYS,
    MODEL_KEYS,
    PHASE_KEYS,
    ROLE_KEYS,
    identity,
)
from prepmodel.review.match import kind_of
from prepmodel.syntax.names import KEYWORDS, render_name

_HIDDEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|#[^\n]*')
_RESERVED = set(' \t\u3000#"{}()[],:;<>=|')
_STATEMENT_KEYWORDS = ("goal", "external", "deliverable", "group", "phase", "role", "kpi", "model")
LAER = ("Land", "Adopt", "Expand", "Renew")
_VALUES = {"direction": ("LR", "RL", "TB", "BT"), "lang": ("ja", "en")}
_KEYS = {
    "model": MODEL_KEYS,
    "goal": DELIVERABLE_KEYS,
    "external": DELIVERABLE_KEYS,
    "deliverable": DELIVERABLE_KEYS,
    "group": DELIVERABLE_KEYS,
    "phase": PHASE_KEYS,
    "role": ROLE_KEYS,
    "kpi": KPI_KEYS,
}


def _hide(match: re.Match[str]) -> str:
    text = match.group(0)
    if text.startswith("#"):
        return " " * len(text)
    return '"' + "x" * (len(text) - 2) + '"'


@dataclass(frozen=True)
class Context:
    """Where the cursor is: what is being typed and what may stand there."""

    what: str  # "statement", "names", "phase", "role-decl", "key", "value", "none"
    word: str  # the text typed so far (an opening quote included)
    start: int  # character where ``word`` starts on the cursor's line
    block: str | None = None  # the statement kind of the enclosing { } block
    key: str | None = None  # the attribute key, for "value"


def _last_separator(text: str) -> int:
    """Offset after the last statement separator: ';', '{', '}', or a line end that does
    not follow a comma (a list goes on after a comma)."""
    best = -1
    for match in re.finditer(r"[;{}]|\n", text):
        if match.group(0) == "\n" and text[: match.start()].rstrip().endswith(","):
            continue
        best = match.end()
    return best if best >= 0 else 0


def context(document: Document, position: lsp.Position) -> Context:
    line, char = document.lines.from_client(position)
    line_text = document.lines.line(line)[:char]
    # The prefix of the document up to the cursor, with comments blanked and the inside
    # of closed quoted names masked (their braces and colons are text, not syntax).
    before_lines = "\n".join(document.lines.lines[:line])
    prefix = (before_lines + "\n" if line else "") + line_text
    hidden = _HIDDEN.sub(_hide, prefix)
    line_hidden = hidden[len(hidden) - len(line_text) :]
    if "#" in line_text and "#" not in line_hidden:
        return Context("none", "", char)  # in a comment
    quote = line_hidden.rfind('"')
    if line_hidden.count('"') % 2 == 1:
        start = quote  # inside an unfinished quoted name
    else:
        start = len(line_text)
        while start > 0 and line_text[start - 1] not in _RESERVED:
            start -= 1
        while start < len(line_text) and line_text[start] == "-":
            start += 1
    word = line_text[start:]
    head_end = len(hidden) - len(line_text) + start
    structure = hidden[:head_end]
    depth: list[int] = []
    for match in re.finditer(r"[{}]", structure):
        if match.group(0) == "{":
            depth.append(match.start())
        elif depth:
            depth.pop()
    if depth:
        opened = depth[-1]
        head = structure[_last_separator(structure[:opened]) : opened].split()
        block = head[0] if head and head[0] in _KEYS else "assembly"
        segment = structure[opened + 1 :]
        segment = segment[_last_separator(segment) :]
        if ":" in segment:
            key = segment.split(":", 1)[0].strip()
            return Context("value", word, start, block, key)
        return Context("key", word, start, block)
    segment = structure[_last_separator(structure) :]
    tokens = segment.split()
    if not tokens:
        return Context("statement", word, start)
    first = tokens[0]
    if first == "phase" and ":" not in segment:
        return Context("phase", word, start)
    if first == "role":
        return Context("role-decl", word, start)
    if first in ("model", "import"):
        return Context("none", word, start)
    if "<-" not in segment and first not in KEYWORDS:
        return Context("none", word, start)  # after an output name: `<-` comes next
    return Context("names", word, start)


def _matches(typed: str, name: str) -> bool:
    wanted = identity(typed.lstrip('"')).casefold()
    return not wanted or wanted in identity(name).casefold()


class _Items:
    def __init__(self, document: Document, position: lsp.Position, ctx: Context) -> None:
        line, char = document.lines.from_client(position)
        end = char
        rest = document.lines.line(line)[char:]
        if ctx.word.startswith('"') and rest.startswith('"'):
            end += 1  # the closing quote an editor typed for us
        self.range = lsp.Range(
            start=document.lines.position(line, ctx.start), end=document.lines.position(line, end)
        )
        self.ctx = ctx
        self.items: list[lsp.CompletionItem] = []

    def add(
        self,
        label: str,
        kind: lsp.CompletionItemKind,
        detail: str | None = None,
        insert: str | None = None,
    ) -> None:
        typed = self.ctx.word
        if not _matches(typed, label):
            return
        text = insert if insert is not None else render_name(label)
        plain = typed.lstrip('"').casefold()
        # The client filters by the typed word too; when only identity matches (other
        # width), lead the filter text with what was typed so the item stays.
        filter_text = None if plain in label.casefold() else typed + label
        self.items.append(
            lsp.CompletionItem(
                label=label,
                kind=kind,
                detail=detail,
                sort_text=f"{len(self.items):06d}",
                filter_text=filter_text,
                text_edit=lsp.TextEdit(range=self.range, new_text=text),
            )
        )


_ITEM_KIND = {
    "goal": (lsp.CompletionItemKind.Class, "goal"),
    "external": (lsp.CompletionItemKind.Constant, "external"),
    "group": (lsp.CompletionItemKind.Struct, "group"),
    "produced": (lsp.CompletionItemKind.Variable, "produced"),
    "declared": (lsp.CompletionItemKind.Variable, "not produced yet"),
}


def _deliverables(document: Document, items: _Items) -> None:
    """Every deliverable, with its step (when some goal needs it) and kind."""
    analysis = document.analysis
    step_of = analysis.journey.step_of
    for key, deliverable in analysis.model.deliverables.items():
        kind, what = _ITEM_KIND[kind_of(analysis, key)]
        step = step_of.get(key)
        detail = f"step {step} · {what}" if step is not None else what
        items.add(deliverable.name, kind, detail)


def complete(document: Document, position: lsp.Position) -> lsp.CompletionList:
    ctx = context(document, position)
    items = _Items(document, position, ctx)
    index = document.index
    if ctx.what == "statement":
        for keyword in _STATEMENT_KEYWORDS:
            items.add(keyword, lsp.CompletionItemKind.Keyword, "statement", keyword + " ")
        _deliverables(document, items)
    elif ctx.what == "names":
        _deliverables(document, items)
    elif ctx.what == "phase":
        declared = index.names("phase")
        for occurrence in declared.values():
            items.add(
                occurrence.text, lsp.CompletionItemKind.Module, f"line {occurrence.span.line}"
            )
        for name in LAER:
            if identity(name) not in declared:
                items.add(name, lsp.CompletionItemKind.Module, "LAER phase")
    elif ctx.what == "role-decl":
        for occurrence in index.names("role").values():
            items.add(occurrence.text, lsp.CompletionItemKind.Interface, "role")
    elif ctx.what == "key":
        for key in _KEYS.get(ctx.block or "", ASSEMBLY_KEYS):
            items.add(key, lsp.CompletionItemKind.Property, f"{ctx.block} attribute", key + ": ")
    elif ctx.what == "value" and ctx.key is not None:
        kind_of = {"by": "role", "owner": "role", "consulted": "role", "informed": "role"}
        if ctx.key in kind_of:
            for occurrence in index.names("role").values():
                items.add(occurrence.text, lsp.CompletionItemKind.Interface, "role")
        elif ctx.key == "when":
            for occurrence in index.names("scenario").values():
                items.add(occurrence.text, lsp.CompletionItemKind.EnumMember, "scenario")
        elif ctx.key == "kpi":
            for occurrence in index.names("kpi").values():
                items.add(occurrence.text, lsp.CompletionItemKind.Value, "KPI")
        for value in _VALUES.get(ctx.key, ()):
            items.add(value, lsp.CompletionItemKind.EnumMember, ctx.key)
    return lsp.CompletionList(is_incomplete=bool(ctx.word), items=items.items)
