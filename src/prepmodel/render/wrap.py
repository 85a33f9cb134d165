"""Where a label may break, and which breaks to take (the engine of ``measure.wrap_label``).

A *cut* is a place where a line may end: a white-space run (dropped when the line breaks
there) or a point inside a word. Each cut has a penalty:

* white space, a budoux phrase boundary, the point after ``・``: free;
* a Sudachi morpheme boundary inside a phrase, the point after a hyphen between two words of
  three letters or more, a space after an English function word ("the", "of" …), a space
  inside a bracketed group that is not after a comma: soft;
* a morpheme boundary inside a katakana run that is wider than a line: inner;
* before a particle, auxiliary or suffix (書, 表, 図, 控え …), after a prefix, next to a digit
  or to a Latin run shorter than three characters (確定申告書B, 第2版): glued, a cut only
  inside a chunk that is wider than a line (worse before a one-character suffix);
* between any two characters of a chunk wider than a line: last resort (worse still where
  kinsoku forbids it).

Never cut inside a katakana run or a bracketed group that fits on a line. Inside a morpheme
and between two Latin characters (ASCII words stay whole, except after a hyphen as above) only
the last resort cuts. Of all sets of cuts, :func:`wrap_lines` takes the one whose
lines fit (a line may overflow only if it is a single character) with the smallest total
penalty, then the fewest lines, then the most even widths (the smallest sum of squared
widths; a line that is a lone one-character suffix counts as a kinsoku violation), by dynamic
programming over the cuts: O(cuts²) per label, and labels are short.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from typing import Any, Final, NamedTuple

from prepmodel.render.measure import _char_em, _is_cjk, text_width

__all__ = ["wrap_lines"]

FREE: Final[int] = 0
SOFT: Final[int] = 1
INNER: Final[int] = 3
GLUED: Final[int] = 6
LAST_RESORT: Final[int] = 20
AGAINST_KINSOKU: Final[int] = 40

#: Characters that should not start a line (closing marks, small kana, prolonged sound mark).
_NO_START: Final[frozenset[str]] = frozenset(
    ",.:;?!)]}、。，．・·：；？！）］｝〕〉》」』】〙〗〟’”ー‐゠–—〜～"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ々〻ゝゞヽヾ"
)
#: Characters that should not end a line (opening brackets and quotes).
_NO_END: Final[frozenset[str]] = frozenset("([{（［｛〔〈《「『【〘〖〝‘“")
_BRACKETS: Final[dict[str, str]] = {
    "(": ")",
    "[": "]",
    "（": "）",
    "［": "］",
    "「": "」",
    "『": "』",
    "【": "】",
    "〔": "〕",
}
_CLOSERS: Final[frozenset[str]] = frozenset(_BRACKETS.values())
_COMMAS: Final[frozenset[str]] = frozenset(",、，;；")
#: One-word nouns that end a compound and must not start a line, whatever Sudachi calls them.
SUFFIX_NOUNS: Final[frozenset[str]] = frozenset(
    (
        "書",
        "表",
        "図",
        "期",
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
        "用",
        "向け",
        "別",
        "様",
        "類",
        "集",
        "欄",
        "費",
        "等",
        "届",
        "証",
        "額",
        "数",
        "値",
        "式",
        "点",
        "系",
        "型",
        "性",
        "的",
        "課",
        "室",
        "局",
        "側",
        "内",
        "外",
        "中",
        "後",
        "前",
        "順",
        "毎",
    )
)
#: English words that read with the word after them ("the design", "of work").
_FUNCTION_WORDS: Final[frozenset[str]] = frozenset(
    {"a", "an", "the", "of", "to", "for", "and", "or", "in", "on", "at", "by", "with", "from", "&"}
)
#: Parts of speech that attach to the morpheme before them.
_ATTACH_LEFT_POS: Final[frozenset[str]] = frozenset({"助詞", "助動詞", "接尾辞"})
_WORD: Final[re.Pattern[str]] = re.compile(r"\S+")
_LONGEST_ANALYSED: Final[int] = 4096  # SudachiPy refuses input over 49,149 bytes


class Cut(NamedTuple):
    """A place where a line may end: ``text[:start]`` / ``text[end:]`` (white space between)."""

    start: int
    end: int
    penalty: int
    forced: bool = False


def _is_katakana(ch: str) -> bool:
    code = ord(ch)
    return (
        0x30A1 <= code <= 0x30FA
        or 0x30FC <= code <= 0x30FF
        or 0xFF66 <= code <= 0xFF9F
        or code in (0x3099, 0x309A)
    )


@functools.lru_cache(maxsize=1)
def _budoux_parser() -> Any:
    import budoux

    return budoux.load_default_japanese_parser()


def _phrase_offsets(word: str) -> frozenset[int]:
    """Offsets of budoux phrase boundaries inside ``word`` (none if budoux changed the text)."""
    parts: list[str] = _budoux_parser().parse(word)
    if "".join(parts) != word:
        return frozenset()
    offsets: set[int] = set()
    position = 0
    for part in parts[:-1]:
        position += len(part)
        offsets.add(position)
    return frozenset(offsets)


def _morpheme_offsets(word: str) -> tuple[frozenset[int], dict[int, int]] | None:
    """``(boundaries, glued)``: morpheme boundaries in ``word``, and those that may not break.

    A boundary is glued when the morpheme after it is a particle, auxiliary, suffix or one
    of :data:`SUFFIX_NOUNS`, or the morpheme before it is a prefix; ``glued`` maps it to its
    penalty, higher before a one-character morpheme (申告書 / 控え rather than 申告 / 書控え).
    None when the word is too long to analyse or the analyser changed the text.
    """
    if len(word) > _LONGEST_ANALYSED:
        return None
    from prepmodel.text.morphology import sudachi_tokenizer

    boundaries: set[int] = set()
    glued: dict[int, int] = {}
    position = 0
    previous_is_prefix = False
    surfaces: list[str] = []
    for morpheme in sudachi_tokenizer().tokenize(word):
        surface: str = morpheme.surface()
        surfaces.append(surface)
        head = morpheme.part_of_speech()[0]
        if position > 0:
            boundaries.add(position)
            if previous_is_prefix or head in _ATTACH_LEFT_POS or surface in SUFFIX_NOUNS:
                glued[position] = GLUED + (2 if len(surface) == 1 else 0)
        previous_is_prefix = head == "接頭辞"
        position += len(surface)
    if "".join(surfaces) != word:
        return None
    return frozenset(boundaries), glued


def _run_length(word: str, start: int, step: int, keep: Any) -> int:
    """How many characters from ``start`` (going by ``step``) satisfy ``keep``."""
    count = 0
    index = start
    while 0 <= index < len(word) and keep(word[index]):
        count += 1
        index += step
    return count


def _latin(ch: str) -> bool:
    return not _is_cjk(ch) and not ch.isspace()


def _may_break(word: str, offset: int) -> bool:
    """Character rules (digits, Latin words) for a cut inside ``word`` before ``word[offset]``."""
    before, after = word[offset - 1], word[offset]
    if before.isdigit() or after.isdigit():
        return False
    if _latin(before) and _latin(after):
        return False
    if _latin(before) and before.isalnum() and _run_length(word, offset - 1, -1, _alnum) < 3:
        return False
    return not (_latin(after) and after.isalnum() and _run_length(word, offset, 1, _alnum) < 3)


def _alnum(ch: str) -> bool:
    return _latin(ch) and ch.isalnum()


def _hyphen_offsets(word: str) -> frozenset[int]:
    """Offsets just after a hyphen joining two words of three letters or more."""
    return frozenset(
        offset
        for offset in range(2, len(word) - 2)
        if word[offset - 1] == "-"
        and _run_length(word, offset - 2, -1, str.isalpha) >= 3
        and _run_length(word, offset, 1, str.isalpha) >= 3
    )


def _kinsoku_ok(before: str, after: str) -> bool:
    return after not in _NO_START and before not in _NO_END


@functools.lru_cache(maxsize=16384)
def word_cuts(word: str) -> tuple[tuple[int, int], ...]:
    """``(offset, penalty)`` of the cuts inside a white-space-free ``word`` (any width).

    Cuts inside a katakana run have the penalty ``INNER``; the caller drops them when the
    run fits on a line. Cuts of ``GLUED`` or more (before a suffix, next to a digit …) are
    used only inside a chunk that is wider than a line.
    """
    cuts = dict.fromkeys(_hyphen_offsets(word), SOFT)
    if not any(_is_cjk(ch) for ch in word):
        return tuple(sorted(cuts.items()))
    phrases = _phrase_offsets(word)
    morphemes = _morpheme_offsets(word)
    boundaries, glued = (phrases, {}) if morphemes is None else morphemes
    for offset in sorted(boundaries):
        before, after = word[offset - 1], word[offset]
        if offset in cuts or not _kinsoku_ok(before, after):
            continue
        if offset in glued:
            cuts[offset] = glued[offset]
        elif not _may_break(word, offset):
            cuts[offset] = GLUED
        elif _is_katakana(before) and _is_katakana(after):
            cuts[offset] = INNER
        elif offset in phrases or before == "・":
            cuts[offset] = FREE
        else:
            cuts[offset] = SOFT
    return tuple(sorted(cuts.items()))


def _katakana_runs(text: str) -> list[tuple[int, int]]:
    return [
        (match.start(), match.end())
        for match in re.finditer(r"[\u30a1-\u30fa\u30fc-\u30ff\uff66-\uff9f\u3099\u309a]{2,}", text)
    ]


def _bracket_groups(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each matched bracketed group, brackets included."""
    groups: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for index, ch in enumerate(text):
        if ch in _BRACKETS:
            stack.append((_BRACKETS[ch], index))
        elif ch in _CLOSERS:
            while stack and stack[-1][0] != ch:
                stack.pop()
            if stack:
                groups.append((stack.pop()[1], index + 1))
    return groups


def _is_mark(ch: str) -> bool:
    """True for characters that must stay with the character before them."""
    return unicodedata.category(ch) in ("Mn", "Me", "Mc") or ch in "\u200d\ufe0e\ufe0f"


def _cuts(text: str, max_width: float, font_size: float) -> list[Cut]:
    """Every cut in ``text`` for lines of ``max_width`` points, in order."""
    words = [(match.start(), match.end()) for match in _WORD.finditer(text)]
    cuts: dict[int, Cut] = {}
    for (previous_start, end), (start, next_end) in itertools.pairwise(words):
        space = text[end:start]
        forced = "\n" in space or "\r" in space
        # never leave "(" or ")" alone on a line
        lone = all(ch in _NO_END for ch in text[previous_start:end]) or all(
            ch in _NO_START for ch in text[start:next_end]
        )
        if forced or not lone:
            function_word = text[previous_start:end].lower() in _FUNCTION_WORDS
            cuts[end] = Cut(end, start, SOFT if function_word else FREE, forced)
    runs = _katakana_runs(text)
    fitting = [run for run in runs if text_width(text[run[0] : run[1]], font_size) <= max_width]
    hidden: dict[int, int] = {}  # cuts used only inside a chunk wider than a line
    for start, end in words:
        for offset, penalty in word_cuts(text[start:end]):
            at = start + offset
            if penalty == INNER and any(low < at < high for low, high in fitting):
                continue
            if penalty >= GLUED:
                hidden[at] = penalty
            else:
                cuts[at] = Cut(at, at, penalty)
    for low, high in _bracket_groups(text):
        if text_width(text[low:high], font_size) <= max_width:
            fitting.append((low, high))
            for at, cut in list(cuts.items()):
                if low < at < high and not cut.forced:
                    del cuts[at]
            continue
        for at, cut in list(cuts.items()):
            if low < at < high and cut.start < cut.end and text[cut.start - 1] not in _COMMAS:
                cuts[at] = cut._replace(penalty=max(cut.penalty, SOFT))
    # a chunk between two cuts that is wider than a line may also break before a suffix,
    # and as a last resort between any two characters (except inside what fits on a line)
    ordered = sorted(cuts.values())
    bounds = [0, *(edge for cut in ordered for edge in (cut.start, cut.end)), len(text)]
    for low, high in zip(bounds[0::2], bounds[1::2], strict=True):
        if text_width(text[low:high], font_size) <= max_width:
            continue
        for at in range(low + 1, high):
            if _is_mark(text[at]) or any(lo < at < hi for lo, hi in fitting):
                continue
            fallback = LAST_RESORT if _kinsoku_ok(text[at - 1], text[at]) else AGAINST_KINSOKU
            cuts[at] = Cut(at, at, hidden.get(at, fallback))
    return sorted(cuts.values())


def _lone_suffix(line: str) -> bool:
    """True for a line that is a one-character suffix alone (a lone 書 reads badly)."""
    stripped = line.strip()
    return len(stripped) == 1 and stripped in SUFFIX_NOUNS


def wrap_lines(text: str, max_width: float, font_size: float) -> tuple[str, ...]:
    """Lines of ``text`` no wider than ``max_width`` points, with the best cuts (see above)."""
    nodes = [Cut(0, 0, FREE), *_cuts(text, max_width, font_size), Cut(len(text), len(text), FREE)]
    prefix = [0.0]
    for ch in text:
        prefix.append(prefix[-1] + _char_em(ch))
    last = len(nodes) - 1
    best: list[tuple[int, int, float] | None] = [None] * len(nodes)
    back = [0] * len(nodes)
    best[0] = (0, 0, 0.0)
    limit = max_width + 1e-9
    for origin in range(last):
        base = best[origin]
        if base is None:
            continue
        for target in range(origin + 1, last + 1):
            width = (prefix[nodes[target].start] - prefix[nodes[origin].end]) * font_size
            if width > limit and target > origin + 1:
                break
            penalty = nodes[target].penalty if target < last else 0
            if target == origin + 1 and _lone_suffix(text[nodes[origin].end : nodes[target].start]):
                penalty += AGAINST_KINSOKU
            cost = (base[0] + penalty, base[1] + 1, base[2] + width * width)
            known = best[target]
            if known is None or cost < known:
                best[target] = cost
                back[target] = origin
            if nodes[target].forced:
                break
    lines: list[str] = []
    target = last
    while target > 0:
        origin = back[target]
        lines.append(text[nodes[origin].end : nodes[target].start])
        target = origin
    return tuple(reversed(lines))
