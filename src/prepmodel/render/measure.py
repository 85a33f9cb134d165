"""Label measurement and wrapping for Graphviz nodes, without a font library.

Graphviz's built-in text estimate (used when it has no font library, as in the embedded
WebAssembly build) gives CJK characters about 0.75 em, which is too narrow: Japanese labels
overflow their boxes. So we measure labels ourselves and give nodes explicit sizes.

Widths are conservative: full-width, wide and East-Asian-ambiguous characters count 1 em,
half-width forms 0.5 em, and Latin characters use the advance widths of DejaVu Sans (a wide
sans-serif, so the Latin glyphs of Noto Sans CJK, IPA or Hiragino fonts fit too). The table
below was derived once from DejaVuSans.ttf with fontTools and is plain data: no font is read
at run time.
"""

from __future__ import annotations

import functools
import math
import unicodedata
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = [
    "DEFAULT_FONT_SIZE",
    "LINE_SPACING",
    "has_cjk",
    "label_box",
    "text_width",
    "wrap_label",
]

DEFAULT_FONT_SIZE: Final[float] = 14.0
#: Graphviz's line height is font size x 1.2 (its LINESPACING constant).
LINE_SPACING: Final[float] = 1.2
#: Width of a character that is neither East-Asian wide nor in the table (em).
_DEFAULT_EM: Final[float] = 0.65
_POINTS_PER_INCH: Final[float] = 72.0

# Advance widths of DejaVu Sans in 1/1000 em, rounded up. Generated with:
#   f = TTFont("DejaVuSans.ttf"); cmap = f.getBestCmap(); upm = f["head"].unitsPerEm
#   ceil(f["hmtx"][cmap[cp]][0] * 1000 / upm) for each code point of the range.
# fmt: off
# U+0020..U+007E
_ASCII_WIDTHS: Final[tuple[int, ...]] = (
    318, 401, 460, 838, 637, 951, 780, 275, 391, 391, 500, 838, 318, 361, 318, 337,
    637, 637, 637, 637, 637, 637, 637, 637, 637, 637, 337, 337, 838, 838, 838, 531,
    1000, 685, 687, 699, 771, 632, 576, 775, 752, 295, 295, 656, 558, 863, 749, 788,
    604, 788, 695, 635, 611, 732, 685, 989, 686, 611, 686, 391, 337, 391, 838, 500,
    500, 613, 635, 550, 635, 616, 353, 635, 634, 278, 278, 580, 278, 975, 634, 612,
    635, 635, 412, 521, 393, 634, 592, 818, 592, 592, 525, 637, 337, 637, 838,
)
# U+00A0..U+024F
_LATIN_WIDTHS: Final[tuple[int, ...]] = (
    318, 401, 637, 637, 637, 637, 337, 500, 500, 1000, 472, 612, 838, 361, 1000, 500,
    500, 838, 401, 401, 500, 637, 637, 318, 500, 401, 472, 612, 970, 970, 970, 531,
    685, 685, 685, 685, 685, 685, 975, 699, 632, 632, 632, 632, 295, 295, 295, 295,
    775, 749, 788, 788, 788, 788, 788, 838, 788, 732, 732, 732, 732, 611, 605, 630,
    613, 613, 613, 613, 613, 613, 982, 550, 616, 616, 616, 616, 278, 278, 278, 278,
    612, 634, 612, 612, 612, 612, 612, 838, 612, 634, 634, 634, 634, 592, 635, 592,
    685, 613, 685, 613, 685, 613, 699, 550, 699, 550, 699, 550, 699, 550, 771, 635,
    775, 635, 632, 616, 632, 616, 632, 616, 632, 616, 632, 616, 775, 635, 775, 635,
    775, 635, 775, 635, 752, 634, 917, 695, 295, 278, 295, 278, 295, 278, 295, 278,
    295, 278, 590, 556, 295, 278, 656, 580, 580, 558, 278, 558, 278, 558, 375, 558,
    342, 563, 285, 749, 634, 749, 634, 749, 634, 814, 749, 634, 788, 612, 788, 612,
    788, 612, 1070, 1023, 695, 412, 695, 412, 695, 412, 635, 521, 635, 521, 635, 521,
    635, 521, 611, 393, 611, 393, 611, 393, 732, 634, 732, 634, 732, 634, 732, 634,
    732, 634, 732, 634, 989, 818, 611, 592, 611, 686, 525, 686, 525, 686, 525, 353,
    635, 735, 687, 635, 687, 635, 704, 699, 550, 775, 819, 687, 635, 612, 632, 788,
    615, 576, 353, 775, 687, 984, 354, 295, 746, 580, 278, 592, 975, 749, 634, 788,
    914, 612, 949, 760, 652, 635, 695, 635, 521, 632, 336, 393, 611, 393, 611, 858,
    634, 765, 721, 744, 731, 686, 525, 667, 667, 578, 525, 637, 667, 578, 511, 635,
    295, 493, 459, 296, 1422, 1299, 1155, 836, 787, 457, 932, 924, 798, 685, 613, 295,
    278, 788, 612, 732, 634, 732, 634, 732, 634, 732, 634, 732, 634, 616, 685, 613,
    685, 613, 975, 982, 775, 635, 775, 635, 656, 580, 788, 612, 788, 612, 667, 578,
    278, 1422, 1299, 1155, 775, 635, 1113, 683, 749, 634, 685, 613, 975, 982, 788, 612,
    685, 613, 685, 613, 632, 616, 632, 616, 295, 278, 295, 278, 788, 612, 788, 612,
    695, 412, 695, 412, 732, 634, 732, 634, 635, 521, 611, 393, 627, 522, 752, 634,
    736, 838, 699, 611, 686, 525, 685, 613, 632, 616, 788, 612, 788, 612, 788, 612,
    788, 612, 611, 592, 475, 843, 478, 278, 999, 999, 685, 699, 550, 558, 611, 521,
    525, 604, 480, 687, 732, 685, 632, 616, 295, 278, 782, 635, 695, 412, 611, 592,
)
# fmt: on

_CJK_RANGES: Final[tuple[tuple[int, int], ...]] = (
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x2E80, 0x2FDF),  # CJK radicals, Kangxi radicals
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3100, 0x31FF),  # Bopomofo, Hangul compatibility Jamo, Kanbun, Katakana ext.
    (0x3200, 0x4DBF),  # enclosed CJK, compatibility, CJK ext. A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xAC00, 0xD7AF),  # Hangul syllables
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # half-width and full-width forms
    (0x20000, 0x3FFFF),  # CJK ext. B and later
)


def _is_cjk(ch: str) -> bool:
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in _CJK_RANGES)


def has_cjk(text: str) -> bool:
    """Return True when ``text`` contains Chinese, Japanese or Korean characters."""
    return any(_is_cjk(ch) for ch in text)


@functools.lru_cache(maxsize=8192)
def _char_em(ch: str) -> float:
    """Width of one character in em (1 em = the font size)."""
    if unicodedata.category(ch) in ("Mn", "Me", "Cf", "Cc"):
        return 0.0
    eaw = unicodedata.east_asian_width(ch)
    if eaw in ("F", "W", "A"):
        return 1.0
    if eaw == "H":
        return 0.5
    cp = ord(ch)
    if 0x20 <= cp <= 0x7E:
        return _ASCII_WIDTHS[cp - 0x20] / 1000.0
    if 0xA0 <= cp <= 0x24F:
        return _LATIN_WIDTHS[cp - 0xA0] / 1000.0
    return _DEFAULT_EM


def text_width(text: str, font_size: float = DEFAULT_FONT_SIZE) -> float:
    """Return the width of one line of ``text`` in points at ``font_size`` (conservative).

    CJK and other East-Asian wide, full-width and ambiguous characters count 1 em, half-width
    forms 0.5 em, Latin characters their DejaVu Sans advance, combining marks and control
    characters 0, anything else 0.65 em.
    """
    return sum(_char_em(ch) for ch in text) * font_size


@functools.lru_cache(maxsize=16384)
def _wrap(text: str, max_width: float, font_size: float) -> tuple[str, ...]:
    if "\n" not in text and "\r" not in text and text_width(text, font_size) <= max_width:
        return (text,)  # fits: no analyser needed
    from prepmodel.render.wrap import wrap_lines

    return wrap_lines(text, max_width, font_size)


def wrap_label(text: str, max_width: float, font_size: float = DEFAULT_FONT_SIZE) -> list[str]:
    """Wrap ``text`` into lines each no wider than ``max_width`` points (see :func:`text_width`).

    Lines break only between words: at white space (the white-space run at a break is
    dropped), after a hyphen, and in Japanese between budoux phrases refined by SudachiPy
    morphemes, keeping katakana loanwords, 書/表/図 suffixes, ASCII words and bracketed groups
    that fit whole; the lines are balanced rather than filled greedily (rules in
    :mod:`prepmodel.render.wrap`). A chunk wider than ``max_width`` is broken before a suffix
    or between characters as a last resort. A newline in ``text`` forces a break. Characters
    are never lost or reordered: joining the lines with the dropped white space gives back
    ``text``. Deterministic; results are cached.
    """
    if not max_width > 0:
        raise ValueError(f"max_width must be positive, got {max_width!r}")
    if not font_size > 0:
        raise ValueError(f"font_size must be positive, got {font_size!r}")
    return list(_wrap(text, float(max_width), float(font_size)))


def _ceil4(value: float) -> float:
    """Round up to 1/10000 so that the value prints the same way everywhere."""
    return math.ceil(round(value * 10000.0, 6)) / 10000.0


def label_box(
    lines: Sequence[str],
    font_size: float = DEFAULT_FONT_SIZE,
    *,
    margin: tuple[float, float] = (0.11, 0.055),
    min_size: tuple[float, float] = (0.75, 0.5),
) -> tuple[float, float]:
    """Return ``(width, height)`` in inches of a box holding ``lines`` at ``font_size``.

    Use with ``fixedsize=true`` and the lines joined by ``\\n`` in the DOT label. ``margin``
    is the horizontal and vertical padding on each side in inches and ``min_size`` the
    smallest box (both default to Graphviz's own defaults for a box node). Values are rounded
    up to 1/10000 inch.
    """
    widest = max((text_width(line, font_size) for line in lines), default=0.0)
    count = max(len(lines), 1)
    width = widest / _POINTS_PER_INCH + 2.0 * margin[0]
    height = count * font_size * LINE_SPACING / _POINTS_PER_INCH + 2.0 * margin[1]
    return _ceil4(max(width, min_size[0])), _ceil4(max(height, min_size[1]))
