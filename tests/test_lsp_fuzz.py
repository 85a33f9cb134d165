"""The server never crashes on bad input: thousands of random edits (braces, quotes,
comments, arrows, commas, deletions, Japanese, characters outside the BMP) to a real
model, with requests in between. Every response must be valid for the client (pytest-lsp
checks results against the client's capabilities and raises on an error response), every
range inside the document, and diagnostics must keep coming for the latest version.

The short run (500 edits) is part of the normal suite; the long one (``-m slow``) sends
3,000.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from prepmodel.lsp.diagnostics import to_lsp
from prepmodel.lsp.documents import Document
from tests.conftest import SAMPLES
from tests.lsp_client import CONFIG, Editor, diagnostics_for, start, units

PIECES = [
    "{",
    "}",
    '"',
    "#",
    "<-",
    ",",
    ";",
    ":",
    "\n",
    " ",
    "、",
    "←",
    "：",
    "𠮷",
    "😀",
    "導入計画書",
    "成功定義書",
    "goal ",
    "external ",
    "phase Land: ",
    "group G = ",
    "{ work: ",
    "by: ",
    "# prep: ignore[GP01]",
    "\\",
    "ＫＰＩ",
    "\u3000",
    "-",
]


@pytest_lsp.fixture(config=CONFIG, scope="module")
async def client(
    lsp_client: LanguageClient, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[None]:
    root = tmp_path_factory.mktemp("lsp-fuzz")
    lsp_client.root = root  # type: ignore[attr-defined]
    await start(lsp_client, "vscode", root, debounce_ms=5)
    yield
    await lsp_client.shutdown_session()


pytestmark = pytest.mark.asyncio(loop_scope="module")


def _position(text: str, offset: int, encoding: str) -> lsp.Position:
    line = text.count("\n", 0, offset)
    start = text.rfind("\n", 0, offset) + 1
    return lsp.Position(line=line, character=units(text[start:offset], encoding))


def _inside(text: str, rng: lsp.Range, encoding: str) -> bool:
    lines = text.split("\n")
    for position in (rng.start, rng.end):
        if position.line > len(lines) - 1:
            return False
        if position.character > units(lines[position.line], encoding):
            return False
    return (rng.start.line, rng.start.character) <= (rng.end.line, rng.end.character)


async def _requests(editor: Editor, uri: str, rng: random.Random) -> None:
    client = editor.client
    text = editor.texts[uri]
    ident = lsp.TextDocumentIdentifier(uri=uri)
    position = _position(text, rng.randrange(len(text) + 1), editor.encoding)
    hover = await client.text_document_hover_async(
        lsp.HoverParams(text_document=ident, position=position)
    )
    if hover is not None and hover.range is not None:
        assert _inside(text, hover.range, editor.encoding)
    await client.text_document_completion_async(
        lsp.CompletionParams(text_document=ident, position=position)
    )
    found = await client.text_document_definition_async(
        lsp.DefinitionParams(text_document=ident, position=position)
    )
    for location in found or []:
        assert isinstance(location, lsp.Location) and _inside(text, location.range, editor.encoding)
    await client.text_document_references_async(
        lsp.ReferenceParams(
            text_document=ident,
            position=position,
            context=lsp.ReferenceContext(include_declaration=True),
        )
    )
    await client.text_document_document_symbol_async(lsp.DocumentSymbolParams(text_document=ident))
    await client.text_document_folding_range_async(lsp.FoldingRangeParams(text_document=ident))
    tokens = await client.text_document_semantic_tokens_full_async(
        lsp.SemanticTokensParams(text_document=ident)
    )
    assert tokens is not None and len(tokens.data) % 5 == 0
    await client.text_document_formatting_async(
        lsp.DocumentFormattingParams(
            text_document=ident, options=lsp.FormattingOptions(tab_size=2, insert_spaces=True)
        )
    )


def _full(uri: str, text: str, encoding: str) -> list[lsp.Diagnostic]:
    """The diagnostics of a full analysis of ``text`` (no earlier version to start from)."""
    document = Document(uri, text, None, encoding)
    return [to_lsp(d, document.lines, document.language) for d in document.analysis.diagnostics]


def _shown(found: list[lsp.Diagnostic]) -> list[tuple[object, ...]]:
    return [(d.range, d.code, d.message, d.severity) for d in found]


async def _fuzz(editor: Editor, path: Path, edits: int, seed: int) -> None:
    rng = random.Random(seed)
    uri = path.as_uri()
    diagnostics = await editor.open(path, (SAMPLES / "onboarding.prep").read_text(encoding="utf-8"))
    assert diagnostics is not None
    done = 0
    while done < edits:
        for _ in range(rng.randint(1, 8)):
            text = editor.texts[uri]
            a = rng.randrange(len(text) + 1)
            if rng.random() < 0.35 and text:
                b = min(len(text), a + rng.randint(1, 12))
                new = ""
            else:
                b = a
                new = rng.choice(PIECES)
            editor.change(
                uri, _position(text, a, editor.encoding), _position(text, b, editor.encoding), new
            )
            done += 1
        if rng.random() < 0.3:
            await _requests(editor, uri, rng)
        got = await diagnostics_for(editor.client, uri, editor.versions[uri])
        for diagnostic in got:
            assert diagnostic.code and diagnostic.source == "prep"
            assert _inside(editor.texts[uri], diagnostic.range, editor.encoding), diagnostic
        # The server re-parses only what the edits touched: what it sent is what a full
        # parse and analysis of the text gives.
        assert _shown(got) == _shown(_full(uri, editor.texts[uri], editor.encoding))
    # The server still answers, and a fixed file is clean again.
    whole = lsp.Range(
        start=lsp.Position(line=0, character=0),
        end=_position(editor.texts[uri], len(editor.texts[uri]), editor.encoding),
    )
    editor.change(uri, whole.start, whole.end, "goal A\nexternal B\nA <- B\n")
    assert await diagnostics_for(editor.client, uri, editor.versions[uri]) == []


async def test_random_edits_short(client: LanguageClient) -> None:
    root: Path = client.root  # type: ignore[attr-defined]
    await _fuzz(Editor(client), root / "short.prep", 500, seed=11)


@pytest.mark.slow
async def test_random_edits_long(client: LanguageClient) -> None:
    root: Path = client.root  # type: ignore[attr-defined]
    await _fuzz(Editor(client), root / "long.prep", 3000, seed=1234)
