"""Label width estimation and wrapping (budoux for Japanese, spaces for English)."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prepmodel.render.measure import has_cjk, label_box, text_width, wrap_label

SENTENCE = "稼働中の業務フローを効果測定レポートにまとめる"


def _rejoins(text: str, lines: list[str]) -> bool:
    """True when ``text`` is the lines in order with only white space between them."""
    pattern = r"\s*".join(re.escape(line) for line in lines)
    return re.fullmatch(pattern, text, flags=re.DOTALL) is not None


def _clusters(line: str) -> int:
    return sum(1 for ch in line if unicodedata.category(ch) not in ("Mn", "Me", "Mc"))


# ----------------------------------------------------------------------------- widths


def test_cjk_is_at_least_one_em_per_character() -> None:
    for text in ("成功定義書", "導入計画書", "ひらがな", "カタカナ", "ＫＰＩ", "。、「」"):
        assert text_width(text, 14.0) >= 14.0 * len(text)


@given(
    st.text(
        alphabet=(
            st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
            | st.characters(min_codepoint=0x3041, max_codepoint=0x30FA)
        ).filter(lambda ch: unicodedata.category(ch) != "Mn"),  # not the combining dakuten
        min_size=1,
        max_size=30,
    ),
    st.sampled_from([8.0, 10.0, 14.0, 20.5]),
)
def test_cjk_width_property(text: str, size: float) -> None:
    assert text_width(text, size) >= size * len(text) - 1e-9


def test_latin_widths_follow_a_real_font() -> None:
    assert text_width("W", 10.0) == pytest.approx(9.89)
    assert text_width("i", 10.0) == pytest.approx(2.78)
    assert text_width("iiii") < text_width("WWWW")
    assert text_width("Order slip", 14.0) == pytest.approx(
        14.0 * (0.788 + 0.412 + 0.635 + 0.616 + 0.412 + 0.318 + 0.521 + 0.278 + 0.278 + 0.635)
    )


def test_half_width_zero_width_and_scaling() -> None:
    assert text_width("ｱｲｳ", 10.0) == pytest.approx(15.0)
    assert text_width("e\u0301", 10.0) == pytest.approx(text_width("e", 10.0))
    assert text_width("", 14.0) == 0.0
    assert text_width("業務", 28.0) == pytest.approx(2 * text_width("業務", 14.0))


def test_has_cjk() -> None:
    assert has_cjk("KPI設計")
    assert has_cjk("ｶﾀｶﾅ")
    assert not has_cjk("Order slip – café")


# ----------------------------------------------------------------------------- wrapping


def test_budoux_phrase_breaks() -> None:
    lines = wrap_label(SENTENCE, 100.0, 14.0)
    assert len(lines) > 1
    assert "".join(lines) == SENTENCE
    assert all(text_width(line, 14.0) <= 100.0 for line in lines)
    # breaks fall between phrases, never inside these words
    offsets = set()
    pos = 0
    for line in lines[:-1]:
        pos += len(line)
        offsets.add(pos)
    for word in ("稼働", "業務", "フロー", "効果", "測定", "レポート", "まとめる"):
        start = SENTENCE.index(word)
        assert not any(start < off < start + len(word) for off in offsets), (word, lines)
    assert lines[0] == "稼働中の"


def test_wide_box_keeps_one_line() -> None:
    assert wrap_label(SENTENCE, 1000.0) == [SENTENCE]
    assert wrap_label("成功定義書", 200.0) == ["成功定義書"]
    assert wrap_label("", 50.0) == [""]


def test_english_wraps_at_spaces() -> None:
    text = "Order slip with a rather long English name"
    lines = wrap_label(text, 140.0, 14.0)
    # three lines as a greedy fill would need, but no lone "name" and no break after "with"/"a"
    assert lines == ["Order slip", "with a rather long", "English name"]
    assert " ".join(lines) == text


def test_mixed_text_and_forced_newline() -> None:
    lines = wrap_label("KPI設計 review と 導入計画書", 80.0)
    assert _rejoins("KPI設計 review と 導入計画書", lines)
    assert wrap_label("first\nsecond", 500.0) == ["first", "second"]


def test_overlong_word_is_broken_by_characters() -> None:
    word = "Supercalifragilisticexpialidocious"
    lines = wrap_label(word, 80.0)
    assert len(lines) > 1
    assert "".join(lines) == word
    assert all(text_width(line) <= 80.0 for line in lines)


def test_character_breaks_respect_simple_kinsoku() -> None:
    lines = wrap_label("業務フロー", 30.0)  # two characters per line at most
    assert "".join(lines) == "業務フロー"
    assert not any(line.startswith("ー") for line in lines)


def test_narrower_than_one_character_still_progresses() -> None:
    assert wrap_label("業務", 1.0) == ["業", "務"]


def test_invalid_arguments() -> None:
    with pytest.raises(ValueError, match="max_width"):
        wrap_label("x", 0.0)
    with pytest.raises(ValueError, match="font_size"):
        wrap_label("x", 10.0, 0.0)


def test_wrap_returns_fresh_lists() -> None:
    first = wrap_label(SENTENCE, 100.0)
    first.append("mutated")
    assert wrap_label(SENTENCE, 100.0)[-1] != "mutated"


ALPHABET = list("abcXYZ 0-:,.、。ー「」ぁっ漢字業務成功定義書計画フローレポート\n\u3000\u0301ｱ")


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(ALPHABET), max_size=60),
    st.floats(min_value=1.0, max_value=400.0, allow_nan=False),
    st.sampled_from([10.0, 14.0]),
)
def test_wrap_round_trip_property(text: str, max_width: float, size: float) -> None:
    lines = wrap_label(text, max_width, size)
    # never loses or reorders characters: only white space at the breaks is dropped
    assert _rejoins(text, lines), lines
    if text:
        assert all(lines)
    # every line fits, except a single character that alone is wider than the box
    for line in lines:
        assert text_width(line, size) <= max_width + 1e-9 or _clusters(line) <= 1, line
    # deterministic
    assert wrap_label(text, max_width, size) == lines


# ----------------------------------------------------------------------------- boxes


def test_label_box_fits_text_plus_margins() -> None:
    lines = wrap_label(SENTENCE, 150.0)
    width, height = label_box(lines, 14.0)
    widest = max(text_width(line) for line in lines)
    assert width >= widest / 72.0 + 0.22
    assert height >= len(lines) * 14.0 * 1.2 / 72.0 + 0.11
    assert label_box(["契約書"], 14.0) == pytest.approx((0.8034, 0.5))


def test_label_box_minimum_and_growth() -> None:
    assert label_box([], 14.0) == (0.75, 0.5)
    assert label_box(["a"], 14.0) == (0.75, 0.5)
    one = label_box(["成功定義書"], 14.0)
    two = label_box(["成功定義書", "導入"], 14.0)
    assert two[0] == one[0] and two[1] > one[1]
    custom = label_box(["成功定義書"], 14.0, margin=(0.0, 0.0), min_size=(0.0, 0.0))
    assert custom == pytest.approx((70.0 / 72.0, 16.8 / 72.0), abs=1e-4)
