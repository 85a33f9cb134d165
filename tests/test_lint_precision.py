"""Regressions from real use (issue #12, "Lint precision"): findings that were wrong or
misleading on real models.  Each test runs the real parser and checker on `.prep` text."""

from __future__ import annotations

from prepmodel.check.analysis import analyse_text
from prepmodel.diagnostics import Diagnostic


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
    assert found.hint == "known keys: work, by, effort, note"


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


def test_import_is_reported_as_ignored_at_its_line() -> None:
    text = """
import "common/kickoff.prep"
goal 導入計画書
external 成功定義書
導入計画書 <- 成功定義書
"""
    (found,) = _codes(text, "IM00")
    assert (found.span.line, found.span.column) == (1, 1)
    assert found.severity.value == "warning"
    assert "common/kickoff.prep" in found.message
