"""Code actions from the diagnostics' hints, and formatting through `prep fmt`."""

from __future__ import annotations

import difflib
import re

from lsprotocol import types as lsp

from prepmodel.lsp.documents import Document
from prepmodel.model.core import identity
from prepmodel.syntax.names import render_name
from prepmodel.text.i18n import translator

_DID_YOU_MEAN = re.compile(r"did you mean '(.+)'\?")
_NOUN = re.compile(r"name the result, e\.g\. '(.+)', and move")
# Japanese input-method punctuation and the ASCII that was meant (`:` and `,` only where
# the syntax wants them; inside quotes and comments nothing is replaced).
IME = {"、": ",", "，": ",", "：": ":", "←": "<-"}
_IME_RUN = re.compile(r'"(?:[^"\\]|\\.)*"|#.*|[、，：←]')
_IGNORE = re.compile(r"#\s*prep:\s*ignore\[([A-Za-z0-9_,\s]*)\]")
STUB_INPUT = "TODO"


def _edit(document: Document, edits: list[lsp.TextEdit]) -> lsp.WorkspaceEdit:
    return lsp.WorkspaceEdit(changes={document.uri: edits})


def _fix(
    title: str,
    document: Document,
    edits: list[lsp.TextEdit],
    diagnostic: lsp.Diagnostic | None,
    preferred: bool = False,
) -> lsp.CodeAction:
    return lsp.CodeAction(
        title=title,
        kind=lsp.CodeActionKind.QuickFix,
        diagnostics=[diagnostic] if diagnostic is not None else None,
        is_preferred=preferred or None,
        edit=_edit(document, edits),
    )


def _hint(diagnostic: lsp.Diagnostic) -> str | None:
    data = diagnostic.data
    if isinstance(data, dict):
        hint = data.get("hint")
        if isinstance(hint, str):
            return hint
    _, _, hint = diagnostic.message.partition("\nhint: ")
    return hint or None


def _english(diagnostic: lsp.Diagnostic) -> str:
    """The message as made (English), which ``data`` keeps whatever language is shown."""
    data = diagnostic.data
    if isinstance(data, dict) and isinstance(data.get("message"), str):
        return str(data["message"])
    return diagnostic.message


def _subject(diagnostic: lsp.Diagnostic) -> str | None:
    """The deliverable a GP01/NM01 message is about: its first quoted name."""
    match = re.match(r"'(.+?)' (?:is needed|reads like)", _english(diagnostic))
    return match.group(1) if match else None


def ime_edits(document: Document, line: int) -> list[lsp.TextEdit]:
    """Replace the IME punctuation of one line (0-based) outside quotes and comments."""
    text = document.lines.line(line)
    edits = []
    for match in _IME_RUN.finditer(text):
        char = match.group(0)
        if char in IME:
            edits.append(
                lsp.TextEdit(
                    range=lsp.Range(
                        start=document.lines.position(line, match.start()),
                        end=document.lines.position(line, match.end()),
                    ),
                    new_text=IME[char],
                )
            )
    return edits


def _insert_line_after(document: Document, line: int, text: str) -> lsp.TextEdit:
    """Insert ``text`` as a new line after 0-based ``line`` (at the top when -1)."""
    if line < 0:
        start = lsp.Position(line=0, character=0)
        return lsp.TextEdit(range=lsp.Range(start=start, end=start), new_text=text + "\n")
    end = document.lines.position(line, len(document.lines.line(line)))
    return lsp.TextEdit(range=lsp.Range(start=end, end=end), new_text="\n" + text)


def _ignore_edit(document: Document, line: int, code: str) -> lsp.TextEdit:
    text = document.lines.line(line)
    existing = _IGNORE.search(text)
    if existing and "#" in text[: existing.start() + 1]:
        codes = [c.strip() for c in existing.group(1).split(",") if c.strip()]
        new = f"# prep: ignore[{', '.join([*codes, code])}]"
        return lsp.TextEdit(
            range=lsp.Range(
                start=document.lines.position(line, existing.start()),
                end=document.lines.position(line, existing.end()),
            ),
            new_text=new,
        )
    end = document.lines.position(line, len(text))
    return lsp.TextEdit(
        range=lsp.Range(start=end, end=end),
        new_text=f"{'' if text.endswith(' ') else '  '}# prep: ignore[{code}]",
    )


def _last_line_of(document: Document, keyword: str) -> int:
    """The last line (0-based) of the last statement starting with ``keyword``; else the
    last line of a ``model`` statement; else -1 (the top)."""
    found = -1
    model_end = -1
    for statement in document.analysis.source.statements:
        if statement.span.file:
            continue  # an imported file's statement: not in this document
        kind = statement.kind
        if kind == keyword:
            found = statement.span.end_line - 1
        elif kind == "model":
            model_end = statement.span.end_line - 1
    return found if found >= 0 else model_end


def code_actions(document: Document, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    actions: list[lsp.CodeAction] = []
    _ = translator(document.language)  # titles in the language the diagnostics speak
    for diagnostic in params.context.diagnostics:
        if diagnostic.source not in (None, "prep"):
            continue
        code = str(diagnostic.code) if diagnostic.code is not None else ""
        hint = _hint(diagnostic) or ""
        line = diagnostic.range.start.line
        suggestion = _DID_YOU_MEAN.search(hint)
        if code in ("GP01", "AT01") and suggestion:
            new = suggestion.group(1)
            text = render_name(new) if code == "GP01" else new
            # The gap may be used several times: fix every use of that identity.
            line0, char0 = document.lines.from_client(diagnostic.range.start)
            occurrence = document.index.at(line0 + 1, char0 + 1)
            spans = (
                [o.span for o in document.index.same(occurrence)]
                if code == "GP01" and occurrence is not None
                else []
            )
            edits = [lsp.TextEdit(range=document.lines.span_range(s), new_text=text) for s in spans]
            edits = edits or [lsp.TextEdit(range=diagnostic.range, new_text=text)]
            actions.append(
                _fix(_("Change to '{new}'").format(new=new), document, edits, diagnostic, True)
            )
        if code == "GP01":
            name = _subject(diagnostic)
            if name is not None:
                written = render_name(name)
                after = _last_line_of(document, "external")
                actions.append(
                    _fix(
                        _("Declare '{name}' external").format(name=name),
                        document,
                        [_insert_line_after(document, after, f"external {written}")],
                        diagnostic,
                    )
                )
                last = len(document.lines.lines) - 1
                while last > 0 and not document.lines.line(last).strip():
                    last -= 1
                actions.append(
                    _fix(
                        _("Add a route that makes '{name}'").format(name=name),
                        document,
                        [_insert_line_after(document, last, f"{written} <- {STUB_INPUT}")],
                        diagnostic,
                    )
                )
        if code == "NM01":
            noun = _NOUN.search(hint)
            name = _subject(diagnostic)
            if noun and name:
                occurrences = document.index.of("deliverable", identity(name))
                new = render_name(noun.group(1))
                edits = [
                    lsp.TextEdit(range=document.lines.span_range(o.span), new_text=new)
                    for o in occurrences
                ]
                if edits and not document.index.of("deliverable", identity(noun.group(1))):
                    actions.append(
                        _fix(
                            _("Rename to '{noun}'").format(noun=noun.group(1)),
                            document,
                            edits,
                            diagnostic,
                        )
                    )
        ime = ime_edits(document, line)
        if ime and code in ("PS01", "GP01", "AT01"):
            actions.append(
                _fix(
                    _("Replace Japanese punctuation (、，：←) with , : <-"),
                    document,
                    ime,
                    diagnostic,
                    True,
                )
            )
        if code and code != "PS01":
            actions.append(
                _fix(
                    _("Ignore {code} on this line").format(code=code),
                    document,
                    [_ignore_edit(document, line, code)],
                    diagnostic,
                )
            )
    return actions


def format_document(document: Document) -> list[lsp.TextEdit]:
    """`prep fmt` of the whole text as one edit; nothing when the text has a syntax error
    (the formatter refuses it) or is already formatted."""
    from prepmodel.review.fmt import format_source

    text = document.text
    result = format_source(text, document.analysis.source.path)
    if not result.ok or not result.changed:
        return []
    if result.text == text.replace("\r\n", "\n"):
        return []
    return [
        lsp.TextEdit(
            range=lsp.Range(start=lsp.Position(line=0, character=0), end=document.lines.end()),
            new_text=result.text,
        )
    ]


def format_range(document: Document, wanted: lsp.Range) -> list[lsp.TextEdit]:
    """The changes `prep fmt` makes to the lines of ``wanted``: the whole file is
    formatted, the line hunks that touch the range are kept, and the result is parsed
    again; when keeping only part would change the model, the whole file is formatted."""
    from prepmodel.model.core import build
    from prepmodel.review.fmt import format_source, model_signature
    from prepmodel.syntax.parser import parse

    text = document.text.replace("\r\n", "\n")
    result = format_source(text, document.analysis.source.path)
    if not result.ok or not result.changed:
        return []
    old = text.split("\n")
    new = result.text.split("\n")
    first, last = wanted.start.line, wanted.end.line
    kept: list[tuple[int, int, list[str]]] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(
        None, old, new, autojunk=False
    ).get_opcodes():
        if tag == "equal":
            continue
        if (i2 - 1 < first and i2 != i1) or i1 > last:
            continue
        kept.append((i1, i2, new[j1:j2]))
    if not kept:
        return []
    merged = list(old)
    for i1, i2, lines in reversed(kept):
        merged[i1:i2] = lines
    candidate = "\n".join(merged)
    same = parse(candidate, "range")
    if not same.ok or model_signature(build(same)) != model_signature(document.analysis.model):
        return format_document(document)
    edits = []
    for i1, i2, lines in kept:
        start = lsp.Position(line=i1, character=0)
        if i2 < len(old):
            end = lsp.Position(line=i2, character=0)
            new_text = "".join(line + "\n" for line in lines)
        else:
            end = document.lines.end()
            new_text = "\n".join(lines)
            start = start if i1 < len(old) else document.lines.end()
        edits.append(lsp.TextEdit(range=lsp.Range(start=start, end=end), new_text=new_text))
    return edits
