"""The language server and v2 constructs: hover shows a route's optional inputs and
scenarios, completion offers names inside `[` and scenario names after `when:`, semantic
tokens cover a name in brackets and not the brackets."""

from __future__ import annotations

from lsprotocol import types as lsp

from prepmodel.lsp.completion import complete
from prepmodel.lsp.documents import Document
from prepmodel.lsp.hover import hover
from prepmodel.lsp.outline import semantic_tokens

from .conftest import SAMPLES

SAMPLE = (SAMPLES / "kakutei-shinkoku.prep").read_text("utf-8")


def _document(text: str) -> Document:
    return Document("file:///tmp/k.prep", text, 1)


def _at(text: str, needle: str, offset: int = 0) -> lsp.Position:
    before = text[: text.index(needle) + offset]
    line = before.count("\n")
    return lsp.Position(line=line, character=len(before) - (before.rfind("\n") + 1))


def test_hover_shows_optional_inputs_and_scenarios() -> None:
    doc = _document(SAMPLE)
    result = hover(doc, _at(SAMPLE, "申告書 <- 決算書", 1))
    assert result is not None and isinstance(result.contents, lsp.MarkupContent)
    text = result.contents.value
    assert "route 5.a ← 決算書, 源泉徴収票, \\[医療費控除の明細書\\] (optional)" in text
    assert "when: 税理士依頼" in text and "when: 自分で" in text


def test_completion_in_brackets_and_after_when() -> None:
    text = SAMPLE + "申告書控え <- 申告書, [医療"
    doc = _document(text)
    end = lsp.Position(line=text.count("\n"), character=len(text.rsplit("\n", 1)[1]))
    labels = [i.label for i in complete(doc, end).items]
    assert "医療費控除の明細書" in labels
    text = SAMPLE + "申告書控え <- 申告書 { when: "
    doc = _document(text)
    end = lsp.Position(line=text.count("\n"), character=len(text.rsplit("\n", 1)[1]))
    labels = [i.label for i in complete(doc, end).items]
    assert {"税理士依頼", "自分で"} <= set(labels)


def test_semantic_tokens_cover_the_name_in_brackets() -> None:
    text = "goal A\nexternal B, C\nA <- B, [C]\n"
    data = semantic_tokens(_document(text)).data
    tokens = []
    line = start = 0
    for i in range(0, len(data), 5):
        delta_line, delta_start, length = data[i : i + 3]
        line += delta_line
        start = delta_start if delta_line else start + delta_start
        tokens.append((line, start, length))
    assert (2, 9, 1) in tokens  # C, inside the brackets
    assert (2, 8, 1) not in tokens and (2, 10, 1) not in tokens  # not the brackets
