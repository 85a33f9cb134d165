"""End to end: the real `prep lsp` in a subprocess, a real LSP client (pytest-lsp) posing as
VS Code (UTF-16 positions) and as Neovim 0.11 (UTF-8 positions), on Japanese and English
models."""

from __future__ import annotations

import json
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from tests.conftest import SAMPLES, run_prep
from tests.lsp_client import CONFIG, Editor, apply_edits, start, units

# 𠮷 (outside the BMP: two UTF-16 units, four UTF-8 bytes) stands before names on the
# lines that matter; 見積衣頼書 is a typo of 見積依頼書 (a gap with a "did you mean").
JA_MODEL = """\
model "𠮷野家の提案" { lang: ja }

goal 受注済み案件
external 𠮷田さんの依頼書, 契約書, 見積依頼書

受注済み案件 <- 提案書, 契約書 { work: 受注処理; by: 営業 }
提案書 <- 𠮷田さんの依頼書, 見積衣頼書 { work: 提案書作成; by: 営業, ＣＳＭ }
deliverable 提案書 { owner: 営業; kpi: 提案採択率 }

phase Land: 提案書
phase Expand: 受注済み案件
"""

EN_MODEL = (SAMPLES / "restaurant.prep").read_text(encoding="utf-8")


@pytest_lsp.fixture(config=CONFIG, scope="module", params=["vscode", "neovim"])
async def client(
    lsp_client: LanguageClient,
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[None]:
    root = tmp_path_factory.mktemp(f"lsp-{request.param}")
    for sample in ("restaurant.prep", "onboarding.prep", "broken.prep"):
        shutil.copy(SAMPLES / sample, root / sample)
    (root / "ja.prep").write_text(JA_MODEL, encoding="utf-8")
    lsp_client.root = root  # type: ignore[attr-defined]
    await start(lsp_client, request.param, root)
    yield
    await lsp_client.shutdown_session()


@pytest.fixture
def editor(client: LanguageClient) -> Editor:
    return Editor(client)


def root_of(editor: Editor) -> Path:
    return editor.client.root  # type: ignore[attr-defined,no-any-return]


pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_negotiates_the_encoding(editor: Editor, client: LanguageClient) -> None:
    offered = client.capabilities
    assert offered is not None
    wanted = (offered.general.position_encodings or ["utf-16"]) if offered.general else ["utf-16"]
    assert editor.encoding == str(getattr(wanted[0], "value", wanted[0]))


async def test_diagnostics_are_those_of_prep_check(editor: Editor) -> None:
    path = root_of(editor) / "broken.prep"
    got = await editor.open(path)
    checked = json.loads(run_prep("check", "--format", "json", str(path)).stdout)["diagnostics"]
    lines = path.read_text(encoding="utf-8").split("\n")
    expected = [
        (
            d["code"],
            d["line"] - 1,
            units(lines[d["line"] - 1][: d["column"] - 1], editor.encoding),
            d["message"] + (f"\nhint: {d['hint']}" if d["hint"] else ""),
        )
        for d in checked
    ]
    seen = [(d.code, d.range.start.line, d.range.start.character, d.message) for d in got]
    assert sorted(seen) == sorted(expected)
    assert all(d.source == "prep" for d in got)
    severities = {d.code: d.severity for d in got}
    assert severities["GP01"] == lsp.DiagnosticSeverity.Error
    assert severities["PH03"] == lsp.DiagnosticSeverity.Information
    # `# prep: ignore[PH03]` on line 14 holds in the editor too.
    assert not [d for d in got if d.code == "PH03" and d.range.start.line == 13]


async def test_a_japanese_model_is_told_in_japanese_as_prep_check_tells_it(
    editor: Editor,
) -> None:
    """The same messages and hints as `prep check` (#11): for a `lang: ja` model, in
    Japanese; ``data`` keeps the English the code actions read."""
    path = root_of(editor) / "ja.prep"
    got = await editor.open(path)
    checked = json.loads(run_prep("check", "--format", "json", "--lang", "ja", str(path)).stdout)
    expected = sorted(
        (d["code"], d["line"] - 1, d["message"] + (f"\nヒント: {d['hint']}" if d["hint"] else ""))
        for d in checked["diagnostics"]
    )
    assert expected and sorted((d.code, d.range.start.line, d.message) for d in got) == expected
    english = json.loads(run_prep("check", "--format", "json", str(path)).stdout)["diagnostics"]
    kept = sorted((d.data["message"], d.data["hint"]) for d in got if isinstance(d.data, dict))
    assert kept == sorted((d["message"], d["hint"]) for d in english)


async def test_settings_file_and_ignore_comment(editor: Editor) -> None:
    folder = root_of(editor) / "quiet"
    folder.mkdir(exist_ok=True)
    (folder / "prep.toml").write_text('[severity]\nGP02 = "off"\nAT01 = "error"\n')
    path = folder / "m.prep"
    text = (
        EN_MODEL
        + "deliverable Bill { colour: red }\nexternal Fax\nexternal Pager  # prep: ignore[GP02]\n"
    )
    got = await editor.open(path, text)
    assert not [d for d in got if d.code == "GP02"]
    at01 = [d for d in got if d.code == "AT01"]
    assert len(at01) == 1 and at01[0].severity == lsp.DiagnosticSeverity.Error


async def test_columns_after_a_character_outside_the_bmp(editor: Editor) -> None:
    path = root_of(editor) / "ja.prep"
    got = await editor.open(path)
    gap = next(d for d in got if d.code == "GP01")
    # a `lang: ja` model: the message and hint in Japanese, as `prep check` prints them
    assert "「見積衣頼書」" in gap.message and "ヒント: 「見積依頼書」の間違い" in gap.message
    line = "提案書 <- 𠮷田さんの依頼書, "
    assert gap.range.start.line == 6
    # 𠮷 is two UTF-16 units (VS Code: 18, not 17) and four UTF-8 bytes (Neovim: 40).
    assert gap.range.start.character == {"utf-16": 18, "utf-8": 40}[editor.encoding]
    assert gap.range.start.character == units(line, editor.encoding)
    assert gap.range.end.character - gap.range.start.character == units(
        "見積衣頼書", editor.encoding
    )


async def test_an_unsaved_edit_breaks_then_fixes_the_syntax(editor: Editor) -> None:
    path = root_of(editor) / "restaurant.prep"
    uri = path.as_uri()
    clean = await editor.open(path)
    assert not [d for d in clean if d.severity == lsp.DiagnosticSeverity.Error]
    spot = editor.find(uri, "Bill <- ")
    after = editor.find(uri, "Bill <- ", offset=len("Bill <- "))
    broken = await editor.diagnostics_after(
        lambda: editor.change(uri, spot, after, "Bill <- {, "), uri
    )
    assert [d.code for d in broken if d.code == "PS01"]
    fixed_end = editor.find(uri, "Bill <- {, ", offset=len("Bill <- {, "))
    fixed = await editor.diagnostics_after(
        lambda: editor.change(uri, spot, fixed_end, "Bill <- "), uri
    )
    assert not [d for d in fixed if d.severity == lsp.DiagnosticSeverity.Error]
    assert path.read_text(encoding="utf-8") == EN_MODEL  # nothing was saved


async def test_definition_references_highlight(editor: Editor) -> None:
    client = editor.client
    path = root_of(editor) / "restaurant.prep"
    uri = path.as_uri()
    await editor.open(path)
    on_use = editor.find(uri, '"Order slip"', 0, 2)  # in the route of "Served meal"
    found = await client.text_document_definition_async(
        lsp.DefinitionParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=on_use)
    )
    assert isinstance(found, list)
    # The two routes that make the order slip.
    assert sorted(loc.range.start.line for loc in found) == [10, 11]  # type: ignore[union-attr]
    refs = await client.text_document_references_async(
        lsp.ReferenceParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            position=on_use,
            context=lsp.ReferenceContext(include_declaration=True),
        )
    )
    assert refs is not None and len(refs) == 5
    lights = await client.text_document_document_highlight_async(
        lsp.DocumentHighlightParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri), position=on_use
        )
    )
    assert lights is not None
    writes = [h for h in lights if h.kind == lsp.DocumentHighlightKind.Write]
    assert len(lights) == 5 and len(writes) == 2


async def test_definition_in_japanese_after_the_surrogate_pair(editor: Editor) -> None:
    client = editor.client
    path = root_of(editor) / "ja.prep"
    uri = path.as_uri()
    await editor.open(path)
    on_name = editor.find(uri, "𠮷田さんの依頼書", 1, 3)  # the input, in the middle of the name
    found = await client.text_document_definition_async(
        lsp.DefinitionParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=on_name)
    )
    assert isinstance(found, list) and len(found) == 1
    target = found[0]
    assert isinstance(target, lsp.Location)
    assert target.range.start == editor.find(uri, "𠮷田さんの依頼書", 0)  # its `external`


async def test_rename_every_spelling_and_refuse_collisions(editor: Editor) -> None:
    client = editor.client
    path = root_of(editor) / "ja-rename.prep"
    text = JA_MODEL.replace(
        "by: 営業, ＣＳＭ }", "by: 営業, ＣＳＭ }\nＫＰＩ設計 <- 提案書\ngoal KPI設計"
    )
    uri = path.as_uri()
    await editor.open(path, text)
    where = editor.find(uri, "ＫＰＩ設計", 0, 1)
    edit = await client.text_document_rename_async(
        lsp.RenameParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri), position=where, new_name="KPI 設計書"
        )
    )
    assert edit is not None and edit.changes is not None
    changes = edit.changes[uri]
    assert len(changes) == 2 and {c.new_text for c in changes} == {'"KPI 設計書"'}
    renamed = apply_edits(editor.texts[uri], list(changes), editor.encoding)
    assert "ＫＰＩ設計" not in renamed and 'goal "KPI 設計書"' in renamed
    with pytest.raises(Exception, match="already"):
        await client.text_document_rename_async(
            lsp.RenameParams(
                text_document=lsp.TextDocumentIdentifier(uri=uri), position=where, new_name="契約書"
            )
        )


async def test_hover_tells_the_step_routes_and_goals(editor: Editor) -> None:
    client = editor.client
    path = root_of(editor) / "restaurant.prep"
    uri = path.as_uri()
    await editor.open(path)
    result = await client.text_document_hover_async(
        lsp.HoverParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            position=editor.find(uri, '"Order slip"', 0, 3),
        )
    )
    assert result is not None and isinstance(result.contents, lsp.MarkupContent)
    text = result.contents.value
    assert "step **1**" in text and "route 1.a" in text and "route 1.b" in text
    assert "Take the order" in text and "Waiter" in text
    assert "checkpoint of: Paid meal" in text
    ja = root_of(editor) / "ja.prep"
    await editor.open(ja)
    result = await client.text_document_hover_async(
        lsp.HoverParams(
            text_document=lsp.TextDocumentIdentifier(uri=ja.as_uri()),
            position=editor.find(ja.as_uri(), "提案書 <- ", 0, 1),
        )
    )
    assert result is not None and isinstance(result.contents, lsp.MarkupContent)
    text = result.contents.value
    assert "**提案書** — produced" in text and "step **1**" in text
    assert "work: 提案書作成; by: 営業, ＣＳＭ" in text
    assert "phase: Land (exit checkpoint)" in text
    assert "owner: 営業" in text and "KPI: 提案採択率" in text


async def _complete(editor: Editor, uri: str, position: lsp.Position) -> list[lsp.CompletionItem]:
    result = await editor.client.text_document_completion_async(
        lsp.CompletionParams(text_document=lsp.TextDocumentIdentifier(uri=uri), position=position)
    )
    assert result is not None
    return list(result.items if isinstance(result, lsp.CompletionList) else result)


async def test_completion(editor: Editor) -> None:
    path = root_of(editor) / "complete.prep"
    uri = path.as_uri()
    text = JA_MODEL + "ＫＰＩ設計書 <- 提案書\n"
    await editor.open(path, text)
    # A new line: keywords and names; a half-width "kpi" finds the full-width name.
    end = lsp.Position(line=text.count("\n"), character=0)
    editor.change(uri, end, end, "kpi")
    items = await _complete(editor, uri, lsp.Position(line=end.line, character=3))
    labels = [i.label for i in items]
    assert "ＫＰＩ設計書" in labels
    assert next(i for i in items if i.label == "ＫＰＩ設計書").filter_text
    # After `<-`, names; a name with a space comes quoted.
    restaurant = root_of(editor) / "restaurant.prep"
    r_uri = restaurant.as_uri()
    await editor.open(restaurant)
    last = EN_MODEL.count("\n")
    where = lsp.Position(line=last, character=0)
    editor.change(r_uri, where, where, "Tip <- Ord")
    items = await _complete(editor, r_uri, lsp.Position(line=last, character=10))
    slip = next(i for i in items if i.label == "Order slip")
    assert slip.text_edit is not None and slip.text_edit.new_text == '"Order slip"'
    assert slip.detail == "step 1 · produced"
    # Keys in a route's block; roles after `by:`.
    editor.change(
        r_uri,
        lsp.Position(line=last, character=10),
        lsp.Position(line=last, character=10),
        "er slip { by: ",
    )
    items = await _complete(editor, r_uri, lsp.Position(line=last, character=24))
    assert {"Waiter", "Chef", "Cashier", "Customer"} <= {i.label for i in items}
    line = "Tip <- Order slip { by: Chef; "
    editor.change(
        r_uri,
        lsp.Position(line=last, character=24),
        lsp.Position(line=last, character=24),
        "Chef; ",
    )
    items = await _complete(editor, r_uri, lsp.Position(line=last, character=len(line)))
    assert [i.label for i in items] == [
        "work",
        "by",
        "effort",
        "note",
        "when",
        "consulted",
        "informed",
    ]
    # Keywords at a statement start; phase names after `phase`; Japanese roles after `by:`.
    items = await _complete(editor, uri, lsp.Position(line=end.line, character=0))
    assert {"goal", "external", "phase", "group"} <= {i.label for i in items}
    start = lsp.Position(line=end.line, character=0)
    editor.change(uri, start, lsp.Position(line=end.line, character=3), "phase ")
    items = await _complete(editor, uri, lsp.Position(line=end.line, character=6))
    assert [i.label for i in items] == ["Land", "Expand", "Adopt", "Renew"]
    line = "Ｘ <- 契約書 { by: "
    editor.change(uri, start, lsp.Position(line=end.line, character=6), line)
    items = await _complete(editor, uri, editor.position(uri, end.line, line))
    assert [i.label for i in items] == ["営業", "ＣＳＭ"]
    # Inside a comment: nothing.
    editor.change(uri, start, editor.position(uri, end.line, line), "# 提案")
    assert not await _complete(editor, uri, editor.position(uri, end.line, "# 提案"))


async def test_symbols_folding_and_tokens(editor: Editor) -> None:
    client = editor.client
    path = root_of(editor) / "onboarding.prep"
    uri = path.as_uri()
    await editor.open(path)
    ident = lsp.TextDocumentIdentifier(uri=uri)
    symbols = await client.text_document_document_symbol_async(
        lsp.DocumentSymbolParams(text_document=ident)
    )
    assert symbols
    names = [s.name for s in symbols]
    assert "定着した顧客業務" in names and "Land" in names
    land = next(s for s in symbols if s.name == "Land")
    assert isinstance(land, lsp.DocumentSymbol) and land.children
    assert land.children[0].name.startswith("1. ")
    folds = await client.text_document_folding_range_async(
        lsp.FoldingRangeParams(text_document=ident)
    )
    assert folds is not None
    tokens = await client.text_document_semantic_tokens_full_async(
        lsp.SemanticTokensParams(
            text_document=lsp.TextDocumentIdentifier(uri=(root_of(editor) / "ja.prep").as_uri())
        )
    )
    assert tokens is not None and len(tokens.data) % 5 == 0
    decoded = []
    line = start = 0
    for i in range(0, len(tokens.data), 5):
        dl, ds, length, kind, _ = tokens.data[i : i + 5]
        line += dl
        start = start + ds if dl == 0 else ds
        decoded.append((line, start, length, kind))
    ja_lines = JA_MODEL.split("\n")
    # The input 見積衣頼書 after 𠮷 on line 7: a token of exactly its units, at its place.
    where = units("提案書 <- 𠮷田さんの依頼書, ", editor.encoding)
    assert (6, where, units("見積衣頼書", editor.encoding), 0) in decoded
    assert ja_lines[6].startswith("提案書 <- 𠮷")
    found = await client.workspace_symbol_async(lsp.WorkspaceSymbolParams(query="ｏｒｄｅｒ"))
    assert found and any(s.name == "Order slip" for s in found)


async def test_formatting_and_never_on_a_syntax_error(editor: Editor) -> None:
    client = editor.client
    path = root_of(editor) / "messy.prep"
    uri = path.as_uri()
    messy = "goal   A\nexternal B ;  A<-B{work:x}\n"
    await editor.open(path, messy)
    options = lsp.FormattingOptions(tab_size=2, insert_spaces=True)
    edits = await client.text_document_formatting_async(
        lsp.DocumentFormattingParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri), options=options
        )
    )
    assert edits
    expected = run_prep("fmt", "-", stdin=messy.encode()).stdout.decode()
    assert apply_edits(messy, list(edits), editor.encoding) == expected
    bad = root_of(editor) / "bad.prep"
    await editor.open(bad, "goal A\nA <- B {\n")
    edits = await client.text_document_formatting_async(
        lsp.DocumentFormattingParams(
            text_document=lsp.TextDocumentIdentifier(uri=bad.as_uri()), options=options
        )
    )
    assert not edits


async def _actions(
    editor: Editor, uri: str, diagnostic: lsp.Diagnostic
) -> dict[str, lsp.CodeAction]:
    result = await editor.client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=diagnostic.range,
            context=lsp.CodeActionContext(diagnostics=[diagnostic]),
        )
    )
    assert result is not None
    return {a.title: a for a in result if isinstance(a, lsp.CodeAction)}


def _applied(editor: Editor, uri: str, action: lsp.CodeAction) -> str:
    assert action.edit is not None and action.edit.changes is not None
    return apply_edits(editor.texts[uri], list(action.edit.changes[uri]), editor.encoding)


async def test_code_actions(editor: Editor) -> None:
    path = root_of(editor) / "actions.prep"
    uri = path.as_uri()
    got = await editor.open(
        path, JA_MODEL + "資料作成 <- 契約書\ngoal 資料作成\nＸ <- 契約書、見積依頼書\n"
    )
    gap = next(d for d in got if d.code == "GP01" and "見積衣頼書" in d.message)
    actions = await _actions(editor, uri, gap)
    # a `lang: ja` model: the titles in Japanese, as its diagnostics are
    fixed = _applied(editor, uri, actions["「見積依頼書」に変更"])
    assert "見積衣頼書" not in fixed
    declared = _applied(editor, uri, actions["「見積衣頼書」を external として宣言"])
    assert "external 𠮷田さんの依頼書, 契約書, 見積依頼書\nexternal 見積衣頼書\n" in declared
    assert _applied(editor, uri, actions["「見積衣頼書」を作るルートを追加"]).endswith(
        "見積衣頼書 <- TODO\n"
    )
    ignored = _applied(editor, uri, actions["この行の GP01 を無視"])
    assert "見積衣頼書 { work: 提案書作成; by: 営業, ＣＳＭ }  # prep: ignore[GP01]" in ignored
    nm01 = next(d for d in got if d.code == "NM01")
    noun = [t for t in await _actions(editor, uri, nm01) if t.endswith("に名前を変更")]
    assert noun, "NM01 suggests a noun for 資料作成"
    # an input method's '、' between names is a PS01 at the character (#12)
    ime = next(d for d in got if d.code == "PS01" and "、" in d.message)
    actions = await _actions(editor, uri, ime)
    title = next(t for t in actions if t.startswith("全角の区切り"))
    assert "Ｘ <- 契約書,見積依頼書\n" in _applied(editor, uri, actions[title])


async def test_range_formatting_touches_only_the_range(editor: Editor) -> None:
    client = editor.client
    path = root_of(editor) / "range.prep"
    uri = path.as_uri()
    messy = "goal   A\nexternal B\n\nA<-B{work:x}\n"
    await editor.open(path, messy)
    edits = await client.text_document_range_formatting_async(
        lsp.DocumentRangeFormattingParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=lsp.Range(
                start=lsp.Position(line=3, character=0), end=lsp.Position(line=3, character=5)
            ),
            options=lsp.FormattingOptions(tab_size=2, insert_spaces=True),
        )
    )
    assert edits
    after = apply_edits(messy, list(edits), editor.encoding)
    assert after.startswith("goal   A\n")  # outside the range: as it was
    assert "A <- B { work: x }" in after


async def test_crlf_and_bom_keep_columns(editor: Editor) -> None:
    path = root_of(editor) / "crlf.prep"
    text = "\ufeffgoal 受注 , 𠮷田\r\n受注 <- 𠮷田, 😀👍🏽, 見積\r\n"
    got = await editor.open(path, text)
    # Japanese names, no `lang`: told in Japanese; ``data`` keeps the English as made
    gaps = {d.data["message"].split("'")[1]: d for d in got if d.code in ("GP01", "GL02")}
    gap = gaps["見積"]
    assert gap.range.start.line == 1
    assert gap.range.start.character == units("受注 <- 𠮷田, 😀👍🏽, ", editor.encoding)
    assert gap.range.end.character == units("受注 <- 𠮷田, 😀👍🏽, 見積", editor.encoding)
    emoji = gaps["😀👍🏽"]
    assert emoji.range.end.character - emoji.range.start.character == units(
        "😀👍🏽", editor.encoding
    )


async def test_definition_of_an_import_path_opens_the_file(editor: Editor) -> None:
    root = root_of(editor)
    (root / "common").mkdir(exist_ok=True)
    (root / "common" / "キックオフ.prep").write_text("goal 成功定義書\n成功定義書 <- 契約書\n")
    path = root / "main.prep"
    uri = path.as_uri()
    await editor.open(path, 'import "common/キックオフ.prep"\ngoal A\nA <- B\nexternal B\n')
    found = await editor.client.text_document_definition_async(
        lsp.DefinitionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            position=editor.find(uri, "キックオフ"),
        )
    )
    assert isinstance(found, list) and len(found) == 1
    target = found[0]
    assert isinstance(target, lsp.Location)
    assert target.uri == (root / "common" / "キックオフ.prep").as_uri()


async def test_a_broken_settings_file_is_told_once_and_checking_goes_on(editor: Editor) -> None:
    folder = root_of(editor) / "badsettings"
    folder.mkdir(exist_ok=True)
    (folder / "prep.toml").write_text('[severity]\nGP02 = "loud"\n')
    path = folder / "m.prep"
    uri = path.as_uri()
    before = len(editor.client.messages)
    got = await editor.open(path, EN_MODEL + "external Fax\n")
    assert [d for d in got if d.code == "GP02"]  # the defaults hold
    end = lsp.Position(line=EN_MODEL.count("\n") + 1, character=0)
    await editor.diagnostics_after(lambda: editor.change(uri, end, end, "# a note\n"), uri)
    told = [m for m in editor.client.messages[before:] if "prep.toml" in m.message]
    assert len(told) == 1 and told[0].type == lsp.MessageType.Warning
    assert "GP02" in told[0].message


async def test_code_actions_for_keys_and_a_japanese_arrow(editor: Editor) -> None:
    path = root_of(editor) / "broken.prep"
    uri = path.as_uri()
    got = await editor.open(path)
    wrok = next(d for d in got if d.code == "AT01" and "wrok" in d.message)
    fixed = _applied(editor, uri, (await _actions(editor, uri, wrok))["Change to 'work'"])
    assert '{ work: "Write it down" }' in fixed
    arrow = root_of(editor) / "arrow.prep"
    a_uri = arrow.as_uri()
    text = "goal 𠮷報告書\nexternal 契約書\n𠮷報告書 ← 契約書 { work：報告 }\n"
    got = await editor.open(arrow, text)
    syntax = next(d for d in got if d.code == "PS01")
    actions = await _actions(editor, a_uri, syntax)
    # Japanese names and no `lang`: Japanese titles, even while the syntax is broken
    title = next(t for t in actions if t.startswith("全角の区切り"))
    assert _applied(editor, a_uri, actions[title]).endswith("𠮷報告書 <- 契約書 { work:報告 }\n")
    assert not [t for t in actions if "無視" in t]  # a syntax error is not ignored
