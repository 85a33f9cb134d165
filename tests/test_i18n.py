"""Messages, hints, rule descriptions and headings in Japanese (issue #12): the catalogue is
complete and compiled, the language is chosen as docs/i18n.md says, and every command that
speaks to people speaks Japanese to a Japanese model or user."""

from __future__ import annotations

import csv
import io
import json
import pickle
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from prepmodel.cli import catalog
from prepmodel.text.i18n import Message, listing, localize, msg, resolve_language

from .conftest import CASES, ROOT, run_prep

# An English-named model with one finding of each kind that has a hint.
ENGLISH = """\
goal "Paid meal"
external Menu, Fax
"Paid meal" <- "Order slip" { wrok: Serve }
"Order slip" <- Menu
"""

# The same problems in a Japanese model that says so (`lang: ja`).
JAPANESE = """\
model "SaaS導入" { lang: ja }
goal 定着した顧客業務
external 契約書, 製品マニュアル
定着した顧客業務 <- 資料作成, 導入計画書 { wrok: 定着判定 }
資料作成 <- 製品マニュアル
導入計画書 <- 成功定義書、契約書
"""


def _write(tmp_path: Path, text: str, name: str = "m.prep") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


# --- the catalogue ------------------------------------------------------------------------


def test_every_message_has_japanese() -> None:
    """Every msgid in the source, every code's summary and every rule's description has a
    Japanese translation with the same {fields}, and the .mo is compiled from the .po."""
    problems = catalog.problems()
    assert not problems, "the message catalogue is incomplete; run `python -m " + (
        "prepmodel.cli.catalog update`, translate, then `compile`:\n" + "\n".join(problems)
    )


def test_the_check_names_a_missing_message(tmp_path: Path) -> None:
    """A message added later (by another branch) fails loudly, naming its msgid and where
    it is used; a template that is not a literal is named too."""
    package = tmp_path / "prepmodel"
    package.mkdir()
    (package / "late.py").write_text(
        "from prepmodel.text.i18n import msg\n"
        "A = msg('use an ASCII comma between names')\n"
        "B = msg(f'not {A} a literal')\n",
        "utf-8",
    )
    problems = catalog.problems(catalog.extract_source(package))
    assert (
        "ja: missing translation for 'use an ASCII comma between names' "
        "(prepmodel/late.py)" in problems
    )
    assert "msgid is not a string literal: prepmodel/late.py:3: msg(...)" in problems
    command = [sys.executable, "-m", "prepmodel.cli.catalog", "check"]
    done = subprocess.run(command, capture_output=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stdout.decode()
    assert done.stdout.decode().strip() == "catalogues ok"


def test_mo_is_the_compiled_po() -> None:
    from babel.messages.mofile import write_mo

    po = catalog.read_catalog("ja")
    expected = {str(m.id): str(m.string) for m in po if m.id}
    mo_path = catalog.po_path("ja").with_suffix(".mo")
    assert catalog._mo_catalog(mo_path) == expected
    buffer = io.BytesIO()
    write_mo(buffer, po, use_fuzzy=False)
    assert buffer.getvalue() == mo_path.read_bytes(), "run python -m prepmodel.cli.catalog compile"


def test_every_rule_description_and_summary_is_translated() -> None:
    from prepmodel.checks.rules import CODES, RULES
    from prepmodel.text.i18n import translator

    ja = translator("ja")
    for code, info in CODES.items():
        assert ja(info.summary) != info.summary, code
    for code, rule in RULES.items():
        assert ja(rule.description) != rule.description, code


def test_wheel_ships_the_compiled_catalogue(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr.decode()
    (wheel,) = tmp_path.glob("prepmodel-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    mo = "prepmodel/text/locale/ja/LC_MESSAGES/prepmodel.mo"
    assert mo in names
    assert zipfile.ZipFile(wheel).read(mo) == catalog.po_path("ja").with_suffix(".mo").read_bytes()


# --- the machinery ------------------------------------------------------------------------


def test_a_message_is_its_english_text_until_printed() -> None:
    inner = msg("ends in the activity noun {word}", word="作成")
    outer = msg("'{name}' reads like an action ({reason})", name="資料作成", reason=inner)
    assert outer == "'資料作成' reads like an action (ends in the activity noun 作成)"
    assert localize(outer, "en") == str(outer)
    assert localize(outer, "ja") == (
        "「資料作成」は行動（作業）の名前に見えます（作業を表す名詞「作成」で終わっています）"
    )
    assert pickle.loads(pickle.dumps(outer)).in_language("ja") == outer.in_language("ja")
    assert isinstance(pickle.loads(pickle.dumps(outer)), Message)
    assert localize("a name from the model", "ja") == "a name from the model"


def test_lists_join_in_each_language() -> None:
    words = listing([msg("a name"), "'<-'", msg("the end of the statement")])
    assert words == "a name, '<-' or the end of the statement"
    assert localize(words, "ja") == "名前、'<-'、または文の終わり"


@pytest.mark.parametrize(
    ("explicit", "declared", "environ", "names", "expected"),
    [
        ("ja", "en", {"LANG": "en_US.UTF-8"}, [], "ja"),  # --lang first
        (None, "ja", {"LC_ALL": "en_US.UTF-8"}, [], "ja"),  # then the model's lang
        (None, "en", {"LANG": "ja_JP.UTF-8"}, ["定着"], "en"),
        (None, None, {"LANG": "ja_JP.UTF-8"}, ["Bill"], "ja"),  # then the locale
        (None, None, {"LC_ALL": "en_US.UTF-8", "LANG": "ja_JP.UTF-8"}, [], "en"),
        (None, None, {"LC_MESSAGES": "ja_JP.UTF-8", "LANG": "en_GB.UTF-8"}, [], "ja"),
        (None, None, {"LANG": "C.UTF-8"}, ["導入計画書"], "ja"),  # C says nothing: names
        (None, None, {"LC_ALL": "POSIX"}, ["Bill"], "en"),
        (None, None, {}, ["Bill"], "en"),
        (None, None, {"LANG": "fr_FR.UTF-8"}, ["導入計画書"], "en"),  # no French: English
    ],
)
def test_language_resolution(
    explicit: str | None,
    declared: str | None,
    environ: dict[str, str],
    names: list[str],
    expected: str,
) -> None:
    got = resolve_language(explicit, declared, names=lambda: names, environ=environ)
    assert got == expected


# --- prep check -----------------------------------------------------------------------------


def test_check_in_japanese(tmp_path: Path) -> None:
    path = _write(tmp_path, JAPANESE)
    r = run_prep("check", str(path))
    out = r.stdout.decode()
    assert r.returncode == 1
    assert (
        f"{path}:4:13: NM01 warning: 「資料作成」は行動（作業）の名前に見えます"
        "（作業を表す名詞「作成」で終わっています）" in out
    )
    assert (
        "  ヒント: 作業の結果できるもの（例：「作成済みの資料」）を名前にして、"
        "作業は `work` に移してください" in out
    )
    assert "AT01 warning: 未知の属性キー「wrok」（書かれたとおりに保持します）" in out
    assert "  ヒント: 「work」の間違いではありませんか？" in out
    # an input method's '、' between names: PS01 at the character, in Japanese (#12)
    assert "PS01 error: 名前の中に全角の区切り文字 '、' があります" in out
    assert "  ヒント: 名前の間は半角（ASCII）の ',' で区切ってください" in out
    assert out.rstrip().endswith("1 ファイルを検査しました：エラー 1 件、警告 2 件")
    assert "hint:" not in out and "did you mean" not in out
    # the caret still sits under the name (the source line is not translated)
    lines = out.splitlines()
    i = next(n for n, line in enumerate(lines) if "NM01" in line)
    assert lines[i + 1] == "  定着した顧客業務 <- 資料作成, 導入計画書 { wrok: 定着判定 }"
    assert lines[i + 2] == "  " + " " * 20 + "^" * 8


def test_lang_en_overrides_the_model(tmp_path: Path) -> None:
    out = run_prep("check", str(_write(tmp_path, JAPANESE)), "--lang", "en").stdout.decode()
    assert "NM01 warning: '資料作成' reads like an action (ends in the activity noun 作成)" in out
    assert "  hint: did you mean 'work'?" in out
    assert "  hint: use ',' (ASCII) between names; quote the name if '、' belongs to it" in out
    assert out.rstrip().endswith("1 file checked: 1 error(s), 2 warning(s)")


def test_locale_chooses_for_a_model_without_lang(tmp_path: Path) -> None:
    path = _write(tmp_path, ENGLISH)
    japanese = run_prep("check", str(path), env={"LANG": "ja_JP.UTF-8"}).stdout.decode()
    assert "外部の成果物「Fax」はどのルートにも使われていません" in japanese
    assert "未知の属性キー「wrok」（書かれたとおりに保持します）" in japanese
    english = run_prep(
        "check", str(path), env={"LANG": "ja_JP.UTF-8", "LC_ALL": "en_US.UTF-8"}
    ).stdout.decode()
    assert "the external 'Fax' is not used by any route" in english
    assert run_prep("check", str(path)).stdout.decode() == english  # C locale, English names


def test_syntax_errors_in_japanese(tmp_path: Path) -> None:
    path = _write(tmp_path, "goal 請求書\n請求書 -> 受注データ\n")
    out = run_prep("check", str(path), "--lang", "ja").stdout.decode()
    assert "PS01 error: '->' はここでは使えません" in out
    assert "ヒント: ルートは作る成果物からインプットへ向けて書きます：`OUTPUT <- INPUT, ...`" in out
    path = _write(tmp_path, "goal A\nA <- B C\n", "space.prep")
    out = run_prep("check", str(path), "--lang", "ja").stdout.decode()
    assert (
        "PS01 error: 予期しない名前 'C'です。"
        "文の終わり、','、'{'、またはファイルの終わりが来るはずでした" in out
    )
    assert "2 つの名前が空白で区切られています" in out


def test_machine_formats_stay_english_unless_asked(tmp_path: Path) -> None:
    path = _write(tmp_path, JAPANESE)
    plain = json.loads(run_prep("check", str(path), "--format", "json").stdout)
    messages = [d["message"] for d in plain["diagnostics"]]
    assert "unknown attribute key 'wrok' (kept as written)" in messages
    asked = json.loads(run_prep("check", str(path), "--format", "json", "--lang", "ja").stdout)
    assert [d.keys() for d in asked["diagnostics"]] == [d.keys() for d in plain["diagnostics"]]
    assert "未知の属性キー「wrok」（書かれたとおりに保持します）" in [
        d["message"] for d in asked["diagnostics"]
    ]
    assert asked["summary"] == plain["summary"]
    sarif = json.loads(run_prep("check", str(path), "--format", "sarif", "--lang", "ja").stdout)
    rules = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["GP01"]["shortDescription"]["text"] == (
        "必要な成果物が、作られもせず external でもない"
    )
    english = json.loads(run_prep("check", str(path), "--format", "sarif").stdout)
    rules = {r["id"]: r for r in english["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["GP01"]["shortDescription"]["text"].startswith("a deliverable is needed")
    github = run_prep("check", str(path), "--format", "github").stdout.decode()
    assert "未知の属性キー「wrok」" in github  # read by people on the pull request


# --- prep rules -----------------------------------------------------------------------------


def test_rules_in_japanese() -> None:
    from prepmodel.checks.rules import RULES

    out = run_prep("rules", "--lang", "ja").stdout.decode()
    for rule in RULES.values():
        assert rule.description not in out, rule.code
    assert "GP01  gap  [error]\n    ギャップ：使われている成果物を作るルートがなく" in out
    assert "  悪い例：\n" in out and "  良い例：\n" in out
    assert "bad:" not in out
    env_ja = run_prep("rules", "CY01", env={"LANG": "ja_JP.UTF-8"}).stdout.decode()
    assert "循環：成果物が、1 つ以上のルートを経由して自分自身を必要としています。" in env_ja
    english = run_prep("rules", "CY01").stdout.decode()
    assert "A cycle: a deliverable needs itself" in english and "  bad:" in english


# --- prep checkpoints -------------------------------------------------------------------------


def test_checkpoint_tables_in_japanese() -> None:
    sample = "samples/onboarding.prep"  # `lang: ja`
    text = run_prep("checkpoints", sample).stdout.decode()
    assert "ゴール：定着した顧客業務" in text
    assert "チェックポイント（どのルートでも必ず通る）：" in text
    assert "▶ 出口" in text and "クリティカルパス：顧客の現行業務 → 成功定義書" in text
    md = run_prep("checkpoints", sample, "--format", "markdown").stdout.decode()
    assert "## 定着した顧客業務 へのジャーニー" in md
    assert "| 手順 | 成果物 | フェーズ | 必要なもの | ルート | オーナー | KPI | メモ |" in md
    assert "## プレイブック：別ルート" in md
    assert "| 手順 | チェックポイント | ルート | インプット | 作業 | 担当 |" in md
    assert "## ヘルススコア：KPI" in md
    assert "| KPI | 測定する成果物 | 手順 | オーナー | これに依存するゴール |" in md
    rows = list(
        csv.reader(io.StringIO(run_prep("checkpoints", sample, "-f", "csv").stdout.decode()))
    )
    assert rows[0] == [
        "ゴール", "手順", "成果物", "区分", "フェーズ", "出口",
        "ルート", "インプット", "作業", "担当", "工数", "KPI", "オーナー", "メモ",
    ]  # fmt: skip
    assert {row[3] for row in rows[1:]} <= {"チェックポイント", "一部のルートで必要"}
    english = run_prep("checkpoints", sample, "-f", "csv", "--lang", "en").stdout.decode()
    assert english.startswith("goal,step,deliverable,role,phase,exit,route,inputs,")


def test_checkpoint_json_keys_never_translate() -> None:
    sample = "samples/onboarding.prep"
    plain = run_prep("checkpoints", sample, "--format", "json").stdout
    assert run_prep("checkpoints", sample, "--format", "json", "--lang", "ja").stdout == plain
    assert set(json.loads(plain)) >= {"steps", "goals"}


# --- prep diff ------------------------------------------------------------------------------


def test_diff_in_japanese() -> None:
    case = CASES / "diff" / "onboarding-ja"
    old, new = str(case / "old.prep"), str(case / "new.prep")
    text = run_prep("diff", old, new).stdout.decode()
    english = (case / "expected.txt").read_text("utf-8")
    assert text != english and "ジャーニー：" in text
    assert run_prep("diff", old, new, "--lang", "en").stdout.decode() == english
    md = run_prep("diff", old, new, "--format", "markdown").stdout.decode()
    assert "**概要：**" in md and "| 変更 | 成果物 | 詳細 |" in md
    assert "#### ジャーニーへの影響" in md
    plain = run_prep("diff", old, new, "--format", "json").stdout
    assert json.loads(plain) == json.loads((case / "expected.json").read_text("utf-8"))


def test_diff_details_in_japanese(tmp_path: Path) -> None:
    old = _write(
        tmp_path, 'goal Bill\nexternal Menu\nBill <- "Order slip"\n"Order slip" <- Menu\n', "a.prep"
    )
    new = _write(
        tmp_path,
        'goal Bill\nexternal Menu, Tablet\nBill <- "Order slip"\n"Order slip" <- Menu, Tablet\n',
        "b.prep",
    )
    text = run_prep("diff", str(old), str(new), "--lang", "ja").stdout.decode()
    assert "+ Tablet" in text
    assert "* Order slip: ルート: 1 にインプット Tablet を追加" in text
    data = json.loads(
        run_prep("diff", str(old), str(new), "--format", "json", "--lang", "ja").stdout
    )
    (changed,) = data["changed"]
    assert changed["what"] == ["routes"] and changed["details"][0]["change"] == "input_added"
    assert changed["details"][0]["text"] == "1 にインプット Tablet を追加"


# --- the viewer -------------------------------------------------------------------------------


def test_viewer_lists_diagnostics_in_the_page_language(tmp_path: Path) -> None:
    from prepmodel.checks.analysis import analyse_text
    from prepmodel.render.html import diagnostics_list

    a = analyse_text(ENGLISH, "m.prep")
    page = diagnostics_list(a.diagnostics, "ja")
    assert "外部の成果物「Fax」はどのルートにも使われていません" in page
    assert "ヒント" in page
    assert "the external &#x27;Fax&#x27;" in diagnostics_list(a.diagnostics, "en")


def _findings() -> list[tuple[str, object]]:
    """Every diagnostic the rule fixtures' failing snippets and the broken sample produce."""
    import tomllib

    from prepmodel.checks.analysis import analyse_text

    texts = [
        (case.stem, tomllib.loads(case.read_text("utf-8"))["fail"])
        for case in sorted((CASES / "rules").glob("*.toml"))
    ]
    texts.append(("broken.prep", (ROOT / "samples" / "broken.prep").read_text("utf-8")))
    texts += [
        ("IME comma", "goal A\nA <- B、C\n"),
        ("arrow", "goal A\nA ← B\n"),
        ("unclosed", 'goal A {\nA <- "B\n'),
    ]
    return [
        (f"{where}: {d.code}", d)
        for where, text in texts
        for d in analyse_text(text, "m.prep").diagnostics
    ]


def test_every_finding_can_be_said_in_japanese() -> None:
    """A message or hint written as a plain string (not ``msg(...)``) cannot be translated:
    this names it, so that a message arriving from another branch is wrapped and translated."""
    from prepmodel.checks.rules import CODES
    from prepmodel.diagnostics import Diagnostic

    findings = _findings()
    assert {found.code for _, found in findings} == set(CODES)  # type: ignore[attr-defined]
    untranslatable = []
    for where, found in findings:
        assert isinstance(found, Diagnostic)
        japanese = found.localized("ja")
        for part, english, said in (
            ("message", found.message, japanese.message),
            ("hint", found.hint, japanese.hint),
        ):
            if english is None:
                continue
            if not isinstance(english, Message) or said == english:
                untranslatable.append(f"{where} {part}: {english!r}")
    assert not untranslatable, "wrap these in msg(...) and translate them:\n" + "\n".join(
        untranslatable
    )
