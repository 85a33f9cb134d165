"""Word-aware wrapping: tricky labels from tests/data/wrap_ja.toml keep their words whole."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prepmodel.render import wrap
from prepmodel.render.measure import text_width, wrap_label

DATA = Path(__file__).resolve().parent / "data" / "wrap_ja.toml"
TABLE: dict[str, Any] = tomllib.loads(DATA.read_text(encoding="utf-8"))
CASES: list[dict[str, Any]] = TABLE["case"]
LONE = frozenset(
    {
        "書",
        "表",
        "図",
        "案",
        "票",
        "率",
        "部",
        "化",
        "者",
        "会",
        "帳",
        "簿",
        "控え",
        "録",
        "版",
        "(",
        ")",
        "（",
        "）",
    }
)
_KATAKANA = re.compile(r"[\u30a1-\u30fa\u30fc-\u30ff]+")
_LATIN_WORD = re.compile(r"[A-Za-z0-9]+")


def _sizes(case: dict[str, Any]) -> list[tuple[float, float]]:
    pairs = TABLE["default_sizes"] + case.get("sizes", [])
    return [(float(width), float(size)) for width, size in pairs]


PARAMS = [
    pytest.param(
        case["text"], width, size, case.get("keep", []), id=f"{case['text']}@{width:g}/{size:g}"
    )
    for case in CASES
    for width, size in _sizes(case)
]


def _break_offsets(text: str, lines: list[str]) -> list[tuple[int, int]]:
    """``(end of line, start of next line)`` in ``text`` for each break; asserts the rejoin."""
    offsets: list[tuple[int, int]] = []
    position = 0
    for index, line in enumerate(lines):
        assert text.startswith(line, position), (text, lines)
        position += len(line)
        if index < len(lines) - 1:
            end = position
            while position < len(text) and text[position].isspace():
                position += 1
            offsets.append((end, position))
    assert position == len(text), (text, lines)
    return offsets


def _spans(pattern: re.Pattern[str] | str, text: str) -> list[tuple[int, int]]:
    if isinstance(pattern, str):
        return [(match.start(), match.end()) for match in re.finditer(re.escape(pattern), text)]
    return [(match.start(), match.end()) for match in pattern.finditer(text)]


def test_enough_cases() -> None:
    assert len(CASES) >= 40
    assert len({case["text"] for case in CASES}) == len(CASES)


@pytest.mark.parametrize(("text", "width", "size", "keep"), PARAMS)
def test_tricky_label(text: str, width: float, size: float, keep: list[str]) -> None:
    lines = wrap_label(text, width, size)
    breaks = _break_offsets(text, lines)  # joined lines == text minus the spaces broken at
    for line in lines:
        assert text_width(line, size) <= width + 1e-9, (line, lines)
        assert line.strip() not in LONE, lines
        assert not line.startswith((")", "）")) and not line.endswith(("(", "（")), lines
    fits = [
        (low, high)
        for pattern in (_KATAKANA, _LATIN_WORD)
        for low, high in _spans(pattern, text)
        if text_width(text[low:high], size) <= width
    ]
    fits += [
        (low, high)
        for item in keep
        for low, high in _spans(item, text)
        if text_width(item.strip(), size) <= width
    ]
    for end, start in breaks:
        inside = [text[low:high] for low, high in fits if low < end and start < high]
        assert not inside, f"{lines} breaks inside {inside}"


def test_issue_examples_exact() -> None:
    for case in CASES:
        if "expect" in case:
            assert wrap_label(case["text"], 150.0, 13.0) == case["expect"], case["text"]


def test_performers_break_after_commas() -> None:
    assert wrap_label("(CSM, 顧客PM)", 90.0, 10.0) == ["(CSM, 顧客PM)"]
    lines = wrap_label("(CSM, 顧客PM, 営業担当, 経理)", 90.0, 10.0)
    assert len(lines) == 2 and all(line.endswith((",", ")")) for line in lines), lines


def test_brackets_that_do_not_fit_break_at_spaces_but_not_alone() -> None:
    assert wrap_label("(Project manager)", 90.0, 10.0) == ["(Project", "manager)"]
    lines = wrap_label("( Project manager )", 60.0, 10.0)
    assert all(line.strip() not in "()" for line in lines), lines


def test_balanced_lines_instead_of_a_lone_last_word() -> None:
    assert wrap_label("Architecture decision records", 150.0, 13.0) == [
        "Architecture",
        "decision records",
    ]
    # not "Review the / design": a function word stays with the word after it
    assert wrap_label("Review the design", 60.0, 10.0) == ["Review", "the design"]


def test_suffix_breaks_only_when_nothing_else_fits() -> None:
    # 申告書控え is one unbreakable chunk; when it is wider than the box, breaking before a
    # suffix still beats breaking between arbitrary characters
    assert wrap_label("申告書控え", 45.0, 13.0) == ["申告書", "控え"]


def test_cuts_of_a_word() -> None:
    cuts = dict(wrap.word_cuts("ToBe業務設計ワークショップ議事録"))
    text = "ToBe業務設計ワークショップ議事録"
    assert cuts[text.index("業務")] == wrap.SOFT
    assert cuts[text.index("議事録") + 2] > wrap.GLUED  # before the one-character suffix 録
    assert all(0 < offset < len(text) for offset in cuts)
    assert wrap.word_cuts("Inspect-and-adapt") == ((8, wrap.SOFT), (12, wrap.SOFT))
    assert wrap.word_cuts("e-Tax") == ()


def test_analyser_that_changes_the_text_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    class Morpheme:
        def surface(self) -> str:
            return "別物"

        def part_of_speech(self) -> tuple[str, ...]:
            return ("名詞",)

    class Tokenizer:
        def tokenize(self, text: str) -> list[Morpheme]:
            return [Morpheme()]

    monkeypatch.setattr("prepmodel.text.morphology.sudachi_tokenizer", lambda: Tokenizer())
    assert wrap._morpheme_offsets("成功定義書の作成手順") is None


def test_short_labels_load_no_analyser() -> None:
    code = (
        "import sys\n"
        "import prepmodel.cli.app\n"
        "from prepmodel.render.measure import wrap_label\n"
        "assert wrap_label('導入計画書', 150.0, 13.0) == ['導入計画書']\n"
        "assert wrap_label('Order slip with a rather long name', 60.0, 13.0)\n"
        "print(sorted(m for m in ('sudachipy', 'budoux') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


PIECES = [
    "エグゼクティブ",
    "ビジネス",
    "レビュー",
    "資料",
    "書",
    "控え",
    "表",
    "KPI",
    "e-Tax",
    "設計",
    "(",
    ")",
    "（改訂版）",
    "Project",
    "manager",
    "Inspect-and-adapt",
    "・",
    "ー",
    "の",
    "2",
    " ",
    ", ",
    "\n",
    "顧客PM",
    "ワークショップ",
]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(PIECES), max_size=12),
    st.floats(min_value=10.0, max_value=300.0, allow_nan=False),
    st.sampled_from([10.0, 13.0]),
)
def test_wrap_property_on_tricky_pieces(pieces: list[str], width: float, size: float) -> None:
    text = "".join(pieces)
    lines = wrap_label(text, width, size)
    pattern = r"\s*".join(re.escape(line) for line in lines)
    assert re.fullmatch(pattern, text, flags=re.DOTALL), lines  # nothing lost or reordered
    for line in lines:
        fits = text_width(line, size) <= width + 1e-9
        assert fits or len(line.strip()) <= 1, (line, lines)
        # (at widths of a few characters a bracket may be left alone after forced breaks;
        # the renderer wraps at 90 pt and more)
        # an opening bracket with nothing after it (or a closing one with nothing before)
        # has nothing to hold on to: alone is forced then
        dangling = text.rstrip().endswith("(") or text.lstrip().startswith(")")
        if width >= 6 * size and "\n" not in text and not dangling:
            assert line.strip() not in ("(", ")"), lines  # a bracket alone only when forced
    assert wrap_label(text, width, size) == lines


@pytest.mark.parametrize(
    ("work", "mode"),
    [("トレーニング", "伴走"), ("初期設定", "自走"), ("Onboarding workshop", "self-run")],
)
def test_the_support_mode_dot_never_starts_a_line(work: str, mode: str) -> None:
    """`work · mode` (cs-journey step 4 wrapped as `トレーニング / · 伴走`): the middle dot
    stays at the end of the work's line, as `・` does (line-start rule)."""
    from prepmodel.render.dot import work_lines

    lines = work_lines(work, ("導入支援チーム", "顧客管理者"), mode)
    assert not [line for line in lines if line.startswith("·")], lines
    assert "".join(lines).replace(" ", "").startswith(f"{work}·{mode}".replace(" ", ""))
