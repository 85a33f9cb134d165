"""The language server follows imports (contract §8): diagnostics published in the file
where they are, go to definition into the imported file, rename across the model's
files, and open unsaved buffers read instead of the disk. The real `prep lsp` in a
subprocess, driven by pytest-lsp's client as VS Code (UTF-16) and Neovim (UTF-8)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from tests.lsp_client import CONFIG, Editor, apply_edits, start

# 𠮷 (two UTF-16 units, four UTF-8 bytes) before names keeps the two encodings apart.
PATTERN = """\
# キックオフの型
goal 合意済みの成功定義書
external 契約書, 𠮷田さんの現行業務
現状課題リスト <- 𠮷田さんの現行業務 { work: 現状ヒアリング }
合意済みの成功定義書 <- 現状課題リスト, 契約書 { work: キックオフ会議 }
議事録 <- 合意済みの成功定義書, 未定義の資料
"""

MAIN = """\
model 導入 { lang: ja }
import "patterns/kickoff.prep"
goal 稼働中の業務
導入計画書 <- 合意済みの成功定義書, 契約書 { work: 計画策定 }
稼働中の業務 <- 導入計画書, 現状課題リスト
"""


@pytest_lsp.fixture(config=CONFIG, scope="module", params=["vscode", "neovim"])
async def client(
    lsp_client: LanguageClient,
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[None]:
    root = tmp_path_factory.mktemp(f"lsp-imports-{request.param}")
    lsp_client.root = root  # type: ignore[attr-defined]
    await start(lsp_client, request.param, root)
    yield
    await lsp_client.shutdown_session()


@pytest.fixture
def editor(client: LanguageClient) -> Editor:
    return Editor(client)


pytestmark = pytest.mark.asyncio(loop_scope="module")


def model_in(editor: Editor, name: str) -> tuple[Path, Path]:
    root: Path = editor.client.root / name  # type: ignore[attr-defined]
    (root / "patterns").mkdir(parents=True)
    pattern = root / "patterns" / "kickoff.prep"
    pattern.write_text(PATTERN, "utf-8")
    main = root / "main.prep"
    main.write_text(MAIN, "utf-8")
    return main, pattern


async def until(condition: Callable[[], bool], timeout: float = 20) -> None:
    for _ in range(int(timeout / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the server did not publish what was expected")


def codes(items: list[lsp.Diagnostic]) -> list[tuple[object, int]]:
    return sorted((d.code, d.range.start.line) for d in items)


async def test_diagnostics_are_published_in_the_file_where_they_are(editor: Editor) -> None:
    main, pattern = model_in(editor, "publish")
    own = await editor.open(main)
    assert own == []  # the imported goal is not a goal; 議事録 is no orphan here
    published = editor.client.diagnostics
    await until(lambda: pattern.as_uri() in published)
    found = published[pattern.as_uri()]
    assert codes(found) == [("GP01", 5)]
    gap = found[0]
    # The range is in the imported file's own lines, in the client's units.
    line = PATTERN.split("\n")[5]
    start = editor.find(main.as_uri(), "\n")  # any: only the encoding matters below
    assert start.line == 0
    column = line.index("未定義の資料")
    prefix = line[:column]
    units = (
        len(prefix.encode("utf-16-le")) // 2
        if editor.encoding == "utf-16"
        else len(prefix.encode("utf-8"))
    )
    assert gap.range.start == lsp.Position(line=5, character=units)
    # Closing the importer takes what it published for the imported file with it.
    editor.close(main.as_uri())
    await until(lambda: len(published.get(pattern.as_uri(), [None])) == 0)


async def test_definition_jumps_into_the_imported_file(editor: Editor) -> None:
    main, pattern = model_in(editor, "definition")
    await editor.open(main)
    uri = main.as_uri()
    on_use = editor.find(uri, "現状課題リスト", 0, 2)
    found = await editor.client.text_document_definition_async(
        lsp.DefinitionParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=on_use)
    )
    assert isinstance(found, list) and len(found) == 1
    target = found[0]
    assert isinstance(target, lsp.Location)
    assert target.uri == pattern.as_uri()
    assert target.range.start == lsp.Position(line=3, character=0)
    refs = await editor.client.text_document_references_async(
        lsp.ReferenceParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            position=on_use,
            context=lsp.ReferenceContext(include_declaration=True),
        )
    )
    assert refs is not None
    assert sorted((r.uri == uri, r.range.start.line) for r in refs) == [
        (False, 3),
        (False, 4),
        (True, 4),
    ]


async def test_rename_edits_every_file_of_the_model(editor: Editor) -> None:
    main, pattern = model_in(editor, "rename")
    await editor.open(main)
    uri = main.as_uri()
    where = editor.find(uri, "合意済みの成功定義書", 0, 1)
    edit = await editor.client.text_document_rename_async(
        lsp.RenameParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri), position=where, new_name="成功定義書"
        )
    )
    assert edit is not None and edit.changes is not None
    assert set(edit.changes) == {uri, pattern.as_uri()}
    assert len(edit.changes[uri]) == 1 and len(edit.changes[pattern.as_uri()]) == 3
    renamed = apply_edits(PATTERN, list(edit.changes[pattern.as_uri()]), editor.encoding)
    assert "合意済み" not in renamed and "goal 成功定義書\n" in renamed
    renamed_main = apply_edits(MAIN, list(edit.changes[uri]), editor.encoding)
    assert "導入計画書 <- 成功定義書, 契約書" in renamed_main
    # A name taken in the imported file is refused: it would merge two deliverables.
    with pytest.raises(Exception, match="already"):
        await editor.client.text_document_rename_async(
            lsp.RenameParams(
                text_document=lsp.TextDocumentIdentifier(uri=uri), position=where, new_name="議事録"
            )
        )


async def test_an_open_unsaved_buffer_wins_over_the_disk(editor: Editor) -> None:
    main, pattern = model_in(editor, "buffers")
    uri = main.as_uri()
    text = MAIN + "稼働中の業務 <- 導入計画書, 追加の合意書\n"  # a gap: nothing makes it
    first = await editor.open(main, text)
    assert codes(first) == [("GP01", 5)]
    published = editor.client.diagnostics
    # The pattern, opened with an edit not saved, makes it: the gap is gone.
    unsaved = PATTERN + "追加の合意書 <- 契約書\n"
    await editor.open(pattern, unsaved)
    await until(lambda: len(published.get(uri, [None])) == 0)
    assert pattern.read_text("utf-8") == PATTERN  # nothing was written
    # Closed without saving: the disk's text counts again.
    editor.close(pattern.as_uri())
    await until(lambda: codes(published.get(uri, [])) == [("GP01", 5)])
