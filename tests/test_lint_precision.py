"""Regressions from real use (issue #12, "Lint precision"): findings that were wrong or
misleading on real models.  Each test runs the real parser and checker on `.prep` text."""

from __future__ import annotations

from pathlib import Path

from prepmodel.checks.analysis import analyse_text
from prepmodel.diagnostics import Diagnostic

from .conftest import run_prep


def _check(text: str) -> list[Diagnostic]:
    return analyse_text(text.lstrip("\n"), "m.prep").diagnostics


def _codes(text: str, code: str) -> list[Diagnostic]:
    return [d for d in _check(text) if d.code == code]


# --- PH01 -------------------------------------------------------------------------------


def test_ph01_same_phase_written_full_width_twice_is_one_phase() -> None:
    text = """
goal 導入計画書
external 契約書
導入計画書 <- 成功定義書
成功定義書 <- 契約書
phase Ｌａｎｄ: 成功定義書
phase Ｌａｎｄ: 成功定義書, 導入計画書
"""
    assert _codes(text, "PH01") == []


def test_ph01_names_the_first_phase_as_written() -> None:
    text = """
goal 導入計画書
external 契約書
導入計画書 <- 成功定義書
成功定義書 <- 契約書
phase Ｌａｎｄ: 成功定義書
phase Adopt: 成功定義書, 導入計画書
"""
    (found,) = _codes(text, "PH01")
    assert (found.span.line, found.span.column) == (6, 14)
    assert found.message == "'成功定義書' is already in phase 'Ｌａｎｄ'"


# --- RT01 -------------------------------------------------------------------------------

ROUTES = """
goal 設定済みテナント
external 導入計画書, 契約書
role CSM, 顧客PM
設定済みテナント <- 導入計画書, 契約書 {{ work: 初期設定; {first} }}
設定済みテナント <- 契約書, 導入計画書 {{ work: 初期設定; {second} }}
"""


def test_rt01_routes_that_differ_in_by_are_alternatives() -> None:
    text = ROUTES.format(first="by: CSM, 顧客PM", second="by: CSM")  # 伴走 / 代走
    assert _codes(text, "RT01") == []


def test_rt01_routes_that_differ_in_when_are_alternatives() -> None:
    text = ROUTES.format(first="when: 税理士依頼", second="when: 自分で")
    assert _codes(text, "RT01") == []


def test_rt01_same_inputs_same_by_is_still_a_duplicate() -> None:
    # `by` compared by identity and as a set: full-width and reordered roles are the same
    text = ROUTES.format(first="by: CSM, 顧客PM", second="by: 顧客PM, ＣＳＭ")
    (found,) = _codes(text, "RT01")
    assert (found.span.line, found.span.column) == (5, 1)
    assert "line 4" in found.message


# --- CY01 -------------------------------------------------------------------------------


def test_cy01_is_reported_on_the_route_that_closes_the_loop() -> None:
    text = """
goal Release
external Idea
Plan <- Idea
Plan <- Review
Review <- Plan
Release <- Review
"""
    (found,) = _codes(text, "CY01")
    assert (found.span.line, found.span.column) == (4, 1)  # not line 3, the loop-free route
    assert found.message == "cycle: Plan ← Review ← Plan"
    assert found.hint == (
        "'Plan' already has a route without the loop (line 3): remove this route, or "
        "replace the input that leads back round the loop"
    )


def test_cy01_loop_closed_further_round_is_reported_where_it_closes() -> None:
    text = """
goal 申告書
external 帳簿
申告書 <- 決算書
決算書 <- 帳簿
決算書 <- 試算表
試算表 <- 決算書
"""
    (found,) = _codes(text, "CY01")
    assert (found.span.line, found.span.column) == (5, 1)
    assert "(line 4)" in (found.hint or "")


def test_cy01_without_a_way_out_keeps_the_general_hint() -> None:
    text = """
goal Release
external Idea
Release <- Plan
Plan <- Review, Idea
Review <- Plan
"""
    (found,) = _codes(text, "CY01")
    assert (found.span.line, found.span.column) == (4, 1)
    assert "already has a route" not in (found.hint or "")


# --- AT01 / GP01 suggestions ------------------------------------------------------------


def test_at01_does_not_suggest_a_key_that_is_not_close() -> None:
    text = """
goal Bill
external Slip
Bill <- Slip { qty: 3 }
"""
    (found,) = _codes(text, "AT01")
    assert found.hint == "known keys: work, by, effort, note, when, consulted, informed"


def test_at01_still_suggests_a_swapped_letter() -> None:
    text = """
goal Bill { kip: 売上 }
external Slip
Bill <- Slip
"""
    (found,) = _codes(text, "AT01")
    assert found.hint == "did you mean 'kpi'?"


def test_gp01_does_not_suggest_a_name_that_only_contains_part_of_it() -> None:
    text = """
goal "Office in use"
external Move, "Floor plan"
"Office in use" <- "Move pack", "Floor plan"
"""
    (found,) = _codes(text, "GP01")
    assert found.hint == "add a route `Move pack <- ...` or declare it `external`"


def test_gp01_suggests_names_with_the_words_in_another_order() -> None:
    text = """
goal "Paid meal"
external "Order slip"
"Paid meal" <- "Slip order"
"""
    (found,) = _codes(text, "GP01")
    assert found.hint == "did you mean 'Order slip'?"


# --- import -----------------------------------------------------------------------------


def test_an_import_that_cannot_be_read_is_reported_at_its_line() -> None:
    text = """
import "common/kickoff.prep"
goal 導入計画書
external 成功定義書
導入計画書 <- 成功定義書
"""
    (found,) = _codes(text, "IM01")
    assert (found.span.line, found.span.column) == (1, 1)
    assert found.severity.value == "error"
    assert "common/kickoff.prep" in found.message


# --- PS01 cascades ----------------------------------------------------------------------

OFFICE_MOVE = """
model "Office move" { lang: en }

goal "Office in use"
external "Lease terms", "Staff list", "Floor plan", "Removal quotes"

group "Move pack" =
  "Signed lease", "Seating plan",
  "Removal booking"

"Office in use" <- "Move pack", "Fitted office"
"Fitted office" <- "Signed lease", "Floor plan", "Fit-out design"
"Fit-out design" <- "Floor plan", "Seating plan"
"Signed lease" <- "Premises shortlist", "Lease terms"
"Premises shortlist" <- "Lease terms"
"Seating plan" <- "Staff list", "Floor plan"
"Removal booking" <- "Removal quotes", "Seating plan"
"""


def test_line_break_after_equals_gives_one_error_that_names_the_cause() -> None:
    found = _check(OFFICE_MOVE)
    assert [(d.code, d.span.line, d.span.column) for d in found] == [("PS01", 6, 20)]
    (error,) = found
    assert error.message == "unexpected end of line; expected a name"
    assert error.hint is not None
    assert "write the first name on the same line as '='" in error.hint
    assert "lines 7-8 were skipped" in error.hint


def test_line_break_after_equals_with_a_long_list_names_every_skipped_line() -> None:
    text = OFFICE_MOVE.replace(
        '  "Signed lease", "Seating plan",\n  "Removal booking"',
        '  "Signed lease",\n  "Seating plan",\n  "Removal booking"',
    )
    (error,) = _check(text)
    assert "lines 7-9 were skipped" in (error.hint or "")


def test_line_break_after_phase_colon_is_one_error() -> None:
    text = """
goal 導入計画書
external 契約書
導入計画書 <- 成功定義書
成功定義書 <- 契約書
phase Land:
  成功定義書, 導入計画書
"""
    found = _check(text)
    assert [(d.code, d.span.line) for d in found] == [("PS01", 5)]
    assert "same line as ':'" in (found[0].hint or "")


def test_findings_the_skipped_statement_cannot_explain_are_kept() -> None:
    # The goal's route is skipped: its gap and orphans are echoes; the cycle elsewhere and
    # the gap the skipped text never mentions are real.
    text = """
goal 申告書
external 帳簿
申告書 <- 決算書, {
決算書 <- 帳簿, 領収書
試算表 <- 仕訳帳
仕訳帳 <- 試算表
"""
    codes = {(d.code, d.span.line) for d in _check(text)}
    assert ("PS01", 3) in codes
    assert ("CY01", 5) in codes  # not explained: reported
    assert ("GP01", 4) in codes  # 領収書 is not mentioned in the skipped text
    assert not any(code == "RC01" and line == 4 for code, line in codes)  # 決算書: explained


def test_no_goal_is_not_reported_when_the_goal_statement_was_skipped() -> None:
    text = """
goal 申告書 { title: 確定申告
external 帳簿
申告書 <- 帳簿
"""
    codes = [d.code for d in _check(text)]
    assert "PS01" in codes
    assert "GL01" not in codes and "RC01" not in codes


# --- Japanese input-method slips --------------------------------------------------------


def _syntax(text: str) -> list[tuple[int, int, str, str | None]]:
    return [
        (d.span.line, d.span.column, d.message, d.hint) for d in _check(text) if d.code != "NM01"
    ]


def test_ideographic_comma_between_names() -> None:
    text = """
goal 申告書
external 帳簿、決算書
申告書 <- 帳簿, 決算書
"""
    assert _syntax(text) == [
        (
            2,
            12,
            "full-width comma '、' in a name",
            "use ',' (ASCII) between names; quote the name if '、' belongs to it",
        )
    ]


def test_full_width_comma_between_inputs() -> None:
    text = """
goal 申告書
external 帳簿, 決算書
申告書 <- 帳簿，決算書
"""
    assert _syntax(text) == [
        (
            3,
            10,
            "full-width comma '，' in a name",
            "use ',' (ASCII) between names; quote the name if '，' belongs to it",
        )
    ]


def test_full_width_colon_after_an_attribute_key() -> None:
    text = """
goal 申告書
external 帳簿, 決算書
申告書 <- 帳簿, 決算書 { work：申告書作成 }
"""
    assert _syntax(text) == [
        (
            3,
            22,
            "full-width colon '：' in a name",
            "use ':' (ASCII) after an attribute key or a phase name",
        )
    ]


def test_ideographic_space_in_a_name_list_points_at_the_space() -> None:
    text = """
goal 申告書
external 帳簿　決算書
申告書 <- 帳簿, 決算書
"""
    assert _syntax(text) == [
        (
            2,
            12,
            "ideographic space (U+3000) between names",
            "use ',' (ASCII) between names; quote a name that contains a space",
        )
    ]


def test_full_width_punctuation_stays_allowed_where_it_is_text() -> None:
    text = """
goal "申告書、控え付き"
external 帳簿
"申告書、控え付き" <- 帳簿 { note: 帳簿、決算書を確認する，念のため }
"""
    assert [d.code for d in _check(text) if d.severity.value == "error"] == []


def test_caret_is_on_the_ideographic_comma_in_the_cli(tmp_path: Path) -> None:
    f = tmp_path / "m.prep"
    f.write_text("goal 申告書\nexternal 帳簿、決算書\n申告書 <- 帳簿, 決算書\n", "utf-8")
    out = run_prep("check", str(f)).stdout.decode()
    lines = out.splitlines()
    i = next(n for n, line in enumerate(lines) if "PS01" in line)
    assert lines[i + 1] == "  external 帳簿、決算書"
    assert lines[i + 2] == "  " + " " * 13 + "^^"  # 'external ' and 帳簿: 13 columns
    assert "GP01" not in out and "GP02" not in out


def test_fmt_keeps_quotes_on_a_name_with_full_width_punctuation() -> None:
    from prepmodel.review.fmt import format_source

    text = (
        'goal "申告書、控え付き"\nexternal 帳簿\n'
        '"申告書、控え付き"   <-  帳簿 { note: 帳簿、決算書を確認 }\n'
    )
    out = format_source(text).text
    assert '"申告書、控え付き" <- 帳簿' in out
    assert "note: 帳簿、決算書を確認" in out  # a value may hold it bare
    assert format_source(out).text == out


def test_ideographic_comma_between_roles_in_by() -> None:
    text = """
goal 申告書
external 帳簿, 決算書
申告書 <- 帳簿, 決算書 { by: CSM、顧客PM; note: 帳簿、決算書を確認 }
"""
    assert _syntax(text) == [
        (
            3,
            25,
            "full-width comma '、' in a name",
            "use ',' (ASCII) between names; quote the name if '、' belongs to it",
        )
    ]


def test_full_width_equals_after_a_group_name() -> None:
    text = """
goal 申告書
external 帳簿, 決算書
group 書類 ＝ 帳簿, 決算書
申告書 <- 書類
"""
    assert _syntax(text) == [
        (
            3,
            10,
            "full-width equals sign '＝' in a name",
            "use '=' (ASCII) after the group's name: `group G = A, B`",
        )
    ]


def test_fmt_quotes_a_role_with_full_width_punctuation() -> None:
    from prepmodel.review.fmt import format_source

    text = 'goal A\nexternal B\nA <- B { by: "CSM、顧客PM"; note: 帳簿、決算書 }\n'
    out = format_source(text).text
    assert 'by: "CSM、顧客PM"' in out and "note: 帳簿、決算書" in out
    assert format_source(out).text == out
